// One MSNP18 connection of a Messenger account, as the supervisor keeps it
// (networks/supervisor.ts), the counterpart of ../connection.ts for the MSNP18 dialect:
// SSO, the address book and the NS session (account-session.ts), what it reports turned
// into the account's contacts and Connector events, and the one typed error it ended with.

import { JunctionError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import type { ConnectorEvent } from '../../connector'
import type { SupervisedSession } from '../../supervisor'
import { endError } from '../connection'
import { toContactInfo, type AddressBook } from '../contacts'
import type { Inbound } from '../inbound'
import type { SessionEnd } from '../session'
import type { SocketTarget } from '../transport'
import { bookEntries, openMsnp18Account, pendingRequests } from './account-session'
import type { ContactActions } from './contact-actions'
import type { BookSnapshot } from './address-book'
import { userUuid, type Presence18Update } from './pictures'
import type { Session18, Session18Handlers } from './session'
import type { SsoTicketCache } from './sso'

/** What the address book says of the account itself; outlives a connection. */
export interface MessengerSelf {
  /** Our user uuid (the `Me` contact's contactId, address-book.ts), which names our display picture. */
  uuid?: string
}

/** What outlives an MSNP18 connection: the SSO tickets, contacts and inbound state. */
export interface MessengerAccount {
  email: string
  password: string
  epid: string
  target: SocketTarget
  /** msnp18.md §8: the root of the HTTP services (RST2/RST, ABCH, OIM, RSI). */
  servicesUrl: string
  timeoutMs: number
  switchboardIdleMs: number
  tickets: SsoTicketCache
  self: MessengerSelf
  /** The name the account signed in with, until the address book names it. */
  displayName: string
  book: AddressBook
  inbound: Inbound
  log: Logger
  emit(event: ConnectorEvent): void
  now(): number
}

export class Msnp18Connection implements SupervisedSession {
  readonly ended: Promise<unknown>
  private settle: (why: unknown) => void = () => {}
  private session: Session18 | null = null
  private actions: ContactActions | null = null
  private failure: unknown = undefined
  private endedEarly = false

  private constructor(
    private readonly a: MessengerAccount,
    private readonly onRedirect: (target: SocketTarget) => void,
    private readonly loggingOut: () => boolean
  ) {
    this.ended = new Promise((resolve) => (this.settle = resolve))
  }

  /**
   * One attempt, offering `offer` (msnp18.md §1.3); resolves online, or rejects with the typed
   * error that stopped it (`dialectChosen` when the server picked another offered version).
   */
  static async open(
    a: MessengerAccount,
    offer: string[],
    signal: AbortSignal,
    onRedirect: (t: SocketTarget) => void,
    loggingOut: () => boolean
  ): Promise<Msnp18Connection> {
    const c = new Msnp18Connection(a, onRedirect, loggingOut)
    const { session, actions } = await openMsnp18Account({
      target: a.target,
      servicesUrl: a.servicesUrl,
      account: a.email,
      password: a.password,
      epid: a.epid,
      timeoutMs: a.timeoutMs,
      log: a.log,
      now: a.now,
      handlers: c.handlers(),
      tickets: a.tickets,
      offer,
      switchboardIdleMs: a.switchboardIdleMs,
      signal
    })
    if (signal.aborted || c.endedEarly) {
      session.close()
      if (!c.endedEarly) throw new JunctionError('cancelled', 'The connection was closed.')
      throw (await c.ended) ?? new JunctionError('network', 'The Messenger connection closed.')
    }
    c.session = session
    c.actions = actions
    return c
  }

  get live(): Session18 | null {
    return this.session
  }

  /** §3.8–§3.10 on the live session, or null once it ended. */
  get contactActions(): ContactActions | null {
    return this.session ? this.actions : null
  }

  close(): void {
    const session = this.session
    if (!session) return this.settle(this.failure)
    if (this.loggingOut()) void session.logout()
    else session.close()
  }

  private handlers(): Session18Handlers {
    const { inbound, book } = this.a
    return {
      onMessaging: (m) => inbound.onMessaging(m),
      onPresence: (p) => this.onPresence(p),
      onThreads: () => {},
      onAddressBookChanged: () => {},
      onTicketExpired: () => {},
      onContacts: (snapshot) => {
        const entries = bookEntries(snapshot, (remoteId) => book.get(remoteId)?.avatar)
        for (const entry of book.replace(entries)) this.a.emit({ type: 'contact', contact: toContactInfo(entry) })
        // §3.2: Pending = people who added us and are not answered yet: contact requests.
        for (const contact of pendingRequests(snapshot, this.a.email, this.session?.pushedNames)) this.a.emit({ type: 'contact', contact })
        this.onSelf(snapshot)
      },
      // §9 E7: a nudge is a line in the conversation (translate.ts words it).
      onNudge: (from) => inbound.onMessaging({ from, to: `1:${this.a.email}`, messageType: 'Nudge', contentType: 'text/x-msnmsgr-datacast', body: '' }),
      onEnded: (end) => this.onEnded(end)
    }
  }

  /**
   * The own account's name and picture (issue 12 §3). The server pushes no NLN of our own, so
   * the token is "ask once" by our uuid (pictures.ts): Core fetches `/storage/usertile/<uuid>`
   * once and keeps what it got, or that there is none.
   */
  private onSelf(snapshot: BookSnapshot): void {
    const uuid = userUuid(snapshot.selfContactId)
    if (!uuid) return
    this.a.self.uuid = uuid
    this.a.emit({ type: 'profile', displayName: snapshot.selfName ?? this.a.displayName, avatar: `msnp18:${uuid}` })
  }

  /** msnp18.md §4.1: presence, and the display picture token its msnobj gave when that changed (pictures.ts). */
  private onPresence(p: Presence18Update): void {
    const { book, inbound } = this.a
    const entry = p.picture === undefined ? undefined : book.get(p.address)
    if (!entry || entry.avatar === p.picture) return inbound.onPresence(p)
    entry.avatar = p.picture
    book.notePresence(p.address, p.presence, p.displayName)
    this.a.emit({ type: 'contact', contact: toContactInfo(entry) })
  }

  private onEnded(end: SessionEnd): void {
    if (!this.session) this.endedEarly = true
    this.session = null
    this.settle(endError(end, { failure: this.failure, onRedirect: this.onRedirect, onAuthLost: () => this.a.tickets.invalidate() }))
  }
}
