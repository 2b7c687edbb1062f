// History sync (spec §10): the phone sends our new device its recent chats as
// `protocolMessage{type HISTORY_SYNC_NOTIFICATION}` from its own device. The blob is zlib-
// deflated `HistorySync`; it comes inline (`initialHistBootstrapInlinePayload`) or as media at
// `directPath` (downloaded by history-download.ts). Each chunk becomes chat, contact and
// message events, committed like any decrypted message; media messages keep their reference
// (spec §8) in the same commit, exactly like live ones, so `fetchMedia` works on them.

import { inflateSync } from 'node:zlib'
import { ProtocolError } from '../../../../shared/errors'
import type { ChatInfo, ConnectorEvent, ContactInfo, IncomingMessage, KeyWrite } from '../../connector'
import { replyOf } from './actions'
import { parseJid, userJidOf } from './binary'
import { textOfMessage, unwrap } from './content'
import { LID_SERVER, lidPair, lidPairWrites, PN_SERVER, type LidLookup } from './lid'
import { encodeRef, MEDIA_NS, mediaBody, mediaKeyOf } from './media'
import { decodeProto, type HistoryConversation, type HistorySync, type HistorySyncNotification, type WebMessageInfo } from './proto'

/** spec §10.1: Message.ProtocolMessage.Type HISTORY_SYNC_NOTIFICATION. */
export const HISTORY_SYNC_NOTIFICATION = 5
/** A chunk inflates to at most this (spec §13.9: bounded allocations); real chunks are a few MB. */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024

/** spec §10.1: zlib (RFC 1950) inflate, bounded, then decode. */
export function decodeHistoryBlob(blob: Uint8Array): HistorySync {
  let plain: Buffer
  try {
    plain = inflateSync(blob, { maxOutputLength: MAX_INFLATED_BYTES })
  } catch (cause) {
    throw new ProtocolError('A WhatsApp history chunk could not be inflated.', { cause })
  }
  return decodeProto<HistorySync>('HistorySync', plain)
}

export interface HistoryChunk {
  events: ConnectorEvent[]
  /** 0…100 as the phone reports it. */
  progress: number
  /** Our own push name, when the chunk's `pushnames` carry it (spec §10.2). */
  ownPushName?: string
  /** The media references of the chunk's media messages, to commit with its events. */
  writes: KeyWrite[]
}

/** The events of one chunk, or null when its blob is not inline (history-download.ts fetches it). */
export function historyChunk(notification: HistorySyncNotification, ownJid: string, nowMs: number, lids?: LidLookup): HistoryChunk | null {
  const inline = notification.initialHistBootstrapInlinePayload
  if (!inline?.length) return null
  return historyOf(decodeHistoryBlob(inline), notification.progress, ownJid, nowMs, lids)
}

/**
 * spec §6.9, §10.2: the chunk's own PN↔LID pairs (`phoneNumberToLidMappings`, each conversation's
 * `pnJid`/`lidJid`) are stored with it, and every JID it names is read as the user's phone-number
 * JID where a pair (the chunk's or one learnt before) says — so a LID chat or author lands in the
 * contact's one chat, as live messages do.
 */
function phoneNumbers(sync: HistorySync, writes: KeyWrite[], lids: LidLookup | undefined): (jid: string) => string {
  const local = new Map<string, string>()
  const pairs = [
    ...(sync.phoneNumberToLidMappings ?? []).map((m) => lidPair(m.pnJid, m.lidJid)),
    ...(sync.conversations ?? []).map((c) => lidPair(c.pnJid ?? c.id, c.lidJid ?? c.id))
  ]
  for (const pair of pairs)
    if (pair && local.get(pair.lid) !== pair.pn && lids?.toPn(`${pair.lid}@${LID_SERVER}`) !== `${pair.pn}@${PN_SERVER}`) {
      local.set(pair.lid, pair.pn)
      writes.push(...lidPairWrites(pair))
    }
  return (jid) => {
    const j = parseJid(jid)
    const pn = j?.server === LID_SERVER ? local.get(j.user) : undefined
    return userJidOf(pn ? `${pn}@${PN_SERVER}` : (lids?.toPn(jid) ?? jid))
  }
}

