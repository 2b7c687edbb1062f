// The reference server's state: users and their two identities (`1:` Microsoft account,
// `8:` Skype name), tokens and tickets, signed-in endpoints, stored messages, offline
// queues and `19:` threads, with the routing rules of spec §15.4. The records' shapes are
// in records.ts.

import { EventEmitter } from 'node:events'
import { randomBytes } from 'node:crypto'
import type { Endpoint, SkypeUser, StoredMessage, Thread, TokenGrant, WorldState } from './records'

// Photos and files (RichText/UriObject, RichText/Media_*) are kept and de-duplicated like text, as Skype's history shows them.
const STORED_TYPES = /^(text|richtext|richtext\/uriobject|richtext\/media_[a-z]+|threadactivity\/.*)$/i

export class SkypeWorld {
  readonly users = new Map<string, SkypeUser>()
  readonly threads = new Map<string, Thread>()
  readonly log: StoredMessage[] = []
  readonly events = new EventEmitter()
  readonly oauthTokens = new Map<string, TokenGrant>()
  readonly refreshTokens = new Map<string, string>()
  readonly passportTickets = new Map<string, TokenGrant & { secret?: string }>()
  /** Error injection (spec §15.4 rule 9): the next SDG is answered with this code. */
  failNextSdg: number | null = null
  private readonly endpoints = new Map<string, Map<string, Endpoint>>()
  private readonly offline = new Map<string, StoredMessage[]>()
  private readonly seen = new Set<string>()
  private nextId = 1415097605000
  /** Called after every change worth keeping across a restart (state.ts saves then). */
  onChange: () => void = () => {}

  constructor(readonly now: () => number = Date.now) {
    this.events.setMaxListeners(100)
  }

  changed(): void {
    this.onChange()
  }

  exportState(): WorldState {
    return {
      v: 1,
      users: [...this.users.values()],
      threads: [...this.threads.values()],
      log: this.log,
      oauthTokens: [...this.oauthTokens],
      refreshTokens: [...this.refreshTokens],
      passportTickets: [...this.passportTickets],
      offline: [...this.offline],
      seen: [...this.seen],
      nextId: this.nextId
    }
  }

  /** Replaces everything with a saved state; messages queued offline are the same objects as in the log. */
  importState(state: WorldState): void {
    this.users.clear()
    for (const u of state.users) this.users.set(u.key, u)
    this.threads.clear()
    for (const t of state.threads) this.threads.set(t.id, t)
    const byId = new Map(state.log.map((m) => [m.id, m]))
    this.log.splice(0, this.log.length, ...state.log)
    for (const [map, entries] of [
      [this.oauthTokens, state.oauthTokens],
      [this.refreshTokens, state.refreshTokens],
      [this.passportTickets, state.passportTickets]
    ] as const) {
      map.clear()
      for (const [k, v] of entries) (map as Map<string, unknown>).set(k, v)
    }
    this.offline.clear()
    for (const [key, q] of state.offline)
      this.offline.set(
        key,
        q.map((m) => byId.get(m.id) ?? m)
      )
    this.seen.clear()
    for (const k of state.seen) this.seen.add(k)
    this.nextId = state.nextId
  }

  addUser(user: Omit<SkypeUser, 'status' | 'mood' | 'simulated'> & Partial<Pick<SkypeUser, 'status' | 'mood' | 'simulated'>>): SkypeUser {
    const u: SkypeUser = { status: 'NLN', mood: '', simulated: false, ...user }
    this.users.set(u.key, u)
    return u
  }

  user(key: string): SkypeUser {
    const u = this.users.get(key)
    if (!u) throw new Error(`no user ${key}`)
    return u
  }

  /** `8:live:alice_1`, `1:alice@hotmail.co.uk` (any case) → the user. */
  resolve(address: string): SkypeUser | undefined {
    const a = address.split(';')[0]!.trim().toLowerCase()
    for (const u of this.users.values()) if (a === `8:${u.skypeName}`.toLowerCase() || a === `1:${u.email}`.toLowerCase()) return u
    return undefined
  }

  byEmail(email: string): SkypeUser | undefined {
    for (const u of this.users.values()) if (u.email.toLowerCase() === email.trim().toLowerCase()) return u
    return undefined
  }

  issueToken(user: string, scope: string, lifetimeSec: number): string {
    const token = `EwB${randomBytes(96).toString('base64url')}`
    this.oauthTokens.set(token, { user, scope, expiresAt: this.now() + lifetimeSec * 1000 })
    this.changed()
    return token
  }

