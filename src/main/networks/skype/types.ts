// Types shared by the Skype session layers: what a live MSNP session reports and offers,
// independent of the dialect (MSNP24 for Skype, MSNP21 for WLM-style servers).

import type { JunctionError } from '../../../shared/errors'
import type { InboundMessaging, PresenceUpdate, RecentMessage, ThreadInfo } from './inbound'
import type { OutgoingMessaging } from './msnp/messaging'
import type { SocketTarget } from './socket'

export type Dialect = 'msnp24' | 'msnp21'

export interface SessionHandlers {
  /** A pushed message; an MSNP24 session ACKs it after this returns (core has stored it by then). */
  onMessaging(message: InboundMessaging): void
  onPresence(update: PresenceUpdate): void
  onThreads(threads: ThreadInfo[]): void
  /** The server says the address book changed (NFY MSGR\ABCH, spec §13.5). */
  onAddressBookChanged(): void
  /** The MSNP24 server asked for a fresh ticket (error 922, spec §5.1). */
  onTicketExpired(): void
  /** The session is over; `end` says whether reconnecting makes sense. */
  onEnded(end: SessionEnd): void
}

export type SessionEnd =
  /** Lost or ended by the server in a way a reconnect fixes; `redirect` when it named another server. */
  | { kind: 'dropped'; error: JunctionError; redirect?: SocketTarget }
  /** spec §12.3: OUT OTH, remote sign-out or 733; never reconnect (two logins would kick each other forever). */
  | { kind: 'elsewhere' }
  /** We closed it. */
  | { kind: 'closed' }

/** A message to send: everything but the top block and our own From address, which the session adds. */
export type SessionMessage = Omit<OutgoingMessaging, 'top' | 'from'>

export interface MsnpSession {
  readonly dialect: Dialect
  /** `8:live:alice_1` (MSNP24) or `1:alice@hotmail.co.uk` (MSNP21). */
  readonly selfAddress: string
  /** Resolves once the server has processed the SDG (spec §7.2: it may never reply on success). */
  sendMessaging(message: SessionMessage): Promise<void>
  /** spec §5.3: recent conversations from `startMs` (MSNP24; MSNP21 keeps no history). */
  recentConversations(startMs: number, pageSize: number): Promise<{ conversations: { id: string; topic?: string }[]; messages: RecentMessage[] }>
  /** spec §5.1: re-sends ATH with a fresh ticket on the live connection (MSNP24). */
  reauthenticate(): Promise<void>
  /** Publishes the contact list again, e.g. after an address-book change. */
  updateContacts(addresses: string[]): Promise<void>
  /** Sends OUT and closes. */
  logout(): Promise<void>
  close(): void
}
