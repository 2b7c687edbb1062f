// A Messenger revival account's session, whichever dialect its server serves (issue 16
// point 2, msnp18.md §1.3): VER offers MSNP21 and MSNP18 and the server picks. Escargot
// walks 18 down first and so picks MSNP18; a server that picks MSNP21 gets an MSNP21
// session, and if it turns out to accept MSNP21 without serving it (its presence PUT is
// never answered, the run behind issue 16) the account falls back to MSNP18 for good,
// rather than half-working.

import { JunctionError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import { NOT_SERVED, Session21 } from '../msnp21/session'
import type { MsnpSession, SessionHandlers } from '../session'
import type { SocketTarget } from '../transport'
import type { AddressBook18, BookSnapshot } from './address-book'
import { FL } from './lists'
import type { OfflineMessages } from './offline'
import { Session18 } from './session'
import type { SsoTicketCache } from './sso'

export interface MessengerParts {
  target: SocketTarget
  sso: SsoTicketCache
  book: AddressBook18
  offline: OfflineMessages
  /** Set once a server proved it does not serve MSNP21: only MSNP18 is offered after that. */
  only18: boolean
}

export interface MessengerOpen {
  parts: MessengerParts
  log: Logger
  timeoutMs: number
  epid: string
  account: string
  displayName: string
  machineName: string
  switchboardIdleMs: number
  handlers: SessionHandlers
  /** The address book, as loaded after sign-in (and after each change, MSNP18). */
  onContacts(snapshot: BookSnapshot): void
  onNudge(from: string): void
  signal: AbortSignal
}

export function isDialectChosen(error: unknown, version: string): boolean {
  return error instanceof JunctionError && error.detail === `dialect-chosen: ${version}`
}

function open18(o: MessengerOpen, offer: string[]): Promise<Session18> {
  const { parts } = o
  return Session18.open({
    target: parts.target,
    log: o.log,
    timeoutMs: o.timeoutMs,
    epid: o.epid,
    account: o.account,
    tickets: () => parts.sso.tickets(),
    loadAddressBook: () => parts.book.snapshot(),
    handlers: { ...o.handlers, onContacts: (s) => o.onContacts(s), onNudge: (f) => o.onNudge(f) },
    offline: parts.offline,
    switchboardIdleMs: o.switchboardIdleMs,
    offer,
    signal: o.signal
  })
}

export async function openMessenger(o: MessengerOpen): Promise<MsnpSession> {
  if (o.parts.only18) return open18(o, ['MSNP18'])
  try {
    return await open18(o, ['MSNP21', 'MSNP18'])
  } catch (error) {
    if (!isDialectChosen(error, 'MSNP21')) throw error
  }
  let session: Session21
  try {
    session = await Session21.open({
      target: o.parts.target,
      log: o.log,
      timeoutMs: o.timeoutMs,
      epid: o.epid,
      account: o.account,
      displayName: o.displayName,
      machineName: o.machineName,
      passport: async () => (await o.parts.sso.tickets()).messenger,
      contacts: [],
      handlers: o.handlers,
      requireServedPresence: true,
      signal: o.signal
    })
  } catch (error) {
    if (!(error instanceof JunctionError && error.detail === NOT_SERVED)) throw error
    o.log.warn({}, 'the Messenger server accepts MSNP21 without serving it; using MSNP18')
    o.parts.only18 = true
    return open18(o, ['MSNP18'])
  }
  // Issue 16 point 4: the address book only after USR OK, then the contacts' ADL.
  try {
    const snapshot = await o.parts.book.snapshot()
    o.onContacts(snapshot)
    await session.updateContacts([...snapshot.lists].filter(([, bits]) => bits & FL).map(([a]) => `1:${a}`))
  } catch (error) {
    session.close()
    throw error
  }
  return session
}
