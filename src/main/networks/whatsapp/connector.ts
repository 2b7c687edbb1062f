// The WhatsApp Web (legacy) Connector: pairs by QR, restores with `takeover` and the HMAC
// challenge, keeps the session up with back-off reconnects, and turns the session's pushes
// into Connector events. Layers: socket (frames, tags, crypto) → login (handshakes) →
// session (requests) → sync/live (events). Spec: ../shared/protocols/whatsapp-web.md.

import { JunctionError } from '../../../shared/errors'
import type { OutgoingDraft } from '../../../shared/model'
import { backoffDelay } from '../../base/backoff'
import type { Logger } from '../../base/log'
import type {
  Connector,
  ConnectorContext,
  ConnectorListener,
  Credentials,
  Cursors,
  IncomingMessage,
  LoginIO,
  LoginRequest,
  LoginResult,
  MediaBytes,
  NetworkDefinition,
  SendResult,
  SyncResult
} from '../connector'
import { ConnectorEvents } from '../events'
import { configProblem, parseConfig, type WhatsAppConfig } from './config'
import { CursorBook } from './cursors'
import { Directory } from './directory'
import { displayNumber, isGroupJid } from './jid'
import { LiveHandler } from './live'
import { pair, resume, type Established } from './login'
import { fetchMediaWithRefresh, findMediaRef } from './media'
import { MessageIndex } from './message-index'
import { encodeOutgoingText, messageIdFor } from './messages'
import { PushRouter, type SessionPush } from './pushes'
import { WASession } from './session'
import { WASocket, type SocketOptions } from './socket'
import { disconnectError } from './status'
import { decodeBatch, LoginSync, PAGE_SIZE } from './sync'
import { credentialsSchema, type ConnInfo, type WACredentials } from './types'

interface Live {
  socket: WASocket
  router: PushRouter
  session: WASession
  handler: LiveHandler
  loginSync: LoginSync | null
  /** Live pushes held back until the login sync has emitted its events. */
  gate: SessionPush[]
  synced: Promise<SyncResult>
  subscribed: Set<string>
}

const EMPTY_SYNC: SyncResult = { chats: [], contacts: [], messages: [] }
/** How many of the most recent chats get presence subscriptions (typing) right after login. */
const SUBSCRIBE_RECENT = 20

export class WhatsAppConnector implements Connector {
  readonly network = 'whatsapp' as const
  private readonly events: ConnectorEvents
  private readonly config: WhatsAppConfig
  private readonly log: Logger
  private readonly directory = new Directory()
  private readonly index = new MessageIndex()
  private readonly cursors = new CursorBook()
  private credentials: WACredentials | null = null
  private live: Live | null = null
  /** Relays awaiting their ack, by message id (receipts for them wait, see LiveHandler). */
  private readonly sending = new Map<string, Promise<unknown>>()
  private reconnectTimer: NodeJS.Timeout | null = null
  private reconnectAttempt = 0
  /** close() or logout(): nothing reconnects any more. */
  private closed = false
  /** The session ended for good (taken over, logged out): wait for the person. */
  private stopped = false

  constructor(context: ConnectorContext) {
    this.config = parseConfig(context.config)
    this.log = context.log
    this.events = new ConnectorEvents((error) => this.log.error({ error }, 'whatsapp event listener failed'))
  }

  on(listener: ConnectorListener): () => void {
    return this.events.on(listener)
  }

  private socketOptions(): SocketOptions {
    const { url, origin, requestTimeoutMs, keepAliveIntervalMs, linkLostAfterMs } = this.config
    return { url, origin, requestTimeoutMs, keepAliveIntervalMs, linkLostAfterMs, log: this.log }
  }

