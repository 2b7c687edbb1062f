// What the Connector remembers about messages it has seen, in memory and bounded: who owns
// a message id (read receipts and history queries need `owner`), the media fields of
// pictures (for fetchMedia), the client ids of messages sent from here (echoes), and which
// of those still wait for a receipt (caught up after a reconnect, receipts.ts).

import type { IncomingMessage } from '../../connector'
import type { MediaRef } from './messages'

export interface KnownMessage {
  chat: string
  fromMe: boolean
  senderId: string
  ts: number
}

const MAX_ENTRIES = 50_000

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key)
  map.set(key, value)
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as K)
}

export class MessageIndex {
  private readonly known = new Map<string, KnownMessage>()
  private readonly media = new Map<string, MediaRef>()
  private readonly sent = new Map<string, string>()
  private readonly newestIncoming = new Map<string, { id: string; senderId: string; ts: number }>()
  private readonly awaiting = new Map<string, { chat: string; status: 'sent' | 'delivered' }>()

  note(m: IncomingMessage, media: MediaRef | null): void {
    remember(this.known, m.remoteId, { chat: m.chatRemoteId, fromMe: m.fromMe, senderId: m.senderId, ts: m.timestamp })
    if (media) remember(this.media, m.remoteId, media)
    if (!m.fromMe && !m.deleted) {
      const newest = this.newestIncoming.get(m.chatRemoteId)
      if (!newest || newest.ts <= m.timestamp) remember(this.newestIncoming, m.chatRemoteId, { id: m.remoteId, senderId: m.senderId, ts: m.timestamp })
    }
  }

  noteSent(messageId: string, clientId: string, chat: string, selfJid: string): void {
    remember(this.sent, messageId, clientId)
    remember(this.known, messageId, { chat, fromMe: true, senderId: selfJid, ts: Date.now() })
  }

  /** The server acked a message sent from here: it waits for delivered, then read. */
  noteAcked(messageId: string, chat: string): void {
    if (!this.awaiting.has(messageId)) remember(this.awaiting, messageId, { chat, status: 'sent' })
  }

  noteReceipt(messageIds: readonly string[], status: 'delivered' | 'read'): void {
    for (const id of messageIds) {
      const entry = this.awaiting.get(id)
      if (!entry) continue
      if (status === 'read') this.awaiting.delete(id)
      else entry.status = 'delivered'
    }
  }

  /** Messages sent from here still waiting for a receipt, by chat. */
  awaitingByChat(): Map<string, Map<string, 'sent' | 'delivered'>> {
    const out = new Map<string, Map<string, 'sent' | 'delivered'>>()
    for (const [id, { chat, status }] of this.awaiting) {
      const ids = out.get(chat) ?? new Map<string, 'sent' | 'delivered'>()
      ids.set(id, status)
      out.set(chat, ids)
    }
    return out
  }

  get(messageId: string): KnownMessage | undefined {
    return this.known.get(messageId)
  }

  mediaOf(messageId: string): MediaRef | undefined {
    return this.media.get(messageId)
  }

  clientIdOf(messageId: string): string | undefined {
    return this.sent.get(messageId)
  }

  newestIncomingOf(chat: string): { id: string; senderId: string } | undefined {
    return this.newestIncoming.get(chat)
  }
}
