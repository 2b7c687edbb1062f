// Wire messages ↔ the shared model (spec §6.1, §6.2, §10.4): which chat a message belongs
// to, its kind (text, image, sticker, chat events), sealed payloads opened, and the
// outgoing Message in the exact shape of capture 002.

import { createHash } from 'node:crypto'
import type { IncomingMessage } from '../connector'
import { mayGoDifferently } from './errors'
import { reactionsOf } from './reactions'
import { toTypeOf, type LetterSealing } from './sealing'
import type { Message } from './wire'

/** spec §6.1 field 22 MessageRelationType: a quoted reply is REPLY (FORWARD, AUTO_REPLY, SUBORDINATE are not quotes). */
export const RELATION_REPLY = 3
/** spec §6.1 field 24: 1 TALK for replies within talk chats. */
export const SERVICE_TALK = 1

/** spec §6.2 ContentType. */
export const CONTENT = { TEXT: 0, IMAGE: 1, VIDEO: 2, AUDIO: 3, CALL: 6, STICKER: 7, CONTACT: 13, FILE: 14, LOCATION: 15, CHATEVENT: 18 } as const

/**
 * reqSeq from the client id: a positive i32 (spec §3), the same for every retry of a draft, so
 * the server's echo (type 25 with reqSeq) and a repeated send are both recognisable.
 */
export function reqSeqOf(clientId: string, part = ''): number {
  const h = createHash('sha256').update(`${clientId}\u0000${part}`).digest()
  return h.readUInt32BE(0) & 0x7fffffff || 1
}

/** spec §6.1: on a 1:1 message `to` is the recipient, so the chat is the other party. */
export function chatOf(m: Message, selfMid: string): string {
  const to = m.to ?? ''
  if (toTypeOf(to) !== 0 && to !== '') return to
  return m.from === selfMid ? to : (m.from ?? to)
}

/** The outgoing Message, keys in the order of capture 002 step 6. */
export function outgoingMessage(input: {
  selfMid: string
  to: string
  reqSeq: number
  nowMs: number
  contentType: number
  text?: string
  contentMetadata: Record<string, string>
  chunks?: string[]
  hasContent: boolean
  /** The message this one replies to (spec §6.1 fields 21, 22, 24). */
  replyTo?: string
}): Record<string, unknown> {
  const m: Record<string, unknown> = {
    from: input.selfMid,
    to: input.to,
    toType: toTypeOf(input.to),
    id: `local-${input.reqSeq}`,
    // capture 002: the extension sends whole seconds, as a string.
    createdTime: String(Math.floor(input.nowMs / 1000) * 1000),
    sessionId: 0
  }
  if (input.text !== undefined) m.text = input.text
  m.contentType = input.contentType
  m.contentMetadata = input.contentMetadata
  if (input.chunks) m.chunks = input.chunks
  m.hasContent = input.hasContent
  if (input.replyTo) {
    m.relatedMessageId = input.replyTo
    m.messageRelationType = RELATION_REPLY
    m.relatedMessageServiceCode = SERVICE_TALK
  }
  return m
}

function placeholder(m: Message, payload: Record<string, unknown> | null): { kind: IncomingMessage['kind']; text: string } {
  const meta = m.contentMetadata ?? {}
  switch (m.contentType) {
    case CONTENT.VIDEO:
      return { kind: 'text', text: '🎬 Video' }
    case CONTENT.AUDIO:
      return { kind: 'text', text: '🎤 Voice message' }
    case CONTENT.FILE:
      return { kind: 'text', text: `📎 ${String(payload?.fileName ?? meta.FILE_NAME ?? 'File')}` }
    case CONTENT.LOCATION: {
      const loc = (payload?.location ?? m.location) as { title?: string; address?: string } | undefined
      return { kind: 'text', text: `📍 ${loc?.title ?? loc?.address ?? 'Location'}` }
    }
    case CONTENT.CONTACT:
      return { kind: 'text', text: `👤 ${meta.displayName ?? 'Contact'}` }
    case CONTENT.CALL:
      return { kind: 'system', text: 'Call' }
    case CONTENT.CHATEVENT:
      return { kind: 'system', text: meta.LOC_KEY === 'C_PN' ? 'The group was renamed' : 'Group update' }
    default:
      return { kind: 'text', text: 'This message type is not shown in Junction yet.' }
  }
}

export interface MapOptions {
  selfMid: string
  sealing: LetterSealing
  /** The client id of one of our own sends, by reqSeq (spec §3: the echo carries it). */
  clientIdFor?: (reqSeq: number) => string | undefined
  /** A send whose attachment is still uploading: its echo keeps it pending. */
  isUploading?: (clientId: string) => boolean
  reqSeq?: number
  senderName?: (mid: string) => string | undefined
  onOpenFailed?: (error: unknown, m: Message) => void
}

export interface Mapped {
  incoming: IncomingMessage
  /** The decrypted payload of a sealed message (media key material lives here). */
  payload: Record<string, unknown> | null
}

