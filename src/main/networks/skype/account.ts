// What outlives one Skype connection (connection.ts `SkypeAccount`), built at each login or
// restore: the tickets (login/account-auth.ts), the address book and the inbound state resumed
// from the cursor. A Messenger revival account (issue 16, msnp18.md) runs MSNP21's Passport
// path against its own server's services (msnp18/negotiate.ts) and keeps its SSO tickets for
// MSNP18 (msnp18/sso.ts). Split from connector.ts.

import type { Logger } from '../../base/log'
import type { ConnectorEvent, Cursors } from '../connector'
import type { SkypeConfig } from './config'
import type { SkypeAccount } from './connection'
import { AddressBook } from './contacts'
import type { MessengerCredentials, SkypeCredentials } from './credentials'
import { Inbound } from './inbound'
import { AccountAuth } from './login/account-auth'
import type { MessengerAccount, MessengerSelf } from './msnp18/connection'
import { messengerConfig21, messengerServer } from './msnp18/negotiate'
import { SsoTicketCache } from './msnp18/sso'
import type { SocketTarget } from './transport'

/** A Messenger (revival service) account: its sign-in and SSO tickets (issue 16). */
export interface MessengerState {
  creds: MessengerCredentials
  tickets: SsoTicketCache
  loggingIn: boolean
  /** Our own user uuid, once an address book named it (the own display picture, msnp18/pictures.ts). */
  self: MessengerSelf
}

export interface AccountOptions {
  /** The Connector's settings; a Messenger account's server replaces the MSNP and service endpoints. */
  config: SkypeConfig
  log: Logger
  now: () => number
  emit: (event: ConnectorEvent) => void
}

/** The account for these credentials; `messenger` is set for a Messenger revival account. */
export function openAccount(o: AccountOptions, credentials: SkypeCredentials, cursors: Cursors): { account: SkypeAccount; messenger: MessengerState | null } {
  let config = o.config
  let messenger: MessengerState | null = null
  if (credentials.method === 'messenger') {
    // A revival server's MSNP21 runs the Passport path against its own services (negotiate.ts).
    const server = messengerServer(config, credentials)
    config = messengerConfig21(config, server)
    const { email, password } = credentials
    const tickets = new SsoTicketCache({ baseUrl: server.servicesUrl, account: email, password, timeoutMs: config.requestTimeoutMs, now: o.now })
    messenger = { creds: credentials, tickets, loggingIn: false, self: {} }
    credentials = { ...credentials, method: 'passport' }
  }
  const { emit, now } = o
  const auth = new AccountAuth(config, credentials, now, (rotated) => emit({ type: 'credentials', credentials: { ...rotated } }), o.log)
  const book = new AddressBook()
  const selfAddresses = (): Set<string> => {
    const creds = auth.credentials
    const out = new Set([creds.selfId])
    if (creds.email) out.add(`1:${creds.email.toLowerCase()}`)
    return out
  }
  const inbound = new Inbound({ book, selfAddresses, lastArrival: Number(cursors.lastArrival ?? 0) || 0, emit, now })
  return { account: { config, log: o.log, auth, book, inbound, emit, now }, messenger }
}

/** What an MSNP18 connection of a Messenger account needs; `config` is the Connector's own settings. */
export function messengerAccount(config: SkypeConfig, account: SkypeAccount, m: MessengerState, target: SocketTarget): MessengerAccount {
  const c = account.config
  return {
    email: m.creds.email,
    password: m.creds.password,
    epid: m.creds.epid,
    target: { host: target.host, port: target.port, tls: false },
    servicesUrl: messengerServer(config, m.creds).servicesUrl,
    timeoutMs: c.requestTimeoutMs,
    switchboardIdleMs: c.switchboardIdleMs,
    tickets: m.tickets,
    self: m.self,
    displayName: m.creds.displayName,
    book: account.book,
    inbound: account.inbound,
    log: account.log,
    emit: account.emit,
    now: account.now
  }
}
