// Reading a chat: pages of history (local first, then the network once local history
// runs out) and media (fetched once from the network, then served from the cache).

import type { MessagePage } from '../../shared/api'
import { JunctionError } from '../../shared/errors'
import type { Logger } from '../base/log'
import { withTimeout } from '../base/timers'
import type { Connector } from '../networks/connector'
import { readMedia } from './media-bytes'
import type { Ingest } from './ingest'
import type { Store } from './store'
import { parseRowId } from './store/rows'

const HISTORY_TIMEOUT_MS = 20_000
const MEDIA_TIMEOUT_MS = 60_000

export type PageAnchor = { before: string } | { after: string } | { around: string } | null

export class History {
  constructor(
    private readonly store: Store,
    private readonly ingest: Ingest,
    private readonly connectorFor: (accountId: string) => Connector | undefined,
    private readonly log: Logger,
    private readonly clock: () => number
  ) {}

  private messageId(id: string): number {
    const n = parseRowId(id)
    if (n === null || !this.store.messages.get(n)) throw new JunctionError('not-found', 'That message no longer exists.')
    return n
  }

  async page(chatId: number, anchor: PageAnchor, limit: number): Promise<MessagePage> {
    const { messages } = this.store
    if (anchor && 'after' in anchor) {
      const newer = messages.pageAfter(chatId, this.messageId(anchor.after), limit + 1)
      return { messages: newer.slice(0, limit), hasMore: true, hasNewer: newer.length > limit }
    }
    if (anchor && 'around' in anchor) {
      const id = this.messageId(anchor.around)
      const half = Math.floor(limit / 2)
      const older = await this.older(chatId, id, half)
      const newer = messages.pageAfter(chatId, id, limit - half)
      const all = [...older.messages, messages.get(id)!, ...newer]
      return { messages: all.slice(0, limit), hasMore: older.hasMore, hasNewer: all.length > limit }
    }
    const before = anchor && 'before' in anchor ? this.messageId(anchor.before) : null
    return { ...(await this.older(chatId, before, limit)), hasNewer: false }
  }

  /** Messages strictly older than `before` (the newest when null); from the network once local history runs out. */
  private async older(chatId: number, before: number | null, limit: number): Promise<{ messages: MessagePage['messages']; hasMore: boolean }> {
    const { store } = this
    let page = store.messages.page(chatId, before, limit)
    if (page.length >= limit) return { messages: page, hasMore: true }
    if (store.chats.historyComplete(chatId)) return { messages: page, hasMore: false }
    const remote = store.chats.remoteOf(chatId)!
    const connector = this.connectorFor(remote.accountId)
    if (!connector) return { messages: page, hasMore: true }
    try {
      const anchor = store.messages.oldestRemote(chatId) ?? null
      const wanted = limit - page.length
      const fetched = await withTimeout(connector.history(remote.remoteId, anchor, wanted), HISTORY_TIMEOUT_MS, 'Loading older messages')
      this.ingest.ingestMessages(remote.accountId, fetched, false)
      if (fetched.length < wanted) store.chats.setHistoryComplete(chatId)
      page = store.messages.page(chatId, before, limit)
      return { messages: page, hasMore: !store.chats.historyComplete(chatId) || page.length >= limit }
    } catch (error) {
      this.log.warn({ accountId: remote.accountId, error }, 'history not loaded')
      return { messages: page, hasMore: true }
    }
  }

  async media(messageId: string): Promise<{ mime: string; bytes: Uint8Array }> {
    const { store } = this
    const id = this.messageId(messageId)
    const message = store.messages.get(id)!
    if (!message.media) throw new JunctionError('not-found', 'That message has no picture.')
    const cached = store.media.get(id)
    if (cached) return { mime: cached.mime, bytes: cached.bytes }
    const remote = store.chats.remoteOf(Number(message.chatId))!
    const connector = this.connectorFor(remote.accountId)
    if (!connector || message.remoteId === null) throw new JunctionError('unavailable', 'The picture can be loaded once the account is back online.')
    const media = await withTimeout(readMedia(connector.fetchMedia(remote.remoteId, message.remoteId)), MEDIA_TIMEOUT_MS, 'Loading the picture')
    store.media.put(id, media.mime, media.bytes, this.clock())
    return { mime: media.mime, bytes: media.bytes }
  }
}
