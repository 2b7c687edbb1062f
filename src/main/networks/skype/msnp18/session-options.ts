// What an MSNP18 notification-server session is given (session.ts): where to connect, the
// account, its tickets and address book, and the handlers that hear what it reports.

import type { Logger } from '../../../base/log'
import type { SessionHandlers } from '../session'
import type { SocketTarget } from '../transport'
import type { BookSnapshot } from './address-book'
import type { OfflineMessages } from './offline'
import type { Presence18Update } from './pictures'
import type { SsoTickets } from './sso'

export interface Session18Handlers extends SessionHandlers {
  /** §4.1: presence, with the display picture token the NLN's msnobj gives (pictures.ts). */
  onPresence(update: Presence18Update): void
  /** The address book as loaded after sign-in, and again after each change the server announces. */
  onContacts(snapshot: BookSnapshot): void
  /** A nudge (§9 E7) or another datacast from a contact. */
  onNudge(from: string): void
}

export interface Session18Options {
  target: SocketTarget
  log: Logger
  timeoutMs: number
  /** The installation's machine GUID (§2.8), bare or braced. */
  epid: string
  account: string
  /** §2.4: RST2/RST tickets for this account. */
  tickets(): Promise<SsoTickets>
  /** §3.1: FindMembership + ABFindContactsPaged; only possible once USR OK arrived. */
  loadAddressBook(): Promise<BookSnapshot>
  handlers: Session18Handlers
  /** §5.7: switchboard idle time (default 5 minutes). */
  switchboardIdleMs?: number
  joinTimeoutMs?: number
  /** §5.9: fetches listed offline messages and stores texts for offline contacts; without it they are left on the server. */
  offline?: OfflineMessages
  /**
   * §1.3: the versions VER offers (default MSNP18 alone). When the server picks another
   * one of them, the handshake stops with `dialectChosen` so the caller can open that dialect.
   */
  offer?: string[]
  /** §6.1: seconds before the first PNG; each QNG then sets the pace (default 45). */
  pingIntervalSec?: number
  /** §3.3: `AL` (default) or `BL`. */
  privacy?: 'AL' | 'BL'
  signal?: AbortSignal
}
