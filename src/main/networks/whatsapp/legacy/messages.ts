// WebMessageInfo ⇄ Junction messages: what each message kind shows as (spec §7.2), who sent
// it, its status (spec §7.1), and for pictures and documents the fields needed to fetch them
// later; outgoing text, picture and document relays (spec §6.2, §7.4 step 4).

import { createHash } from 'node:crypto'
import { JunctionError, ProtocolError } from '../../../../shared/errors'
import type { DraftReply, MediaInfo, MessageStatus } from '../../../../shared/model'
import type { Logger } from '../../../base/log'
import type { IncomingMessage } from '../../connector'
import type { MediaType } from './crypto'
import { displayNumber, isGroupJid, normalizeJid, protoJid } from './jid'
import type { MessageIndex } from './message-index'
import { thumbnailOf } from '../thumbnail'
import { STATUS, decodeWebMessageInfo, encodeWebMessageInfo, type WAContextInfo, type WAMediaFields, type WAMessageContent, type WebMessageInfo } from './proto'

/** What fetchMedia needs to download and decrypt a picture (spec §7.3/§7.4). */
export interface MediaRef {
  type: MediaType
  url: string | null
  directPath: string | null
  mediaKey: Uint8Array
  mime: string
  fileSha256: Uint8Array | null
  fileEncSha256: Uint8Array | null
  fileLength: number | null
  owner: boolean
}

export interface DecodedMessage {
  message: IncomingMessage
  media: MediaRef | null
}

/**
 * WA Web style ids are "3EB0" + 16 uppercase hex (spec §6.2). Deriving them from the
 * client id makes a retried send reuse its id, so the server drops the duplicate.
 */
export function messageIdFor(clientId: string): string {
  return `3EB0${createHash('sha256').update(clientId).digest('hex').slice(0, 16).toUpperCase()}`
}

const STATUS_OF: Record<number, MessageStatus> = {
  [STATUS.ERROR]: 'failed',
  [STATUS.PENDING]: 'sent',
  [STATUS.SERVER_ACK]: 'sent',
  [STATUS.DELIVERY_ACK]: 'delivered',
  [STATUS.READ]: 'read',
  [STATUS.PLAYED]: 'read'
}

/** spec §7.1: the stub types a person should see, in words; others read as a generic notice. */
function stubText(type: number, params: string[], ctx: DecodeContext): string {
  // Issue 12 §3: a person is named by their contact name, else their number as people write it; the account is "you".
  const who = params
    .map((p) => {
      const jid = normalizeJid(p)
      return jid === ctx.selfJid ? 'you' : (ctx.nameOf?.(jid) ?? displayNumber(jid))
    })
    .join(', ')
  switch (type) {
    case 2:
      return 'Waiting for this message.'
    case 20:
      return `Group created${params[0] ? `: ${params[0]}` : ''}`
    case 21:
      return `Subject changed to “${params[0] ?? ''}”`
    case 22:
      return 'Group icon changed'
    case 24:
      return 'Group description changed'
    case 27:
      return `Added ${who}`
    case 28:
      return `Removed ${who}`
    case 29:
      return `${who} is now an admin`
    case 30:
      return `${who} is no longer an admin`
    case 32:
      return `${who} left`
    case 40:
    case 45:
      return 'Missed voice call'
    case 41:
    case 46:
      return 'Missed video call'
    default:
      return 'System message'
  }
}

function mediaRef(type: MediaType, m: WAMediaFields, owner: boolean, defaultMime: string): MediaRef | null {
  if (!m.mediaKey || m.mediaKey.length !== 32 || (!m.url && !m.directPath)) return null
  return {
    type,
    url: m.url ?? null,
    directPath: m.directPath ?? null,
    mediaKey: new Uint8Array(m.mediaKey),
    mime: m.mimetype || defaultMime,
    fileSha256: m.fileSha256 ? new Uint8Array(m.fileSha256) : null,
    fileEncSha256: m.fileEncSha256 ? new Uint8Array(m.fileEncSha256) : null,
    fileLength: m.fileLength ?? null,
    owner
  }
}

