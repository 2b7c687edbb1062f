// Applies what Connectors report to the store, then tells the renderer. Every message
// is written before the renderer hears of it, and every write is an idempotent upsert,
// so a replay after a reconnect neither loses nor duplicates anything.
//
// Live events are coalesced: `apply` queues an event and the queue is written in ONE
// transaction at the end of the event-loop turn (setImmediate: after every callback of
// the socket read that produced it). While events keep coming (the last write was less
// than MAX_DELAY_MS ago) it waits STREAM_WINDOW_MS instead, so many small socket reads
// share a transaction: the commit (FTS5 segment flush, WAL pages) is ~65 % of a small
// transaction's CPU. The queue is written early when it holds MAX_PENDING events or its
// oldest event waited MAX_DELAY_MS, so the renderer is never held back by a frame (16 ms).
// A transaction per event was 0.03× the batched speed (issue 14).
//
// Ordering and crash safety:
// - Queued events are applied in the order they arrived; a cursor event is written in the
//   same transaction as the messages before it (or a later one), never an earlier one, so
//   after a crash the network resends from a cursor whose messages are all stored.
// - The queue is written before anything else touches the store: Store runs the flush
//   before the next repository statement, transaction or close (`Store.beforeNextUse`).
//   So a read right after `apply` sees the data, and other writes (the outbox) commit
//   after it. Only code preparing statements on `store.db` directly must call `flush()`.
// - An event passed to `apply` is durable once flushed (≤ one event-loop turn). What a
//   Connector acknowledges to its network must go through `KeyStore.commit`
//   (`applyAtomically`), which flushes the queue and commits before it returns.
// - A status, credentials or profile event flushes the queue and is handed to the
//   account manager at once, so account changes keep their place relative to messages.
//
// The renderer hears a batch as it heard a sync: every message (and contact, typing,
// receipt) event in order, then each changed chat once with its state after the batch,
// then notifications.

import type { ApiEvents } from '../../shared/api'
import { unreachable } from '../../shared/errors'
import type { Chat, Message } from '../../shared/model'
import type { Logger } from '../base/log'
import type { ConnectorEvent, ContactInfo, IncomingMessage, SyncResult } from '../networks/connector'
import { storeMessageBatch } from './ingest-messages'
import { isAccountEvent, MAX_DELAY_MS, MAX_PENDING, STREAM_WINDOW_MS, type EmitApiEvent, type IngestHooks, type Queued, type Session } from './ingest-queue'
import { notificationOf } from './notification'
import type { Store } from './store'
import type { AccountRow } from './store/rows'

export { MAX_DELAY_MS, MAX_PENDING, STREAM_WINDOW_MS, type EmitApiEvent, type IngestHooks } from './ingest-queue'

export class Ingest {
  private session: Session | null = null
  private pending: Queued[] = []
  private oldestPendingAt = 0
  private lastFlushAt = Number.NEGATIVE_INFINITY
  private scheduled: { cancel(): void } | null = null
  private flushing = false
  private readonly flushHook = (): void => this.flush()

  constructor(
    private readonly store: Store,
    private readonly sink: EmitApiEvent,
    private readonly hooks: IngestHooks,
    private readonly log: Logger,
    private readonly limits: { maxPending: number; maxDelayMs: number; streamWindowMs: number } = {
      maxPending: MAX_PENDING,
      maxDelayMs: MAX_DELAY_MS,
      streamWindowMs: STREAM_WINDOW_MS
    }
  ) {}

  private emit<K extends keyof ApiEvents>(name: K, payload: ApiEvents[K]): void {
    if (this.session) this.session.emits.push(() => this.sink(name, payload))
    else this.sink(name, payload)
  }

  /** One live event from a Connector: queued, written with its neighbours in one transaction. */
  apply(accountId: string, event: ConnectorEvent): void {
    if (isAccountEvent(event)) {
      this.flush()
      this.applyLogged(accountId, event, () => this.hooks.onAccountEvent(accountId, event))
      return
    }
    this.pending.push({ accountId, event })
    if (this.pending.length === 1) {
      const now = performance.now()
      this.oldestPendingAt = now
      if (now - this.lastFlushAt < this.limits.maxDelayMs) {
        const timer = setTimeout(this.flushHook, this.limits.streamWindowMs)
        this.scheduled = { cancel: () => clearTimeout(timer) }
      } else {
        const immediate = setImmediate(this.flushHook)
        this.scheduled = { cancel: () => clearImmediate(immediate) }
      }
      this.store.beforeNextUse(this.flushHook)
    } else if (this.pending.length >= this.limits.maxPending || performance.now() - this.oldestPendingAt >= this.limits.maxDelayMs) {
      this.flush()
    }
  }

