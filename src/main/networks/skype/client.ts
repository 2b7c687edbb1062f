// A live Skype account: its tickets, its contacts and one MSNP session, kept up with
// back-off (spec §12.4). Pushes become Connector events; each message is followed by a
// cursor, so a reconnect asks only for what came after it, and every message carries a
// stable remote id, so whatever arrives twice is stored once.

import { JunctionError } from '../../../shared/errors'
import { backoffDelay } from '../../base/backoff'
import type { Logger } from '../../base/log'
import type { ChatInfo, ConnectorEvent, Cursors, IncomingMessage } from '../connector'
import { AccountAuth } from './auth/account-auth'
import type { SkypeCredentials } from './auth/credentials'
import type { SkypeConfig } from './config'
import { AddressBook, toContactInfo } from './contacts'
import { loadDirectory } from './directory'
import { SIGNED_IN_ELSEWHERE } from './errors'
import type { InboundMessaging, PresenceUpdate, ThreadInfo } from './inbound'
import { isGroupAddress } from './msnp/messaging'
import { Session21 } from './session21'
import { Session24 } from './session24'
import type { SocketTarget } from './socket'
import { translate, type TranslateContext } from './translate'
import type { MsnpSession, SessionEnd, SessionHandlers } from './types'

export interface ClientOptions {
  config: SkypeConfig
  log: Logger
  credentials: SkypeCredentials
  cursors: Cursors
  emit(event: ConnectorEvent): void
  now?: () => number
}

const MAX_SENT_REMEMBERED = 2_000
/** spec §10.5: Junction has no SkyLogin UIC; servers that accept any take this. */
const NO_UIC = ''

export class SkypeClient {
  readonly auth: AccountAuth
  readonly book = new AddressBook()
  private session: MsnpSession | null = null
  private readonly threads = new Map<string, string>()
  private readonly announced = new Set<string>()
  /** Client-Message-ID → Junction client id, to mark our echoes (spec §12.3 carbon copies). */
  private readonly sent = new Map<string, string>()
  private lastArrival: number
  private redirect: SocketTarget | null = null
  private reconnectTimer: NodeJS.Timeout | null = null
  private refreshTimer: NodeJS.Timeout | null = null
  private attempt = 0
  private stopped = false
  private readonly now: () => number

  constructor(private readonly o: ClientOptions) {
    this.now = o.now ?? Date.now
    this.lastArrival = Number(o.cursors.lastArrival ?? 0) || 0
    this.auth = new AccountAuth(o.config, o.credentials, this.now, (credentials) => o.emit({ type: 'credentials', credentials: { ...credentials } }), o.log)
  }

  get dialect(): 'msnp24' | 'msnp21' {
    return this.o.config.msnpDialect
  }

  get selfAddresses(): Set<string> {
    const c = this.auth.credentials
    const out = new Set([c.selfId])
    if (c.email) out.add(`1:${c.email.toLowerCase()}`)
    return out
  }

  get online(): MsnpSession {
    if (!this.session) throw new JunctionError('unavailable', 'The Skype account is not connected right now.')
    return this.session
  }

  /** The first connection: resolves online or rejects with a typed error (restore's contract). */
  async start(): Promise<void> {
    this.o.emit({ type: 'status', status: { state: 'connecting' } })
    await this.loadContacts()
    try {
      await this.openSession()
    } catch (error) {
      // spec §12.4: 911 is fatal only after one token refresh; a saved ticket may just be stale.
      if (!(error instanceof JunctionError && error.code === 'auth-failed')) throw error
      this.auth.invalidate('ssl')
      await this.openSession()
    }
    this.o.emit({ type: 'status', status: { state: 'online' } })
    this.scheduleRefresh()
  }

  async loadContacts(): Promise<void> {
    const changed = this.book.replace(await loadDirectory(this.o.config, this.auth, this.o.log))
    for (const entry of changed) this.o.emit({ type: 'contact', contact: toContactInfo(entry) })
  }

  private target(): SocketTarget {
    const c = this.o.config
    return this.redirect ?? { host: c.msnpHost, port: c.msnpPort, tls: c.msnpTls, ...(c.msnpCa ? { ca: c.msnpCa } : {}) }
  }