  async login(request: LoginRequest, io: LoginIO): Promise<LoginResult> {
    if (request.methodId !== 'qr') throw new JunctionError('unsupported', 'WhatsApp signs in by QR code only.')
    io.step({ kind: 'progress', stage: 'connecting' })
    const socket = await WASocket.connect(this.socketOptions(), io.signal)
    const router = new PushRouter(socket, this.log)
    const onAbort = (): void => socket.close()
    io.signal.addEventListener('abort', onAbort)
    let established: Established
    try {
      established = await pair(socket, this.config, io)
    } catch (error) {
      router.dispose()
      socket.close()
      throw io.signal.aborted ? new JunctionError('cancelled', 'The login was cancelled.') : error
    } finally {
      io.signal.removeEventListener('abort', onAbort)
    }
    io.step({ kind: 'progress', stage: 'syncing' })
    this.closed = false
    this.stopped = false
    this.credentials = established.credentials
    this.start(socket, router, established)
    const { wid } = established.credentials
    return { selfId: wid, displayName: established.conn.pushname || displayNumber(wid), credentials: { ...established.credentials } }
  }

  async restore(credentials: Credentials, cursors: Cursors): Promise<void> {
    const parsed = credentialsSchema.safeParse(credentials)
    if (!parsed.success) throw new JunctionError('auth-failed', 'The saved WhatsApp session is damaged. Scan a new QR code.')
    this.credentials = parsed.data
    this.cursors.load(cursors)
    this.closed = false
    this.stopped = false
    this.events.emit({ type: 'status', status: { state: 'connecting' } })
    await this.connectAndResume()
  }

  /** One restore attempt (spec §2.7): connect, log in with takeover, start the session. */
  private async connectAndResume(): Promise<void> {
    const saved = this.credentials
    if (!saved) throw new JunctionError('auth-failed', 'There is no saved WhatsApp session.')
    const socket = await WASocket.connect(this.socketOptions())
    const router = new PushRouter(socket, this.log)
    let established: Established
    try {
      established = await resume(socket, this.config, saved)
    } catch (error) {
      router.dispose()
      socket.close()
      throw error
    }
    if (this.closed) {
      router.dispose()
      socket.close()
      throw new JunctionError('cancelled', 'The connection was closed.')
    }
    this.updateCredentials(established.credentials)
    this.onConn(established.conn)
    this.start(socket, router, established)
  }

  private start(socket: WASocket, router: PushRouter, established: Established): void {
    const session = new WASession(socket, established.credentials.wid)
    const emit = this.events.emit.bind(this.events)
    const deps = { session, directory: this.directory, index: this.index, cursors: this.cursors, emit, log: this.log, sendInFlight: (id: string) => this.sending.get(id) }
    const loginSync = new LoginSync({ ...deps, syncWaitMs: this.config.syncWaitMs })
    const current: Live = { socket, router, session, handler: new LiveHandler(deps), loginSync, gate: [], subscribed: new Set(), synced: Promise.resolve(EMPTY_SYNC) }
    // Live pushes wait at the gate until the login sync has emitted its events (see sync.ts).
    const synced = loginSync.run().finally(() => {
      if (this.live !== current) return
      current.loginSync = null
      for (const push of current.gate.splice(0)) this.dispatch(current, push)
    })
    current.synced = synced
    this.live = current
    this.reconnectAttempt = 0
    socket.events.on('close', ({ reason }) => this.onSocketClosed(current, reason))
    if (!socket.isOpen) queueMicrotask(() => this.onSocketClosed(current, 'remote'))
    synced.then(
      (result) => this.subscribeRecent(current, result),
      (error: unknown) => this.log.warn({ error }, 'login sync failed')
    )
    router.start((push) => this.onPush(current, push))
    this.events.emit({ type: 'status', status: { state: 'online' } })
    // spec §6.6: WA Web announces itself available after login.
    session.setPresence('available').catch((error: unknown) => this.log.debug({ error }, 'presence not sent'))
  }

  private onPush(live: Live, push: SessionPush): void {
    if (this.live !== live) return
    if (push.type === 'conn') return this.onConn(push.conn)
    if (push.type === 'cmd') {
      if (push.cmd.type === 'disconnect') return this.endSession(disconnectError(push.cmd.kind))
      if (push.cmd.type === 'upgrade_md_prod') return this.endSession(new JunctionError('auth-failed', 'This WhatsApp account moved to multi-device.'))
      return
    }
    if (live.loginSync) {
      if (!live.loginSync.offer(push)) live.gate.push(push)
      return
    }
    this.dispatch(live, push)
  }

