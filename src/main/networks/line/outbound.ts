// Sending (spec §5, §8.7, §10): sendMessage keyed by a reqSeq derived from the client id (a
// retry is the same request), sealed when the chat allows it and plain when it does not,
// with the server's corrections (82/98/83/84/86/99) retried as the extension does; pictures
// uploaded to OBS; and our read receipts.

import { randomBytes } from 'node:crypto'
import { JunctionError } from '../../../shared/errors'
import type { FileDraft, OutgoingDraft } from '../../../shared/model'
import type { IncomingMessage, SendOptions, SendResult } from '../connector'
import { encryptMedia } from './crypto'
import { isTalkError, TALK } from './errors'
import { CONTENT, outgoingMessage, reqSeqOf } from './messages'
import { reactionTypeOf } from './reactions'
import type { Sealed } from './sealing'
import type { LineAccount } from './account'
import type { Message } from './wire'
import type { LegacyClient } from './legacy-transport'

/** spec §8.7: the extension allows 3 transparent retries. */
const MAX_CORRECTIONS = 3

export interface Transport {
  sendMessage(reqSeq: number, message: Record<string, unknown>): Promise<Message>
}

/** The gateway's sendMessage, or the legacy /S3 or /S4 one (spec §9). */
export function sendTransport(s: LineAccount, legacy: LegacyClient): Transport {
  return s.config.transport === 'legacy' ? legacy : s.talk
}

async function sendSealedOrPlain(
  s: LineAccount,
  transport: Transport,
  chat: string,
  reqSeq: number,
  contentType: number,
  payload: object,
  build: (sealed: Sealed | null) => Record<string, unknown>
): Promise<{ sent: Message; sealed: boolean }> {
  let force = false
  for (let attempt = 0; ; attempt++) {
    const sealed = await s.sealing.seal(chat, contentType, payload, force)
    if (force && !sealed) throw new JunctionError('rejected', 'LINE wants this chat sealed, but Junction has no keys for it.', { detail: 'TalkException 82' })
    try {
      return { sent: await transport.sendMessage(reqSeq, build(sealed)), sealed: sealed !== null }
    } catch (error) {
      if (attempt >= MAX_CORRECTIONS) throw error
      if (isTalkError(error, TALK.E2EE_RETRY_ENCRYPT)) {
        // "can not send using plain mode": negotiate again and seal.
        s.sealing.forget(chat)
        force = true
      } else if (isTalkError(error, TALK.E2EE_RETRY_PLAIN)) {
        s.sealing.preferPlain(chat)
        force = false
      } else if (isTalkError(error, TALK.E2EE_UPDATE_SENDER_KEY, TALK.E2EE_UPDATE_RECEIVER_KEY, TALK.E2EE_INVALID_VERSION, TALK.E2EE_RECREATE_GROUP_KEY)) {
        s.sealing.forget(chat)
      } else throw error
    }
  }
}

function remember(
  s: LineAccount,
  chat: string,
  sent: Message,
  fields: {
    kind: IncomingMessage['kind']
    text: string
    sealed: boolean
    contentType: number
    metadata: Record<string, string>
    payload: Record<string, unknown> | null
    media?: IncomingMessage['media']
  }
): SendResult {
  const id = sent.id
  if (!id) throw new JunctionError('protocol', 'LINE accepted the message without an id.')
  const timestamp = Number(sent.createdTime ?? 0) || Date.now()
  const incoming: IncomingMessage = {
    chatRemoteId: chat,
    remoteId: id,
    senderId: s.selfMid,
    fromMe: true,
    timestamp,
    kind: fields.kind,
    text: fields.text,
    status: 'sent'
  }
  if (fields.sealed) incoming.e2ee = true
  if (fields.media) incoming.media = fields.media
  s.cache.remember({ incoming, contentType: fields.contentType, metadata: fields.metadata, payload: fields.payload })
  return { remoteId: id, timestamp, status: 'sent', ...(fields.sealed ? { e2ee: true } : {}) }
}

/** spec §10.1, §10.3: a document through OBS, as contentType 14. */
export async function sendFile(
  s: LineAccount,
  transport: Transport,
  chat: string,
  clientId: string,
  draft: FileDraft,
  options: SendOptions = {}
): Promise<SendResult> {
  return sendMedia(s, transport, chat, clientId, filePlan(draft), draft.replyTo?.remoteId, options.onProgress)
}

