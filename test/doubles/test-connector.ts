// A Connector for the FakeNetwork: the double Core is tested with. It follows the same
// contract as the real networks (login steps, restore, the session supervisor, cursors,
// idempotent send), so Core's behaviour is pinned without any real protocol.

import { JunctionError } from '../../src/shared/errors'
import type { NetworkId, OutgoingDraft } from '../../src/shared/model'
import { delay } from '../../src/main/base/timers'
import type {
  Connector,
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
  SyncBatch
} from '../../src/main/networks/connector'
import { syncOnce } from '../../src/main/networks/connector'
import { ConnectorEvents } from '../../src/main/networks/events'
import { SessionSupervisor, type SupervisedSession } from '../../src/main/networks/supervisor'
import { silentLogger, type Logger } from '../../src/main/base/log'
import { TINY_PNG, type FakeMessage, type FakeNetwork, type FakePush, type FakeSession } from './fake-network'

export const TEST_REDIRECT_PREFIX = 'https://fake.invalid/oauth/desktop'

export interface TestConnectorOptions {
  reconnectMs?: number
  /** Counts calls, for exactly-once assertions. */
  calls?: { send: number; login: number; restore: number }
}

function seq(id: string): number {
  return Number(id.replace(/^\D+/, '')) || 0
}

export class TestConnector implements Connector {
  private readonly events = new ConnectorEvents()
  private session: FakeSession | null = null
  private token: string | null = null
  private selfId: string | null = null
  private lastSeen = 0
  /** Settles the live session's `ended` with why it ended. */
  private endSession: ((why: unknown) => void) | null = null
  private readonly supervisor: SessionSupervisor

  constructor(
    readonly network: NetworkId,
    private readonly net: FakeNetwork,
    private readonly options: TestConnectorOptions = {},
    log: Logger = silentLogger
  ) {
    const base = options.reconnectMs ?? 50
    this.supervisor = new SessionSupervisor(
      { connectOnce: () => this.open(this.token ?? '') },
      { emitStatus: (status) => this.events.emit({ type: 'status', status }), log, backoff: { baseMs: base, maxMs: base * 16, jitter: 0 } }
    )
  }

  on(listener: ConnectorListener): () => void {
    return this.events.on(listener)
  }

  async login(request: LoginRequest, io: LoginIO): Promise<LoginResult> {
    if (this.options.calls) this.options.calls.login++
    let token: string
    if (request.methodId === 'qr') {
      token = await this.pairWithQr(io)
    } else if (request.methodId === 'browser') {
      const { state } = this.net.beginBrowserLogin()
      const redirectUri = io.redirectUri ?? TEST_REDIRECT_PREFIX
      const url = `https://fake.invalid/authorize?state=${state}&redirect_uri=${encodeURIComponent(redirectUri)}`
      io.step({ kind: 'browser', url, redirectPrefix: redirectUri, origins: ['https://login.fake.invalid'] })
      const redirect = new URL(await io.waitForRedirect())
      const fragment = new URLSearchParams(redirect.hash.slice(1))
      if (fragment.get('state') !== state) throw new JunctionError('auth-failed', 'The sign-in came back for a different request.')
      token = fragment.get('access_token') ?? ''
    } else {
      io.step({ kind: 'progress', stage: 'verifying' })
      token = this.net.passwordLogin(request.fields.email ?? '', request.fields.password ?? '')
    }
    io.step({ kind: 'progress', stage: 'syncing' })
    this.supervisor.adopt(await this.open(token))
    const user = this.net.user(this.selfId!)
    return { selfId: user.selfId, displayName: user.displayName, credentials: { token } }
  }

