// The simulated phone's history sync (spec §10.1, §10.3): right after a device is linked the
// phone sends it the account's recent chats, one chunk per chat (INITIAL_BOOTSTRAP, progress
// rising to 100; an account without chats sends one empty chunk at 100), each a Signal message
// from the phone (device 0) carrying the zlib-deflated HistorySync inline.

import { randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { encodeProto, type WAMessage } from '../../../src/main/networks/whatsapp/md/proto'
import type { Hub } from './hub'
import { deviceJid, node, SERVER, unixNow } from './stanzas'

/** A chat the phone holds: direct (`jid` a number's JID) or a group, with messages oldest first. */
export interface HistoryChat {
  jid: string
  name?: string
  unread?: number
  messages: Array<{ id: string; fromMe: boolean; text: string; t: number; author?: string }>
}

/** spec §10.1 Message.HistorySyncType INITIAL_BOOTSTRAP; ProtocolMessage type HISTORY_SYNC_NOTIFICATION. */
const INITIAL_BOOTSTRAP = 0
const HISTORY_SYNC_NOTIFICATION = 5

function historySync(chat: HistoryChat | null, chunkOrder: number, progress: number, names: Map<string, string>): Uint8Array {
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
              message: { conversation: m.text },
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
    const message: WAMessage = {
      protocolMessage: {
        type: HISTORY_SYNC_NOTIFICATION,
        historySyncNotification: {
          syncType: INITIAL_BOOTSTRAP,
          chunkOrder: i,
          progress,
          initialHistBootstrapInlinePayload: historySync(chat, i, progress, names)
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