  private async openSession(): Promise<void> {
    const creds = this.auth.credentials
    const state = { current: false, endedEarly: null as SessionEnd | null }
    const handlers = this.handlers(state)
    const common = { target: this.target(), log: this.o.log, timeoutMs: this.o.config.requestTimeoutMs, epid: creds.epid, displayName: creds.displayName, machineName: this.o.config.machineName, handlers }
    const session: MsnpSession =
      this.dialect === 'msnp24'
        ? await Session24.open({
            ...common,
            email: creds.email,
            skypeName: creds.method === 'browser' ? creds.skypeName : creds.selfId.replace(/^\d+:/, ''),
            ticket: () => this.auth.token('ssl'),
            uic: NO_UIC,
            contacts: this.book.subscriptions('8:'),
            // spec §5.3: Hotmail is a partner only for Microsoft-account logins.
            partners: creds.method === 'browser' ? ['Hotmail', 'ABCH'] : ['ABCH'],
            pingIntervalSec: this.o.config.pingIntervalSec
          })
        : await Session21.open({
            ...common,
            account: creds.email,
            passport: async () => (await this.auth.passportTickets()).messenger,
            contacts: this.book.subscriptions('1:')
          })
    if (this.stopped) {
      session.close()
      throw new JunctionError('cancelled', 'The connection was closed.')
    }
    this.session = session
    this.attempt = 0
    this.redirect = null
    state.current = true
    if (state.endedEarly) {
      // It ended between its last handshake reply and now: a failed attempt, not a session.
      const end: SessionEnd = state.endedEarly
      this.session = null
      if (end.kind === 'elsewhere') throw new JunctionError('conflict', SIGNED_IN_ELSEWHERE)
      throw end.kind === 'dropped' ? end.error : new JunctionError('network', 'The Skype connection closed.')
    }
    if (this.lastArrival > 0) await this.catchUp(session)
  }

  /** After a reconnect: whatever arrived since the cursor (spec §5.3). Upserts by remote id drop repeats. */
  private async catchUp(session: MsnpSession): Promise<void> {
    try {
      const recent = await session.recentConversations(this.lastArrival, 100)
      for (const m of recent.messages.sort((a, b) => (a.arrival ?? 0) - (b.arrival ?? 0))) this.onMessaging(m)
    } catch (error) {
      this.o.log.warn({ error }, 'catch-up after reconnect failed')
    }
  }

  private handlers(state: { current: boolean; endedEarly: SessionEnd | null }): SessionHandlers {
    return {
      onMessaging: (m) => this.onMessaging(m),
      onPresence: (p) => this.onPresence(p),
      onThreads: (t) => this.onThreads(t),
      onAddressBookChanged: () => void this.resyncContacts(),
      onTicketExpired: () => void this.renewTicket(),
      onEnded: (end) => {
        if (state.current) this.onEnded(end)
        else state.endedEarly = end
      }
    }
  }

  translateContext(): TranslateContext {
    return {
      selfAddresses: this.selfAddresses,
      canonical: (a) => this.book.canonical(a),
      clientIdFor: (cmid) => this.sent.get(cmid),
      nameOf: (a) => this.book.nameOf(a),
      now: this.now
    }
  }

  onMessaging(m: InboundMessaging): void {
    const t = translate(m, this.translateContext())
    switch (t.kind) {
      case 'ignored':
        return
      case 'typing':
        if (this.book.get(t.senderId)?.blocked) return
        this.o.emit({ type: 'typing', chatRemoteId: t.chatRemoteId, senderId: t.senderId, ...(t.senderName ? { senderName: t.senderName } : {}), typing: t.typing })
        return
      case 'topic':
        this.noteThread(t.chatRemoteId, t.title, true)
        return
      case 'message':
        this.announce(t.message.chatRemoteId, t.groupTopic)
        this.o.emit({ type: 'message', message: t.message })
        if (m.arrival !== undefined && m.arrival > this.lastArrival) {
          this.lastArrival = m.arrival
          this.o.emit({ type: 'cursor', name: 'lastArrival', value: String(m.arrival) })
        }
    }
  }

  /** A chat's kind and title go out before its first message, so a group is never filed as a direct chat. */
  private announce(chatRemoteId: string, topic: string | undefined): void {
    if (isGroupAddress(chatRemoteId)) return this.noteThread(chatRemoteId, topic, topic !== undefined)
    if (this.announced.has(chatRemoteId)) return
    this.announced.add(chatRemoteId)
    const name = this.book.nameOf(chatRemoteId)
    if (name) this.o.emit({ type: 'chat', chat: { remoteId: chatRemoteId, kind: 'direct', title: name } })
  }

  private noteThread(id: string, topic: string | undefined, changed: boolean): void {
    const known = this.threads.get(id)
    if (known !== undefined && !changed) return
    const title = topic || known || 'Group conversation'
    if (known === title) return
    this.threads.set(id, title)
    this.o.emit({ type: 'chat', chat: { remoteId: id, kind: 'group', title } })
  }

  private onThreads(threads: ThreadInfo[]): void {
    for (const t of threads) this.noteThread(t.id, t.topic, t.topic !== undefined)
  }

  private onPresence(p: PresenceUpdate): void {
    const entry = this.book.notePresence(p.address, p.presence, p.displayName)
    if (entry) this.o.emit({ type: 'contact', contact: toContactInfo(entry) })
  }

  private async resyncContacts(): Promise<void> {
    try {
      await this.loadContacts()
      await this.session?.updateContacts(this.book.subscriptions(this.dialect === 'msnp24' ? '8:' : '1:'))
    } catch (error) {
      this.o.log.warn({ error }, 'address book resync failed')
    }
  }