export async function sendDraft(
  s: LineAccount,
  transport: Transport,
  chat: string,
  clientId: string,
  draft: OutgoingDraft,
  options: SendOptions = {}
): Promise<SendResult> {
  const replyTo = draft.replyTo?.remoteId
  if (draft.kind === 'image') {
    const result = await sendMedia(s, transport, chat, clientId, imagePlan(draft), replyTo, options.onProgress)
    if (draft.caption) await sendText(s, transport, chat, clientId, draft.caption, 'caption')
    return result
  }
  // LINE has no emotes; one arrives as text.
  return sendText(s, transport, chat, clientId, draft.kind === 'emote' ? `* ${draft.text}` : draft.text, '', replyTo)
}

async function sendText(
  s: LineAccount,
  transport: Transport,
  chat: string,
  clientId: string,
  text: string,
  part: string,
  replyTo?: string
): Promise<SendResult> {
  const reqSeq = reqSeqOf(clientId, part)
  // Only the draft's main message answers to its client id; a caption is a message of its own.
  if (part === '') s.cache.noteSend(reqSeq, clientId)
  const { sent, sealed } = await sendSealedOrPlain(s, transport, chat, reqSeq, CONTENT.TEXT, { text }, (seal) =>
    outgoingMessage({
      selfMid: s.selfMid,
      to: chat,
      reqSeq,
      nowMs: Date.now(),
      contentType: CONTENT.TEXT,
      ...(seal ? { chunks: seal.chunks } : { text }),
      contentMetadata: seal?.contentMetadata ?? {},
      hasContent: false,
      ...(replyTo ? { replyTo } : {})
    })
  )
  return remember(s, chat, sent, { kind: 'text', text, sealed, contentType: CONTENT.TEXT, metadata: {}, payload: null })
}

/** What differs between a picture and a file on the wire (spec §10.1, §10.3: files are contentType 14, sid `emf`). */
interface MediaPlan {
  kind: 'image' | 'file'
  contentType: number
  bytes: Uint8Array
  fileName: string
  /** The sealed flow's OBS service id. */
  sid: 'emi' | 'emf'
  /** Metadata of the plain flow beyond FILE_SIZE and FILE_NAME. */
  plainExtra: Record<string, string>
  /** Metadata of the sealed flow beyond OID/SID/FILE_SIZE. */
  sealedExtra: Record<string, string>
  media: NonNullable<IncomingMessage['media']>
}

function imagePlan(draft: Extract<OutgoingDraft, { kind: 'image' }>): MediaPlan {
  const bytes = new Uint8Array(Buffer.from(draft.dataBase64, 'base64'))
  const extension = draft.mime.split('/')[1]?.replace('jpeg', 'jpg') ?? 'jpg'
  const contentInfo = JSON.stringify({ category: 'original', fileSize: bytes.length, extension })
  return {
    kind: 'image',
    contentType: CONTENT.IMAGE,
    bytes,
    fileName: `image.${extension}`,
    sid: 'emi',
    plainExtra: { contentType: String(CONTENT.IMAGE), MEDIA_CONTENT_INFO: contentInfo },
    sealedExtra: { MEDIA_CONTENT_INFO: contentInfo },
    media: { mime: draft.mime, size: bytes.length }
  }
}

/** spec §10.3: "Files: contentType 14 with metadata {FILE_NAME, FILE_SIZE}" and OBS type `file`. */
function filePlan(draft: FileDraft): MediaPlan {
  const bytes = new Uint8Array(Buffer.from(draft.dataBase64, 'base64'))
  return {
    kind: 'file',
    contentType: CONTENT.FILE,
    bytes,
    fileName: draft.name,
    sid: 'emf',
    plainExtra: {},
    sealedExtra: {},
    media: { mime: draft.mime, size: bytes.length, name: draft.name }
  }
}

