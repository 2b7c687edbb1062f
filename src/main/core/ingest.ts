// Applies what Connectors report to the store, then tells the renderer. Every message
// is written before the renderer hears of it, and every write is an idempotent upsert,
// so a replay after a reconnect neither loses nor duplicates anything.

import type { ApiEvents } from '../../shared/api'
import { unreachable } from '../../shared/errors'
import type { Message } from '../../shared/model'
import type { Logger } from '../base/log'
import type { ConnectorEvent, IncomingMessage, SyncResult } from '../networks/connector'
import type { Store } from './store'

export type EmitApiEvent = <K extends keyof ApiEvents>(name: K, payload: ApiEvents[K]) => void

export interface IngestHooks {
  /** A status change, a rotated credential or a profile change: the account manager owns these. */
  onAccountEvent(accountId: string, event: Extract<ConnectorEvent, { type: 'status' | 'credentials' | 'profile' }>): void
}

export class Ingest {
  constructor(
    private readonly store: Store,
    private readonly emit: EmitApiEvent,
    private readonly hooks: IngestHooks,
    private readonly log: Logger
  ) {}

  /** One live event from a Connector. */
  apply(accountId: string, event: ConnectorEvent): void {
    try {
      this.applyUnsafe(accountId, event)
    } catch (error) {
      // A bad event from one network must not take down the others or the app.
      this.log.error({ accountId, type: event.type, error }, 'could not apply connector event')
    }
  }

  private applyUnsafe(accountId: string, event: ConnectorEvent): void {
    switch (event.type) {
      case 'status':
      case 'credentials':
      case 'profile':
        this.hooks.onAccountEvent(accountId, event)
        return
      case 'chat': {
        const { id, changed } = this.store.chats.upsert(accountId, event.chat)
        if (changed) this.emitChat(id)
        return
      }
      case 'chatRemoved': {
        // The renderer learns of it through the next inbox load; messages go with the chat.
        this.store.chats.remove(accountId, event.chatRemoteId)
        return
      }
      case 'contact': {
        const contact = this.store.contacts.upsert(accountId, event.contact)
        if (contact) this.emit('contact', contact)
        return
      }
      case 'message':
        this.ingestMessages(accountId, [event.message], true)
        return
      case 'receipt': {
        const chatId = this.store.chats.idByRemote(accountId, event.chatRemoteId)
        if (chatId === undefined) return
        const changed = this.store.transaction(() => this.store.messages.applyReceipt(chatId, event.messageRemoteIds, event.status))
        for (const message of changed) this.emit('message', message)
        if (changed.length > 0) this.emitChat(chatId)
        return
      }
      case 'chatRead': {
        const chatId = this.store.chats.idByRemote(accountId, event.chatRemoteId)
        if (chatId !== undefined && this.store.chats.markRead(chatId)) this.emitChat(chatId)
        return
      }
      case 'typing': {
        const chatId = this.store.chats.idByRemote(accountId, event.chatRemoteId)
        if (chatId === undefined) return
        const name = event.senderName ?? this.store.contacts.get(accountId, event.senderId)?.name ?? null
        this.emit('typing', { chatId: String(chatId), senderId: event.senderId, senderName: name, typing: event.typing })
        return
      }
      case 'cursor':
        // Cursors are applied in order after the messages before them, so a cursor never runs ahead of what is stored.
        this.store.cursors.set(accountId, event.name, event.value)
        return
      default:
        throw unreachable(event)
    }
  }

  /** A sync snapshot: chats and contacts first, then messages (which are not counted as unread). */
  applySync(accountId: string, sync: SyncResult): void {
    const chatIds = new Set<number>()
    const contacts = this.store.transaction(() => {
      for (const chat of sync.chats) {
        const { id, changed } = this.store.chats.upsert(accountId, chat)
        if (changed) chatIds.add(id)
      }
      return sync.contacts.map((c) => this.store.contacts.upsert(accountId, c)).filter((c) => c !== undefined)
    })
    for (const contact of contacts) this.emit('contact', contact)
    for (const id of this.ingestMessages(accountId, sync.messages, false, false)) chatIds.add(id)
    for (const id of chatIds) this.emitChat(id)
  }

  /**
   * Stores messages in one transaction. `live` messages from others count as unread and our
   * own live messages (sent from another device) mark the chat read, as the phone does.
   */
  ingestMessages(accountId: string, messages: IncomingMessage[], live: boolean, emitChats = true): Set<number> {
    const touched = new Set<number>()
    const fresh: Message[] = []
    const emitted = this.store.transaction(() => {
      const out = []
      for (const m of messages) {
        if (!m.fromMe && this.store.contacts.isBlocked(accountId, m.senderId)) continue
        const chat = this.store.chats.ensure(accountId, m.chatRemoteId, 'direct', m.fromMe ? m.chatRemoteId : (m.senderName ?? m.chatRemoteId))
        const outcome = this.store.messages.upsert(chat.id, accountId, m)
        if (!outcome.changed) continue
        // The chat changes with any of its messages: its order, or the preview of its last message.
        this.store.chats.noteMessage(chat.id, Number(outcome.message.id), outcome.message.timestamp)
        touched.add(chat.id)
        if (live && outcome.inserted) {
          if (m.fromMe) this.store.chats.markRead(chat.id)
          else if (!m.deleted && m.kind !== 'system') {
            this.store.chats.addUnread(chat.id, 1)
            fresh.push(outcome.message)
          }
        }
        out.push(outcome.message)
      }
      return out
    })
    for (const message of emitted) this.emit('message', message)
    if (emitChats) for (const id of touched) this.emitChat(id)
    for (const message of fresh) this.notify(message)
    return touched
  }

  /** A new message from someone else, in a chat and account the person has not muted. */
  private notify(message: Message): void {
    const chat = this.store.chats.get(Number(message.chatId))
    const account = this.store.accounts.get(message.accountId)
    if (!chat || !account || chat.muted || chat.archived || account.muted === 1) return
    this.emit('notify', {
      chatId: chat.id,
      messageId: message.id,
      network: chat.network,
      chatTitle: chat.title,
      senderName: message.senderName,
      text: message.text,
      kind: message.kind
    })
  }

  emitChat(chatId: number): void {
    const chat = this.store.chats.get(chatId)
    if (chat) this.emit('chat', chat)
  }
}