/** The events of a decoded chunk; `progress` is the notification's (spec §10.1), else the blob's. */
export function historyOf(sync: HistorySync, progress: number | undefined, ownJid: string, nowMs: number, lids?: LidLookup): HistoryChunk {
  const events: ConnectorEvent[] = []
  const writes: KeyWrite[] = []
  const pnOf = phoneNumbers(sync, writes, lids)
  const names = new Map<string, string>()
  for (const p of sync.pushnames ?? []) if (p.id && p.pushname) names.set(pnOf(p.id), p.pushname)
  for (const [id, name] of names) {
    if (id === ownJid) continue
    const contact: ContactInfo = { remoteId: id, name }
    events.push({ type: 'contact', contact })
  }
  for (const conversation of sync.conversations ?? []) {
    const chat = chatOf(conversation, names, nowMs, pnOf)
    if (!chat) continue
    events.push({ type: 'chat', chat })
    // spec §10.3: oldest first, so Core's "last message" ends on the newest.
    const messages = (conversation.messages ?? [])
      .flatMap((m) => (m.message ? [messageOf(m.message, chat.remoteId, ownJid, names, writes, pnOf)] : []))
      .filter((m): m is IncomingMessage => m !== null)
      .sort((a, b) => a.timestamp - b.timestamp)
    for (const message of messages) events.push({ type: 'message', message })
  }
  const ownPushName = names.get(ownJid)
  return { events, writes, progress: Math.max(0, Math.min(100, Number(progress ?? sync.progress ?? 100))), ...(ownPushName ? { ownPushName } : {}) }
}

function chatOf(c: HistoryConversation, names: Map<string, string>, nowMs: number, pnOf: (jid: string) => string): ChatInfo | null {
  if (!c.id) return null
  const group = c.id.endsWith('@g.us')
  const remoteId = group ? c.id : pnOf(c.id)
  if (!group && !remoteId.endsWith('@s.whatsapp.net')) return null
  const title = c.name || c.displayName || names.get(remoteId) || (group ? remoteId : `+${remoteId.split('@')[0]}`)
  const seconds = Number(c.conversationTimestamp ?? c.lastMsgTimestamp ?? 0)
  return {
    remoteId,
    kind: group ? 'group' : 'direct',
    title,
    ...(seconds > 0 ? { lastActivity: seconds * 1000 } : {}),
    ...(c.unreadCount !== undefined ? { unread: Number(c.unreadCount) } : {}),
    ...(c.archived ? { archived: true } : {}),
    ...(c.pinned ? { pinned: true } : {}),
    ...(c.muteEndTime && Number(c.muteEndTime) * 1000 > nowMs ? { muted: true } : {})
  }
}

/** spec §10.2 WebMessageInfo.Status → what Junction shows for our own messages. */
const STATUS: ReadonlyMap<number, IncomingMessage['status']> = new Map([
  [2, 'sent'],
  [3, 'delivered'],
  [4, 'read'],
  [5, 'read']
])

function messageOf(
  info: WebMessageInfo,
  chat: string,
  ownJid: string,
  names: Map<string, string>,
  writes: KeyWrite[],
  pnOf: (jid: string) => string
): IncomingMessage | null {
  const id = info.key?.id
  if (!id || !info.message) return null
  const content = unwrap(info.message)
  const fromMe = info.key?.fromMe === true
  const author = fromMe ? ownJid : pnOf(info.participant ?? info.key?.participant ?? chat)
  // spec §8, as for a live message (inbound.ts): the reference, with whose message it is (§8.5 `rmr`).
  const media = mediaBody(content)
  if (media?.ref)
    writes.push({
      namespace: MEDIA_NS,
      key: mediaKeyOf(chat, id),
      value: encodeRef({ ...media.ref, fromMe, ...(chat.endsWith('@g.us') && !fromMe ? { participant: author } : {}) })
    })
  const text = media ? media.text : textOfMessage(content)
  if (text === undefined) return null
  const name = fromMe ? undefined : (info.pushName ?? names.get(author))
  const status = fromMe && info.status !== undefined ? STATUS.get(Number(info.status)) : undefined
  const replyTo = replyOf(content, userJidOf)
  return {
    chatRemoteId: chat,
    remoteId: id,
    senderId: author,
    ...(name ? { senderName: name } : {}),
    fromMe,
    timestamp: Number(info.messageTimestamp ?? 0) * 1000,
    kind: media ? media.kind : 'text',
    text,
    ...(media ? { media: media.media } : {}),
    e2ee: true,
    ...(status ? { status } : {}),
    ...(replyTo ? { replyTo } : {})
  }
}
