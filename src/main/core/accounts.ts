// The account manager: adds accounts through a Connector's login steps (the login's own
// pieces are in pending-login.ts), restores every saved account at start, keeps one live
// Connector per account, and removes accounts.

import type { LoginStep, NetworkCapabilities } from '../../shared/api'
import { JunctionError, reasonOf, serializeError, verdictForError } from '../../shared/errors'
import type { Account, AccountStatus, NetworkId } from '../../shared/model'
import { randomToken } from '../base/ids'
import type { Logger } from '../base/log'
import { withTimeout } from '../base/timers'
import type { Connector, ConnectorContext, ConnectorEvent, Credentials, KeyStore } from '../networks/connector'
import type { NetworkRegistry } from '../networks/registry'
import type { EmitApiEvent, Ingest } from './ingest'
import { AccountKeyStore } from './key-store'
import { nullConnector } from './null-connector'
import { narrowedCapabilities, networkLabelOf } from './capabilities'
import { checkLoginRequest, isSomeoneElse, loginIO, type PendingLogin } from './pending-login'
import type { Store } from './store'
import { toAccount } from './store/rows'
import { openJson, sealJson, type Vault } from './vault'

/** Opens a sign-in page in a dedicated window and resolves with the URL it redirected to (Electron). */
export interface AuthBrowser {
  open(url: string, redirectPrefix: string, signal: AbortSignal, extraOrigins?: readonly string[]): Promise<string>
}

interface Session {
  accountId: string
  network: NetworkId
  connector: Connector
  status: AccountStatus
  unsubscribe: () => void
  syncing: boolean
}

export interface AccountManagerOptions {
  store: Store
  vault: Vault
  registry: NetworkRegistry
  ingest: Ingest
  emit: EmitApiEvent
  log: Logger
  contextFor(network: NetworkId, keyStore: KeyStore): ConnectorContext
  authBrowser: AuthBrowser | null
  authRedirectBase: string | null
  clock: () => number
  /** Called each time an account comes online (after login, restore or a reconnect). */
  onOnline(accountId: string): void
}

const OFFLINE: AccountStatus = { state: 'offline' }
const CLOSE_TIMEOUT_MS = 5_000

export class AccountManager {
  private readonly sessions = new Map<string, Session>()
  private readonly logins = new Map<string, PendingLogin>()
  private closed = false

  constructor(private readonly o: AccountManagerOptions) {}

  list(): Account[] {
    return this.o.store.accounts.list().map((row) => this.toAccount(row.id)!)
  }

  toAccount(accountId: string): Account | undefined {
    const row = this.o.store.accounts.get(accountId)
    if (!row) return undefined
    const session = this.sessions.get(accountId)
    const account = toAccount(row, session?.status ?? OFFLINE)
    const narrowed = narrowedCapabilities(session?.connector, this.o.log)
    const label = networkLabelOf(session?.connector, this.o.log)
    return { ...account, ...(narrowed ? { capabilities: narrowed } : {}), ...(label ? { networkLabel: label } : {}) }
  }

  /** The network's capabilities with the account's protocol's narrowing laid over them (Core's checks). */
  capabilitiesOf(accountId: string): NetworkCapabilities {
    const row = this.o.store.accounts.get(accountId)
    if (!row) throw new JunctionError('not-found', 'That account no longer exists.')
    return { ...this.o.registry.get(row.network).capabilities, ...narrowedCapabilities(this.sessions.get(accountId)?.connector, this.o.log) }
  }

  /** The account's Connector, only while it is online. */
  onlineConnector(accountId: string): Connector | undefined {
    const session = this.sessions.get(accountId)
    return session?.status.state === 'online' ? session.connector : undefined
  }