  private dispatch(live: Live, push: SessionPush): void {
    try {
      live.handler.handle(push)
    } catch (error) {
      this.log.error({ error, push: push.type }, 'a push could not be handled')
    }
  }

  /** spec §2.7: `Conn` carries rotated tokens (saved at once) and profile updates. */
  private onConn(conn: ConnInfo): void {
    if (this.credentials && (conn.clientToken || conn.serverToken || conn.browserToken)) {
      const next = { ...this.credentials }
      if (conn.clientToken) next.clientToken = conn.clientToken
      if (conn.serverToken) next.serverToken = conn.serverToken
      if (conn.browserToken) next.browserToken = conn.browserToken
      this.updateCredentials(next)
    }
    if (conn.pushname) this.events.emit({ type: 'profile', displayName: conn.pushname })
  }

  private updateCredentials(next: WACredentials): void {
    const prev = this.credentials
    this.credentials = next
    if (!prev || prev.clientToken !== next.clientToken || prev.serverToken !== next.serverToken || prev.browserToken !== next.browserToken) {
      this.events.emit({ type: 'credentials', credentials: { ...next } })
    }
  }

  private onSocketClosed(live: Live, reason: string): void {
    if (this.live !== live) return
    this.live = null
    live.router.dispose()
    if (this.closed || this.stopped) return
    this.log.info({ reason }, 'connection to WhatsApp ended; reconnecting')
    this.scheduleReconnect()
  }

