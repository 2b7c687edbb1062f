// The WhatsApp Web legacy protocol as a Connector: pairs by QR, restores with `takeover` and
// the HMAC challenge, and turns the session's pushes into Connector events. The session
// supervisor (networks/supervisor.ts) keeps it up: one `connectOnce` is one connection plus
// a restore; a takeover or a logout push ends the session with its typed error, which the
// supervisor turns into offline / needs login without a reconnect loop. Layers: transport
// (frames, tags, crypto) → login (handshakes) → live connection (live.ts: session, login sync,
// pushes) → sync/inbound (events); presence.ts follows the chats opened, typed in and sent to.
// Spec: ../shared/protocols/whatsapp-web.md.

import type { NetworkCapabilities } from '../../../../shared/api'
import { JunctionError } from '../../../../shared/errors'
import type { FileDraft, OutgoingDraft } from '../../../../shared/model'
import type { Logger } from '../../../base/log'
import { probeUrl } from '../../../base/probe'
import { syncOnce } from '../../connector'
import type {
  AvatarKind,
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
  SendOptions,
  SendResult,
  SyncBatch,
  SyncResult
} from '../../connector'
import { ConnectorEvents } from '../../events'
import { SessionSupervisor, type SupervisedSession } from '../../supervisor'
import { displayNumber, isGroupJid } from './jid'
import { parseConfig, type WhatsAppConfig } from './config'
import { AddressBook } from './contacts'
import { parseCredentials, toSaved, type WACredentials } from './credentials'
import { CursorBook } from './cursors'
import { classify } from './errors'
import { isGroupActionLine } from './group-actions'
import { LiveConnection } from './live'
import type { Established } from './login/handshake'
import { pair } from './login/pair'
import { resume } from './login/resume'
import { fetchMediaWithRefresh, findMediaRef } from './media'
import { MessageIndex } from './message-index'
import { decodeBatch } from './messages'
import { Outbound } from './outbound'
import { LegacyPresence } from './presence'
import { PushRouter } from './pushes'
import { fetchProfilePicture } from './profile-picture'
import { PAGE_SIZE } from './session'
import { WASocket, type SocketOptions } from './transport'
import { LEGACY_MAX_UPLOAD_BYTES, MediaUploader } from './upload'
import type { ConnInfo } from './wire-schemas'

/** How many of the most recent chats get presence subscriptions (typing, last seen) right after login. */
const SUBSCRIBE_RECENT = 20

export class WhatsAppLegacyProtocol implements Connector {
  readonly network = 'whatsapp' as const
  private readonly events: ConnectorEvents
  private readonly config: WhatsAppConfig
  private readonly log: Logger
  private readonly supervisor: SessionSupervisor
  private readonly directory = new AddressBook()
  private readonly index = new MessageIndex()
  private readonly cursors = new CursorBook()
  private readonly outbound: Outbound
  private readonly presence: LegacyPresence
  private credentials: WACredentials | null = null
  private pushname: string | null = null
  private live: LiveConnection | null = null

  constructor(context: ConnectorContext) {
    this.config = parseConfig(context.config)
    this.log = context.log
    this.events = new ConnectorEvents((error) => this.log.error({ error }, 'whatsapp event listener failed'))
    this.outbound = new Outbound(this.index, new MediaUploader(this.config, this.log))
    this.presence = new LegacyPresence({ emit: (event) => this.events.emit(event), log: this.log })
    const { reconnectBaseMs, reconnectMaxMs, probeIntervalMs, url } = this.config
    this.supervisor = new SessionSupervisor(
      { connectOnce: (signal) => this.connectOnce(signal), classify, probe: () => probeUrl(url) },
      {
        emitStatus: (status) => this.events.emit({ type: 'status', status }),
        log: this.log,
        backoff: { baseMs: reconnectBaseMs, maxMs: reconnectMaxMs, jitter: 0.3 },
        connectivity: context.connectivity,
        probeIntervalMs
      }
    )
  }

  on(listener: ConnectorListener): () => void {
    return this.events.on(listener)
  }