function mediaInfo(m: WAMediaFields, defaultMime: string): MediaInfo {
  const info: MediaInfo = { mime: m.mimetype || defaultMime }
  if (m.width) info.width = m.width
  if (m.height) info.height = m.height
  if (m.fileLength) info.size = m.fileLength
  // spec §7.2 field 16: the preview inside the message, drawn until the picture is downloaded.
  const thumbnail = info.mime.startsWith('image/') ? thumbnailOf(m.jpegThumbnail) : undefined
  if (thumbnail) info.thumbnail = thumbnail
  return info
}

const withCaption = (label: string, caption: string | undefined): string => (caption ? `${label} ${caption}` : label)

type Body = Pick<IncomingMessage, 'kind' | 'text' | 'media' | 'replyTo'> & { ref?: MediaRef | null; deletes?: { id: string; fromMe: boolean } }

/** spec §7.2 ContextInfo: a quoted reply names the quoted message's id, author and content. */
function replyOf(info: WAContextInfo | undefined): IncomingMessage['replyTo'] | undefined {
  if (!info?.stanzaId) return undefined
  const quoted = info.quotedMessage
  const text = quoted?.conversation ?? quoted?.extendedTextMessage?.text
  return { remoteId: info.stanzaId, ...(info.participant ? { senderId: normalizeJid(info.participant) } : {}), ...(text !== undefined ? { text } : {}) }
}

/** spec §7.2: one field set per message; wrappers (ephemeral, view once) are unwrapped. */
function bodyOf(content: WAMessageContent, fromMe: boolean, depth = 0): Body {
  if (content.ephemeralMessage?.message && depth < 3) return bodyOf(content.ephemeralMessage.message, fromMe, depth + 1)
  if (content.viewOnceMessage?.message && depth < 3) return bodyOf(content.viewOnceMessage.message, fromMe, depth + 1)
  if (typeof content.conversation === 'string') return { kind: 'text', text: content.conversation }
  if (content.extendedTextMessage) {
    const replyTo = replyOf(content.extendedTextMessage.contextInfo)
    return { kind: 'text', text: content.extendedTextMessage.text ?? '', ...(replyTo ? { replyTo } : {}) }
  }
  if (content.imageMessage) {
    const m = content.imageMessage
    return { kind: 'image', text: m.caption ?? '', media: mediaInfo(m, 'image/jpeg'), ref: mediaRef('image', m, fromMe, 'image/jpeg') }
  }
  if (content.stickerMessage) {
    const m = content.stickerMessage
    return { kind: 'sticker', text: '', media: mediaInfo(m, 'image/webp'), ref: mediaRef('sticker', m, fromMe, 'image/webp') }
  }
  if (content.videoMessage) return { kind: 'text', text: withCaption(content.videoMessage.gifPlayback ? '[GIF]' : '[Video]', content.videoMessage.caption) }
  if (content.audioMessage) return { kind: 'text', text: content.audioMessage.ptt ? '[Voice message]' : '[Audio]' }
  if (content.documentMessage) {
    // A document whose key and address are there is a file to download on demand; one without reads as a label.
    const m = content.documentMessage
    const name = m.fileName ?? m.title
    const ref = mediaRef('document', m, fromMe, 'application/octet-stream')
    if (!ref) return { kind: 'text', text: withCaption('[Document]', name) }
    const media: MediaInfo = { mime: ref.mime, name: name || 'document' }
    if (m.fileLength) media.size = m.fileLength
    return { kind: 'file', text: '', media, ref }
  }
  if (content.contactMessage) return { kind: 'text', text: withCaption('[Contact]', content.contactMessage.displayName) }
  if (content.contactsArrayMessage) return { kind: 'text', text: withCaption('[Contacts]', content.contactsArrayMessage.displayName) }
  if (content.locationMessage) {
    const l = content.locationMessage
    const place = l.name ?? l.address ?? (l.degreesLatitude !== undefined ? `${l.degreesLatitude}, ${l.degreesLongitude ?? 0}` : undefined)
    return { kind: 'text', text: withCaption('[Location]', place) }
  }
  if (content.liveLocationMessage) return { kind: 'text', text: withCaption('[Live location]', content.liveLocationMessage.caption) }
  if (content.groupInviteMessage) return { kind: 'text', text: withCaption('[Group invite]', content.groupInviteMessage.groupName) }
  if (content.call) return { kind: 'system', text: 'Call' }
  if (content.protocolMessage) {
    const p = content.protocolMessage
    // spec §6.2: delete-for-everyone is a relayed protocolMessage{key, type: REVOKE}.
    if ((p.type ?? 0) === 0 && p.key?.id) return { kind: 'text', text: '', deletes: { id: p.key.id, fromMe: p.key.fromMe === true } }
    return { kind: 'system', text: 'System message' }
  }
  return { kind: 'text', text: '[Unsupported message]' }
}