  startLogin(request: { network: NetworkId; methodId: string; fields?: Record<string, string>; accountId?: string }): string {
    const definition = this.o.registry.get(request.network)
    const keyStore = new AccountKeyStore(this.o.store, this.o.vault, this.o.ingest, null)
    const context = this.o.contextFor(request.network, keyStore)
    checkLoginRequest(definition, context, request)
    let previous: Credentials | null = null
    if (request.accountId !== undefined) {
      const row = this.o.store.accounts.get(request.accountId)
      if (!row || row.network !== request.network) throw new JunctionError('not-found', 'That account no longer exists.')
      previous = this.readCredentials(request.accountId)
    }

    const loginId = randomToken(16)
    const abort = new AbortController()
    const connector = definition.create(context)
    let resolveRedirect: (url: string) => void = () => {}
    const redirect = new Promise<string>((resolve) => (resolveRedirect = resolve))
    const pending: PendingLogin = { network: request.network, connector, abort, resolveRedirect, answerInput: null }
    this.logins.set(loginId, pending)

    // Events a Connector sends while pairing (chats pushed right after the scan) wait for the account id.
    const early: ConnectorEvent[] = []
    let target: string | null = null
    const unsubscribe = connector.on((event) => (target ? this.onConnectorEvent(target, event) : early.push(event)))

    const step = (s: LoginStep): void => this.o.emit('login', { loginId, network: request.network, step: s })
    const { authBrowser, authRedirectBase, log } = this.o
    const io = loginIO({ loginId, pending, redirect, step, authBrowser, authRedirectBase, log })

    void (async () => {
      try {
        step({ kind: 'progress', stage: 'connecting' })
        const result = await connector.login({ methodId: request.methodId, fields: request.fields ?? {}, previous }, io)
        if (abort.signal.aborted || this.closed) throw new JunctionError('cancelled', 'The login was cancelled.')
        if (request.accountId !== undefined && (await isSomeoneElse(this.o.store, request.accountId, request.network, result, step, io)) === 'cancel') {
          throw new JunctionError('cancelled', 'The login was cancelled.')
        }
        const accountId = this.saveLogin(request.network, result.selfId, result.displayName, result.credentials)
        keyStore.bind(accountId)
        target = accountId
        this.attach(accountId, request.network, connector, unsubscribe, { state: 'online' })
        for (const event of early.splice(0)) this.onConnectorEvent(accountId, event)
        step({ kind: 'done', accountId })
        this.o.log.info({ accountId, network: request.network }, 'account added')
        this.o.onOnline(accountId)
      } catch (error) {
        unsubscribe()
        void this.closeQuietly(connector)
        if (!abort.signal.aborted || !(error instanceof JunctionError && error.code === 'cancelled')) {
          this.o.log.warn({ loginId, network: request.network, error }, 'login failed')
        }
        step({ kind: 'failed', error: serializeError(error) })
      } finally {
        this.logins.delete(loginId)
      }
    })()
    return loginId
  }

  completeBrowserLogin(loginId: string, redirectUrl: string): void {
    const login = this.logins.get(loginId)
    if (!login) throw new JunctionError('not-found', 'That sign-in is no longer in progress.')
    login.resolveRedirect(redirectUrl)
  }

  submitLoginInput(loginId: string, values: Record<string, string>): void {
    const login = this.logins.get(loginId)
    if (!login?.answerInput) throw new JunctionError('not-found', 'That login is not waiting for anything to be typed.')
    login.answerInput(values)
  }

  /** The rail's "Reconnect now": skips the account's back-off. */
  reconnectNow(accountId: string): void {
    if (!this.o.store.accounts.get(accountId)) throw new JunctionError('not-found', 'That account no longer exists.')
    this.sessions.get(accountId)?.connector.reconnectNow()
  }

  cancelLogin(loginId: string): void {
    const login = this.logins.get(loginId)
    if (!login) return
    login.abort.abort()
    void this.closeQuietly(login.connector)
  }

  /** Resumes every saved account without a new scan. Failures are per account and never block the others. */
  async restoreAll(): Promise<void> {
    await Promise.all(this.o.store.accounts.list().map((row) => this.restore(row.id, row.network)))
  }

  private async restore(accountId: string, network: NetworkId): Promise<void> {
    let credentials: Credentials | null
    try {
      credentials = this.readCredentials(accountId)
    } catch (error) {
      this.o.log.error({ accountId, error }, 'credentials could not be opened')
      this.setStatus(accountId, { state: 'needs-login', reason: { code: 'credentials-damaged' } })
      return
    }
    if (!credentials) {
      this.setStatus(accountId, { state: 'needs-login', reason: { code: 'no-credentials' } })
      return
    }
    if (this.sessions.has(accountId)) return
    if (!this.o.registry.has(network)) {
      // A profile from a build with more networks: keep the account and its history, say why it is offline.
      this.setStatus(accountId, { state: 'offline', reason: { code: 'network-not-in-build', params: { network } } })
      return
    }
    const keyStore = new AccountKeyStore(this.o.store, this.o.vault, this.o.ingest, accountId)
    const connector = this.o.registry.get(network).create(this.o.contextFor(network, keyStore))
    const unsubscribe = connector.on((event) => this.onConnectorEvent(accountId, event))
    const session = this.attach(accountId, network, connector, unsubscribe, { state: 'connecting' })
    try {
      // The Connector's supervisor keeps the session up from here on (networks/supervisor.ts); Core only listens.
      await session.connector.restore(credentials, this.o.store.cursors.all(accountId))
      if (session.status.state === 'connecting') this.setStatus(accountId, { state: 'online' })
    } catch (error) {
      if (this.sessions.get(accountId) !== session || this.closed) return
      this.o.log.warn({ accountId, error }, 'restore failed')
      const verdict = verdictForError(error)
      // A supervisor already said why; a Connector that failed before its supervisor started did not.
      if (session.status.state === 'connecting' || session.status.state === 'online') {
        this.setStatus(
          accountId,
          verdict.action === 'needs-login' ? { state: 'needs-login', reason: reasonOf(error) } : { state: 'offline', reason: reasonOf(error) }
        )
      }
    }
  }

  async remove(accountId: string): Promise<void> {
    const row = this.o.store.accounts.get(accountId)
    if (!row) throw new JunctionError('not-found', 'That account no longer exists.')
    const session = this.sessions.get(accountId)
    if (session) {
      this.detach(session)
      try {
        await withTimeout(session.connector.logout(), CLOSE_TIMEOUT_MS, 'Logging out')
      } catch (error) {
        // The account is removed locally either way; the network forgets the session on its own schedule.
        this.o.log.warn({ accountId, error }, 'logout failed during removal')
        await this.closeQuietly(session.connector)
      }
    }
    this.o.store.accounts.remove(accountId)
    this.o.emit('accountRemoved', { accountId })
  }

