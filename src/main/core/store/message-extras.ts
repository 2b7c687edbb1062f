// The message-action columns of migration 0008 and their mapping to the shared model:
// quoted replies, reactions and errors as codes. Pure functions; the repository
// (messages.ts) reads and writes the columns.

import { ERROR_CODES, REASON_CODES, type ErrorCode, type Reason } from '../../../shared/errors'
import { MESSAGE_KINDS, type MessageError, type MessageKind, type MessageQuote, type MessageReaction } from '../../../shared/model'
import type { IncomingMessage, IncomingReaction } from '../../networks/connector'

/** One person's reaction as stored: sender, emoji, own (1/0), when. */
export interface StoredReaction {
  s: string
  e: string
  m: 0 | 1
  t: number
}

/** What `reply_to` holds: what the wire carried of the quoted message. */
export interface StoredReply {
  remoteId: string
  senderId?: string
  text?: string
}

/** The longest quoted text kept with a message or shown in a quote (the original has the rest). */
export const QUOTE_TEXT_MAX = 300

/**
 * The quoted message itself, read with every message row (COLUMNS in messages.ts) through the
 * unique (chat_id, remote_id) index; NULL for the many messages that quote nothing.
 */
export const QUOTED_COLUMN = `CASE WHEN messages.reply_to IS NULL THEN NULL ELSE (
  SELECT json_object('id', q.id, 'senderId', q.sender_id, 'senderName', q.sender_name, 'fromMe', q.from_me, 'kind', q.kind,
    'text', substr(q.text, 1, ${QUOTE_TEXT_MAX}), 'deleted', q.deleted)
  FROM messages q WHERE q.chat_id = messages.chat_id AND q.remote_id = json_extract(messages.reply_to, '$.remoteId')) END AS quoted`

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES)
const KNOWN_REASONS: ReadonlySet<string> = new Set(REASON_CODES)
const KNOWN_KINDS: ReadonlySet<string> = new Set(MESSAGE_KINDS)

function record(json: string | null): Record<string, unknown> | null {
  if (json === null) return null
  try {
    const value: unknown = JSON.parse(json)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

export function serializeMessageError(error: MessageError): string {
  return JSON.stringify(error.reason ? { code: error.code, reason: error.reason } : { code: error.code })
}

/** The stored error as a code; anything unreadable (a row from before 0008) is `internal`. */
export function parseMessageError(json: string | null): MessageError | null {
  if (json === null) return null
  const value = record(json)
  const code = typeof value?.code === 'string' && KNOWN_CODES.has(value.code) ? (value.code as ErrorCode) : 'internal'
  const reason = value?.reason as Reason | undefined
  if (reason && typeof reason === 'object' && typeof reason.code === 'string' && KNOWN_REASONS.has(reason.code)) {
    const params = reason.params && typeof reason.params === 'object' ? reason.params : undefined
    return { code, reason: params ? { code: reason.code, params } : { code: reason.code } }
  }
  return { code }
}

export function serializeReply(reply: IncomingMessage['replyTo']): string | null {
  if (!reply || reply.remoteId === '') return null
  const stored: StoredReply = { remoteId: reply.remoteId }
  if (reply.senderId) stored.senderId = reply.senderId
  if (reply.text) stored.text = reply.text.slice(0, QUOTE_TEXT_MAX)
  return JSON.stringify(stored)
}

/** The quote a bubble shows: the stored original where there is one, else what the wire carried. */
export function parseQuote(replyTo: string | null, quoted: string | null): MessageQuote | null {
  const reply = record(replyTo)
  if (!reply || typeof reply.remoteId !== 'string') return null
  const q = record(quoted)
  if (q && typeof q.id === 'number') {
    const kind = typeof q.kind === 'string' && KNOWN_KINDS.has(q.kind) ? (q.kind as MessageKind) : 'text'
    const deleted = q.deleted === 1
    return {
      messageId: String(q.id),
      remoteId: reply.remoteId,
      senderId: typeof q.senderId === 'string' ? q.senderId : null,
      senderName: typeof q.senderName === 'string' ? q.senderName : null,
      fromMe: q.fromMe === 1,
      kind,
      text: deleted ? '' : typeof q.text === 'string' ? q.text : '',
      deleted
    }
  }
  return {
    messageId: null,
    remoteId: reply.remoteId,
    senderId: typeof reply.senderId === 'string' ? reply.senderId : null,
    senderName: null,
    fromMe: false,
    kind: 'text',
    text: typeof reply.text === 'string' ? reply.text : '',
    deleted: false
  }
}

function storedList(json: string | null): StoredReaction[] {
  if (json === null) return []
  try {
    const value: unknown = JSON.parse(json)
    if (!Array.isArray(value)) return []
    return value.filter(
      (r): r is StoredReaction =>
        typeof r === 'object' && r !== null && typeof (r as StoredReaction).s === 'string' && typeof (r as StoredReaction).e === 'string'
    )
  } catch {
    return []
  }
}

/** Reactions grouped by emoji, in the order each emoji was first given. */
export function parseReactions(json: string | null): MessageReaction[] {
  const byEmoji = new Map<string, MessageReaction>()
  for (const r of storedList(json)) {
    let group = byEmoji.get(r.e)
    if (!group) byEmoji.set(r.e, (group = { emoji: r.e, senderIds: [], own: false }))
    if (!group.senderIds.includes(r.s)) group.senderIds.push(r.s)
    if (r.m === 1) group.own = true
  }
  return [...byEmoji.values()]
}

function serializeList(list: readonly StoredReaction[]): string | null {
  return list.length === 0 ? null : JSON.stringify(list)
}

/** A whole set as the network sent it with the message (LINE `reactions`); null clears. */
export function serializeReactions(reactions: readonly IncomingReaction[]): string | null {
  const list: StoredReaction[] = []
  for (const r of reactions) {
    if (list.some((x) => x.s === r.senderId && x.e === r.emoji)) continue
    list.push({ s: r.senderId, e: r.emoji, m: r.fromMe ? 1 : 0, t: r.timestamp ?? 0 })
  }
  return serializeList(list)
}

/**
 * One person's reaction set or removed: one reaction per person (a new one replaces the old,
 * as on LINE and WhatsApp). Returns the new column value, or undefined when nothing changed
 * (a replayed event).
 */
export function withReaction(
  json: string | null,
  change: { senderId: string; fromMe: boolean; emoji: string | null; timestamp: number }
): string | null | undefined {
  const list = storedList(json)
  const mine = list.filter((r) => r.s === change.senderId)
  if (change.emoji === null ? mine.length === 0 : mine.length === 1 && mine[0]!.e === change.emoji) return undefined
  const rest = list.filter((r) => r.s !== change.senderId)
  if (change.emoji !== null) rest.push({ s: change.senderId, e: change.emoji, m: change.fromMe ? 1 : 0, t: change.timestamp })
  return serializeList(rest)
}