  private scheduleReconnect(): void {
    if (this.closed || this.stopped || this.reconnectTimer) return
    const wait = backoffDelay(this.reconnectAttempt++, { baseMs: this.config.reconnectBaseMs, maxMs: this.config.reconnectMaxMs, jitter: 0.3 })
    this.events.emit({ type: 'status', status: { state: 'reconnecting', retryAt: Date.now() + wait } })
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null
      if (this.closed || this.stopped) return
      this.connectAndResume().catch((error: unknown) => {
        const e = error instanceof JunctionError ? error : new JunctionError('network', 'Could not reconnect.', { cause: error })
        if (e.code === 'conflict' || e.code === 'logged-out' || e.code === 'auth-failed') return this.endSession(e)
        if (e.code === 'cancelled') return
        this.log.warn({ code: e.code }, 'reconnect failed')
        this.scheduleReconnect()
      })
    }, wait)
  }

  /** spec §2.8/§10.3: taken over, or logged out: stop for good (no takeover loop), and say why. */
  private endSession(error: JunctionError): void {
    this.stopped = true
    const live = this.live
    this.live = null
    if (live) {
      live.router.dispose()
      live.socket.close()
    }
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.reconnectTimer = null
    this.log.warn({ code: error.code, detail: error.detail }, 'whatsapp session ended')
    this.events.emit({ type: 'status', status: error.code === 'conflict' ? { state: 'offline', reason: error.message } : { state: 'needs-login', reason: error.message } })
  }

  private requireLive(): Live {
    if (!this.live || !this.live.socket.isOpen) throw new JunctionError('unavailable', 'WhatsApp is not connected right now.')
    return this.live
  }

  private subscribe(live: Live, jid: string): void {
    if (live.subscribed.has(jid)) return
    live.subscribed.add(jid)
    live.session.subscribePresence(jid).catch((error: unknown) => this.log.debug({ error }, 'presence subscription failed'))
  }

  private subscribeRecent(live: Live, result: SyncResult): void {
    if (this.live !== live) return
    const recent = [...result.chats].sort((a, b) => (b.lastActivity ?? 0) - (a.lastActivity ?? 0)).slice(0, SUBSCRIBE_RECENT)
    for (const chat of recent) this.subscribe(live, chat.remoteId)
  }

  async sync(): Promise<SyncResult> {
    return this.requireLive().synced
  }

  async history(chatRemoteId: string, before: { remoteId: string; timestamp: number } | null, limit: number): Promise<IncomingMessage[]> {
    const live = this.requireLive()
    this.subscribe(live, chatRemoteId)
    const out: IncomingMessage[] = []
    let anchor = before ? { id: before.remoteId, fromMe: this.index.get(before.remoteId)?.fromMe ?? false } : null
    // Pages of 50 as WA Web asked; fewer than asked means the phone has no more (Core relies on that).
    while (out.length < limit) {
      const want = Math.min(limit - out.length, PAGE_SIZE)
      const page = await live.session.queryMessages(chatRemoteId, 'before', want, anchor)
      if (!page.found) break
      const decoded = decodeBatch(page.messages, { session: live.session, index: this.index, log: this.log })
      for (const m of decoded) this.index.note(m.message, m.media)
      // The wire gives oldest → newest; the contract wants newest first.
      out.push(...decoded.map((m) => m.message).reverse())
      const oldest = decoded[0]
      if (page.last || !oldest || page.messages.length < want) break
      anchor = { id: oldest.message.remoteId, fromMe: oldest.message.fromMe }
    }
    return out
  }

  async send(chatRemoteId: string, clientId: string, draft: OutgoingDraft): Promise<SendResult> {
    const live = this.requireLive()
    if (draft.kind === 'image') throw new JunctionError('unsupported', 'Sending pictures to WhatsApp is not supported yet.')
    const self = live.session.selfJid
    // spec §6.2: the id comes from the client id, so a retry is the same message and the server drops the copy.
    const id = messageIdFor(clientId)
    this.index.noteSent(id, clientId, chatRemoteId, self)
    const now = Math.floor(Date.now() / 1000)
    const bytes = encodeOutgoingText({ chatJid: chatRemoteId, selfJid: self, id, text: draft.text, timestampSeconds: now })
    const relay = live.session.relay(id, bytes, chatRemoteId === self)
    this.sending.set(id, relay)
    let t: number | null
    try {
      t = await relay
    } finally {
      if (this.sending.get(id) === relay) this.sending.delete(id)
    }
    this.subscribe(live, chatRemoteId)
    return { remoteId: id, timestamp: (t ?? now) * 1000, status: 'sent' }
  }

  async markRead(chatRemoteId: string, upToRemoteId: string | null): Promise<void> {
    const live = this.requireLive()
    this.subscribe(live, chatRemoteId)
    const target = upToRemoteId ?? this.index.newestIncomingOf(chatRemoteId)?.id
    if (!target) return
    const known = this.index.get(target)
    const participant = isGroupJid(chatRemoteId) && known && !known.fromMe ? known.senderId : undefined
    await live.session.markRead(chatRemoteId, target, known?.fromMe ?? false, participant)
  }

  async setTyping(chatRemoteId: string, typing: boolean): Promise<void> {
    const live = this.requireLive()
    this.subscribe(live, chatRemoteId)
    await live.session.setPresence(typing ? 'composing' : 'paused', chatRemoteId)
  }

  async fetchMedia(chatRemoteId: string, messageRemoteId: string): Promise<MediaBytes> {
    const live = this.requireLive()
    const ref = this.index.mediaOf(messageRemoteId) ?? (await findMediaRef({ session: live.session, index: this.index, log: this.log }, chatRemoteId, messageRemoteId))
    if (!ref) throw new JunctionError('not-found', 'That picture is no longer available on WhatsApp.')
    return { mime: ref.mime, bytes: await fetchMediaWithRefresh(ref, this.config, () => live.session.refreshMediaUrl(chatRemoteId, messageRemoteId, ref.owner)) }
  }

  async logout(): Promise<void> {
    const live = this.live
    if (live?.socket.isOpen) {
      try {
        live.session.logout()
      } catch (error) {
        this.log.warn({ error }, 'logout frame not sent')
      }
    }
    this.credentials = null
    await this.close()
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.reconnectTimer = null
    const live = this.live
    this.live = null
    if (live) {
      live.router.dispose()
      live.socket.close()
    }
  }
}

export const whatsappNetwork: NetworkDefinition = {
  id: 'whatsapp',
  displayName: 'WhatsApp',
  loginMethods: [{ id: 'qr', kind: 'qr' }],
  capabilities: {
    typing: true,
    deliveryReceipts: true,
    readReceipts: true,
    receiveImages: true,
    sendImages: false,
    stickers: true,
    emotes: false,
    edits: false,
    unsend: false,
    groups: true,
    sealing: false,
    presence: false
  },
  setupProblem: (context) => configProblem(context.config),
  create: (context) => new WhatsAppConnector(context)
}