  private socketOptions(): SocketOptions {
    const { url, origin, requestTimeoutMs, keepAliveIntervalMs, linkLostAfterMs } = this.config
    return { url, origin, requestTimeoutMs, keepAliveIntervalMs, linkLostAfterMs, log: this.log }
  }

  async login(_request: LoginRequest, io: LoginIO): Promise<LoginResult> {
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
    this.credentials = established.credentials
    this.pushname = established.conn.pushname || null
    // From here on the supervisor keeps this session up (and reconnects with the new credentials).
    this.supervisor.adopt(this.start(socket, router, established))
    const { wid } = established.credentials
    return { selfId: wid, displayName: established.conn.pushname || displayNumber(wid), credentials: toSaved(established.credentials) }
  }

  async restore(credentials: Credentials, cursors: Cursors): Promise<void> {
    this.credentials = parseCredentials(credentials)
    this.cursors.load(cursors)
    await this.supervisor.start()
  }

  reconnectNow(): void {
    this.supervisor.reconnectNow()
  }

  /**
   * The legacy protocol carries quotes and revokes (delete for everyone) but no reactions or edits;
   * its presence pushes say online and last seen (presence.ts), as the network declares.
   * Pictures and documents go through the media upload (spec §7.4); any type goes as a document.
   */
  capabilities(): Partial<NetworkCapabilities> {
    return { reactions: false, edits: false, sendImages: true, sendFiles: true, maxUploadBytes: LEGACY_MAX_UPLOAD_BYTES }
  }