  /** Writes the queued live events now, in one transaction, then tells the renderer. */
  flush(): void {
    if (this.flushing || this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    this.scheduled?.cancel()
    this.scheduled = null
    if (!this.store.db.open) {
      this.log.warn({ events: batch.length }, 'store closed before live events were written')
      return
    }
    // Re-entry (a statement inside the flush runs the Store's before-use hook) is a no-op;
    // the renderer is told after the flag is down, so what it triggers may flush again.
    this.flushing = true
    const sessions: Session[] = []
    try {
      sessions.push(this.collect(() => this.store.transaction(() => this.applyBatch(batch))))
    } catch {
      // One bad event must not take down the others: apply them one by one, each alone.
      for (const { accountId, event } of batch) {
        this.applyLogged(accountId, event, () => sessions.push(this.collect(() => this.store.transaction(() => this.applyBatch([{ accountId, event }])))))
      }
    } finally {
      this.flushing = false
      this.lastFlushAt = performance.now()
    }
    for (const session of sessions) this.release(session)
  }

  private applyLogged(accountId: string, event: ConnectorEvent, fn: () => void): void {
    try {
      fn()
    } catch (error) {
      // A bad event from one network must not take down the others or the app.
      this.log.error({ accountId, type: event.type, error }, 'could not apply connector event')
    }
  }

  /**
   * The key store's commit: `inTransaction` (its writes) and the events run in one SQLite
   * transaction; the renderer hears of them only after it committed. Throws, and applies
   * nothing, when any part fails, so the Connector can keep its old state and ask again.
   * Queued live events are written first, so order holds.
   */
  applyAtomically(accountId: string, events: readonly ConnectorEvent[], inTransaction: () => void): void {
    this.flush()
    this.inSession(() =>
      this.store.transaction(() => {
        inTransaction()
        this.applyBatch(events.map((event) => ({ accountId, event })))
      })
    )
  }

  /** Runs `fn` collecting what the renderer will hear; tells it only when `fn` returns. */
  private inSession<T>(fn: () => T): T {
    const outer = this.session
    if (outer) {
      // Nested in another session's transaction: that one tells the renderer after its commit.
      const marks = [outer.emits.length, outer.fresh.length]
      try {
        return fn()
      } catch (error) {
        outer.emits.length = marks[0]!
        outer.fresh.length = marks[1]!
        throw error
      }
    }
    let result!: T
    const session = this.collect(() => (result = fn()))
    this.release(session)
    return result
  }

  /** Runs `fn` (a transaction) with a fresh session; what it collected, to release once committed. */
  private collect(fn: () => void): Session {
    const session: Session = { emits: [], chats: new Set(), fresh: [] }
    const outer = this.session
    this.session = session
    try {
      fn()
    } finally {
      this.session = outer
    }
    return session
  }

  private release(session: Session): void {
    for (const emit of session.emits) emit()
    if (session.chats.size === 0 && session.fresh.length === 0) return
    const ids = new Set(session.chats)
    for (const m of session.fresh) ids.add(Number(m.chatId))
    const chats = this.store.chats.getMany(ids)
    for (const id of session.chats) {
      const chat = chats.get(id)
      if (chat) this.sink('chat', chat)
    }
    const accounts = new Map<string, AccountRow | undefined>()
    for (const message of session.fresh) {
      if (!accounts.has(message.accountId)) accounts.set(message.accountId, this.store.accounts.get(message.accountId))
      this.notify(message, chats.get(Number(message.chatId)), accounts.get(message.accountId))
    }
  }

  /** Applies events in order; a run of one account's messages and cursors is stored as one batch. */
  private applyBatch(batch: readonly Queued[]): void {
    for (let i = 0; i < batch.length;) {
      const { accountId, event } = batch[i]!
      if (event.type !== 'message') {
        this.applyUnsafe(accountId, event)
        i++
        continue
      }
      const messages: IncomingMessage[] = []
      // The last value of each cursor in the run: the run is one transaction, so the earlier
      // values would be overwritten before anything could read them (LINE sends one per operation).
      const cursors = new Map<string, string>()
      for (; i < batch.length && batch[i]!.accountId === accountId; i++) {
        const e = batch[i]!.event
        if (e.type === 'message') messages.push(e.message)
        else if (e.type === 'cursor') cursors.set(e.name, e.value)
        else break
      }
      this.storeMessages(accountId, messages, true, true)
      // In the same transaction as the messages before them: never committed ahead of them.
      for (const [name, value] of cursors) this.store.cursors.set(accountId, name, value)
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
      case 'contact':
        return this.storeContact(accountId, event.contact)
      case 'message':
        this.storeMessages(accountId, [event.message], true, true)
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
      case 'chatState': {
        // The network's synced pin/mute/archive/unread (WhatsApp app state) overrides the stored value; an unknown chat is dropped.
        const chatId = this.store.chats.idByRemote(accountId, event.chatRemoteId)
        if (chatId === undefined) return
        const { pinned, muted, archived, unread } = event
        this.store.chats.patch(chatId, {
          ...(pinned !== undefined ? { pinned } : {}),
          ...(muted !== undefined ? { muted } : {}),
          ...(archived !== undefined ? { archived } : {}),
          ...(unread ? { markUnread: true } : {})
        })
        if (unread === false) this.store.chats.markRead(chatId)
        this.emitChat(chatId)
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
      case 'reaction':
      case 'messageEdited':
      case 'messageDeleted': {
        // A change to a stored message (issue 12); one for a message we do not have is dropped.
        const chatId = this.store.chats.idByRemote(accountId, event.chatRemoteId)
        const changed = chatId === undefined ? undefined : this.store.messages.applyChange(chatId, event)
        if (!changed) return
        this.emit('message', changed)
        if (event.type !== 'reaction') this.emitChat(chatId!)
        return
      }
      default:
        throw unreachable(event)
    }
  }

  /** A sync snapshot, in one transaction: chats and contacts first, then messages (which are not counted as unread). */
  applySync(accountId: string, sync: SyncResult): void {
    this.flush()
    this.inSession(() =>
      this.store.transaction(() => {
        for (const chat of sync.chats) {
          const { id, changed } = this.store.chats.upsert(accountId, chat)
          if (changed) this.session!.chats.add(id)
        }
        for (const c of sync.contacts) this.storeContact(accountId, c)
        this.storeMessages(accountId, sync.messages, false, true)
      })
    )
  }

  private storeContact(accountId: string, info: ContactInfo): void {
    const contact = this.store.contacts.upsert(accountId, info)
    if (contact) this.emit('contact', contact)
    // A direct chat shows its contact's picture: the row is heard again when the picture may have changed (issue 12 §3).
    if (contact && info.avatar !== undefined) {
      const chatId = this.store.chats.idByRemote(accountId, info.remoteId)
      if (chatId !== undefined) this.emitChat(chatId)
    }
  }

  /**
   * Stores messages in one transaction. `live` messages from others count as unread and our
   * own live messages (sent from another device) mark the chat read, as the phone does.
   * Returns the chats that changed; they are announced unless `emitChats` is false.
   */
  ingestMessages(accountId: string, messages: IncomingMessage[], live: boolean, emitChats = true): Set<number> {
    this.flush()
    return this.inSession(() => this.store.transaction(() => this.storeMessages(accountId, messages, live, emitChats)))
  }

  /** The body of a message batch; runs inside a session's transaction (ingest-messages.ts). */
  private storeMessages(accountId: string, batch: readonly IncomingMessage[], live: boolean, emitChats: boolean): Set<number> {
    return storeMessageBatch(this.store, this.session!, this.sink, accountId, batch, live, emitChats)
  }

  private notify(message: Message, chat: Chat | undefined, account: AccountRow | undefined): void {
    const note = notificationOf(message, chat, account)
    if (note) this.sink('notify', note)
  }

  /** Tells the renderer a chat changed: after the running transaction commits, if one runs. */
  emitChat(chatId: number): void {
    if (this.session) {
      this.session.chats.add(chatId)
      return
    }
    const chat = this.store.chats.get(chatId)
    if (chat) this.sink('chat', chat)
  }
}
