// WhatsApp multi-device as a Connector (spec whatsapp-md.md). Layers: transport (websocket,
// framing, Noise) → session (iqs, stream errors, keep-alive) → login (QR, pair-success) and
// inbound/outbound (Signal through libsignal, state in the KeyStore). The SessionSupervisor
// keeps the session up: one `connectOnce` is one login connection; 515 reconnects, logged out
// needs a login, `replaced` goes offline without a reconnect loop, 405 says the client is outdated.

import { JunctionError } from '../../../../shared/errors'
import type { FileDraft, OutgoingDraft } from '../../../../shared/model'
import type { Logger } from '../../../base/log'
import { probeUrl } from '../../../base/probe'
import type {
  AvatarKind,
  ChatStateChange,
  Connector,
  ConnectorContext,
  ConnectorEvent,
  ConnectorListener,
  Credentials,
  Cursors,
  IncomingMessage,
  KeyStore,
  LoginIO,
  LoginRequest,
  LoginResult,
  MediaBytes,
  SendOptions,
  SendResult,
  SyncBatch
} from '../../connector'
import { ConnectorEvents } from '../../events'
import { SessionSupervisor, type SupervisedSession } from '../../supervisor'
import { EDIT_ATTR, editContent, KnownMessages, reactionContent, revokeContent, textContent } from './actions'
import { userJidOf, type BinaryNode } from './binary'
import { parseWhatsAppMdConfig, type WhatsAppMdConfig } from './config'
import { parseCredentials, toSaved, type MdCredentials } from './credentials'
import { classify } from './errors'
import { EarlyReceipts } from './early-receipts'
import { Inbound } from './inbound'
import { loginAnswer } from './login/answer'
import { buildLoginPayload } from './login/payload'
import { HistoryProgress } from './login/history-wait'
import { MdMedia } from './media-client'
import { MD_NAMESPACES } from './namespaces'
import { AppStateSync } from './app-state/sync'
import { linkDevice } from './login/link'
import { askPhone, PHONE_CODE_METHOD } from './login/pairing-code'
import { Outbound, type StanzaAttrs } from './outbound'
import { PlaceholderResend } from './placeholder'
import { relayStanza } from './relay'
import type { WAMessage } from './proto'
import { cleanPushName, MdPresence } from './presence'
import { fetchProfilePicture, PictureTokens, withPictureTokens } from './pictures'
import { MdSession } from './session'
import { ensurePreKeys, uploadPreKeys, PREKEY_LOW, PREKEY_REFILL } from './signal/prekeys'
import { SignalStore } from './signal/store'
import { node, S_WHATSAPP_NET } from './stanza'
import { openTransport } from './transport'

const ACK_TIMEOUT_MS = 20_000

interface Live {
  session: MdSession
  inbound: Inbound
  acks: Map<string, (ack: BinaryNode) => void>
}

export class WhatsAppMdProtocol implements Connector {
  readonly network = 'whatsapp' as const
  private readonly config: WhatsAppMdConfig
  private readonly log: Logger
  private readonly keyStore: KeyStore
  private readonly events: ConnectorEvents
  private readonly supervisor: SessionSupervisor
  private readonly store: SignalStore
  private readonly outbound: Outbound
  private readonly placeholders: PlaceholderResend
  private readonly media: MdMedia
  private readonly appState: AppStateSync
  private creds: MdCredentials | null = null
  private live: Live | null = null
  /** Receipts for messages still waiting for the server's ack, until `send` returns (early-receipts.ts). */
  private readonly early = new EarlyReceipts()
  private readonly historyProgress = new HistoryProgress()
  /** Messages seen this session, by id: an action names its target by chat, id and whose it is. */
  private readonly known = new KnownMessages()
  private readonly presence: MdPresence
  private readonly pictures = new PictureTokens()

  constructor(context: ConnectorContext) {
    this.config = parseWhatsAppMdConfig(context.config)
    this.log = context.log
    // Chats and the profile carry picture tokens on every path to Core, committed with key writes or not (md/pictures.ts).
    this.keyStore = withPictureTokens(context.keyStore, this.pictures)
    this.events = new ConnectorEvents((error) => this.log.error({ error }, 'whatsapp event listener failed'))
    this.store = new SignalStore(this.keyStore, () => this.requireCreds())
    this.outbound = new Outbound(this.store, () => this.requireCreds())
    this.placeholders = new PlaceholderResend({
      outbound: this.outbound,
      session: () => this.live?.session ?? null,
      delayMs: this.config.placeholderResendMs,
      log: this.log,
      nextId: () => Outbound.actionId()
    })
    const session = (): MdSession | null => this.live?.session ?? null
    this.media = new MdMedia(this.keyStore, this.config, session, () => userJidOf(this.creds?.me?.jid ?? ''))
    this.appState = new AppStateSync({ keyStore: this.keyStore, session, download: (ref) => this.media.downloadBlob(ref, 'app-state'), log: this.log })
    this.presence = new MdPresence({ send: (n) => this.requireLive().session.send(n), emit: (event) => this.events.emit(event) })
    this.supervisor = new SessionSupervisor(
      { connectOnce: (signal) => this.connectOnce(signal), classify, probe: () => probeUrl(this.config.wsUrl) },
      {
        emitStatus: (status) => this.events.emit({ type: 'status', status }),
        log: this.log,
        backoff: { baseMs: this.config.reconnectBaseMs, maxMs: this.config.reconnectMaxMs, jitter: 0.3 },
        connectivity: context.connectivity,
        probeIntervalMs: this.config.probeIntervalMs
      }
    )
  }

