// The records the Skype reference server keeps (world.ts holds and routes them): users and
// their two identities (`1:` Microsoft account, `8:` Skype name, spec §1.1), stored messages,
// `19:` threads, signed-in endpoints, token grants, and the JSON shape of it all that outlives
// a restart (state.ts). Split from world.ts.

export interface SkypeUser {
  key: string
  email: string
  password: string
  skypeName: string
  /** Windows Live CID, hex (spec §10.1 `user_id`). */
  cid: string
  firstName: string
  lastName: string
  /** Contacts in the Skype folder of ActiveSync (user keys). */
  skypeContacts: string[]
  /** Contacts in the SOAP address book as `1:` passport names (user keys). */
  abContacts: string[]
  /** Users this user blocked (user keys). */
  blocked: string[]
  status: string
  mood: string
  /** Driven by the test or the sandbox phone, not by a client. */
  simulated: boolean
}

export type Dialect = 'msnp24' | 'msnp21'

export interface StoredMessage {
  id: number
  from: string
  fromEpid?: string
  to: { kind: 'user'; key: string } | { kind: 'thread'; id: string }
  messageType: string
  contentType: string
  body: string
  clientMessageId?: string
  editedId?: string
  displayName?: string
  emoteOffset?: string
  arrival: number
}

export interface Thread {
  id: string
  topic: string
  members: string[]
}

/** A signed-in client connection (one endpoint of a user). */
export interface Endpoint {
  user: SkypeUser
  epid: string
  dialect: Dialect
  /** User keys whose presence this endpoint subscribed to. */
  watching: Set<string>
  pushMessage(m: StoredMessage): void
  pushPresence(from: SkypeUser, online: boolean): void
  pushThread(t: Thread): void
  kick(reason: 'OTH' | 'SSD'): void
  /** Destroys the socket without a word, as a network failure would. */
  drop(): void
  /** An unsolicited error code, e.g. 922 (MSNP24: the ticket expired mid-session). */
  sendError(code: number): void
  /** spec §12.3: another endpoint of the same user signed this one out (NFY DEL of its own epid). */
  signOutRemotely(): void
}

export interface TokenGrant {
  user: string
  scope: string
  expiresAt: number
}

/** Everything the world keeps that outlives a connection, as JSON (state.ts writes it to disk). */
export interface WorldState {
  v: 1
  users: SkypeUser[]
  threads: Thread[]
  log: StoredMessage[]
  oauthTokens: [string, TokenGrant][]
  refreshTokens: [string, string][]
  passportTickets: [string, TokenGrant & { secret?: string }][]
  offline: [string, StoredMessage[]][]
  seen: string[]
  nextId: number
}

export function displayName(u: SkypeUser): string {
  return `${u.firstName} ${u.lastName}`.trim() || u.skypeName
}

export function addressOf(u: SkypeUser, dialect: Dialect): string {
  return dialect === 'msnp24' ? `8:${u.skypeName}` : `1:${u.email}`
}
