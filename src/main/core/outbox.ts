// The outbox: a message a person sends is written `pending` (with its outbox entry) in
// one transaction before any Connector sees it, then handed to the account's Connector
// one at a time, in order, with back-off on retryable errors. The entry is deleted only in
// the transaction that records the network's acknowledgement, so a crash at any point
// leaves the entry behind, and the retry reuses the client id, which the Connector puts
// on the wire so the network drops the duplicate.

import { JunctionError } from '../../shared/errors'
import type { ComposedDraft, Message } from '../../shared/model'
import { backoffDelay, type BackoffOptions } from '../base/backoff'
import type { Logger } from '../base/log'
import { withTimeout } from '../base/timers'
import type { Connector, SendOptions, SendResult } from '../networks/connector'
import { uploadProgressReporter } from './attachments'
import type { EmitApiEvent, Ingest } from './ingest'
import type { OutboxEntry, Store } from './store'

export interface OutboxOptions {
  store: Store
  ingest: Ingest
  emit: EmitApiEvent
  log: Logger
  clock: () => number
  /** The Connector to send through, only while its account is online. */
  connectorFor(accountId: string): Connector | undefined
  /** The account's own identity, the sender of what it sends. */
  selfIdOf(accountId: string): string
  backoff?: BackoffOptions
  /** After this many retryable failures while online, the message is marked failed for the person to retry. */
  maxAttempts?: number
  sendTimeoutMs?: number
}

/** A file goes to `sendFile`, which only a network declaring `sendFiles` has; everything else to `send`. */
function sendThrough(connector: Connector, chatRemoteId: string, clientId: string, draft: ComposedDraft, options: SendOptions): Promise<SendResult> {
  if (draft.kind !== 'file') return connector.send(chatRemoteId, clientId, draft, options)
  if (!connector.sendFile)
    return Promise.reject(
      new JunctionError('unsupported', 'This network cannot send files from Junction.', {
        reason: { code: 'refused', params: { what: 'attachment-kind', kind: 'file' } }
      })
    )
  return connector.sendFile(chatRemoteId, clientId, draft, options)
}

const OUTBOX_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 5 * 60_000, jitter: 0.2 }

export class Outbox {
  private readonly draining = new Set<string>()
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private closed = false

  constructor(private readonly o: OutboxOptions) {}

  /** Writes the message as pending and queues it. Sending the same client id again returns the first message. */
  enqueue(chatId: number, clientId: string, draft: ComposedDraft): Message {
    const { store } = this.o
    const chat = store.chats.remoteOf(chatId)
    if (!chat) throw new JunctionError('not-found', 'That chat no longer exists.')
    const result = store.transaction(() => {
      const existing = store.messages.byClient(chat.accountId, clientId)
      if (existing) return { message: store.messages.get(existing.id)!, created: false }
      const now = this.o.clock()
      const message = store.messages.insertPending({
        chatId,
        accountId: chat.accountId,
        clientId,
        senderId: this.o.selfIdOf(chat.accountId),
        timestamp: now,
        kind: draft.kind,
        text: draft.kind === 'image' ? (draft.caption ?? '') : draft.kind === 'file' ? '' : draft.text,
        media:
          draft.kind === 'image'
            ? { mime: draft.mime, size: Math.floor((draft.dataBase64.length * 3) / 4), ...(draft.name ? { name: draft.name } : {}) }
            : draft.kind === 'file'
              ? { mime: draft.mime, size: draft.size, name: draft.name }
              : null,
        ...(draft.replyTo ? { replyTo: { remoteId: draft.replyTo.remoteId, senderId: draft.replyTo.senderId, text: draft.replyTo.text } } : {})
      })
      store.outbox.insert({ accountId: chat.accountId, clientId, messageId: Number(message.id), draft, now })
      store.chats.noteMessage(chatId, Number(message.id), now)
      store.chats.patch(chatId, { draft: '' })
      // The bytes go to the media cache too, so the pending bubble can show and open them and a retry can redraft them.
      if (draft.kind === 'image' || draft.kind === 'file') store.media.put(Number(message.id), draft.mime, Buffer.from(draft.dataBase64, 'base64'), now)
      return { message, created: true }
    })
    if (result.created) {
      this.o.emit('message', result.message)
      this.o.ingest.emitChat(chatId)
      this.kick(chat.accountId)
    }
    return result.message
  }

  /** Puts a failed message back in the queue, under the same client id. */
  retry(messageId: number): Message {
    const { store } = this.o
    const message = store.messages.get(messageId)
    if (!message) throw new JunctionError('not-found', 'That message no longer exists.')
    if (message.status !== 'failed') return message
    const entry = store.outbox.byMessage(messageId)
    const draft = entry?.draft ?? this.redraft(message)
    const updated = store.transaction(() => {
      if (!entry) store.outbox.insert({ accountId: message.accountId, clientId: message.clientId!, messageId, draft, now: this.o.clock() })
      return store.messages.setPending(messageId)
    })
    this.o.emit('message', updated)
    this.kick(message.accountId)
    return updated
  }

  /** Sends whatever is due for an account (or all accounts): call when an account comes online. */
  kick(accountId?: string): void {
    if (this.closed) return
    const ids = accountId ? [accountId] : this.o.store.outbox.accountsWithEntries()
    for (const id of ids) void this.drain(id)
  }