  /** The user an unexpired token of this scope belongs to. */
  checkToken(token: string | undefined | null, scope: RegExp): SkypeUser | undefined {
    const grant = token ? this.oauthTokens.get(token) : undefined
    if (!grant || grant.expiresAt <= this.now() || !scope.test(grant.scope)) return undefined
    return this.users.get(grant.user)
  }

  endpointsOf(key: string): Endpoint[] {
    return [...(this.endpoints.get(key)?.values() ?? [])]
  }

  online(u: SkypeUser): boolean {
    return u.simulated ? u.status !== 'FLN' && u.status !== 'HDN' : this.endpointsOf(u.key).length > 0 && u.status !== 'HDN'
  }

  /** spec §15.4 rule 5: the same endpoint id signing in again boots the earlier one with OUT OTH. */
  attach(ep: Endpoint): void {
    let map = this.endpoints.get(ep.user.key)
    if (!map) this.endpoints.set(ep.user.key, (map = new Map()))
    const old = map.get(ep.epid)
    map.set(ep.epid, ep)
    if (old && old !== ep) old.kick('OTH')
    this.events.emit('login', { user: ep.user.key, epid: ep.epid, dialect: ep.dialect })
  }

  detach(ep: Endpoint, unacked: StoredMessage[] = []): void {
    const map = this.endpoints.get(ep.user.key)
    if (map?.get(ep.epid) !== ep) return
    map.delete(ep.epid)
    // spec §6.7: what an endpoint never acknowledged is delivered again at its next sign-in.
    if (map.size === 0 && unacked.length > 0) this.queue(ep.user.key, unacked)
    if (map.size === 0) this.fanPresence(ep.user)
    this.events.emit('logout', { user: ep.user.key, epid: ep.epid })
  }

  private queue(key: string, messages: StoredMessage[]): void {
    const q = this.offline.get(key) ?? []
    for (const m of messages) if (!q.includes(m)) q.push(m)
    q.sort((a, b) => a.id - b.id)
    this.offline.set(key, q)
    this.changed()
  }

  /** Queued messages, handed over once (spec: offline messages delivered at sign-in). */
  takeOffline(key: string): StoredMessage[] {
    const q = this.offline.get(key) ?? []
    if (this.offline.delete(key)) this.changed()
    return q
  }

  offlineCount(key: string): number {
    return this.offline.get(key)?.length ?? 0
  }

  /** spec §15.4 rules 1–2. Returns null for a retry of a message already routed (same sender and Client-Message-ID). */
  route(
    sender: SkypeUser,
    senderEpid: string | undefined,
    to: string,
    fields: Omit<StoredMessage, 'id' | 'from' | 'to' | 'arrival' | 'fromEpid'>
  ): StoredMessage | null {
    const dest: StoredMessage['to'] | null = to.startsWith('19:') ? (this.threads.has(to) ? { kind: 'thread', id: to } : null) : this.userDest(to)
    if (!dest) return null
    if (fields.clientMessageId && STORED_TYPES.test(fields.messageType)) {
      const key = `${sender.key}/${fields.clientMessageId}/${fields.editedId ?? ''}`
      if (this.seen.has(key)) return null
      this.seen.add(key)
    }
    const m: StoredMessage = { ...fields, id: this.nextId++, from: sender.key, to: dest, arrival: this.now() }
    if (senderEpid) m.fromEpid = senderEpid
    const stored = STORED_TYPES.test(m.messageType)
    if (stored) this.log.push(m)
    const recipients = dest.kind === 'thread' ? this.threads.get(dest.id)!.members : [dest.key, sender.key]
    for (const key of new Set(recipients)) {
      const u = this.user(key)
      if (key !== sender.key && u.blocked.includes(sender.key)) continue
      if (u.simulated) {
        if (key !== sender.key) this.events.emit('delivered', { to: key, message: m })
        continue
      }
      const eps = this.endpointsOf(key).filter((e) => !(key === sender.key && e.epid === senderEpid))
      if (eps.length === 0 && key !== sender.key && stored) this.queue(key, [m])
      for (const e of eps) e.pushMessage(m)
    }
    this.events.emit('routed', m)
    this.changed()
    return m
  }

  private userDest(address: string): StoredMessage['to'] | null {
    const u = this.resolve(address)
    return u ? { kind: 'user', key: u.key } : null
  }

  setStatus(u: SkypeUser, status: string, mood?: string): void {
    const before = this.online(u)
    u.status = status
    if (mood !== undefined) u.mood = mood
    if (before || this.online(u)) this.fanPresence(u)
    this.changed()
  }

  /** spec §15.4 rule 3: everyone watching the user, and allowed to, hears the change. */
  fanPresence(u: SkypeUser): void {
    for (const map of this.endpoints.values()) {
      for (const ep of map.values()) {
        if (ep.user.key !== u.key && ep.watching.has(u.key) && !u.blocked.includes(ep.user.key)) ep.pushPresence(u, this.online(u))
      }
    }
  }

