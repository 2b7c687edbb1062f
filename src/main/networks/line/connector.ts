// The LINE Connector: the Chrome-extension gateway (JSON, SSE, QR + PIN login, Letter
// Sealing with plain fallback) as its main transport, and the legacy Thrift transport
// (/S3, /S4) for sendMessage and the operation poll when configured (spec §9). Keeping the
// session up is the SessionSupervisor's job (networks/supervisor.ts); connection.ts is the
// one connection attempt it asks for.

import { JunctionError } from '../../../shared/errors'
import type { NetworkCapabilities } from '../../../shared/api'
import type { FileDraft, OutgoingDraft } from '../../../shared/model'
import { probeUrl } from '../../base/probe'
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
  NetworkDefinition,
  SendOptions,
  SendResult,
  SyncBatch
} from '../connector'
import { ConnectorEvents } from '../events'
import { SessionSupervisor } from '../supervisor'
import { LineAccount } from './account'
import { fetchAvatar } from './avatars'
import { syncAll } from './bootstrap'
import { DEFAULT_CHROME_VERSION, parseLineConfig, type LineConfig } from './config'
import { AccountConnections } from './connection'
import { parseCredentials, toCredentials, type LineCredentials } from './credentials'
import { classifyLineError, isSessionDead, withReason } from './errors'
import { history } from './history'
import type { Keychain } from './keychain'
import { LegacyClient } from './legacy-transport'
import { emailLogin } from './login/email'
import { credentialsOf, type LoginDeps } from './login/flow'
import { qrLogin } from './login/qr'
import { fetchMedia } from './media'
import { markRead, react, sendDraft, sendFile, sendTransport, unsend } from './outbound'
import { LINE_REACTIONS } from './reactions'
import { TalkApi } from './session'
import { signerFor, signerProblem } from './signer/setup'
import type { RequestSigner } from './signer'
import { GatewayClient } from './transport'

export class LineConnector implements Connector {
  readonly network = 'line' as const
  private readonly events: ConnectorEvents
  private readonly config: LineConfig
  private readonly signer: RequestSigner
  private readonly gateway: GatewayClient
  private readonly talk: TalkApi
  private readonly legacy: LegacyClient
  private readonly chromeVersion: string
  private account: LineAccount | null = null
  private supervisor: SessionSupervisor | null = null

  constructor(private readonly ctx: ConnectorContext) {
    this.events = new ConnectorEvents((error) => ctx.log.error({ error }, 'a LINE event listener failed'))
    this.config = parseLineConfig(withShellIsolation(ctx))
    const { signer, version } = signerFor(this.config, ctx.log)
    this.signer = signer
    // spec §2.1: X-Line-Chrome-Version must equal the version hashed into the signing key.
    this.chromeVersion = this.config.chromeVersion ?? version?.split('_')[0] ?? DEFAULT_CHROME_VERSION
    const t = this.config.timing
    this.gateway = new GatewayClient({
      baseUrl: this.config.gatewayUrl,
      chromeVersion: this.chromeVersion,
      locale: this.config.locale,
      userAgent: this.config.userAgent,
      signer,
      requestTimeoutMs: t.requestTimeoutMs,
      longPollGraceMs: t.longPollGraceMs,
      log: ctx.log
    })
    this.talk = new TalkApi(this.gateway)
    this.legacy = new LegacyClient({
      baseUrl: this.config.legacyUrl,
      protocol: this.config.legacyProtocol,
      chromeVersion: this.chromeVersion,
      locale: this.config.locale,
      userAgent: this.config.userAgent,
      requestTimeoutMs: t.requestTimeoutMs,
      longPollGraceMs: t.longPollGraceMs,
      accessToken: () => this.gateway.accessToken,
      log: ctx.log
    })
  }

  on(listener: ConnectorListener): () => void {
    return this.events.on(listener)
  }

  async login(request: LoginRequest, io: LoginIO): Promise<LoginResult> {
    await this.stopSession()
    const previous = previousLogin(request.previous)
    const deps: LoginDeps = { gateway: this.gateway, talk: this.talk, timing: this.config.timing, systemName: this.config.systemName, log: this.ctx.log, io }
    this.gateway.setAccessToken(null)
    try {
      let outcome
      if (request.methodId === 'email') outcome = await emailLogin(deps, request.fields.email ?? '', request.fields.password ?? '', previous)
      else if (request.methodId === 'qr') outcome = await qrLogin(deps, previous.certificate)
      else throw new JunctionError('invalid-argument', `LINE has no login method "${request.methodId}".`)
      const credentials = credentialsOf(outcome, request.methodId === 'email' ? 'email' : 'qr', Date.now())
      io.step({ kind: 'progress', stage: 'syncing' })
      this.gateway.setAccessToken(credentials.accessToken)
      const { account, supervisor, connections } = this.startSession(credentials, null)
      try {
        // The login's first connection is the supervisor's from now on.
        supervisor.adopt(await connections.connectOnce(io.signal))
      } catch (error) {
        await this.stopSession()
        throw error
      }
      return { selfId: credentials.mid, displayName: account.displayName, credentials: toCredentials(account.credentials) }
    } catch (error) {
      throw withReason(error)
    }
  }

