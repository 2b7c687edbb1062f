// Group events pushed as JSON (spec §6.5 `["Chat",{"id":GID,"cmd":"action","data":[KIND,ACTOR,OBJ]}]`):
// KIND `promote` / `demote` with `OBJ.participants`, `desc_add` with the new description's fields.
// The push carries no message of the phone's, so the line the group shows is made here, under an
// id of its own that no phone knows: it never becomes a cursor, a read receipt's index or a
// history anchor (protocol.ts steers around it). The group is then asked for again
// (group-metadata.ts), so its members stay what the server says.

import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { IncomingMessage } from '../../connector'
import { displayNumber, isGroupJid, normalizeJid } from './jid'
import { groupActionSchema } from './wire-schemas'

export type GroupActionKind = 'promote' | 'demote' | 'description'

export interface GroupAction {
  chat: string
  kind: GroupActionKind
  /** Who did it (spec §6.5 ACTOR), when the push names them. */
  actor?: string
  /** Whom it was done to (promote/demote); empty for a description. */
  participants: string[]
}

/** WhatsApp's own cap was 257 participants (spec §6.6 Props `maxParticipants`); a longer list is not one group's. */
const MAX_PARTICIPANTS = 1024
const jid = z.string().min(1).max(128)
const participantsObject = z.looseObject({ participants: z.array(jid).min(1).max(MAX_PARTICIPANTS) })

const KINDS: ReadonlyMap<string, GroupActionKind> = new Map([
  ['promote', 'promote'],
  ['demote', 'demote'],
  ['desc_add', 'description']
])

/** The `Chat` push's body as a group action; null for other kinds, other chats or a malformed body. */
export function parseGroupAction(body: unknown): GroupAction | null {
  const parsed = groupActionSchema.safeParse(body)
  if (!parsed.success || !isGroupJid(parsed.data.id)) return null
  const [rawKind, rawActor, object] = parsed.data.data
  const kind = typeof rawKind === 'string' ? KINDS.get(rawKind) : undefined
  if (!kind) return null
  const action: GroupAction = { chat: parsed.data.id, kind, participants: [] }
  const actor = jid.safeParse(rawActor)
  if (actor.success) action.actor = normalizeJid(actor.data)
  if (kind === 'description') return action
  const who = participantsObject.safeParse(object)
  if (!who.success) return null
  action.participants = who.data.participants.map(normalizeJid)
  return action
}

/** Ids of the lines made here; a phone's ids are hex (spec §6.2), so these never collide with one. */
const LINE_PREFIX = 'group-action-'

export function isGroupActionLine(messageId: string): boolean {
  return messageId.startsWith(LINE_PREFIX)
}

export interface Naming {
  selfJid: string
  nameOf(jid: string): string | undefined
}

/** Issue 12 §3, as the stub lines (messages.ts): a person by their contact name, else their number; the account is "you". */
function nameFor(n: Naming, who: string): string {
  return who === n.selfJid ? 'you' : (n.nameOf(who) ?? displayNumber(who))
}

/** A line that starts with the account itself reads "You …"; a contact's name is left as it is written. */
const capitalised = (text: string): string => (text.startsWith('you ') ? `Y${text.slice(1)}` : text)

function lineText(action: GroupAction, n: Naming): string {
  const actor = action.actor ? nameFor(n, action.actor) : undefined
  const names = action.participants.map((p) => nameFor(n, p)).join(', ')
  const one = action.participants.length === 1
  switch (action.kind) {
    case 'promote': {
      const role = one ? 'an admin' : 'admins'
      if (actor) return capitalised(`${actor} made ${names} ${role}`)
      return capitalised(`${names} ${one && names !== 'you' ? 'is' : 'are'} now ${role}`)
    }
    case 'demote':
      return capitalised(`${names} ${one && names !== 'you' ? 'is' : 'are'} no longer ${one ? 'an admin' : 'admins'}`)
    case 'description':
      return actor ? capitalised(`${actor} changed the group description`) : 'Group description changed'
  }
}

/** The system line the group shows for the action. */
export function groupActionLine(action: GroupAction, n: Naming, nowMs: number): IncomingMessage {
  const sender = action.actor ?? action.chat
  return {
    chatRemoteId: action.chat,
    remoteId: `${LINE_PREFIX}${randomBytes(10).toString('hex')}`,
    senderId: sender,
    fromMe: sender === n.selfJid,
    timestamp: nowMs,
    kind: 'system',
    text: lineText(action, n)
  }
}
