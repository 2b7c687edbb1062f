// One connection of a Skype account, as the supervisor keeps it (networks/supervisor.ts):
// the contacts, the dialect's MSNP session, catch-up since the cursor, tokens refreshed on
// the live session, and the one typed error it ended with. Reconnecting is not its
// business: `ended` settles and the supervisor decides (spec §12.4).

import { JunctionError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import type { ConnectorEvent } from '../connector'
import type { SupervisedSession } from '../supervisor'
import type { SkypeConfig } from './config'
import { loadAvatarUrls } from './avatars'
import { loadContacts, toContactInfo, withAvatars, type AddressBook } from './contacts'
import { signedInElsewhere } from './errors'
import type { Inbound } from './inbound'
import type { AccountAuth } from './login/account-auth'
import { Session21 } from './msnp21/session'
import { Session24 } from './msnp24/session'
import type { MsnpSession, SessionEnd, SessionHandlers } from './session'
import type { SocketTarget } from './transport'

/** What outlives a connection: the account's tickets, contacts and inbound state. */
export interface SkypeAccount {
  config: SkypeConfig
  log: Logger
  auth: AccountAuth
  book: AddressBook
  /** The own picture's URL as the profile last named it ('' = none; avatars.ts). */
  selfPicture?: string
  inbound: Inbound
  emit(event: ConnectorEvent): void
  now(): number
}

/** The typed error a session end means, whatever the dialect; undefined for our own close. */
export function endError(end: SessionEnd, o: { failure: unknown; onRedirect(target: SocketTarget): void; onAuthLost(): void }): unknown {
  switch (end.kind) {
    case 'closed':
      return o.failure
    case 'elsewhere':
      // spec §12.3: never reconnect, or the two logins would keep kicking each other.
      return signedInElsewhere()
    case 'dropped':
      if (end.redirect) o.onRedirect(end.redirect)
      if (end.error.code !== 'auth-failed') return end.error
      // Authentication withdrawn mid-session: the next attempt renews the ticket first, and only a refusal after that needs a login.
      o.onAuthLost()
      return new JunctionError('network', 'The Skype sign-in must be renewed.', { cause: end.error, reason: { code: 'session-expired' } })
  }
}

/** spec §10.5: Junction has no SkyLogin UIC; servers that accept any take this. */
const NO_UIC = ''
const REFRESH_RETRY_MS = 60_000

export class SkypeConnection implements SupervisedSession {
  readonly ended: Promise<unknown>
  private settle: (why: unknown) => void = () => {}
  private session: MsnpSession | null = null
  private refreshTimer: NodeJS.Timeout | null = null
  /** Why we closed it ourselves (a failed ticket renewal), reported instead of a plain close. */
  private failure: unknown = undefined
  private endedEarly = false

  private constructor(
    private readonly a: SkypeAccount,
    /** Where an XFR pointed (spec §5.2): the next connection goes there. */
    private readonly onRedirect: (target: SocketTarget) => void,
    /** Whether closing means logging out (OUT first, spec §5.6). */
    private readonly loggingOut: () => boolean
  ) {
    this.ended = new Promise((resolve) => (this.settle = resolve))
  }

  /** One attempt: contacts, then the session; resolves online, or rejects with the typed error that stopped it. */
  static async open(
    a: SkypeAccount,
    target: SocketTarget,
    signal: AbortSignal,
    onRedirect: (t: SocketTarget) => void,
    loggingOut: () => boolean
  ): Promise<SkypeConnection> {
    const c = new SkypeConnection(a, onRedirect, loggingOut)
    await a.auth.refreshDue()
    // MSNP24 loads the address book first (spec §5.3's contact list needs it); MSNP21 after
    // USR OK, inside the handshake (msnp18.md §3.1: a revival server refuses it before).
    if (a.config.msnpDialect === 'msnp24') await c.refreshContacts()
    let session: MsnpSession
    try {
      session = await c.openSession(target, signal)
    } catch (error) {
      // spec §12.4: 911 is fatal only after one token refresh; a saved ticket may just be stale.
      if (!(error instanceof JunctionError && error.code === 'auth-failed') || c.endedEarly) throw error
      a.auth.invalidate('ssl')
      session = await c.openSession(target, signal)
    }
    if (signal.aborted || c.endedEarly) {
      session.close()
      if (!c.endedEarly) throw new JunctionError('cancelled', 'The connection was closed.')
      throw (await c.ended) ?? new JunctionError('network', 'The Skype connection closed.')
    }
    c.session = session
    if (a.inbound.lastArrival > 0) await c.catchUp(session)
    c.scheduleRefresh()
    return c
  }

  get live(): MsnpSession | null {
    return this.session
  }

  /** What an MSNP21 server left unanswered in the handshake (issue 16): a sign it does not serve MSNP21. */
  get unserved(): readonly string[] {
    return this.session instanceof Session21 ? [...this.session.unserved] : []
  }

  close(): void {
    const session = this.session
    if (!session) return this.finish(this.failure)
    if (this.loggingOut()) void session.logout()
    else session.close()
  }

  /** Ends the connection for a reason found on it; the supervisor classifies the reason. */
  fail(error: unknown): void {
    this.failure = error
    this.close()
  }

  async refreshContacts(): Promise<void> {
    const { config, auth, log } = this.a
    const merged = await loadContacts(config, auth, log)
    // spec §11.5: pictures come from the web-era contacts service, which only a Microsoft sign-in (MSNP24) reaches.
    const pictures = config.msnpDialect === 'msnp24' ? await loadAvatarUrls(config, auth, log) : null
    const changed = this.a.book.replace(
      withAvatars(merged, config.msnpDialect === 'msnp24' ? (pictures?.contacts ?? null) : new Map(), (id) => this.a.book.get(id)?.avatar)
    )
    for (const entry of changed) this.a.emit({ type: 'contact', contact: toContactInfo(entry) })
    // issue 12 §3: the rail shows the account's own picture; the URL is its token (a new picture is a new URL).
    const self = pictures?.self
    if (self !== undefined && self !== this.a.selfPicture) {
      this.a.selfPicture = self
      this.a.emit({ type: 'profile', displayName: auth.credentials.displayName, avatar: self })
    }
  }

  private async openSession(target: SocketTarget, signal: AbortSignal): Promise<MsnpSession> {
    const { config, auth, log } = this.a
    const creds = auth.credentials
    const handlers = this.handlers()
    const common = {
      target,
      log,
      timeoutMs: config.requestTimeoutMs,
      epid: creds.epid,
      displayName: creds.displayName,
      machineName: config.machineName,
      handlers,
      signal
    }
    if (config.msnpDialect === 'msnp24') {
      return Session24.open({
        ...common,
        email: creds.email,
        skypeName: creds.method === 'browser' ? creds.skypeName : creds.selfId.replace(/^\d+:/, ''),
        ticket: () => auth.token('ssl'),
        uic: NO_UIC,
        contacts: this.a.book.subscriptions('8:'),
        // spec §5.3: Hotmail is a partner only for Microsoft-account logins.
        partners: creds.method === 'browser' ? ['Hotmail', 'ABCH'] : ['ABCH'],
        pingIntervalSec: config.pingIntervalSec
      })
    }
    return Session21.open({
      ...common,
      account: creds.email,
      passport: async () => (await auth.passportTickets()).messenger,
      contacts: async () => {
        await this.refreshContacts()
        return this.a.book.subscriptions('1:')
      }
    })
  }

  private handlers(): SessionHandlers {
    const inbound = this.a.inbound
    return {
      onMessaging: (m) => inbound.onMessaging(m),
      onPresence: (p) => inbound.onPresence(p),
      onThreads: (t) => inbound.onThreads(t),
      onAddressBookChanged: () => void this.resyncContacts(),
      onTicketExpired: () => void this.renewTicket(),
      onEnded: (end) => this.onEnded(end)
    }
  }

  private onEnded(end: SessionEnd): void {
    if (!this.session) this.endedEarly = true
    this.session = null
    this.finish(this.why(end))
  }

  /** The typed error a session end means; undefined for our own close. */
  private why(end: SessionEnd): unknown {
    return endError(end, { failure: this.failure, onRedirect: this.onRedirect, onAuthLost: () => this.a.auth.invalidate('ssl') })
  }

  private finish(why: unknown): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer)
    this.refreshTimer = null
    this.settle(why)
  }

  /** After a reconnect: whatever arrived since the cursor (spec §5.3). Upserts by remote id drop repeats. */
  private async catchUp(session: MsnpSession): Promise<void> {
    try {
      const recent = await session.recentConversations(this.a.inbound.lastArrival, 100)
      for (const m of recent.messages.sort((x, y) => (x.arrival ?? 0) - (y.arrival ?? 0))) this.a.inbound.onMessaging(m)
    } catch (error) {
      this.a.log.warn({ error }, 'catch-up after reconnect failed')
    }
  }

  private async resyncContacts(): Promise<void> {
    try {
      await this.refreshContacts()
      await this.session?.updateContacts(this.a.book.subscriptions(this.a.config.msnpDialect === 'msnp24' ? '8:' : '1:'))
    } catch (error) {
      this.a.log.warn({ error }, 'address book resync failed')
    }
  }

  /** spec §5.1: error 922 mid-session → refresh the ticket and ATH again on the same connection. */
  private async renewTicket(): Promise<void> {
    try {
      await this.a.auth.refresh('ssl')
      await this.session?.reauthenticate()
    } catch (error) {
      this.a.log.warn({ error }, 'ticket renewal failed')
      this.fail(error instanceof JunctionError ? error : new JunctionError('network', 'The Skype sign-in could not be renewed.'))
    }
  }

  /** Tokens are refreshed before they expire; a new ssl.live.com ticket is presented on the live session. */
  private scheduleRefresh(): void {
    if (!this.session) return
    const at = this.a.auth.nextRefreshAt()
    if (at === null) return
    const wait = Math.min(Math.max(1_000, at - this.a.now()), 2 ** 31 - 1)
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null
      this.a.auth
        .refreshDue()
        .then(async (names) => {
          if (names.includes('ssl') && this.session) await this.session.reauthenticate()
          this.scheduleRefresh()
        })
        .catch((error: unknown) => {
          // A refused refresh token needs a new sign-in; anything else is tried again later.
          if (error instanceof JunctionError && error.code === 'auth-failed') return this.fail(error)
          this.a.log.warn({ error }, 'token refresh failed, retrying')
          if (this.session) this.refreshTimer = setTimeout(() => this.scheduleRefresh(), REFRESH_RETRY_MS)
        })
    }, wait)
  }
}