  async close(): Promise<void> {
    this.closed = true
    for (const login of this.logins.values()) login.abort.abort()
    const connectors = [...this.sessions.values()].map((s) => {
      this.detach(s)
      return s.connector
    })
    connectors.push(...[...this.logins.values()].map((l) => l.connector))
    await Promise.all(connectors.map((c) => this.closeQuietly(c)))
  }

  /** Account-level events routed here by Ingest. */
  onAccountEvent(accountId: string, event: Extract<ConnectorEvent, { type: 'status' | 'credentials' | 'profile' }>): void {
    switch (event.type) {
      case 'status':
        this.setStatus(accountId, event.status)
        return
      case 'credentials':
        this.o.store.accounts.setCredentials(accountId, sealJson(this.o.vault, event.credentials, accountId))
        return
      case 'profile': {
        const renamed = this.o.store.accounts.setDisplayName(accountId, event.displayName)
        // The picture token is kept only when the network said (issue 12 §3); '' means it has none.
        const repictured = event.avatar !== undefined && this.o.store.accounts.setAvatar(accountId, event.avatar)
        if (renamed || repictured) this.emitAccount(accountId)
        return
      }
    }
  }

  private onConnectorEvent(accountId: string, event: ConnectorEvent): void {
    if (!this.sessions.has(accountId) && event.type !== 'credentials') return
    this.o.ingest.apply(accountId, event)
  }

  private saveLogin(network: NetworkId, selfId: string, displayName: string, credentials: Credentials): string {
    const existing = this.o.store.accounts.findBySelf(network, selfId)
    if (existing) {
      // Logging in again to an account we have: keep its chats, replace its session.
      const old = this.sessions.get(existing.id)
      if (old) {
        this.detach(old)
        void this.closeQuietly(old.connector)
      }
      this.o.store.accounts.setCredentials(existing.id, sealJson(this.o.vault, credentials, existing.id))
      this.o.store.accounts.setDisplayName(existing.id, displayName)
      return existing.id
    }
    // The vault binds a blob to its account id, which exists only after the insert.
    const row = this.o.store.transaction(() => {
      const inserted = this.o.store.accounts.insert({ network, selfId, displayName, sealedCredentials: new Uint8Array(0), now: this.o.clock() })
      this.o.store.accounts.setCredentials(inserted.id, sealJson(this.o.vault, credentials, inserted.id))
      return inserted
    })
    return row.id
  }

  private readCredentials(accountId: string): Credentials | null {
    const sealed = this.o.store.accounts.getCredentials(accountId)
    if (!sealed || sealed.byteLength === 0) return null
    return openJson<Credentials>(this.o.vault, sealed, accountId)
  }

  private attach(accountId: string, network: NetworkId, connector: Connector, unsubscribe: () => void, status: AccountStatus): Session {
    const session: Session = { accountId, network, connector, status, unsubscribe, syncing: false }
    this.sessions.set(accountId, session)
    this.emitAccount(accountId)
    return session
  }

  private detach(session: Session): void {
    session.unsubscribe()
    if (this.sessions.get(session.accountId) === session) this.sessions.delete(session.accountId)
  }

  private setStatus(accountId: string, status: AccountStatus): void {
    let session = this.sessions.get(accountId)
    if (!session) {
      const row = this.o.store.accounts.get(accountId)
      if (!row) return
      // An account without a live Connector (its credentials could not be read) still shows its state.
      session = this.attach(accountId, row.network, nullConnector(row.network), () => {}, status)
    }
    const wasOnline = session.status.state === 'online'
    session.status = status
    this.emitAccount(accountId)
    if (status.state === 'online' && !wasOnline) this.o.onOnline(accountId)
  }

  /** Pulls chats and contacts once per transition to online; overlapping requests collapse into one. */
  async sync(accountId: string): Promise<void> {
    const session = this.sessions.get(accountId)
    if (!session || session.syncing || session.status.state !== 'online') return
    session.syncing = true
    try {
      // Each batch is applied as it arrives: a long history sync shows chats while it goes on.
      for await (const batch of session.connector.sync()) {
        if (this.sessions.get(accountId) !== session) break
        this.o.ingest.applySync(accountId, { chats: batch.chats ?? [], contacts: batch.contacts ?? [], messages: batch.messages ?? [] })
      }
    } catch (error) {
      this.o.log.warn({ accountId, error }, 'sync failed')
    } finally {
      session.syncing = false
    }
  }

  private emitAccount(accountId: string): void {
    const account = this.toAccount(accountId)
    if (account) this.o.emit('account', account)
  }

  private async closeQuietly(connector: Connector): Promise<void> {
    try {
      await withTimeout(connector.close(), CLOSE_TIMEOUT_MS, 'Closing a connection')
    } catch (error) {
      this.o.log.warn({ network: connector.network, error }, 'connector did not close cleanly')
    }
  }
}