  /** After an endpoint names the contacts it watches: the current presence of each one online. */
  watch(ep: Endpoint, keys: string[]): void {
    for (const key of keys) {
      ep.watching.add(key)
      const u = this.users.get(key)
      if (u && this.online(u) && !u.blocked.includes(ep.user.key)) ep.pushPresence(u, true)
    }
  }

  createThread(creator: string, topic: string, members: string[]): Thread {
    const t: Thread = { id: `19:${randomBytes(16).toString('hex')}@thread.skype`, topic, members: [...new Set([creator, ...members])] }
    this.threads.set(t.id, t)
    this.changed()
    for (const key of t.members) for (const ep of this.endpointsOf(key)) ep.pushThread(t)
    const targets = t.members
      .filter((k) => k !== creator)
      .map((k) => `<target>8:${this.user(k).skypeName}</target>`)
      .join('')
    this.route(
      this.user(creator),
      undefined,
      t.id,
      this.activity(
        'AddMember',
        `<addmember><eventtime>${this.now()}</eventtime><initiator>8:${this.user(creator).skypeName}</initiator>${targets}</addmember>`
      )
    )
    return t
  }

  joinThread(id: string, key: string): void {
    const t = this.threads.get(id)
    if (!t) throw new Error(`no thread ${id}`)
    if (!t.members.includes(key)) t.members.push(key)
    this.changed()
    for (const k of t.members) for (const ep of this.endpointsOf(k)) ep.pushThread(t)
    const name = `8:${this.user(key).skypeName}`
    this.route(
      this.user(key),
      undefined,
      id,
      this.activity('AddMember', `<addmember><eventtime>${this.now()}</eventtime><initiator>${name}</initiator><target>${name}</target></addmember>`)
    )
  }

  /** spec §6.5 ThreadActivity/DeleteMember: `key` leaves, or `by` removes `key` (a kick: initiator ≠ target). */
  leaveThread(id: string, key: string, by: string = key): void {
    const t = this.threads.get(id)
    if (!t) throw new Error(`no thread ${id}`)
    const body = `<deletemember><eventtime>${this.now()}</eventtime><initiator>8:${this.user(by).skypeName}</initiator><target>8:${this.user(key).skypeName}</target></deletemember>`
    // Routed while `key` is still a member: the one who left hears of it too.
    this.route(this.user(by), undefined, id, this.activity('DeleteMember', body))
    t.members = t.members.filter((k) => k !== key)
    this.changed()
    for (const k of t.members) for (const ep of this.endpointsOf(k)) ep.pushThread(t)
  }

  /** spec §6.5 ThreadActivity/TopicUpdate: `key` renames the thread. */
  setTopic(id: string, key: string, topic: string): void {
    const t = this.threads.get(id)
    if (!t) throw new Error(`no thread ${id}`)
    t.topic = topic
    this.changed()
    const body = `<topicupdate><eventtime>${this.now()}</eventtime><initiator>8:${this.user(key).skypeName}</initiator><value>${xmlEscapeText(topic)}</value></topicupdate>`
    this.route(this.user(key), undefined, id, this.activity('TopicUpdate', body))
  }

  private activity(kind: string, body: string): Omit<StoredMessage, 'id' | 'from' | 'to' | 'arrival' | 'fromEpid'> {
    return { messageType: `ThreadActivity/${kind}`, contentType: 'Application/Message', body, clientMessageId: String(this.nextId) }
  }

  /** The conversations a user took part in, newest messages last, for GET MSGR\RECENTCONVERSATIONS. */
  conversations(key: string, sinceMs: number): { id: string; topic?: string; messages: StoredMessage[] }[] {
    const out = new Map<string, { id: string; topic?: string; messages: StoredMessage[] }>()
    for (const m of this.log) {
      let id: string
      if (m.to.kind === 'thread') {
        const t = this.threads.get(m.to.id)
        if (!t?.members.includes(key)) continue
        id = t.id
      } else if (m.to.key === key || m.from === key) {
        const other = m.from === key ? m.to.key : m.from
        if (this.user(key).blocked.includes(other)) continue
        id = `8:${this.user(other).skypeName}`
      } else continue
      if (m.arrival < sinceMs) continue
      let conv = out.get(id)
      if (!conv) {
        conv = { id, messages: [] }
        if (m.to.kind === 'thread') conv.topic = this.threads.get(m.to.id)!.topic
        out.set(id, conv)
      }
      conv.messages.push(m)
    }
    return [...out.values()]
  }
}

function xmlEscapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