/**
 * Maps a wire message. A sealed message that cannot be opened (integrity, a key LINE does not
 * have) still arrives, marked sealed, with words saying so; a key that cannot be fetched just
 * now (network) throws, so the operation is retried rather than lost.
 */
export async function toIncoming(m: Message, o: MapOptions): Promise<Mapped> {
  const fromMe = m.from === o.selfMid
  const sealed = (m.chunks?.length ?? 0) > 0
  let payload: Record<string, unknown> | null = null
  let unreadable = false
  if (sealed) {
    try {
      payload = await o.sealing.open(m)
    } catch (error) {
      // A key LINE no longer has (TalkException 5, the sender has since replaced it) is as
      // final as a MAC that fails: this device cannot read it, and asking again changes nothing.
      if (mayGoDifferently(error)) throw error
      o.onOpenFailed?.(error, m)
      unreadable = true
    }
  }
  const incoming: IncomingMessage = {
    chatRemoteId: chatOf(m, o.selfMid),
    remoteId: m.id ?? '',
    senderId: m.from ?? '',
    fromMe,
    timestamp: Number(m.createdTime ?? m.deliveredTime ?? 0) || Date.now(),
    kind: 'text',
    text: ''
  }
  const name = fromMe ? undefined : o.senderName?.(incoming.senderId)
  if (name) incoming.senderName = name
  if (sealed) incoming.e2ee = true
  if (fromMe) incoming.status = 'sent'
  if (m.relatedMessageId && m.messageRelationType === RELATION_REPLY) incoming.replyTo = { remoteId: m.relatedMessageId }
  const reactions = reactionsOf(m, o.selfMid)
  if (reactions) incoming.reactions = reactions
  if (fromMe && o.reqSeq !== undefined && o.reqSeq > 0) {
    const clientId = o.clientIdFor?.(o.reqSeq)
    if (clientId) incoming.clientId = clientId
    // spec §10.1: a plain attachment's message goes first and its bytes after; sent means both.
    if (clientId && o.isUploading?.(clientId)) incoming.status = 'pending'
  }
  if (unreadable) {
    incoming.text = '🔒 This sealed message could not be opened on this device.'
    return { incoming, payload: null }
  }
  const contentType = m.contentType ?? CONTENT.TEXT
  if (contentType === CONTENT.TEXT) {
    incoming.text = typeof payload?.text === 'string' ? payload.text : (m.text ?? '')
    return { incoming, payload }
  }
  // Metadata with the sealed payload's strings over it; only the kinds below read it.
  const meta = { ...(m.contentMetadata ?? {}), ...stringValues(payload) }
  if (contentType === CONTENT.STICKER) {
    incoming.kind = 'sticker'
    incoming.text = meta.STKTXT && meta.STKTXT !== '[null]' ? meta.STKTXT : ''
    incoming.media = { mime: 'image/png', stickerId: `${meta.STKPKGID ?? '0'}/${meta.STKID ?? '0'}` }
  } else if (contentType === CONTENT.IMAGE) {
    incoming.kind = 'image'
    incoming.text = ''
    const size = Number(meta.FILE_SIZE)
    incoming.media = { mime: 'image/jpeg', ...(Number.isFinite(size) && size > 0 ? { size } : {}) }
  } else if (contentType === CONTENT.FILE) {
    // spec §10.3: FILE_NAME and FILE_SIZE in the metadata (a sealed file's name is in its payload, §10.1 step 3;
    // its FILE_SIZE is the encrypted size, 32 bytes of HMAC more than the file). The bytes come on demand (fetchMedia).
    incoming.kind = 'file'
    incoming.text = ''
    const rawSize = Number(meta.FILE_SIZE)
    const size = sealed && Number.isFinite(rawSize) ? rawSize - 32 : rawSize
    const name = fileDisplayName(typeof payload?.fileName === 'string' ? payload.fileName : meta.FILE_NAME)
    incoming.media = { mime: mimeOfName(name), name, ...(Number.isFinite(size) && size > 0 ? { size } : {}) }
  } else {
    Object.assign(incoming, placeholder(m, payload))
  }
  return { incoming, payload }
}

/** A file name for display: the last path segment, control characters dropped, at most 255 characters. */
export function fileDisplayName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? ''
  const clean = [...base]
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('')
    .trim()
    .slice(0, 255)
  return clean === '' || clean === '.' || clean === '..' ? 'File' : clean
}

const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4'
}

/** LINE's file messages carry no type (spec §10.3); the extension is the best hint, octet-stream otherwise. */
export function mimeOfName(name: string): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase()
  return (ext && MIME_BY_EXTENSION[ext]) || 'application/octet-stream'
}

function stringValues(payload: Record<string, unknown> | null): Record<string, string> {
  if (!payload) return {}
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(payload)) if (typeof v === 'string') out[k] = v
  return out
}