export const STATUS_BROADCAST = 'status@broadcast'

export interface DecodeContext {
  selfJid: string
  /** Client ids of messages sent from here, by message id, so echoes carry them back. */
  clientIdOf(messageId: string): string | undefined
  /** The contact name of a user JID, for system lines ("Added Bob Builder"). */
  nameOf?(jid: string): string | undefined
}

/** One WebMessageInfo as a Junction message; null for things that are not messages (e.g. a bare protocol notice). */
export function toIncoming(info: WebMessageInfo, ctx: DecodeContext): DecodedMessage | null {
  const key = info.key
  if (!key?.remoteJid || !key.id) throw new ProtocolError('A WhatsApp message has no key.')
  const chat = normalizeJid(key.remoteJid)
  // spec §8: `status@broadcast` carries stories, which WA Web keeps out of the chat list.
  if (chat === STATUS_BROADCAST) return null
  const fromMe = key.fromMe === true
  const participant = info.participant ?? key.participant
  const senderId = fromMe ? ctx.selfJid : isGroupJid(chat) && participant ? normalizeJid(participant) : chat
  const timestamp = (info.messageTimestamp ?? Math.floor(Date.now() / 1000)) * 1000
  const base = { chatRemoteId: chat, senderId, fromMe, timestamp }
  let body: Body
  let deleted = false
  if (info.message) body = bodyOf(info.message, fromMe)
  else if (info.messageStubType === 1) {
    body = { kind: 'text', text: '' }
    deleted = true
  } else if (info.messageStubType) body = { kind: 'system', text: stubText(info.messageStubType, info.messageStubParameters ?? [], ctx) }
  else body = { kind: 'text', text: '[Unsupported message]' }

  if (body.deletes) {
    // The revoke names its target; the upsert by remote id turns that message into "deleted".
    const target: IncomingMessage = { ...base, remoteId: body.deletes.id, fromMe: body.deletes.fromMe, kind: 'text', text: '', deleted: true }
    if (body.deletes.fromMe) target.senderId = ctx.selfJid
    return { message: target, media: null }
  }
  const message: IncomingMessage = { ...base, remoteId: key.id, kind: body.kind, text: body.text }
  if (deleted) message.deleted = true
  if (body.media) message.media = body.media
  if (body.replyTo) message.replyTo = body.replyTo
  if (info.pushName && !fromMe) message.senderName = info.pushName
  if (fromMe) {
    const status = info.status === undefined ? undefined : STATUS_OF[info.status]
    if (status) message.status = status
    const clientId = ctx.clientIdOf(key.id)
    if (clientId) message.clientId = clientId
  }
  return { message, media: body.ref ?? null }
}

export function decodeMessageBytes(bytes: Uint8Array, ctx: DecodeContext): DecodedMessage | null {
  return toIncoming(decodeWebMessageInfo(bytes), ctx)
}

/** Decodes a batch of WebMessageInfo bytes; one bad message is logged and skipped, never the batch. */
export function decodeBatch(
  batch: Uint8Array[],
  deps: { session: { selfJid: string }; index: Pick<MessageIndex, 'clientIdOf'>; log: Logger; directory?: { nameOf(jid: string): string | undefined } }
): DecodedMessage[] {
  const directory = deps.directory
  const ctx: DecodeContext = {
    selfJid: deps.session.selfJid,
    clientIdOf: (id: string) => deps.index.clientIdOf(id),
    ...(directory ? { nameOf: (jid: string) => directory.nameOf(jid) } : {})
  }
  const out: DecodedMessage[] = []
  for (const bytes of batch) {
    try {
      const decoded = decodeMessageBytes(bytes, ctx)
      if (decoded) out.push(decoded)
    } catch (error) {
      deps.log.warn({ code: error instanceof JunctionError ? error.code : 'internal' }, 'skipped a message that could not be decoded')
    }
  }
  return out
}

interface OutgoingEnvelope {
  chatJid: string
  selfJid: string
  id: string
  timestampSeconds: number
  replyTo?: DraftReply | undefined
}

