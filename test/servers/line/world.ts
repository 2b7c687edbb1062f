// The state of the simulated LINE service behind the reference server: users (each with a
// primary phone holding their Letter Sealing keys), groups, messages, the per-account
// operation log with its revision counter (spec §11.6), tokens, certificates, and the
// OBS objects. Every change to an account appends operations, exactly as spec §11.7 says.

import { randomBytes } from 'node:crypto'
import { newX25519, type ServerKey } from './server-crypto'

export {
  type WireOp,
  type WorldUser,
  type WorldChat,
  type StoredMessage,
  type WorldReaction,
  UNSEND_PERIOD_MS,
  type GroupKeyRecord,
  type TokenRecord,
  type RecordedRequest
} from './world-types'
import type { WireOp, WorldUser, WorldChat, StoredMessage, GroupKeyRecord, TokenRecord, RecordedRequest } from './world-types'

export const hex32 = (): string => randomBytes(16).toString('hex')
export const userMid = (): string => `u${hex32()}`
export const groupMid = (): string => `c${hex32()}`

let keyIds = 5_384_376

/** After a restore from saved state (persist.ts): new keys get ids past every saved one. */
export function reserveKeyIds(highest: number): void {
  keyIds = Math.max(keyIds, highest + 1)
}

function newKey(): ServerKey {
  const pair = newX25519()
  return { keyId: keyIds++, priv: pair.priv, pub: pair.pub }
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url')
}

export class LineWorld {
  readonly users = new Map<string, WorldUser>()
  readonly chats = new Map<string, WorldChat>()
  readonly messages: StoredMessage[] = []
  readonly groupKeys = new Map<string, GroupKeyRecord[]>()
  readonly tokens = new Map<string, TokenRecord>()
  readonly refreshTokens = new Map<string, TokenRecord>()
  readonly obsTokens = new Map<string, string>()
  /** OBS objects by `sid/oid`. */
  readonly objects = new Map<string, { bytes: Buffer; owner: string }>()
  /** The largest file message the server takes (spec §6.8 47 EXCEED_FILE_MAX_SIZE past it); tests lower it. */
  maxFileBytes = 50 * 1024 * 1024
  readonly requests: RecordedRequest[] = []
  /** The newest message each account has read, by `mid:chat` (for unread counts). */
  readonly lastRead = new Map<string, string>()
  /** Sends seen per `sender:reqSeq`: the same reqSeq again returns the same message (spec §3). Saved by persist.ts. */
  readonly sends = new Map<string, StoredMessage>()
  private readonly opListeners = new Set<(mid: string) => void>()
  /** The last message id and group key id handed out; saved by persist.ts. */
  messageSeq = 600_000_000_000_000_000n
  groupKeySeq = 100
  /** Seconds until a token should be refreshed (spec §4.1 sample: 391466). */
  tokenRefreshSec = 391_466
  /** After this, calls fail with 119 MUST_REFRESH_V3_TOKEN. */
  tokenLifetimeSec = 7 * 24 * 3600
  /** The next this-many tokenRefresh calls answer 10202 AUTH_RETRY_REQUIRED (spec §4.3). */
  refreshRetries = 0
  /** Revisions the operation stream always sends as broken JSON (a frame damaged the same way each time); tests set it. */
  readonly malformedRevisions = new Set<string>()
  /** The next this-many calls of a Talk method (by name) answer HTTP 503, as a server briefly unable; tests set it. */
  readonly unavailableCalls = new Map<string, number>()
  /** Plain text into a chat with this user, when set, is refused with 82 (spec §11.8). */
  readonly sealedOnly = new Set<string>()

  now(): number {
    return Date.now()
  }