  /** spec §5.1: error 922 mid-session → refresh the ticket and ATH again on the same connection. */
  private async renewTicket(): Promise<void> {
    try {
      await this.auth.refresh('ssl')
      await this.session?.reauthenticate()
    } catch (error) {
      this.o.log.warn({ error }, 'ticket renewal failed')
      this.session?.close()
      this.dropped(error instanceof JunctionError ? error : new JunctionError('network', 'The Skype sign-in could not be renewed.'))
    }
  }

  private onEnded(end: SessionEnd): void {
    this.session = null
    if (this.stopped) return
    switch (end.kind) {
      case 'closed':
        return
      case 'elsewhere':
        // spec §12.3: never reconnect, or the two logins would keep kicking each other.
        this.stop()
        this.o.emit({ type: 'status', status: { state: 'offline', reason: SIGNED_IN_ELSEWHERE } })
        return
      case 'dropped':
        if (end.redirect) this.redirect = end.redirect
        this.dropped(end.error)
    }
  }

  private dropped(error: JunctionError): void {
    if (this.stopped) return
    this.o.log.info({ code: error.code, detail: error.detail }, 'skype session dropped')
    if (error.code === 'auth-failed') this.auth.invalidate('ssl')
    else if (!error.retryable && error.code !== 'network' && error.code !== 'timeout') {
      this.stop()
      this.o.emit({ type: 'status', status: { state: 'offline', reason: error.message } })
      return
    }
    this.scheduleReconnect()
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return
    const wait = backoffDelay(this.attempt++, { baseMs: this.o.config.reconnectBaseMs, maxMs: this.o.config.reconnectMaxMs, jitter: 0.3 })
    this.o.emit({ type: 'status', status: { state: 'reconnecting', retryAt: this.now() + wait } })
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null
      this.reconnect().catch(() => {})
    }, wait)
  }

  private async reconnect(): Promise<void> {
    if (this.stopped) return
    try {
      this.o.emit({ type: 'status', status: { state: 'connecting' } })
      await this.auth.refreshDue()
      await this.openSession()
      this.o.emit({ type: 'status', status: { state: 'online' } })
    } catch (error) {
      const e = error instanceof JunctionError ? error : new JunctionError('network', 'Could not reconnect to Skype.')
      if (this.stopped || e.code === 'cancelled') return
      if (e.code === 'auth-failed' && this.attempt > 1) {
        this.stop()
        this.o.emit({ type: 'status', status: { state: 'needs-login', reason: e.message } })
        return
      }
      if (e.code === 'conflict') {
        this.stop()
        this.o.emit({ type: 'status', status: { state: 'offline', reason: e.message } })
        return
      }
      if (e.code === 'auth-failed') this.auth.invalidate('ssl')
      this.scheduleReconnect()
    }
  }

  /** Tokens are refreshed before they expire; a new ssl.live.com ticket is presented on the live session. */
  private scheduleRefresh(): void {
    if (this.stopped) return
    const at = this.auth.nextRefreshAt()
    if (at === null) return
    const wait = Math.min(Math.max(1_000, at - this.now()), 2 ** 31 - 1)
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null
      this.auth
        .refreshDue()
        .then(async (names) => {
          if (names.includes('ssl') && this.session) await this.session.reauthenticate()
          this.scheduleRefresh()
        })
        .catch((error: unknown) => {
          if (error instanceof JunctionError && error.code === 'auth-failed') {
            this.stop()
            this.o.emit({ type: 'status', status: { state: 'needs-login', reason: error.message } })
          } else {
            this.o.log.warn({ error }, 'token refresh failed, retrying')
            this.refreshTimer = setTimeout(() => this.scheduleRefresh(), 60_000)
          }
        })
    }, wait)
  }

  rememberSent(clientMessageId: string, clientId: string): void {
    this.sent.set(clientMessageId, clientId)
    if (this.sent.size > MAX_SENT_REMEMBERED) this.sent.delete(this.sent.keys().next().value!)
  }

  knownChats(): ChatInfo[] {
    return [...this.threads].map(([remoteId, title]) => ({ remoteId, kind: 'group' as const, title }))
  }

  recentToIncoming(messages: InboundMessaging[]): IncomingMessage[] {
    const ctx = this.translateContext()
    return messages.flatMap((m) => {
      const t = translate(m, ctx)
      return t.kind === 'message' ? [t.message] : []
    })
  }

  private stop(): void {
    this.stopped = true
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    if (this.refreshTimer) clearTimeout(this.refreshTimer)
    this.reconnectTimer = this.refreshTimer = null
  }

  async logout(): Promise<void> {
    const session = this.session
    this.stop()
    this.session = null
    await session?.logout()
  }

  close(): void {
    const session = this.session
    this.stop()
    this.session = null
    session?.close()
  }
}
