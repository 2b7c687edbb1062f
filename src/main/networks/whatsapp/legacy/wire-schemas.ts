// Wire shapes of the JSON layer (spec §2, §6.3, §6.5) as zod schemas: anything the server
// sends is checked before it is used.

import { z } from 'zod'

/** spec §2.1: the `admin init` reply (an array instead means "update your client"). */
export const initReplySchema = z.looseObject({
  status: z.number(),
  ref: z.string().optional(),
  ttl: z.number().optional(),
  update: z.boolean().optional(),
  curr: z.string().optional(),
  time: z.number().optional()
})

export const statusReplySchema = z.looseObject({ status: z.number() })

/** spec §2.3 */
export const rerefReplySchema = z.looseObject({ status: z.number(), ref: z.string().optional(), ttl: z.number().optional() })

/** spec §2.4: `["Conn", {…}]`; on a restore and later updates every field is optional. */
export const connSchema = z.looseObject({
  ref: z.string().optional(),
  wid: z.string().optional(),
  connected: z.boolean().optional(),
  serverToken: z.string().optional(),
  clientToken: z.string().optional(),
  browserToken: z.string().optional(),
  secret: z.string().optional(),
  pushname: z.string().optional(),
  platform: z.string().optional(),
  battery: z.number().optional()
})
export type ConnInfo = z.infer<typeof connSchema>

/** spec §2.7/§2.8/§6.5: `["Cmd", {…}]`. */
export const cmdSchema = z.looseObject({
  type: z.string(),
  challenge: z.string().optional(),
  kind: z.string().optional(),
  jid: z.string().optional()
})

/** spec §6.5: `["Presence", {id, type, participant?, t: "<last seen>"?, deny: bool?}]`. */
export const presenceSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  participant: z.string().optional(),
  t: z.union([z.string(), z.number()]).optional(),
  deny: z.union([z.boolean(), z.string()]).optional()
})

/** spec §6.3 `["query","Presence","lastseen",JID]` → `{"t":<unix s>}` (or `{"status":404}`, statusReplySchema). */
export const lastSeenReplySchema = z.looseObject({ t: z.union([z.number(), z.string()]) })

/** spec §6.5: `["Chat", {id: GID, cmd: "action", data: [KIND, ACTOR, OBJ]}]`; KIND and OBJ are read by group-actions.ts. */
export const groupActionSchema = z.looseObject({
  id: z.string().min(1),
  cmd: z.literal('action'),
  data: z.array(z.unknown()).min(1).max(8)
})

/** spec §6.5: `["Msg"|"MsgInfo", {cmd:"ack", id, ack, from, to, participant?, t}]`; MsgInfo's id may be an array. */
export const ackSchema = z.looseObject({
  cmd: z.string().optional(),
  id: z.union([z.string(), z.array(z.string())]),
  ack: z.number(),
  from: z.string().optional(),
  to: z.string().optional(),
  participant: z.string().optional()
})

export const blocklistSchema = z.looseObject({ id: z.number().optional(), blocklist: z.array(z.string()) })

/** spec §6.3 `["query","mediaConn"]`: the upload token, how long it lasts (seconds) and the media hosts. */
export const mediaConnReplySchema = z.looseObject({
  status: z.literal(200),
  media_conn: z.looseObject({
    auth: z.string().min(1),
    ttl: z.number().positive(),
    hosts: z.array(z.looseObject({ hostname: z.string().min(1) })).min(1)
  })
})

/** spec §7.4 step 3: the media host's answer to an upload. */
export const uploadReplySchema = z.looseObject({ url: z.string().min(1), direct_path: z.string().min(1).optional() })