  on(listener: ConnectorListener): () => void {
    return this.events.on((event) => listener(this.pictures.decorate(event)))
  }

  private requireCreds(): MdCredentials {
    if (!this.creds) throw new JunctionError('auth-failed', 'There is no saved WhatsApp session.', { reason: { code: 'no-credentials' } })
    return this.creds
  }

  private async open(payload: Uint8Array, creds: MdCredentials, signal?: AbortSignal): Promise<MdSession> {
    const c = this.config
    const transport = await openTransport({
      url: c.wsUrl,
      origin: c.origin,
      trust: { rootPublicKey: c.noiseRootPublicKey, now: c.nowSeconds },
      noiseKey: creds.noiseKey,
      clientPayload: payload,
      ...(creds.routingInfo ? { routingInfo: creds.routingInfo } : {}),
      handshakeTimeoutMs: c.handshakeTimeoutMs,
      ...(signal ? { signal } : {}),
      log: this.log
    })
    return new MdSession(transport, { requestTimeoutMs: c.requestTimeoutMs, keepAliveMinMs: c.keepAliveMinMs, keepAliveMaxMs: c.keepAliveMaxMs, log: this.log })
  }

  /** spec §5: QR pairing (refs renewed across connections), pair-success, the 515 restart, then a login. */
  async login(request: LoginRequest, io: LoginIO): Promise<LoginResult> {
    // spec §5.6: the phone-code method asks for the number first; the rest is the QR flow's.
    const phone = request.methodId === PHONE_CODE_METHOD ? await askPhone(io, request.fields.phone) : null
    io.step({ kind: 'progress', stage: 'connecting' })
    const paired = await linkDevice({ config: this.config, log: this.log, open: (payload, creds, signal) => this.open(payload, creds, signal) }, io, phone)
    this.creds = paired
    io.step({ kind: 'progress', stage: 'syncing', fraction: 0 })
    const history = this.historyProgress.watch(io, this.config.historyWaitMs)
    const live = await this.connectOnce(io.signal).catch((error: unknown) => {
      history.cancel()
      throw error
    })
    this.supervisor.adopt(live)
    await history.wait()
    const me = this.creds?.me ?? paired.me!
    return { selfId: userJidOf(me.jid), displayName: me.name ?? `+${userJidOf(me.jid).split('@')[0]}`, credentials: toSaved(paired) }
  }

  async restore(credentials: Credentials, _cursors: Cursors): Promise<void> {
    this.creds = parseCredentials(credentials)
    if (!this.creds.me) throw new JunctionError('auth-failed', 'The saved WhatsApp session was never paired.', { reason: { code: 'no-credentials' } })
    await this.supervisor.start()
  }

  reconnectNow(): void {
    this.supervisor.reconnectNow()
  }