  async restore(raw: Credentials, cursors: Cursors): Promise<void> {
    let credentials: LineCredentials
    try {
      credentials = parseCredentials(raw)
    } catch (error) {
      throw withReason(error)
    }
    await this.stopSession()
    this.gateway.setAccessToken(credentials.accessToken)
    const { supervisor } = this.startSession(credentials, cursors.localRev ?? null)
    try {
      await supervisor.start()
    } catch (error) {
      if (!isSessionDead(error)) throw withReason(error)
      // Capture 002 step 0: getProfile fails with code 1 "Authentication Failed.", then logoutV2.
      await this.talk.logoutV2().catch(() => undefined)
      this.gateway.clearSession()
      throw withReason(error)
    }
  }

  reconnectNow(): void {
    this.supervisor?.reconnectNow()
  }

  /** One account and its supervisor per login or restore; a dead session ends through the supervisor. */
  private startSession(
    credentials: LineCredentials,
    localRev: string | null
  ): { account: LineAccount; supervisor: SessionSupervisor; connections: AccountConnections } {
    let supervisor: SessionSupervisor | null = null
    const account = new LineAccount(
      {
        config: this.config,
        chromeVersion: this.chromeVersion,
        gateway: this.gateway,
        talk: this.talk,
        legacy: this.legacy,
        events: this.events,
        log: this.ctx.log,
        onDead: (error) => supervisor?.fail(error)
      },
      credentials
    )
    const connections = new AccountConnections(account, localRev)
    const t = this.config.timing
    supervisor = new SessionSupervisor(
      { connectOnce: (signal) => connections.connectOnce(signal), classify: classifyLineError, probe: () => probeUrl(this.config.gatewayUrl) },
      {
        emitStatus: (status) => this.events.emit({ type: 'status', status }),
        log: this.ctx.log,
        // spec §7.1: reconnect 1 s doubling to 30 s.
        backoff: { baseMs: t.reconnectBaseMs, maxMs: t.reconnectMaxMs, jitter: 0.2 },
        connectivity: this.ctx.connectivity
      }
    )
    this.account = account
    this.supervisor = supervisor
    return { account, supervisor, connections }
  }

  private async stopSession(): Promise<void> {
    const { account, supervisor } = this
    this.account = null
    this.supervisor = null
    account?.stop()
    await supervisor?.stop()
  }

  private requireAccount(): LineAccount {
    if (!this.account) throw new JunctionError('unavailable', 'LINE is not connected.', { reason: { code: 'unreachable' } })
    return this.account
  }

  /** One batch: the bootstrap of spec §4.4 is one answer. */
  async *sync(): AsyncIterable<SyncBatch> {
    const a = this.requireAccount()
    yield await a.guard(() => syncAll(a))
  }

  async history(chatRemoteId: string, before: { remoteId: string; timestamp: number } | null, limit: number): Promise<IncomingMessage[]> {
    const a = this.requireAccount()
    return a.guard(() => history(a, chatRemoteId, before, limit))
  }

  async send(chatRemoteId: string, clientId: string, draft: OutgoingDraft, options?: SendOptions): Promise<SendResult> {
    const a = this.requireAccount()
    return a.guard(() => sendDraft(a, sendTransport(a, this.legacy), chatRemoteId, clientId, draft, options))
  }

  async sendFile(chatRemoteId: string, clientId: string, draft: FileDraft, options?: SendOptions): Promise<SendResult> {
    const a = this.requireAccount()
    return a.guard(() => sendFile(a, sendTransport(a, this.legacy), chatRemoteId, clientId, draft, options))
  }

  async react(_chatRemoteId: string, messageRemoteId: string, emoji: string | null): Promise<void> {
    const a = this.requireAccount()
    await a.guard(() => react(a, messageRemoteId, emoji))
  }

  async unsend(_chatRemoteId: string, messageRemoteId: string): Promise<void> {
    const a = this.requireAccount()
    await a.guard(() => unsend(a, messageRemoteId))
  }

