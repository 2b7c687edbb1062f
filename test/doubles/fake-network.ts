// A stand-in messaging network for testing Core without a real protocol: users with
// chats and contacts, QR pairing approved by a simulated phone, sessions with tokens,
// idempotent delivery keyed by client id, and pushes to connected sessions. It can
// persist itself to a JSON file so that a test can kill a process and restart it.

import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { JunctionError } from '../../src/shared/errors'
import type { OutgoingDraft } from '../../src/shared/model'

export interface FakeMessage {
  id: string
  chatId: string
  from: string
  fromName: string
  text: string
  ts: number
  kind: 'text' | 'emote' | 'image'
  clientId?: string
  status: 'sent' | 'delivered' | 'read'
}

export interface FakeChat {
  id: string
  kind: 'direct' | 'group'
  title: string
  messages: FakeMessage[]
}

export interface FakeUser {
  selfId: string
  displayName: string
  password: string
  chats: Record<string, FakeChat>
  contacts: { remoteId: string; name: string; blocked?: boolean }[]
  tokens: string[]
}

export type FakePush =
  | { type: 'message'; message: FakeMessage }
  | { type: 'receipt'; chatId: string; ids: string[]; status: 'delivered' | 'read' }
  | { type: 'typing'; chatId: string; from: string; typing: boolean }
  | { type: 'dropped' }
  | { type: 'kicked'; reason: 'elsewhere' | 'revoked' }

export interface FakeSession {
  selfId: string
  close(): void
}

interface PendingQr {
  payload: string
  expiresAt: number
  resolve: (result: { selfId: string; token: string }) => void
}