/** spec §10.1: sealed media upload first and send after; plain media send first and upload after. */
async function sendMedia(
  s: LineAccount,
  transport: Transport,
  chat: string,
  clientId: string,
  plan: MediaPlan,
  replyTo: string | undefined,
  onProgress: SendOptions['onProgress']
): Promise<SendResult> {
  const { bytes, fileName, contentType } = plan
  const reqSeq = reqSeqOf(clientId)
  s.cache.noteSend(reqSeq, clientId)
  const sizeMeta: Record<string, string> = plan.kind === 'file' ? { FILE_NAME: fileName } : {}

  if (s.sealing.enabled && (await s.talk.determineMediaMessageFlow(chat))[String(contentType)] === 2) {
    for (let attempt = 0; attempt <= 1; attempt++) {
      const keyMaterial = Buffer.from(randomBytes(32)).toString('base64')
      const sealed = await s.sealing.seal(chat, contentType, { keyMaterial, fileName })
      if (!sealed) break
      const blob = encryptMedia(Buffer.from(keyMaterial, 'base64'), bytes)
      const oid = await s.obs.uploadSealed(plan.sid, blob, onProgress)
      const metadata = { ...sealed.contentMetadata, OID: oid, SID: plan.sid, FILE_SIZE: String(blob.length), ...sizeMeta, ...plan.sealedExtra }
      const message = outgoingMessage({
        selfMid: s.selfMid,
        to: chat,
        reqSeq,
        nowMs: Date.now(),
        contentType,
        chunks: sealed.chunks,
        contentMetadata: metadata,
        hasContent: true,
        ...(replyTo ? { replyTo } : {})
      })
      try {
        const sent = await transport.sendMessage(reqSeq, message)
        return remember(s, chat, sent, {
          kind: plan.kind,
          text: '',
          sealed: true,
          contentType,
          metadata,
          payload: { keyMaterial, fileName },
          media: plan.media
        })
      } catch (error) {
        // spec §8.7 corrections: 98 → plain; stale keys → fetch them again and seal once more.
        if (isTalkError(error, TALK.E2EE_RETRY_PLAIN)) {
          s.sealing.preferPlain(chat)
          break
        }
        if (
          attempt > 0 ||
          !isTalkError(error, TALK.E2EE_UPDATE_SENDER_KEY, TALK.E2EE_UPDATE_RECEIVER_KEY, TALK.E2EE_INVALID_VERSION, TALK.E2EE_RECREATE_GROUP_KEY)
        )
          throw error
        s.sealing.forget(chat)
      }
    }
  }
  const metadata = { FILE_SIZE: String(bytes.length), FILE_NAME: fileName, ...plan.plainExtra }
  const message = outgoingMessage({
    selfMid: s.selfMid,
    to: chat,
    reqSeq,
    nowMs: Date.now(),
    contentType,
    contentMetadata: metadata,
    hasContent: true,
    ...(replyTo ? { replyTo } : {})
  })
  // The echo may come while the bytes are still on their way: it must not say sent before they are there.
  s.cache.noteUploading(clientId, true)
  try {
    const sent = await transport.sendMessage(reqSeq, message)
    if (!sent.id) throw new JunctionError('protocol', 'LINE accepted the attachment without an id.')
    await s.obs.uploadPlain(sent.id, bytes, plan.kind, onProgress)
    return remember(s, chat, sent, { kind: plan.kind, text: '', sealed: false, contentType, metadata, payload: null, media: plan.media })
  } finally {
    s.cache.noteUploading(clientId, false)
  }
}

/** spec §5 sendChatChecked: our read receipt, up to the newest message read. */
export async function markRead(s: LineAccount, chat: string, upTo: string | null): Promise<void> {
  if (!upTo) return
  await s.talk.sendChatChecked(reqSeqOf(`read:${chat}`, upTo), chat, upTo)
}

/** spec §5 react / cancelReaction: one of the six predefined reactions, or null to take ours back. */
export async function react(s: LineAccount, messageId: string, emoji: string | null): Promise<void> {
  if (!/^\d{1,20}$/.test(messageId)) throw new JunctionError('invalid-argument', 'LINE message ids are numbers.')
  if (emoji === null) return s.talk.cancelReaction(reqSeqOf(`unreact:${messageId}`, String(Date.now())), messageId)
  const type = reactionTypeOf(emoji)
  if (type === undefined) throw new JunctionError('invalid-argument', 'LINE takes only its six reactions.')
  await s.talk.react(reqSeqOf(`react:${messageId}`, `${type}:${Date.now()}`), messageId, type)
}

/** spec §5 unsendMessage: LINE refuses after 24 h (71) and for someone else's message (28). */
export async function unsend(s: LineAccount, messageId: string): Promise<void> {
  if (!/^\d{1,20}$/.test(messageId)) throw new JunctionError('invalid-argument', 'LINE message ids are numbers.')
  await s.talk.unsendMessage(reqSeqOf(`unsend:${messageId}`), messageId)
}
