// One signed-in MSNP18 account as the Connector will hold it: SSO tickets renewed with the
// password, the address book, offline messages and the NS session, wired together. The
// Connector supplies where to connect and what to do with what the session reports.

import type { Logger } from '../../../base/log'
import type { ContactInfo } from '../../connector'
import type { BookEntry } from '../contacts'
import type { SocketTarget } from '../transport'
import { AddressBook18, type BookSnapshot } from './address-book'
import { contactActions, type ContactActions } from './contact-actions'
import { BL, FL, PL } from './lists'
import { OfflineMessages } from './offline'
import { bookToken } from './pictures'
import { Session18, type Session18Handlers } from './session'
import { SsoTicketCache } from './sso'

export interface Msnp18AccountOptions {
  target: SocketTarget
  /** §8: the root of the HTTP services (RST2/RST, ABCH, OIM, RSI). */
  servicesUrl: string
  account: string
  password: string
  epid: string
  timeoutMs: number
  log: Logger
  now: () => number
  handlers: Session18Handlers
  tickets?: SsoTicketCache
  /** §1.3: the versions VER offers (default MSNP18 alone). */
  offer?: string[]
  switchboardIdleMs?: number
  signal?: AbortSignal
}

export interface Msnp18Account {
  session: Session18
  tickets: SsoTicketCache
  book: AddressBook18
  actions: ContactActions
}

export async function openMsnp18Account(o: Msnp18AccountOptions): Promise<Msnp18Account> {
  const tickets = o.tickets ?? new SsoTicketCache({ baseUrl: o.servicesUrl, account: o.account, password: o.password, timeoutMs: o.timeoutMs, now: o.now })
  const book = new AddressBook18({ baseUrl: o.servicesUrl, ticket: async () => (await tickets.tickets()).contacts.ticket, timeoutMs: o.timeoutMs, log: o.log })
  let friendly = o.account.slice(0, o.account.indexOf('@'))
  const offline = new OfflineMessages({
    baseUrl: o.servicesUrl,
    account: o.account,
    friendly: () => friendly,
    webTicket: async () => (await tickets.tickets()).web.ticket,
    secureTicket: async () => (await tickets.tickets()).secure.ticket,
    timeoutMs: o.timeoutMs,
    log: o.log
  })
  const session = await Session18.open({
    target: o.target,
    log: o.log,
    timeoutMs: o.timeoutMs,
    epid: o.epid,
    account: o.account,
    tickets: () => tickets.tickets(),
    loadAddressBook: async () => {
      const snapshot = await book.snapshot()
      friendly = snapshot.selfName ?? friendly
      return snapshot
    },
    handlers: o.handlers,
    offline,
    ...(o.offer ? { offer: o.offer } : {}),
    ...(o.switchboardIdleMs ? { switchboardIdleMs: o.switchboardIdleMs } : {}),
    ...(o.signal ? { signal: o.signal } : {})
  })
  return { session, tickets, book, actions: contactActions(session, book) }
}

/**
 * The address book in the shared contact store's shape: FL contacts, blocked by BL; pending
 * requests are not contacts yet. Each keeps the picture token it had (`previous`, pictures.ts).
 */
export function bookEntries(
  snapshot: BookSnapshot,
  previous: (remoteId: string) => string | undefined = () => undefined
): { entries: BookEntry[]; aliases: Map<string, string> } {
  const byAccount = new Map(snapshot.contacts.map((c) => [c.account, c]))
  const entries: BookEntry[] = []
  for (const [account, bits] of snapshot.lists) {
    if (!(bits & FL) || bits & PL) continue
    const remoteId = `1:${account}`
    const contact = byAccount.get(account)
    const avatar = bookToken(contact?.contactId, previous(remoteId))
    entries.push({
      remoteId,
      name: contact?.name ?? account.slice(0, account.indexOf('@')),
      blocked: (bits & BL) !== 0,
      presence: 'unknown',
      aliases: [],
      ...(avatar !== undefined ? { avatar } : {})
    })
  }
  return { entries, aliases: new Map() }
}

/** §3.2: the Pending membership (someone who added us, not yet on our FL) as contact requests. */
export function pendingRequests(snapshot: BookSnapshot, self: string, pushedNames?: ReadonlyMap<string, string>): ContactInfo[] {
  const out: ContactInfo[] = []
  for (const [account, bits] of snapshot.lists) {
    if (!(bits & PL) || bits & FL || account === self.toLowerCase()) continue
    // FindMembership carries no display name for a Pending member: the name a live `ADL 0`
    // carried, with the address (what a person recognises, and cannot be faked by a name).
    const friendly = pushedNames?.get(account)?.trim()
    out.push({ remoteId: `1:${account}`, name: friendly && friendly !== account ? `${friendly} (${account})` : account, pending: true })
  }
  return out
}