  close(): void {
    this.closed = true
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
  }

  /** The send timeout, and a minute more for each full 4 MB of an upload, so a large file on a slow link is not cut off. */
  private sendTimeoutFor(draft: ComposedDraft): number {
    const base = this.o.sendTimeoutMs ?? 60_000
    if (draft.kind !== 'image' && draft.kind !== 'file') return base
    return base + 60_000 * Math.floor((draft.dataBase64.length * 0.75) / (4 * 1024 * 1024))
  }

  private redraft(message: Message): ComposedDraft {
    if (message.clientId === null || !message.fromMe) throw new JunctionError('invalid-argument', 'Only your own messages can be retried.')
    if (message.kind === 'text' || message.kind === 'emote') return { kind: message.kind, text: message.text }
    const media = this.o.store.media.get(Number(message.id))
    if (message.kind === 'image' && media)
      return {
        kind: 'image',
        mime: media.mime,
        dataBase64: media.bytes.toString('base64'),
        caption: message.text,
        ...(message.media?.name ? { name: message.media.name } : {})
      }
    if (message.kind === 'file' && media)
      return { kind: 'file', name: message.media?.name ?? 'file', mime: media.mime, size: media.bytes.length, dataBase64: media.bytes.toString('base64') }
    throw new JunctionError('unsupported', 'This message cannot be sent again.')
  }

  private async drain(accountId: string): Promise<void> {
    if (this.draining.has(accountId) || this.closed) return
    this.draining.add(accountId)
    try {
      for (;;) {
        if (this.closed) return
        const entry = this.o.store.outbox.head(accountId)
        if (!entry) return
        const wait = entry.nextAttemptAt - this.o.clock()
        if (wait > 0) return this.schedule(accountId, wait)
        const connector = this.o.connectorFor(accountId)
        if (!connector) return // offline: the account coming online kicks us again
        await this.attempt(connector, entry)
      }
    } finally {
      this.draining.delete(accountId)
    }
  }

  private schedule(accountId: string, wait: number): void {
    clearTimeout(this.timers.get(accountId))
    this.timers.set(
      accountId,
      setTimeout(() => {
        this.timers.delete(accountId)
        void this.drain(accountId)
      }, wait)
    )
  }

  private async attempt(connector: Connector, entry: OutboxEntry): Promise<void> {
    const { store, log } = this.o
    const chat = store.messages.get(entry.messageId)
    const remote = chat ? store.chats.remoteOf(Number(chat.chatId)) : undefined
    if (!chat || !remote) {
      store.outbox.remove(entry.accountId, entry.clientId)
      return
    }
    // Pictures and files report their upload (issue 12 §2), rate-limited, while the message is pending.
    const options: SendOptions =
      entry.draft.kind === 'image' || entry.draft.kind === 'file'
        ? {
            onProgress: uploadProgressReporter(
              (payload) => {
                if (!this.closed) this.o.emit('uploadProgress', payload)
              },
              this.o.clock,
              { messageId: String(entry.messageId), chatId: chat.chatId }
            )
          }
        : {}
    try {
      const sent = await withTimeout(sendThrough(connector, remote.remoteId, entry.clientId, entry.draft, options), this.sendTimeoutFor(entry.draft), 'Sending')
      // Core closed while the send was in flight: the entry stays, and the next start resends it under the same client id.
      if (this.closed) return
      const { message, removed } = store.transaction(() => {
        // The network's echo of this message may have arrived first as a message of its own: fold it in.
        const echo = store.messages.byRemote(Number(chat.chatId), sent.remoteId)
        const removedId = echo && echo.id !== entry.messageId ? echo.id : null
        if (removedId !== null) store.messages.remove(removedId)
        store.outbox.remove(entry.accountId, entry.clientId)
        return { message: store.messages.setOutcome(entry.messageId, sent), removed: removedId }
      })
      if (removed !== null) this.o.emit('messageRemoved', { messageId: String(removed), chatId: chat.chatId })
      this.o.emit('message', message)
      this.o.ingest.emitChat(Number(chat.chatId))
    } catch (error) {
      if (this.closed) return
      const e = error instanceof JunctionError ? error : new JunctionError('internal', 'The message could not be sent.', { cause: error })
      const attempts = entry.attempts + 1
      if (e.retryable && attempts < (this.o.maxAttempts ?? 8)) {
        const wait = backoffDelay(entry.attempts, this.o.backoff ?? OUTBOX_BACKOFF)
        store.outbox.recordAttempt(entry.accountId, entry.clientId, e.code, this.o.clock() + wait)
        log.warn({ accountId: entry.accountId, clientId: entry.clientId, attempts, code: e.code }, 'send failed, will retry')
        return
      }
      // The English stays in the log; the renderer words the code (issue 10 §5).
      log.warn({ accountId: entry.accountId, clientId: entry.clientId, attempts, code: e.code, reason: e.reason, error: e.message }, 'send failed')
      const message = store.transaction(() => {
        store.outbox.remove(entry.accountId, entry.clientId)
        return store.messages.setOutcome(entry.messageId, { failed: e.reason ? { code: e.code, reason: e.reason } : { code: e.code } })
      })
      this.o.emit('message', message)
      this.o.ingest.emitChat(Number(chat.chatId))
    }
  }
}