  /** One login connection (spec §4.1, §4.4, §4.7). */
  private async connectOnce(signal: AbortSignal): Promise<SupervisedSession> {
    const creds = this.requireCreds()
    const jid = creds.me?.jid ?? ''
    const [user = '', device = '0'] = jid.split('@')[0]!.split(':')
    const session = await this.open(buildLoginPayload(this.config.version, user, Number(device)), creds, signal)
    // Stanzas right behind the login answer (the offline queue) wait for the inbound handler.
    const { success: first, early } = await loginAnswer(session)
    if (first.attrs.lid && creds.me && creds.me.lid !== first.attrs.lid) {
      this.creds = { ...creds, me: { ...creds.me, lid: first.attrs.lid } }
      this.events.emit({ type: 'credentials', credentials: toSaved(this.creds) })
    }
    const live: Live = { session, acks: new Map(), inbound: null as unknown as Inbound }
    live.inbound = new Inbound({
      session,
      store: this.store,
      outbound: this.outbound,
      creds: () => this.requireCreds(),
      emit: (event) => this.emitInbound(live, event),
      log: this.log,
      onMessages: (messages) => {
        for (const m of messages) {
          this.known.note({ chat: m.chatRemoteId, id: m.remoteId, fromMe: m.fromMe, senderId: m.senderId })
          if (!m.fromMe) this.presence.noteName(m.senderId, m.senderName)
          this.presence.subscribe(m.chatRemoteId)
        }
      },
      onHistory: (progress) => this.historyProgress.notify(progress),
      downloadHistory: (ref) => this.media.downloadBlob(ref, 'history'),
      onMessageAck: (ack) => live.acks.get(ack.attrs.id ?? '')?.(ack),
      onPreKeyLow: (count) => {
        if (count < PREKEY_LOW)
          void uploadPreKeys(session, this.store, this.requireCreds(), PREKEY_REFILL).catch((error: unknown) =>
            this.log.warn({ error }, 'pre-key refill failed')
          )
      },
      onOffline: () => this.log.debug({}, 'offline queue delivered'),
      onPresence: (n) => this.presence.handle(n),
      onPushName: (name) => this.setPushName(name),
      onAppStateKeys: () => void this.appState.keysArrived(),
      onServerSync: (names) => void this.appState.sync(names),
      onMediaRetry: (n) => void this.media.retryArrived(n),
      placeholders: this.placeholders,
      onPicture: (n) => {
        const event = this.creds?.me && this.pictures.notified(n, this.creds.me, (jid) => this.outbound.lids.chatOf(jid))
        if (event) this.events.emit(event)
      }
    })
    session.onStanza((n) => live.inbound.handle(n))
    for (const n of early.splice(0)) live.inbound.handle(n)
    this.live = live
    void session.ended.then(() => {
      if (this.live === live) this.live = null
    })
    try {
      await ensurePreKeys(session, this.store, creds, this.config.initialPreKeys)
      void live.inbound.syncGroups().catch((error: unknown) => this.log.warn({ error }, 'WhatsApp groups could not be listed'))
      await session.query(node('iq', { to: S_WHATSAPP_NET, xmlns: 'passive', type: 'set' }, [node('active')]))
      this.presence.connected(session, this.creds?.me?.name)
    } catch (error) {
      session.end(undefined)
      throw error
    }
    session.startKeepAlive()
    // spec §9.3: catch up on what changed while we were away (the first sync waits for the key share).
    if (this.appState.hasKeys()) void this.appState.sync()
    return { ended: session.ended, close: () => session.end(undefined) }
  }

  /** Receipts for messages in flight wait for `send` to return (see `early`); the rest go out at once. */
  private emitInbound(live: Live, event: ConnectorEvent): void {
    if (event.type !== 'receipt') return this.events.emit(event)
    const now = this.early.hold(event.messageRemoteIds, event.status, (id) => live.acks.has(id))
    if (now.length) this.events.emit({ ...event, messageRemoteIds: now })
  }

  /** spec §7.2, §10.2: our push name is the account's display name; kept in the credentials, announced with presence. */
  private setPushName(raw: string): void {
    const name = cleanPushName(raw)
    const creds = this.creds
    if (!name || !creds?.me || creds.me.name === name) return
    this.creds = { ...creds, me: { ...creds.me, name } }
    this.events.emit({ type: 'credentials', credentials: toSaved(this.creds) })
    this.events.emit({ type: 'profile', displayName: name })
    this.presence.announce(name)
  }

  async *sync(): AsyncIterable<SyncBatch> {
    yield { chats: [], contacts: [], messages: [], progress: 1 }
  }

  async history(): Promise<IncomingMessage[]> {
    return []
  }

  private requireLive(): Live {
    if (!this.live) throw new JunctionError('unavailable', 'WhatsApp is not connected right now.')
    return this.live
  }

  async send(chatRemoteId: string, clientId: string, draft: OutgoingDraft, options?: SendOptions): Promise<SendResult> {
    if (draft.kind === 'image') return this.sendContent(chatRemoteId, clientId, await this.media.imageContent(draft, options), { type: 'media' })
    return this.sendContent(chatRemoteId, clientId, textContent(draft.text, draft.replyTo, userJidOf(this.requireCreds().me?.jid ?? '')))
  }

  /** spec §8.3: upload, then the DocumentMessage. */
  async sendFile(chatRemoteId: string, clientId: string, draft: FileDraft, options?: SendOptions): Promise<SendResult> {
    return this.sendContent(chatRemoteId, clientId, await this.media.documentContent(draft, options), { type: 'media' })
  }

