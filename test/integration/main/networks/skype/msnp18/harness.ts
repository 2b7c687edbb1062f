// An MSNP18 session (the client dialect alone, without the Connector) signed in to the
// MSNP18 reference server, with everything it reports recorded and named waits on it.

import { EventEmitter } from 'node:events'
import { silentLogger } from '../../../../../../src/main/base/log'
import { AddressBook18, type BookSnapshot } from '../../../../../../src/main/networks/skype/msnp18/address-book'
import { OfflineMessages } from '../../../../../../src/main/networks/skype/msnp18/offline'
import { Session18, type Session18Options } from '../../../../../../src/main/networks/skype/msnp18/session'
import { requestSsoTickets, type SsoTickets } from '../../../../../../src/main/networks/skype/msnp18/sso'
import type { InboundMessaging, PresenceUpdate } from '../../../../../../src/main/networks/skype/msnp/read'
import type { SessionEnd } from '../../../../../../src/main/networks/skype/session'
import { startMsnp18Server, type Msnp18Server, type Msnp18ServerOptions } from '../../../../../servers/skype/msnp18/server'
import { ALICE18 } from '../../../../../servers/skype/msnp18/world'

export const ALICE_GUID = 'f8b0a7c2-1d2e-4f3a-9b4c-5d6e7f8a9b0c'

export class Recorder extends EventEmitter {
  messages: InboundMessaging[] = []
  presence: PresenceUpdate[] = []
  contacts: BookSnapshot[] = []
  nudges: string[] = []
  ended: SessionEnd[] = []

  /** Resolves with the first recorded item of `kind` matching `predicate`, now or later. */
  waitFor<T>(kind: 'messages' | 'presence' | 'contacts' | 'nudges' | 'ended', predicate: (x: T) => boolean, timeoutMs = 5_000): Promise<T> {
    const found = (this[kind] as unknown as T[]).find(predicate)
    if (found !== undefined) return Promise.resolve(found)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off(kind, listener)
        reject(new Error(`no ${kind} matched in ${timeoutMs} ms`))
      }, timeoutMs)
      const listener = (x: T): void => {
        if (!predicate(x)) return
        clearTimeout(timer)
        this.off(kind, listener)
        resolve(x)
      }
      this.on(kind, listener)
    })
  }

  private push<K extends 'messages' | 'presence' | 'contacts' | 'nudges' | 'ended'>(kind: K, x: Recorder[K][number]): void {
    ;(this[kind] as unknown[]).push(x)
    this.emit(kind, x)
  }

  handlers(): Session18Options['handlers'] {
    return {
      onMessaging: (m) => this.push('messages', m),
      onPresence: (p) => this.push('presence', p),
      onThreads: () => {},
      onAddressBookChanged: () => {},
      onTicketExpired: () => {},
      onEnded: (e) => this.push('ended', e),
      onContacts: (s) => this.push('contacts', s),
      onNudge: (from) => this.push('nudges', from)
    }
  }
}

export interface Signed {
  session: Session18
  rec: Recorder
  tickets: SsoTickets
  book: AddressBook18
}

export async function signIn(
  server: Msnp18Server,
  o: {
    email?: string
    password?: string
    guid?: string
    idleMs?: number
    timeoutMs?: number
    pingIntervalSec?: number
    tickets?: SsoTickets
    offline?: boolean
    offer?: string[]
  } = {}
): Promise<Signed> {
  const email = o.email ?? ALICE18.email
  const password = o.password ?? ALICE18.password
  const rec = new Recorder()
  let tickets: SsoTickets | null = o.tickets ?? null
  const getTickets = async (): Promise<SsoTickets> =>
    (tickets ??= await requestSsoTickets({ baseUrl: server.httpUrl, account: email, password, timeoutMs: 5_000, now: Date.now }))
  const book = new AddressBook18({ baseUrl: server.httpUrl, ticket: async () => (await getTickets()).contacts.ticket, timeoutMs: 5_000, log: silentLogger })
  const offline = o.offline
    ? new OfflineMessages({
        baseUrl: server.httpUrl,
        account: email,
        friendly: () => email.slice(0, email.indexOf('@')),
        webTicket: async () => (await getTickets()).web.ticket,
        secureTicket: async () => (await getTickets()).secure.ticket,
        timeoutMs: 5_000,
        log: silentLogger
      })
    : undefined
  const session = await Session18.open({
    ...(offline ? { offline } : {}),
    ...(o.offer ? { offer: o.offer } : {}),
    target: { host: '127.0.0.1', port: server.nsPort, tls: false },
    log: silentLogger,
    timeoutMs: o.timeoutMs ?? 5_000,
    epid: o.guid ?? ALICE_GUID,
    account: email,
    tickets: getTickets,
    loadAddressBook: () => book.snapshot(),
    handlers: rec.handlers(),
    switchboardIdleMs: o.idleMs ?? 60_000,
    ...(o.pingIntervalSec ? { pingIntervalSec: o.pingIntervalSec } : {}),
    joinTimeoutMs: 3_000
  })
  return { session, rec, tickets: tickets!, book }
}

export async function withServer<T>(options: Msnp18ServerOptions, fn: (server: Msnp18Server) => Promise<T>): Promise<T> {
  const server = await startMsnp18Server(options)
  try {
    return await fn(server)
  } finally {
    await server.close()
  }
}