  addUser(input: { displayName: string; email?: string; password?: string; sealing?: boolean; mid?: string; extraKeys?: number }): WorldUser {
    const keys = [...Array.from({ length: input.extraKeys ?? 0 }, newKey), newKey()]
    const user: WorldUser = {
      mid: input.mid ?? userMid(),
      displayName: input.displayName,
      email: input.email ?? null,
      password: input.password ?? null,
      sealing: input.sealing ?? true,
      keys,
      // The newest key is the active one, and it is not the first in the keychain (linejs#229).
      activeKeyId: keys[keys.length - 1]!.keyId,
      contacts: [],
      certificates: new Set(),
      revision: 100_000n,
      ops: []
    }
    this.users.set(user.mid, user)
    return user
  }

  befriend(a: string, b: string): void {
    if (!this.user(a).contacts.includes(b)) this.user(a).contacts.push(b)
    if (!this.user(b).contacts.includes(a)) this.user(b).contacts.push(a)
  }

  addGroup(name: string, creator: string, members: string[]): WorldChat {
    const chat: WorldChat = { mid: groupMid(), name, creator, members: [...new Set([creator, ...members])], createdTime: this.now() }
    this.chats.set(chat.mid, chat)
    return chat
  }

  user(mid: string): WorldUser {
    const u = this.users.get(mid)
    if (!u) throw new Error(`no user ${mid}`)
    return u
  }

  activeKey(user: WorldUser): ServerKey {
    return user.keys.find((k) => k.keyId === user.activeKeyId)!
  }

  // ---- tokens (spec §4.3) ---------------------------------------------------------------

