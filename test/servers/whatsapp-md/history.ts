// The simulated phone's history sync (spec §10.1, §10.3): right after a device is linked the
// phone sends it the account's recent chats, one chunk per chat (INITIAL_BOOTSTRAP, progress
// rising to 100; an account without chats sends one empty chunk at 100), each a Signal message
// from the phone (device 0) carrying the zlib-deflated HistorySync inline, or, for a chat marked
// `byDirectPath`, encrypted as media ("WhatsApp History Keys", §8.2) and uploaded, the
// notification naming its `directPath`, key and hashes. Messages may be media (uploaded like a
// phone's own, §8.3) and may quote another message (ContextInfo, §7.8).

import { randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { encodeProto, type WAMessage } from '../../../src/main/networks/whatsapp/md/proto'
import type { Hub } from './hub'
import { sealMedia, type MediaStore } from './media'
import { deviceJid, node, SERVER, unixNow } from './stanzas'

/** A chat the phone holds: direct (`jid` a number's JID) or a group, with messages oldest first. */
export interface HistoryChat {
  jid: string
  name?: string
  unread?: number
  /** spec §10.1: this chat's chunk is downloaded, not inline. */
  byDirectPath?: boolean
  messages: HistoryMessage[]
}

/** A stored message; `text` is the caption of a media one. */
export interface HistoryMessage {
  id: string
  fromMe: boolean
  text: string
  t: number
  author?: string
  /** A file (base64, so the world's JSON keeps it) the phone has uploaded. */
  media?: { kind: 'image' | 'video' | 'audio' | 'document' | 'sticker'; dataBase64: string; mime: string; fileName?: string }
  /** spec §7.8 ContextInfo: the message this one answers; `image` when that was a photo. */
  quote?: { id: string; author: string; text?: string; image?: boolean }
}

/** spec §7.8: the Message a stored message was (uploading its file, §8.3). */
function contentOf(m: HistoryMessage, media: MediaStore): WAMessage {
  const contextInfo = m.quote
    ? {
        contextInfo: {
          stanzaId: m.quote.id,
          participant: m.quote.author,
          quotedMessage: m.quote.image
            ? { imageMessage: { mimetype: 'image/jpeg', ...(m.quote.text ? { caption: m.quote.text } : {}) } }
            : { conversation: m.quote.text ?? '' }
        }
      }
    : {}
  if (!m.media) return m.quote ? { extendedTextMessage: { text: m.text, ...contextInfo } } : { conversation: m.text }
  const file = Buffer.from(m.media.dataBase64, 'base64')
  const sealed = sealMedia(file, m.media.kind)
  const directPath = media.put(sealed.blob, m.media.kind === 'sticker' ? 'image' : m.media.kind)
  const fields = {
    url: `https://mmg.whatsapp.net${directPath}`,
    mimetype: m.media.mime,
    fileSha256: sealed.fileSha256,
    fileLength: file.length,
    mediaKey: sealed.mediaKey,
    fileEncSha256: sealed.fileEncSha256,
    directPath,
    ...contextInfo
  }
  const caption = m.text ? { caption: m.text } : {}
  switch (m.media.kind) {
    case 'image':
      return { imageMessage: { ...fields, ...caption, width: 1, height: 1 } }
    case 'video':
      return { videoMessage: { ...fields, ...caption, seconds: 1 } }
    case 'audio':
      return { audioMessage: { ...fields, seconds: 1 } }
    case 'sticker':
      return { stickerMessage: { ...fields, width: 64, height: 64 } }
    default:
      return { documentMessage: { ...fields, ...caption, fileName: m.media.fileName ?? 'file', title: m.media.fileName ?? 'file' } }
  }
}

/** spec §10.1 Message.HistorySyncType INITIAL_BOOTSTRAP; ProtocolMessage type HISTORY_SYNC_NOTIFICATION. */
const INITIAL_BOOTSTRAP = 0
const HISTORY_SYNC_NOTIFICATION = 5

function historySync(chat: HistoryChat | null, chunkOrder: number, progress: number, names: Map<string, string>, media: MediaStore): Uint8Array {
  const conversations = chat
    ? [
        {
          id: chat.jid,
          ...(chat.name ? { name: chat.name } : {}),
          unreadCount: chat.unread ?? 0,
          conversationTimestamp: chat.messages.at(-1)?.t ?? 0,
          // Newest first, as phones send them (spec §10.3: Baileys assumes the first is the newest).
          messages: [...chat.messages].reverse().map((m, i) => ({
            message: {
              key: { remoteJid: chat.jid, fromMe: m.fromMe, id: m.id, ...(m.author && chat.jid.endsWith('@g.us') ? { participant: m.author } : {}) },
              message: contentOf(m, media),
              messageTimestamp: m.t,
              ...(m.fromMe ? { status: 4 } : {}),
              ...(m.author && chat.jid.endsWith('@g.us') ? { participant: m.author } : {})
            },
            msgOrderId: i + 1
          }))
        }
      ]
    : []
  const pushnames = [...names].map(([id, pushname]) => ({ id, pushname }))
  return deflateSync(encodeProto('HistorySync', { syncType: INITIAL_BOOTSTRAP, conversations, chunkOrder, progress, pushnames }), { level: 9 })
}

/** Queues the history chunks for the device (delivered when it logs in after the 515). */
export async function sendHistory(hub: Hub, number: string, device: number, chats: HistoryChat[]): Promise<void> {
  const phone = hub.world.phones.get(number)
  if (!phone) return
  // The account's own push name is among them (spec §10.2 `pushnames`): the new device's display name.
  const names = new Map<string, string>([[`${number}@${SERVER}`, hub.world.account(number).name]])
  for (const chat of chats) {
    if (chat.jid.endsWith('@g.us')) continue
    const account = hub.world.accounts.get(chat.jid.split('@')[0]!)
    if (account) names.set(chat.jid, account.name)
  }
  const chunks = chats.length ? chats : [null]
  for (const [i, chat] of chunks.entries()) {
    const progress = Math.round((100 * (i + 1)) / chunks.length)
    const blob = historySync(chat, i, progress, names, hub.media)
    const message: WAMessage = {
      protocolMessage: {
        type: HISTORY_SYNC_NOTIFICATION,
        historySyncNotification: {
          syncType: INITIAL_BOOTSTRAP,
          chunkOrder: i,
          progress,
          ...(chat?.byDirectPath ? uploaded(hub.media, blob) : { initialHistBootstrapInlinePayload: blob })
        }
      }
    }
    // Before the device's first login it has uploaded no one-time keys yet: no PreKeyLow for that.
    const enc = await phone.encrypt(`${number}.${device}`, message, () => hub.world.bundle(number, device))
    const id = `3EB0${randomBytes(9).toString('hex').toUpperCase()}`
    const from = `${number}@${SERVER}`
    const stanza = node('message', { from, id, t: unixNow(), type: 'text', category: 'peer' }, [node('enc', { v: '2', type: enc.type }, enc.body)])
    hub.deliver(deviceJid(number, device), `message:${from}:${id}`, stanza)
  }
  hub.world.save()
}

/** spec §10.1: the blob as the phone uploads it (media type `md-msg-hist`), and the notification fields naming it. */
function uploaded(media: MediaStore, blob: Uint8Array): Record<string, unknown> {
  const sealed = sealMedia(blob, 'history')
  const directPath = media.put(sealed.blob, 'md-msg-hist')
  media.historyBlobs.push(directPath)
  return {
    directPath,
    mediaKey: sealed.mediaKey,
    fileSha256: sealed.fileSha256,
    fileEncSha256: sealed.fileEncSha256,
    fileLength: blob.length
  }
}