  /** One attempt for the supervisor (spec §2.7): connect, log in with takeover, start the session. */
  private async connectOnce(signal: AbortSignal): Promise<SupervisedSession> {
    const saved = this.credentials
    if (!saved) throw new JunctionError('auth-failed', 'There is no saved WhatsApp session.', { reason: { code: 'no-credentials' } })
    const socket = await WASocket.connect(this.socketOptions(), signal)
    const router = new PushRouter(socket, this.log)
    const onAbort = (): void => socket.close()
    signal.addEventListener('abort', onAbort)
    let established: Established
    try {
      established = await resume(socket, this.config, saved, signal)
    } catch (error) {
      router.dispose()
      socket.close()
      throw error
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
    this.updateCredentials(established.credentials)
    this.onConn(established.conn)
    return this.start(socket, router, established)
  }

  private start(socket: WASocket, router: PushRouter, established: Established): SupervisedSession {
    const live = new LiveConnection(socket, router, established, {
      deps: {
        directory: this.directory,
        index: this.index,
        cursors: this.cursors,
        emit: (event) => this.events.emit(event),
        log: this.log,
        sendInFlight: (id) => this.outbound.inFlightFor(id),
        onOwnPicture: (avatar) => this.events.emit({ type: 'profile', displayName: this.pushname ?? displayNumber(live.session.selfJid), avatar })
      },
      syncWaitMs: this.config.syncWaitMs,
      isCurrent: (l) => this.live === l,
      onConn: (conn) => this.onConn(conn),
      onSynced: (l, result) => this.onSynced(l, result),
      onEnded: (l) => {
        if (this.live === l) this.live = null
        this.presence.disconnected(l.session)
      }
    })
    this.live = live
    live.start()
    return live.supervised
  }

  /**
   * The login sync is done: the chats followed before (a reconnect) are subscribed again, then the
   * most recent ones, so typing and last seen come from the chats the person looks at (presence.ts).
   */
  private onSynced(live: LiveConnection, result: SyncResult): void {
    this.presence.connected(live.session)
    const recent = [...result.chats].sort((a, b) => (b.lastActivity ?? 0) - (a.lastActivity ?? 0)).slice(0, SUBSCRIBE_RECENT)
    // Oldest first, so the most recent chat ends up the most recently followed.
    for (const chat of recent.reverse()) this.presence.subscribe(chat.remoteId)
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
    if (conn.pushname) {
      this.pushname = conn.pushname
      this.events.emit({ type: 'profile', displayName: conn.pushname })
    }
  }

  private updateCredentials(next: WACredentials): void {
    const prev = this.credentials
    this.credentials = next
    if (!prev || prev.clientToken !== next.clientToken || prev.serverToken !== next.serverToken || prev.browserToken !== next.browserToken) {
      this.events.emit({ type: 'credentials', credentials: toSaved(next) })
    }
  }

  private requireLive(): LiveConnection {
    if (!this.live || !this.live.socket.isOpen) throw new JunctionError('unavailable', 'WhatsApp is not connected right now.')
    return this.live
  }

  /** The login sync's result, as one batch (its events went out as it ran). */
  sync(): AsyncIterable<SyncBatch> {
    return syncOnce(Promise.resolve().then(() => this.requireLive().synced))
  }

  async history(chatRemoteId: string, before: { remoteId: string; timestamp: number } | null, limit: number): Promise<IncomingMessage[]> {
    const live = this.requireLive()
    this.presence.subscribe(chatRemoteId)
    const out: IncomingMessage[] = []
    // A group action's line (group-actions.ts) is no phone's message: older than it is the newest page.
    const phoneAnchor = before && !isGroupActionLine(before.remoteId) ? before : null
    let anchor = phoneAnchor ? { id: phoneAnchor.remoteId, fromMe: this.index.get(phoneAnchor.remoteId)?.fromMe ?? false } : null
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

  async send(chatRemoteId: string, clientId: string, draft: OutgoingDraft, options?: SendOptions): Promise<SendResult> {
    const live = this.requireLive()
    const ownName = this.pushname || displayNumber(live.session.selfJid)
    const result = await this.outbound.send(live.session, chatRemoteId, clientId, draft, ownName, options)
    this.presence.subscribe(chatRemoteId)
    return result
  }

  async unsend(chatRemoteId: string, messageRemoteId: string): Promise<void> {
    await this.outbound.unsend(this.requireLive().session, chatRemoteId, messageRemoteId)
  }

  async sendFile(chatRemoteId: string, clientId: string, draft: FileDraft, options?: SendOptions): Promise<SendResult> {
    const live = this.requireLive()
    const result = await this.outbound.sendFile(live.session, chatRemoteId, clientId, draft, options)
    this.presence.subscribe(chatRemoteId)
    return result
  }

  async markRead(chatRemoteId: string, upToRemoteId: string | null): Promise<void> {
    const live = this.requireLive()
    // Opening a chat reads it (Core's markChatRead): from then on its contact's presence is followed.
    this.presence.subscribe(chatRemoteId)
    // A group action's line is no phone's message; the receipt names the newest one the phone has.
    const named = upToRemoteId && !isGroupActionLine(upToRemoteId) ? upToRemoteId : null
    const target = named ?? this.index.newestIncomingOf(chatRemoteId)?.id
    if (!target) return
    const known = this.index.get(target)
    const participant = isGroupJid(chatRemoteId) && known && !known.fromMe ? known.senderId : undefined
    await live.session.markRead(chatRemoteId, target, known?.fromMe ?? false, participant)
  }

  async setTyping(chatRemoteId: string, typing: boolean): Promise<void> {
    const live = this.requireLive()
    this.presence.subscribe(chatRemoteId)
    await live.session.setPresence(typing ? 'composing' : 'paused', chatRemoteId)
  }

  async fetchMedia(chatRemoteId: string, messageRemoteId: string): Promise<MediaBytes> {
    const live = this.requireLive()
    const ref =
      this.index.mediaOf(messageRemoteId) ?? (await findMediaRef({ session: live.session, index: this.index, log: this.log }, chatRemoteId, messageRemoteId))
    if (!ref) throw new JunctionError('not-found', 'That picture is no longer available on WhatsApp.')
    return {
      mime: ref.mime,
      bytes: await fetchMediaWithRefresh(ref, this.config, () => live.session.refreshMediaUrl(chatRemoteId, messageRemoteId, ref.owner))
    }
  }

  /** spec §6.3 ProfilePicThumb (issue 12 §3): profile-picture.ts. */
  async fetchAvatar(_kind: AvatarKind, remoteId: string): Promise<MediaBytes | null> {
    const live = this.requireLive()
    return fetchProfilePicture((value) => live.socket.request(value), remoteId, this.config)
  }

  /** spec §2.8: the goodbye frame ends the pairing on the server; then close. */
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
    await this.supervisor.stop()
    this.live?.end()
    this.live = null
  }
}