/** A 1×1 PNG, for media tests. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

export interface FakeNetworkOptions {
  persistPath?: string
  qrTtlMs?: number
  maxQrAttempts?: number
}

export class FakeNetwork {
  users: Record<string, FakeUser> = {}
  /** Every message a client delivered, in order; a redelivered client id is not added twice. */
  deliveries: FakeMessage[] = []
  /** Every draft a Connector was asked to send, retries included, as Core built it. */
  sentDrafts: { clientId: string; draft: OutgoingDraft }[] = []
  readMarks: { selfId: string; chatId: string; upTo: string | null }[] = []
  typingMarks: { selfId: string; chatId: string; typing: boolean }[] = []
  /** When false, connecting fails as if the network were unreachable. */
  reachable = true
  readonly qrTtlMs: number
  readonly maxQrAttempts: number
  /** Test hooks around a delivery: to stall it, or to crash the process at a precise point. */
  hooks: { beforeDeliver?: (clientId: string) => Promise<void>; afterDeliver?: (clientId: string) => Promise<void> } = {}

  private readonly pendingQr = new Map<string, PendingQr>()
  private readonly sessions = new Map<FakeSession, (push: FakePush) => void>()
  private readonly browserStates = new Map<string, string>()
  private counter = 0

  constructor(private readonly options: FakeNetworkOptions = {}) {
    this.qrTtlMs = options.qrTtlMs ?? 20_000
    this.maxQrAttempts = options.maxQrAttempts ?? 5
    if (options.persistPath) {
      try {
        const saved = JSON.parse(readFileSync(options.persistPath, 'utf8')) as { users: FakeNetwork['users']; deliveries: FakeMessage[]; counter: number }
        this.users = saved.users
        this.deliveries = saved.deliveries
        this.counter = saved.counter
      } catch {
        // a fresh network
      }
    }
  }

  private persist(): void {
    if (!this.options.persistPath) return
    writeFileSync(this.options.persistPath, JSON.stringify({ users: this.users, deliveries: this.deliveries, counter: this.counter }))
  }

  private nextId(prefix: string): string {
    this.counter++
    return `${prefix}${this.counter}`
  }

  addUser(
    selfId: string,
    displayName: string,
    seed: { chats?: { id: string; kind?: 'direct' | 'group'; title: string; messages?: [string, string][] }[]; password?: string } = {}
  ): FakeUser {
    const user: FakeUser = { selfId, displayName, password: seed.password ?? 'secret', chats: {}, contacts: [], tokens: [] }
    let ts = Date.UTC(2026, 10, 1, 9, 0, 0)
    for (const c of seed.chats ?? []) {
      const chat: FakeChat = { id: c.id, kind: c.kind ?? 'direct', title: c.title, messages: [] }
      for (const [from, text] of c.messages ?? []) {
        ts += 60_000
        chat.messages.push({
          id: this.nextId('m'),
          chatId: c.id,
          from,
          fromName: from === selfId ? displayName : c.title,
          text,
          ts,
          kind: 'text',
          status: 'read'
        })
      }
      user.chats[c.id] = chat
      if (chat.kind === 'direct') user.contacts.push({ remoteId: c.id, name: c.title })
    }
    this.users[selfId] = user
    this.persist()
    return user
  }

  // ---- pairing -------------------------------------------------------------------------

  issueQr(): { payload: string; expiresAt: number; scanned: Promise<{ selfId: string; token: string }>; cancel(): void } {
    const payload = `fake1,${randomBytes(16).toString('base64')},${randomBytes(8).toString('hex')}`
    let resolve!: PendingQr['resolve']
    const scanned = new Promise<{ selfId: string; token: string }>((r) => (resolve = r))
    const expiresAt = Date.now() + this.qrTtlMs
    this.pendingQr.set(payload, { payload, expiresAt, resolve })
    return { payload, expiresAt, scanned, cancel: () => this.pendingQr.delete(payload) }
  }

  /** The simulated phone: scans exactly this payload and approves the login for `selfId`. */
  scan(payload: string, selfId: string): void {
    const pending = this.pendingQr.get(payload)
    if (!pending || pending.expiresAt < Date.now()) throw new Error(`no live QR with payload ${payload.slice(0, 12)}…`)
    if (!this.users[selfId]) throw new Error(`no user ${selfId}`)
    this.pendingQr.delete(payload)
    pending.resolve({ selfId, token: this.issueToken(selfId) })
  }

  get pendingQrPayloads(): string[] {
    return [...this.pendingQr.keys()]
  }

  passwordLogin(selfId: string, password: string): string {
    const user = this.users[selfId]
    if (!user || user.password !== password) throw new JunctionError('auth-failed', 'The e-mail or password is not right.')
    return this.issueToken(selfId)
  }

  beginBrowserLogin(): { state: string } {
    const state = randomBytes(8).toString('hex')
    this.browserStates.set(state, '')
    return { state }
  }

  /** The sign-in page: the person signs in as `selfId`; returns the fragment the redirect carries. */
  approveBrowserLogin(state: string, selfId: string): string {
    if (!this.browserStates.has(state)) throw new Error('unknown sign-in')
    this.browserStates.delete(state)
    return `access_token=${this.issueToken(selfId)}&state=${state}`
  }

  private issueToken(selfId: string): string {
    const token = randomBytes(16).toString('hex')
    this.users[selfId]!.tokens.push(token)
    this.persist()
    return token
  }

  revokeTokens(selfId: string): void {
    this.users[selfId]!.tokens = []
    this.persist()
    this.kick(selfId, 'revoked')
  }

  // ---- sessions ------------------------------------------------------------------------

  connect(token: string, onPush: (push: FakePush) => void): FakeSession {
    if (!this.reachable) throw new JunctionError('network', 'The network could not be reached.')
    const user = Object.values(this.users).find((u) => u.tokens.includes(token))
    if (!user) throw new JunctionError('auth-failed', 'The session is no longer valid.')
    const session: FakeSession = { selfId: user.selfId, close: () => this.sessions.delete(session) }
    this.sessions.set(session, onPush)
    return session
  }

  /** Drops every socket of a user, as a network outage would. */
  drop(selfId: string): void {
    for (const [session, push] of [...this.sessions]) {
      if (session.selfId !== selfId) continue
      this.sessions.delete(session)
      push({ type: 'dropped' })
    }
  }

  kick(selfId: string, reason: 'elsewhere' | 'revoked'): void {
    for (const [session, push] of [...this.sessions]) {
      if (session.selfId !== selfId) continue
      this.sessions.delete(session)
      push({ type: 'kicked', reason })
    }
  }

  connectedCount(selfId: string): number {
    return [...this.sessions.keys()].filter((s) => s.selfId === selfId).length
  }

  private push(selfId: string, push: FakePush): void {
    for (const [session, deliver] of this.sessions) if (session.selfId === selfId) deliver(push)
  }

  user(selfId: string): FakeUser {
    const user = this.users[selfId]
    if (!user) throw new JunctionError('auth-failed', 'Unknown user.')
    return user
  }

  // ---- messaging -----------------------------------------------------------------------

  /** A client sends: idempotent by client id, so a retry returns the first delivery. */
  async deliver(selfId: string, chatId: string, clientId: string, text: string, kind: FakeMessage['kind']): Promise<FakeMessage> {
    await this.hooks.beforeDeliver?.(clientId)
    const user = this.user(selfId)
    // As on a real network, the first message to a contact opens the direct chat with them.
    const contact = user.contacts.find((c) => c.remoteId === chatId)
    if (!user.chats[chatId] && contact) user.chats[chatId] = { id: chatId, kind: 'direct', title: contact.name, messages: [] }
    const chat = user.chats[chatId]
    if (!chat) throw new JunctionError('rejected', 'That chat does not exist on the network.')
    const existing = chat.messages.find((m) => m.clientId === clientId)
    if (existing) return existing
    const message: FakeMessage = {
      id: this.nextId('m'),
      chatId,
      from: selfId,
      fromName: user.displayName,
      text,
      ts: Date.now(),
      kind,
      clientId,
      status: 'sent'
    }
    chat.messages.push(message)
    this.deliveries.push(message)
    this.persist()
    await this.hooks.afterDeliver?.(clientId)
    return message
  }

  /** The other party writes to `selfId` in `chatId` (the phone's contact). */
  sendFromContact(selfId: string, chatId: string, text: string, options: { from?: string; fromName?: string; kind?: 'text' | 'image' } = {}): FakeMessage {
    const user = this.user(selfId)
    const chat = user.chats[chatId]
    if (!chat) throw new Error(`no chat ${chatId}`)
    const message: FakeMessage = {
      id: this.nextId('m'),
      chatId,
      from: options.from ?? chatId,
      fromName: options.fromName ?? chat.title,
      text,
      ts: Date.now(),
      kind: options.kind ?? 'text',
      status: 'delivered'
    }
    chat.messages.push(message)
    this.persist()
    this.push(selfId, { type: 'message', message })
    return message
  }

  /** Pushes a delivered message back to its sender's sessions, as another device of theirs would see it. */
  echo(selfId: string, message: FakeMessage, options: { withClientId: boolean }): void {
    const copy = { ...message }
    if (!options.withClientId) delete copy.clientId
    this.push(selfId, { type: 'message', message: copy })
  }

  /** The other party reads what `selfId` sent. */
  readBy(selfId: string, chatId: string): void {
    const chat = this.user(selfId).chats[chatId]!
    const ids = chat.messages.filter((m) => m.from === selfId && m.status !== 'read').map((m) => m.id)
    for (const m of chat.messages) if (ids.includes(m.id)) m.status = 'read'
    this.persist()
    this.push(selfId, { type: 'receipt', chatId, ids, status: 'read' })
  }

  typingFrom(selfId: string, chatId: string, typing: boolean): void {
    this.push(selfId, { type: 'typing', chatId, from: chatId, typing })
  }

  history(selfId: string, chatId: string, beforeId: string | null, limit: number): FakeMessage[] {
    const messages = this.user(selfId).chats[chatId]?.messages ?? []
    const end = beforeId === null ? messages.length : messages.findIndex((m) => m.id === beforeId)
    return messages.slice(Math.max(0, (end < 0 ? 0 : end) - limit), end < 0 ? 0 : end).reverse()
  }

  /** Messages the network holds that a client may have missed, e.g. while offline. */
  allMessages(selfId: string): FakeMessage[] {
    return Object.values(this.user(selfId).chats).flatMap((c) => c.messages)
  }
}
