// What the Connector remembers about messages it has seen, in memory and bounded: who owns
// a message id (read receipts and history queries need `owner`), the media fields of
// pictures (for fetchMedia), and the client ids of messages sent from here (echoes).

import type { IncomingMessage } from '../connector'
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
