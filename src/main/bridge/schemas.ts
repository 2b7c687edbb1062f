// Runtime schemas for every request argument: shapes and sizes. Main validates with
// these before Core sees anything, whichever transport the request came through.

import { z } from 'zod'
import type { RequestArg, RequestName } from '../../shared/api'
import { NETWORK_IDS } from '../../shared/model'

export const LIMITS = {
  id: 128,
  text: 64 * 1024,
  query: 512,
  url: 8 * 1024,
  field: 1024,
  fields: 8,
  pageSize: 500,
  /** Base64 of a 20 MB picture. */
  imageBase64: Math.ceil((20 * 1024 * 1024 * 4) / 3),
  /** The whole serialized argument. */
  requestBytes: 32 * 1024 * 1024
} as const

const id = z.string().min(1).max(LIMITS.id)
const voidArg = z.union([z.undefined(), z.null()]).transform(() => undefined)
const network = z.enum(NETWORK_IDS)
const limit = z.number().int().min(1).max(LIMITS.pageSize)

const draft = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), text: z.string().min(1).max(LIMITS.text) }),
  z.strictObject({ kind: z.literal('emote'), text: z.string().min(1).max(LIMITS.text) }),
  z.strictObject({
    kind: z.literal('image'),
    mime: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
    dataBase64: z.string().min(1).max(LIMITS.imageBase64).regex(/^[A-Za-z0-9+/]*={0,2}$/),
    caption: z.string().max(LIMITS.text).optional()
  })
])

const filter = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('unread') }),
  z.strictObject({ kind: z.literal('archived') }),
  z.strictObject({ kind: z.literal('account'), accountId: id })
])

const fields = z
  .record(z.string().max(64), z.string().max(LIMITS.field))
  .refine((f) => Object.keys(f).length <= LIMITS.fields, { message: 'too many fields' })

type Schemas = { [K in RequestName]: z.ZodType<RequestArg<K>, unknown> }

export const REQUEST_SCHEMAS = {
  getAppInfo: voidArg,
  listNetworks: voidArg,
  listAccounts: voidArg,
  startLogin: z.strictObject({ network, methodId: id, fields: fields.optional(), accountId: id.optional() }),
  completeBrowserLogin: z.strictObject({ loginId: id, redirectUrl: z.string().min(1).max(LIMITS.url) }),
  cancelLogin: z.strictObject({ loginId: id }),
  removeAccount: z.strictObject({ accountId: id }),
  listInbox: z.strictObject({ filter, limit, after: z.string().max(64).nullable().optional() }),
  getChat: z.strictObject({ chatId: id }),
  listContacts: z.strictObject({ accountId: id }),
  listMessages: z.strictObject({ chatId: id, before: id.nullable().optional(), limit }),
  sendMessage: z.strictObject({ chatId: id, clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), draft }),
  retryMessage: z.strictObject({ messageId: id }),
  markChatRead: z.strictObject({ chatId: id }),
  setTyping: z.strictObject({ chatId: id, typing: z.boolean() }),
  updateChat: z.strictObject({
    chatId: id,
    pinned: z.boolean().optional(),
    muted: z.boolean().optional(),
    archived: z.boolean().optional(),
    draft: z.string().max(LIMITS.text).optional()
  }),
  search: z.strictObject({ query: z.string().max(LIMITS.query), limit, accountId: id.optional(), chatId: id.optional() }),
  getMedia: z.strictObject({ messageId: id }),
  openExternal: z.strictObject({
    url: z
      .string()
      .max(LIMITS.url)
      .refine((u) => isWebUrl(u), { message: 'only http and https links open' })
  })
} satisfies Schemas

/** Only http(s) URLs may leave the app for the person's browser. */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}
