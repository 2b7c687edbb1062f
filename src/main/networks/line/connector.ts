// The LINE Connector: the Chrome-extension gateway (JSON, SSE, QR + PIN login, Letter
// Sealing with plain fallback) as its main transport, and the legacy Thrift transport
// (/S3, /S4) for sendMessage and the operation poll when configured (spec §9).

import { JunctionError } from '../../../shared/errors'
import type { NetworkCapabilities } from '../../../shared/api'
import type { OutgoingDraft } from '../../../shared/model'
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
import { syncAll } from './bootstrap'
import { DEFAULT_CHROME_VERSION, parseLineConfig, type LineConfig } from './config'
import { parseCredentials, toCredentials } from './credentials'
import { isSessionDead } from './errors'
import { findLineExtension, missingSignerMessage } from './extension'
import { GatewayClient } from './client'
import type { Keychain } from './keychain'
import { LegacyClient } from './legacy'
import { credentialsOf, type LoginDeps } from './login'
import { emailLogin } from './login-email'
import { qrLogin } from './login-qr'
import { loadLtsmSigner } from './ltsm-signer'
import { fetchMedia, history, markRead, sendDraft, sendTransport } from './messaging'
import { LineSession } from './session'
import { lazySigner, type RequestSigner } from './signer'
import { TalkApi } from './talk'

function signerFor(config: LineConfig): { signer: RequestSigner; version: string | null } {
  if (config.signer) return { signer: config.signer, version: null }
  const search = findLineExtension(config.signerPath ?? null)
  if (!search.found) {
    const message = missingSignerMessage(config.signerPath ?? null, search.searched)
    return {
      signer: { name: 'missing', sign: async () => Promise.reject(new JunctionError('signer-missing', message)) },
      version: null
    }
  }
  const found = search.found
  return { signer: lazySigner(`LINE extension at ${found.dir}`, () => loadLtsmSigner(found)), version: found.version }
}

export class LineConnector implements Connector {
  readonly network = 'line' as const
  private readonly events: ConnectorEvents
  private readonly config: LineConfig
  private readonly gateway: GatewayClient
  private readonly talk: TalkApi
  private readonly legacy: LegacyClient
  private readonly chromeVersion: string
  private session: LineSession | null = null

  constructor(private readonly ctx: ConnectorContext) {
    this.events = new ConnectorEvents((error) => ctx.log.error({ error }, 'a LINE event listener failed'))
    this.config = parseLineConfig(ctx.config)
    const { signer, version } = signerFor(this.config)
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
    this.session?.stop()
    this.session = null
    const previous = previousLogin(request.previous)
    const deps: LoginDeps = { gateway: this.gateway, talk: this.talk, timing: this.config.timing, systemName: this.config.systemName, log: this.ctx.log, io }
    this.gateway.setAccessToken(null)
    let outcome
    if (request.methodId === 'email') outcome = await emailLogin(deps, request.fields.email ?? '', request.fields.password ?? '', previous)
    else if (request.methodId === 'qr') outcome = await qrLogin(deps, previous.certificate)
    else throw new JunctionError('invalid-argument', `LINE has no login method "${request.methodId}".`)
    const credentials = credentialsOf(outcome, request.methodId === 'email' ? 'email' : 'qr', Date.now())
    io.step({ kind: 'progress', stage: 'syncing' })
    this.gateway.setAccessToken(credentials.accessToken)
    const session = new LineSession(this.sessionDeps(), credentials)
    this.session = session
    try {
      await session.open(null)
    } catch (error) {
      session.stop()
      this.session = null
      throw error
    }
    return { selfId: credentials.mid, displayName: session.displayName, credentials: toCredentials(session.credentials) }
  }

  private sessionDeps() {
    return { config: this.config, chromeVersion: this.chromeVersion, gateway: this.gateway, talk: this.talk, legacy: this.legacy, events: this.events, log: this.ctx.log }
  }

  async restore(raw: Credentials, cursors: Cursors): Promise<void> {
    const credentials = parseCredentials(raw)
    this.session?.stop()
    this.events.emit({ type: 'status', status: { state: 'connecting' } })
    this.gateway.setAccessToken(credentials.accessToken)
    const session = new LineSession(this.sessionDeps(), credentials)
    this.session = session
    try {
      await session.open(cursors.localRev ?? null)
    } catch (error) {
      session.stop()
      if (this.session === session) this.session = null
      if (!isSessionDead(error)) throw error
      // Capture 002 step 0: getProfile fails with code 1 "Authentication Failed.", then logoutV2.
      await this.talk.logoutV2().catch(() => undefined)
      this.gateway.clearSession()
      throw error
    }
  }

  private requireSession(): LineSession {
    if (!this.session) throw new JunctionError('unavailable', 'LINE is not connected.')
    return this.session
  }

  async sync(): Promise<SyncResult> {
    const s = this.requireSession()
    return s.guard(() => syncAll(s))
  }

  async history(chatRemoteId: string, before: { remoteId: string; timestamp: number } | null, limit: number): Promise<IncomingMessage[]> {
    const s = this.requireSession()
    return s.guard(() => history(s, chatRemoteId, before, limit))
  }

  async send(chatRemoteId: string, clientId: string, draft: OutgoingDraft): Promise<SendResult> {
    const s = this.requireSession()
    return s.guard(() => sendDraft(s, sendTransport(s, this.legacy), chatRemoteId, clientId, draft))
  }

  async markRead(chatRemoteId: string, upToRemoteId: string | null): Promise<void> {
    const s = this.requireSession()
    await s.guard(() => markRead(s, chatRemoteId, upToRemoteId))
  }

  async setTyping(): Promise<void> {
    // The gateway has no typing indicator (spec §5); capabilities say so.
  }

  async fetchMedia(chatRemoteId: string, messageRemoteId: string): Promise<MediaBytes> {
    const s = this.requireSession()
    return s.guard(() => fetchMedia(s, chatRemoteId, messageRemoteId))
  }

  /** spec §4.3: logoutV2, after which the `lct` cookie is gone. */
  async logout(): Promise<void> {
    const s = this.session
    s?.stop()
    this.session = null
    try {
      if (this.gateway.accessToken) await this.talk.logoutV2()
    } finally {
      this.gateway.clearSession()
    }
  }

  async close(): Promise<void> {
    this.session?.stop()
    this.session = null
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
  stickers: true,
  emotes: false,
  edits: false,
  unsend: false,
  groups: true,
  sealing: true,
  presence: false
}

export const lineNetwork: NetworkDefinition = {
  id: 'line',
  displayName: 'LINE',
  loginMethods: [
    { id: 'qr', kind: 'qr' },
    {
      id: 'email',
      kind: 'credentials',
      fields: [
        { name: 'email', kind: 'email' },
        { name: 'password', kind: 'password' }
      ]
    }
  ],
  capabilities: LINE_CAPABILITIES,
  setupProblem(context) {
    let config: LineConfig
    try {
      config = parseLineConfig(context.config)
    } catch (error) {
      return error instanceof Error ? error.message : 'The LINE configuration is not valid.'
    }
    if (config.signer) return null
    const search = findLineExtension(config.signerPath ?? null)
    return search.found ? null : missingSignerMessage(config.signerPath ?? null, search.searched)
  },
  create: (context) => new LineConnector(context)
}