  issueTokens(mid: string): TokenRecord {
    const now = this.now()
    const iat = Math.floor(now / 1000)
    const claims = {
      jti: hex32(),
      aud: 'LINE',
      iat,
      exp: iat + this.tokenLifetimeSec,
      scp: 'LINE_CORE',
      rtid: hex32(),
      ver: '3.1',
      aid: mid,
      lsid: hex32(),
      did: 'NONE',
      ctype: 'CHROMEOS',
      cmode: 'SECONDARY',
      cid: '0300000000'
    }
    const accessToken = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}.${randomBytes(32).toString('base64url')}`
    const record: TokenRecord = {
      mid,
      accessToken,
      refreshToken: randomBytes(24).toString('base64url'),
      expiresAtMs: now + this.tokenLifetimeSec * 1000,
      revoked: false,
      loginSessionId: claims.lsid
    }
    this.tokens.set(accessToken, record)
    this.refreshTokens.set(record.refreshToken, record)
    return record
  }

  tokenResult(record: TokenRecord, withPolicy = true): Record<string, unknown> {
    const out: Record<string, unknown> = {
      accessToken: record.accessToken,
      refreshToken: record.refreshToken,
      durationUntilRefreshInSec: String(this.tokenRefreshSec)
    }
    if (withPolicy) out.refreshApiRetryPolicy = { initialDelayInMillis: '200', maxDelayInMillis: '104857600', multiplier: 2, jitterRate: 0.3 }
    out.loginSessionId = record.loginSessionId
    out.tokenIssueTimeEpochSec = String(Math.floor(this.now() / 1000))
    return out
  }

  /** Ends every session of an account (a logout on the phone). */
  revokeAll(mid: string): void {
    for (const t of this.tokens.values()) if (t.mid === mid) t.revoked = true
  }

  issueCertificate(mid: string): string {
    const cert = randomBytes(32).toString('hex')
    this.user(mid).certificates.add(cert)
    return cert
  }

  // ---- operations (spec §6.3–§6.5, §11.6) ---------------------------------------------------

  onOps(listener: (mid: string) => void): () => void {
    this.opListeners.add(listener)
    return () => this.opListeners.delete(listener)
  }

  addOp(mid: string, op: Omit<WireOp, 'revision' | 'createdTime'> & { createdTime?: string }): WireOp {
    const user = this.user(mid)
    user.revision += 1n
    const full: WireOp = { revision: user.revision.toString(), createdTime: op.createdTime ?? String(this.now()), ...op } as WireOp
    user.ops.push(full)
    for (const l of [...this.opListeners]) l(mid)
    return full
  }

  opsAfter(mid: string, rev: bigint, max = Infinity): WireOp[] {
    return this.user(mid)
      .ops.filter((o) => BigInt(o.revision) > rev)
      .slice(0, max)
  }

  // ---- messages -------------------------------------------------------------------------

  /** The account-side view of a message (the shape of the op in capture 002). */
  static wire(m: StoredMessage): Record<string, unknown> {
    const out: Record<string, unknown> = { from: m.from, to: m.to, toType: m.toType, id: m.id, createdTime: String(m.createdTime) }
    if (m.text !== undefined) out.text = m.text
    out.hasContent = m.hasContent
    out.contentType = m.contentType
    out.contentMetadata = m.contentMetadata
    if (m.chunks) out.chunks = m.chunks
    out.sessionId = 0
    if (m.relatedMessageId !== undefined) {
      out.relatedMessageId = m.relatedMessageId
      out.messageRelationType = m.messageRelationType ?? 3
      out.relatedMessageServiceCode = m.relatedMessageServiceCode ?? 1
    }
    out.reactions = (m.reactions ?? []).map((r) => ({
      fromUserMid: r.fromUserMid,
      atMillis: String(r.atMillis),
      reactionType: { predefinedReactionType: r.predefinedReactionType }
    }))
    return out
  }

  /** Who takes part in the chat a message belongs to. */
  participantsOf(m: { from: string; to: string }): string[] {
    const chat = this.chats.get(m.to)
    return chat ? [...chat.members] : [m.from, m.to]
  }

  /**
   * spec §5 react / cancelReaction, §6.5: 139 SEND_REACTION to the reactor, 140
   * NOTIFIED_SEND_REACTION to everyone else in the chat; param1 the message, param2
   * `{"chatMid","curr"}` with the chat as each receiver names it, param3 the reactor. A
   * cancel carries `curr` UNDO (1): our reading, the spec shows only the set case.
   */
  react(reactor: string, messageId: string, predefinedReactionType: number | null): StoredMessage {
    const m = this.messages.find((x) => x.id === messageId && !x.unsent)
    if (!m || !this.participantsOf(m).includes(reactor)) throw new Error('no such message')
    const others = (m.reactions ?? []).filter((r) => r.fromUserMid !== reactor)
    m.reactions = predefinedReactionType === null ? others : [...others, { fromUserMid: reactor, atMillis: this.now(), predefinedReactionType }]
    const curr = { predefinedReactionType: predefinedReactionType ?? 1 }
    for (const viewer of this.participantsOf(m)) {
      const param2 = JSON.stringify({ chatMid: this.chatFor(viewer, m), curr })
      this.addOp(viewer, { type: viewer === reactor ? 139 : 140, reqSeq: 0, param1: m.id, param2, param3: reactor })
    }
    return m
  }

  recipientsOf(m: { from: string; to: string }): string[] {
    const chat = this.chats.get(m.to)
    return chat ? chat.members.filter((x) => x !== m.from) : [m.to]
  }

  /** The chat as `viewer` names it: the group, or in 1:1 the other party. */
  chatFor(viewer: string, m: { from: string; to: string }): string {
    if (this.chats.has(m.to)) return m.to
    return m.from === viewer ? m.to : m.from
  }

  findSend(sender: string, reqSeq: number): StoredMessage | undefined {
    return reqSeq > 0 ? this.sends.get(`${sender}:${reqSeq}`) : undefined
  }

  /** spec §11.7: an 18-digit id, type 25 to the sender (with reqSeq), 26 to the recipients. */
  deliver(sender: string, reqSeq: number, input: Omit<StoredMessage, 'id' | 'createdTime' | 'from'>): StoredMessage {
    const m: StoredMessage = { ...input, from: sender, id: (++this.messageSeq).toString(), createdTime: this.now() }
    this.messages.push(m)
    if (reqSeq > 0) this.sends.set(`${sender}:${reqSeq}`, m)
    this.addOp(sender, { type: 25, reqSeq, param1: '0', message: LineWorld.wire(m), createdTime: String(m.createdTime) })
    for (const r of this.recipientsOf(m)) this.addOp(r, { type: 26, reqSeq: 0, message: LineWorld.wire(m), createdTime: String(m.createdTime) })
    // capture 002: the sender's own read marker follows (type 55, reader = sender).
    this.addOp(sender, { type: 55, reqSeq: 0, param1: this.chatFor(sender, m), param2: sender, param3: m.id })
    return m
  }

  /** spec §11.7: sendChatChecked → 40 for the reader's devices, 55 for the senders. */
  readChat(reader: string, chat: string, lastMessageId: string, reqSeq: number): void {
    this.addOp(reader, { type: 40, reqSeq, param1: chat, param2: lastMessageId, param3: '0' })
    this.lastRead.set(`${reader}:${chat}`, lastMessageId)
    const senders = new Set(
      this.conversation(reader, chat)
        .filter((m) => m.from !== reader && BigInt(m.id) <= BigInt(lastMessageId))
        .map((m) => m.from)
    )
    for (const s of senders) this.addOp(s, { type: 55, reqSeq: 0, param1: this.chats.has(chat) ? chat : reader, param2: reader, param3: lastMessageId })
  }

  /** spec §11.7: unsendMessage → 64 to the sender, 65 to the others. */
  unsend(sender: string, messageId: string): void {
    const m = this.messages.find((x) => x.id === messageId && x.from === sender)
    if (!m) throw new Error('no such message')
    m.unsent = true
    this.addOp(sender, { type: 64, reqSeq: 0, param1: this.chatFor(sender, m), param2: m.id })
    for (const r of this.recipientsOf(m)) this.addOp(r, { type: 65, reqSeq: 0, param1: this.chatFor(r, m), param2: m.id })
  }

  /** A member renames a group: 121 UPDATE_CHAT for them, 122 NOTIFIED_UPDATE_CHAT for the others (attribute 1 = NAME). */
  renameGroup(actor: string, chatMid: string, name: string): void {
    const chat = this.chats.get(chatMid)
    if (!chat?.members.includes(actor)) throw new Error('not a member')
    chat.name = name
    this.addOp(actor, { type: 121, reqSeq: 0, param1: chatMid, param2: '1' })
    for (const m of chat.members) if (m !== actor) this.addOp(m, { type: 122, reqSeq: 0, param1: chatMid, param2: '1', param3: actor })
  }

  /** A user changes their display name: 2 NOTIFIED_UPDATE_PROFILE for everyone who has them as a contact. */
  renameUser(mid: string, displayName: string): void {
    this.user(mid).displayName = displayName
    for (const u of this.users.values()) if (u.contacts.includes(mid)) this.addOp(u.mid, { type: 2, reqSeq: 0, param1: mid, param2: '2' })
  }

  /** Messages of one chat as `viewer` sees it, oldest first. */
  conversation(viewer: string, chat: string): StoredMessage[] {
    if (this.chats.has(chat)) return this.messages.filter((m) => m.to === chat && !m.unsent)
    return this.messages.filter((m) => !m.unsent && ((m.from === viewer && m.to === chat) || (m.from === chat && m.to === viewer)))
  }

  /** Every chat `viewer` has messages in, by the id `viewer` uses for it. */
  boxesOf(viewer: string): string[] {
    const ids = new Set<string>()
    for (const m of this.messages) {
      if (m.unsent) continue
      if (m.from !== viewer && m.to !== viewer && !this.chats.get(m.to)?.members.includes(viewer)) continue
      ids.add(this.chatFor(viewer, m))
    }
    return [...ids]
  }

  nextGroupKeyId(): number {
    return ++this.groupKeySeq
  }
}