  private async sendContent(chatRemoteId: string, clientId: string, content: WAMessage, attrs: StanzaAttrs = {}): Promise<SendResult> {
    const id = Outbound.messageId(clientId)
    const own = userJidOf(this.requireCreds().me?.jid ?? '')
    this.presence.subscribe(chatRemoteId)
    const ack = await this.relay(chatRemoteId, id, content, attrs)
    this.known.note({ chat: userJidOf(chatRemoteId), id, fromMe: true, senderId: own })
    this.media.remember(userJidOf(chatRemoteId), id, content)
    const early = this.early.take(id)
    // A read that came before the ack is reported once Core has stored the send's outcome.
    if (early === 'read')
      setImmediate(() => this.events.emit({ type: 'receipt', chatRemoteId: userJidOf(chatRemoteId), messageRemoteIds: [id], status: 'read' }))
    // Every multi-device message is Signal-encrypted (spec §6.5).
    return { remoteId: id, timestamp: Number(ack.attrs.t ?? Math.floor(Date.now() / 1000)) * 1000, status: early ? 'delivered' : 'sent', e2ee: true }
  }

  /** Encrypts `message` for every device (Outbound), sends it, and resolves with the server's ack (spec §7.1). */
  private async relay(chatRemoteId: string, id: string, message: WAMessage, stanzaAttrs: StanzaAttrs = {}): Promise<BinaryNode> {
    const live = this.requireLive()
    const stanza = await this.outbound.build(live.session, chatRemoteId, id, message, stanzaAttrs)
    return relayStanza(live, this.outbound, chatRemoteId, id, stanza, ACK_TIMEOUT_MS)
  }

  async react(chatRemoteId: string, messageRemoteId: string, emoji: string | null): Promise<void> {
    const target = this.known.target(chatRemoteId, messageRemoteId)
    await this.relay(chatRemoteId, Outbound.actionId(), reactionContent(target, emoji, Date.now()), { type: 'reaction' })
  }

  async edit(chatRemoteId: string, messageRemoteId: string, text: string): Promise<{ editedAt: number }> {
    const target = this.known.ownTarget(chatRemoteId, messageRemoteId, 'edited')
    const editedAt = Date.now()
    await this.relay(chatRemoteId, Outbound.actionId(), editContent(target, text, editedAt), { edit: EDIT_ATTR.edit })
    return { editedAt }
  }

  async unsend(chatRemoteId: string, messageRemoteId: string): Promise<void> {
    const target = this.known.ownTarget(chatRemoteId, messageRemoteId, 'deleted for everyone')
    await this.relay(chatRemoteId, Outbound.actionId(), revokeContent(target), { edit: EDIT_ATTR.revoke })
  }

  async markRead(chatRemoteId: string, upToRemoteId: string | null): Promise<void> {
    this.presence.subscribe(chatRemoteId)
    if (!upToRemoteId) return
    this.requireLive().session.send(node('receipt', { id: upToRemoteId, to: chatRemoteId, type: 'read', t: String(Math.floor(Date.now() / 1000)) }))
  }

  async setTyping(chatRemoteId: string, typing: boolean): Promise<void> {
    this.presence.subscribe(chatRemoteId)
    this.requireLive().session.send(node('chatstate', { to: chatRemoteId }, [node(typing ? 'composing' : 'paused')]))
  }

  /** spec §9.6: pin, mute, archive and unread written as app-state patches. */
  async setChatState(chatRemoteId: string, change: ChatStateChange): Promise<void> {
    await this.appState.write(chatRemoteId, change)
  }

  /** Profile pictures (issue 12 §3, md/pictures.ts): the preview of a contact's, a group's or our own. */
  async fetchAvatar(kind: AvatarKind, remoteId: string): Promise<MediaBytes | null> {
    const own = userJidOf(this.requireCreds().me?.jid ?? '')
    const target = kind === 'self' ? own : remoteId
    return fetchProfilePicture(this.requireLive().session, target, this.config)
  }

  async fetchMedia(chatRemoteId: string, messageRemoteId: string): Promise<MediaBytes> {
    return this.media.fetch(chatRemoteId, messageRemoteId, userJidOf(chatRemoteId))
  }

  /** spec §4.10: remove this companion, close, delete the Signal state. */
  async logout(): Promise<void> {
    const live = this.live
    const me = this.creds?.me?.jid
    if (live && me) {
      await live.session
        .query(node('iq', { to: S_WHATSAPP_NET, type: 'set', xmlns: 'md' }, [node('remove-companion-device', { jid: me, reason: 'user_initiated' })]))
        .catch((error: unknown) => this.log.warn({ error }, 'logout request failed'))
    }
    await this.supervisor.stop()
    const writes = MD_NAMESPACES.flatMap((namespace) => this.keyStore.list(namespace).map(([key]) => ({ namespace, key, value: null })))
    this.keyStore.commit(writes)
    this.creds = null
  }

  async close(): Promise<void> {
    this.placeholders.close()
    await this.supervisor.stop()
  }
}