  private async pairWithQr(io: LoginIO): Promise<string> {
    for (let attempt = 1; attempt <= this.net.maxQrAttempts; attempt++) {
      const qr = this.net.issueQr()
      io.step({ kind: 'qr', payload: qr.payload, expiresAt: qr.expiresAt, attempt, maxAttempts: this.net.maxQrAttempts })
      // The expiry timer is cleared whichever way the race ends, so nothing outlives the login.
      const expiry = new AbortController()
      const onAbort = (): void => expiry.abort()
      io.signal.addEventListener('abort', onAbort)
      const outcome = await Promise.race([
        qr.scanned,
        delay(this.net.qrTtlMs, expiry.signal).then(
          () => null,
          () => (io.signal.aborted ? ('cancelled' as const) : null)
        )
      ])
      expiry.abort()
      io.signal.removeEventListener('abort', onAbort)
      qr.cancel()
      if (outcome === 'cancelled') throw new JunctionError('cancelled', 'The login was cancelled.')
      if (outcome) return outcome.token
    }
    throw new JunctionError('timeout', 'No phone scanned the code. Try again when your phone is at hand.')
  }

  async restore(credentials: Credentials, cursors: Cursors): Promise<void> {
    if (this.options.calls) this.options.calls.restore++
    this.lastSeen = Number(cursors.lastSeen ?? 0)
    this.token = String(credentials.token ?? '')
    await this.supervisor.start()
  }

  reconnectNow(): void {
    this.supervisor.reconnectNow()
  }

  /** One connection attempt, as the supervisor asks for it. */
  private async open(token: string): Promise<SupervisedSession> {
    this.token = token
    await Promise.resolve()
    const session = this.net.connect(token, (push) => this.onPush(push))
    this.session = session
    this.selfId = session.selfId
    let end: (why: unknown) => void = () => {}
    const ended = new Promise<unknown>((resolve) => (end = resolve))
    this.endSession = end
    queueMicrotask(() => this.catchUp())
    return {
      ended,
      close: () => {
        session.close()
        if (this.session === session) this.session = null
        end(undefined)
      }
    }
  }

  /** After a reconnect: everything the network holds past the cursor, in order. */
  private catchUp(): void {
    if (this.lastSeen === 0) {
      this.lastSeen = Math.max(0, ...this.net.allMessages(this.selfId!).map((m) => seq(m.id)))
      this.events.emit({ type: 'cursor', name: 'lastSeen', value: String(this.lastSeen) })
      return
    }
    const missed = this.net
      .allMessages(this.selfId!)
      .filter((m) => seq(m.id) > this.lastSeen)
      .sort((a, b) => seq(a.id) - seq(b.id))
    for (const m of missed) this.deliverIncoming(m)
  }

  private deliverIncoming(m: FakeMessage): void {
    this.events.emit({ type: 'message', message: this.toIncoming(m) })
    if (seq(m.id) > this.lastSeen) {
      this.lastSeen = seq(m.id)
      this.events.emit({ type: 'cursor', name: 'lastSeen', value: String(this.lastSeen) })
    }
  }

  private onPush(push: FakePush): void {
    switch (push.type) {
      case 'message':
        return this.deliverIncoming(push.message)
      case 'receipt':
        return this.events.emit({ type: 'receipt', chatRemoteId: push.chatId, messageRemoteIds: push.ids, status: push.status })
      case 'typing':
        return this.events.emit({ type: 'typing', chatRemoteId: push.chatId, senderId: push.from, typing: push.typing })
      case 'dropped':
        this.session = null
        return this.endSession?.(new JunctionError('network', 'The connection dropped.'))
      case 'kicked':
        this.session = null
        return this.endSession?.(
          push.reason === 'elsewhere'
            ? new JunctionError('conflict', 'Signed in elsewhere', { reason: { code: 'signed-in-elsewhere' } })
            : new JunctionError('logged-out', 'The session was ended on your phone.', { reason: { code: 'logged-out-remotely' } })
        )
    }
  }

  private requireSession(): string {
    if (!this.session || !this.selfId) throw new JunctionError('unavailable', 'Not connected.')
    return this.selfId
  }