/** spec §7.2 ContextInfo: a quote names the quoted message's id, author and text. */
function quoteOf(reply: DraftReply, selfJid: string): WAContextInfo {
  return { stanzaId: reply.remoteId, participant: protoJid(reply.fromMe ? selfJid : reply.senderId), quotedMessage: { conversation: reply.text } }
}

/** spec §6.2: an outgoing text relay's protobuf: fromMe, PENDING, seconds, `@s.whatsapp.net`. */
export function encodeOutgoingText(input: OutgoingEnvelope & { text: string }): Uint8Array {
  const reply = input.replyTo
  // spec §7.2: a quote is an extendedTextMessage whose contextInfo names the quoted message.
  const message: WAMessageContent = reply
    ? { extendedTextMessage: { text: input.text, contextInfo: quoteOf(reply, input.selfJid) } }
    : { conversation: input.text }
  return encodeOutgoing(input, message)
}

/** What an uploaded file's message carries (spec §7.2 ImageMessage/DocumentMessage, §7.4 step 4). */
export interface UploadedMedia {
  url: string
  directPath: string
  mimetype: string
  mediaKey: Uint8Array
  fileSha256: Uint8Array
  fileEncSha256: Uint8Array
  fileLength: number
  mediaKeyTimestamp: number
}

/** What the page drew of a picture before it went (OutgoingDraft): a small JPEG preview (base64) and the size. */
export interface ImagePreview {
  thumbnailBase64?: string | undefined
  width?: number | undefined
  height?: number | undefined
}

/**
 * spec §7.2 ImageMessage 6 height, 7 width, 16 jpegThumbnail (§7.4 step 4): what a phone shows
 * before it downloads the picture. Only a JPEG small enough to be a preview goes (thumbnail.ts),
 * and the size only as a pair of whole pixels.
 */
function previewFields(preview: ImagePreview | undefined): { jpegThumbnail?: Uint8Array; width?: number; height?: number } {
  const out: { jpegThumbnail?: Uint8Array; width?: number; height?: number } = {}
  const thumb = preview?.thumbnailBase64 ? new Uint8Array(Buffer.from(preview.thumbnailBase64, 'base64')) : undefined
  if (thumb && thumbnailOf(thumb)) out.jpegThumbnail = thumb
  const { width, height } = preview ?? {}
  const pixels = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n > 0 && n < 2 ** 31
  if (pixels(width) && pixels(height)) {
    out.width = width
    out.height = height
  }
  return out
}

/** spec §7.4 step 4: an `imageMessage` (with its caption and preview) or a `documentMessage` (with its name), quoting where asked. */
export function encodeOutgoingMedia(
  input: OutgoingEnvelope & { media: UploadedMedia } & (
      { kind: 'image'; caption?: string | undefined; preview?: ImagePreview | undefined } | { kind: 'document'; fileName: string }
    )
): Uint8Array {
  const contextInfo = input.replyTo ? { contextInfo: quoteOf(input.replyTo, input.selfJid) } : {}
  const message: WAMessageContent =
    input.kind === 'image'
      ? { imageMessage: { ...input.media, ...(input.caption ? { caption: input.caption } : {}), ...previewFields(input.preview), ...contextInfo } }
      : { documentMessage: { ...input.media, fileName: input.fileName, title: input.fileName, ...contextInfo } }
  return encodeOutgoing(input, message)
}

/** spec §6.2: delete-for-everyone relays a protocolMessage{key of the own message, type REVOKE (0)} under an id of its own. */
export function encodeRevoke(input: OutgoingEnvelope & { targetId: string }): Uint8Array {
  return encodeOutgoing(input, { protocolMessage: { key: { remoteJid: protoJid(input.chatJid), fromMe: true, id: input.targetId }, type: 0 } })
}

function encodeOutgoing(input: OutgoingEnvelope, message: WAMessageContent): Uint8Array {
  const info: WebMessageInfo = {
    key: { remoteJid: protoJid(input.chatJid), fromMe: true, id: input.id },
    message,
    messageTimestamp: input.timestampSeconds,
    status: STATUS.PENDING
  }
  if (isGroupJid(input.chatJid)) info.participant = protoJid(input.selfJid)
  return encodeWebMessageInfo(info)
}