  async markRead(chatRemoteId: string, upToRemoteId: string | null): Promise<void> {
    const a = this.requireAccount()
    await a.guard(() => markRead(a, chatRemoteId, upToRemoteId))
  }

  async setTyping(): Promise<void> {
    // The gateway has no typing indicator (spec §5); capabilities say so.
  }

  async fetchMedia(chatRemoteId: string, messageRemoteId: string): Promise<MediaBytes> {
    const a = this.requireAccount()
    return a.guard(() => fetchMedia(a, chatRemoteId, messageRemoteId))
  }

  /** Profile pictures (issue 12 §3, spec §6.7): line/avatars.ts. */
  async fetchAvatar(kind: AvatarKind, remoteId: string): Promise<MediaBytes | null> {
    const a = this.requireAccount()
    const config = { profileUrl: this.config.profileUrl, userAgent: this.config.userAgent, requestTimeoutMs: this.config.timing.requestTimeoutMs }
    return a.guard(() =>
      fetchAvatar(
        {
          pictures: a.pictures,
          config,
          refreshProfile: () => a.refreshProfile(),
          refreshContact: (mid) => a.refreshContact(mid),
          refreshChat: (mid) => a.refreshChat(mid)
        },
        kind,
        remoteId
      )
    )
  }

  /** spec §4.3: logoutV2, after which the `lct` cookie is gone. */
  async logout(): Promise<void> {
    await this.stopSession()
    try {
      if (this.gateway.accessToken) await this.talk.logoutV2()
    } finally {
      this.gateway.clearSession()
      this.signer.close?.()
    }
  }

  async close(): Promise<void> {
    await this.stopSession()
    this.signer.close?.()
  }
}

/** What a re-login can reuse (LoginRequest.previous): the certificate, and the keys the account already has. */
function previousLogin(previous: Credentials | null): { certificate: string | null; keychain: Keychain | null } {
  if (!previous) return { certificate: null, keychain: null }
  try {
    const c = parseCredentials(previous)
    return { certificate: c.certificate, keychain: c.keychain }
  } catch {
    const cert = previous.certificate
    return { certificate: typeof cert === 'string' && cert !== '' ? cert : null, keychain: null }
  }
}

export const LINE_CAPABILITIES: NetworkCapabilities = {
  typing: false,
  deliveryReceipts: false,
  readReceipts: true,
  receiveImages: true,
  sendImages: true,
  // spec §10.1: files go through OBS like pictures (contentType 14). The spec gives no size; 20 MB is the
  // bridge's own request cap (LIMITS.fileBase64), and LINE answers 47 EXCEED_FILE_MAX_SIZE past its own.
  sendFiles: true,
  maxUploadBytes: 20 * 1024 * 1024,
  stickers: true,
  emotes: false,
  edits: false,
  unsend: true,
  groups: true,
  sealing: true,
  presence: false,
  // spec §5, §6.1: replies through relatedMessageId, the six predefined reactions, unsend within 24 h.
  replies: true,
  reactions: true,
  reactionEmoji: [...LINE_REACTIONS],
  unsendWindowMs: 86_400_000,
  forward: true
}

export const lineNetwork: NetworkDefinition = {
  id: 'line',
  displayName: 'LINE',
  brand: { color: '#06a94d', mark: 'L' },
  loginMethods: [
    { id: 'qr', kind: 'qr' },
    {
      id: 'email',
      kind: 'credentials',
      fields: [
        { name: 'email', kind: 'email', label: 'E-mail address' },
        { name: 'password', kind: 'password', label: 'Password' }
      ]
    }
  ],
  capabilities: LINE_CAPABILITIES,
  settings: [
    {
      name: 'signerPath',
      kind: 'folder',
      label: 'LINE Chrome extension folder',
      hint: 'LINE signs every request with the signing module of its Chrome extension, which Junction does not ship. Junction finds it in Chrome, Chromium, Edge or Brave; pick its folder here if it is elsewhere (…/Extensions/ophjlpahpchlmihnnnihgmmeilfjmjjc/<version>).',
      optional: true
    }
  ],
  setupProblem(context) {
    let config: LineConfig
    try {
      config = parseLineConfig(withShellIsolation(context))
    } catch {
      return { code: 'setup-required', params: { what: 'line-config', component: 'valid LINE settings' } }
    }
    return signerProblem(config)
  },
  create: (context) => new LineConnector(context)
}

/** The shell's way of isolating the signer (Electron's utilityProcess), unless the configuration names its own. */
function withShellIsolation(context: ConnectorContext): Record<string, unknown> {
  return context.spawnIsolated && context.config.spawnIsolated === undefined ? { ...context.config, spawnIsolated: context.spawnIsolated } : context.config
}