  private toIncoming(m: FakeMessage): IncomingMessage {
    const out: IncomingMessage = {
      chatRemoteId: m.chatId,
      remoteId: m.id,
      senderId: m.from,
      senderName: m.fromName,
      fromMe: m.from === this.selfId,
      timestamp: m.ts,
      kind: m.kind,
      text: m.text
    }
    if (m.clientId) out.clientId = m.clientId
    if (m.kind === 'image') out.media = { mime: 'image/png', width: 1, height: 1 }
    if (out.fromMe) out.status = m.status
    return out
  }

  sync(): AsyncIterable<SyncBatch> {
    return syncOnce(this.snapshot())
  }

  private async snapshot(): Promise<Required<Omit<SyncBatch, 'progress'>>> {
    const user = this.net.user(this.requireSession())
    const chats = Object.values(user.chats)
    return {
      chats: chats.map((c) => ({ remoteId: c.id, kind: c.kind, title: c.title, lastActivity: c.messages.at(-1)?.ts ?? 0 })),
      contacts: user.contacts.map((c) => ({ remoteId: c.remoteId, name: c.name, blocked: c.blocked ?? false })),
      messages: chats.flatMap((c) => c.messages.slice(-1)).map((m) => this.toIncoming(m))
    }
  }

  async history(chatRemoteId: string, before: { remoteId: string } | null, limit: number): Promise<IncomingMessage[]> {
    return this.net.history(this.requireSession(), chatRemoteId, before?.remoteId ?? null, limit).map((m) => this.toIncoming(m))
  }

  async send(chatRemoteId: string, clientId: string, draft: OutgoingDraft): Promise<SendResult> {
    if (this.options.calls) this.options.calls.send++
    this.net.sentDrafts.push({ clientId, draft })
    const selfId = this.requireSession()
    const text = draft.kind === 'image' ? (draft.caption ?? '') : draft.text
    const m = await this.net.deliver(selfId, chatRemoteId, clientId, text, draft.kind)
    return { remoteId: m.id, timestamp: m.ts, status: 'sent' }
  }

  async markRead(chatRemoteId: string, upToRemoteId: string | null): Promise<void> {
    this.net.readMarks.push({ selfId: this.requireSession(), chatId: chatRemoteId, upTo: upToRemoteId })
  }

  async setTyping(chatRemoteId: string, typing: boolean): Promise<void> {
    this.net.typingMarks.push({ selfId: this.requireSession(), chatId: chatRemoteId, typing })
  }

  async fetchMedia(): Promise<MediaBytes> {
    this.requireSession()
    return { mime: 'image/png', bytes: TINY_PNG }
  }

  async logout(): Promise<void> {
    if (this.selfId) this.net.revokeTokens(this.selfId)
    await this.close()
  }

  async close(): Promise<void> {
    await this.supervisor.stop()
    this.session?.close()
    this.session = null
  }
}

export const TEST_CAPABILITIES = {
  typing: true,
  deliveryReceipts: true,
  readReceipts: true,
  receiveImages: true,
  sendImages: true,
  stickers: false,
  emotes: true,
  edits: false,
  unsend: false,
  groups: true,
  sealing: false,
  presence: false
}

/** The names the real networks go by, so that pages driven by the fake network read the same. */
const TEST_DISPLAY_NAMES: Record<string, string> = { whatsapp: 'WhatsApp', line: 'LINE', skype: 'Skype' }

/** The fake network registered under a real network id, as Core sees networks. */
export function testNetwork(net: FakeNetwork, id: NetworkId = 'whatsapp', options: TestConnectorOptions = {}): NetworkDefinition {
  return {
    id,
    displayName: TEST_DISPLAY_NAMES[id] ?? `Test ${id}`,
    brand: { color: '#225588', mark: 'T' },
    settings: [],
    loginMethods: [
      { id: 'qr', kind: 'qr' },
      { id: 'browser', kind: 'browser' },
      {
        id: 'password',
        kind: 'credentials',
        fields: [
          { name: 'email', kind: 'email' },
          { name: 'password', kind: 'password' }
        ]
      }
    ],
    capabilities: TEST_CAPABILITIES,
    setupProblem: () => null,
    create: (context) => new TestConnector(id, net, options, context.log)
  }
}
