// spec §6.4/§6.5: what the server pushes, decoded from JSON arrays and nodes into one typed
// union. The router subscribes as soon as the socket opens and holds pushes until the
// session starts, so nothing sent in the same TCP read as `Conn` is lost.

import type { Logger } from '../../../base/log'
import type { WANode } from './binary'
import { parseGroupAction, type GroupAction } from './group-actions'
import { normalizeJid } from './jid'
import type { WASocket } from './transport'
import { ackSchema, blocklistSchema, cmdSchema, connSchema, presenceSchema, type ConnInfo } from './wire-schemas'

export interface WAChat {
  jid: string
  name?: string
  unread?: number
  /** Unix seconds of the last activity. */
  t?: number
  muted?: boolean
  pinned?: boolean
  archived?: boolean
}

export interface WAContact {
  jid: string
  name?: string
  notify?: string
  short?: string
}

export interface WAReceipt {
  /** The chat as the push names it; JSON acks name both ends instead (`from`/`to`). */
  chat?: string
  from?: string
  to?: string
  ids: string[]
  /** 2 delivered, 3 read, 4 played (spec §6.5 ack numbers). */
  ack: number
  participant?: string
}

export type SessionPush =
  | { type: 'conn'; conn: ConnInfo }
  | { type: 'cmd'; cmd: { type: string; kind?: string | undefined; jid?: string | undefined } }
  | { type: 'stream'; state: string }
  | { type: 'blocklist'; jids: string[] }
  /** `lastSeen` in epoch ms where the push says when (spec §6.5 `t`); `deny`: the contact hides it. */
  | { type: 'presence'; chat: string; state: string; participant?: string; lastSeen?: number; deny?: boolean }
  | { type: 'groupAction'; action: GroupAction }
  | { type: 'receipt'; receipt: WAReceipt }
  | { type: 'chats'; chats: WAChat[]; preempt: boolean }
  | { type: 'contacts'; contacts: WAContact[]; preempt: boolean }
  | { type: 'messages'; add: string; last: boolean; messages: Uint8Array[] }
  | { type: 'chatRead'; chat: string; unread: boolean }
  | { type: 'chatState'; chat: string; state: string }
  | { type: 'serverQuery'; tag: string }

const int = (s: string | undefined): number | undefined => {
  if (s === undefined || !/^-?\d{1,15}$/.test(s)) return undefined
  return Number(s)
}

/** spec §6.3/§6.5 last seen: unix seconds as a number or a decimal string; epoch ms, or undefined when it names no time. */
export function lastSeenMs(t: string | number | undefined): number | undefined {
  const seconds = typeof t === 'number' ? t : /^\d{1,12}$/.test(t ?? '') ? Number(t) : NaN
  return Number.isSafeInteger(seconds) && seconds > 0 && seconds < 1e11 ? seconds * 1000 : undefined
}

/** spec §6.2 chat list entries: `["chat",{jid,count,t,name?,mute?,archive?,pin?,…}]`. */
export function parseChat(attrs: Record<string, string>): WAChat | null {
  // Stories (`status@broadcast`) are not a chat (spec §8).
  if (!attrs.jid || attrs.jid === 'status@broadcast') return null
  const chat: WAChat = { jid: normalizeJid(attrs.jid) }
  if (attrs.name) chat.name = attrs.name
  const unread = int(attrs.count)
  if (unread !== undefined) chat.unread = Math.max(0, unread)
  const t = int(attrs.t)
  if (t !== undefined) chat.t = t
  const mute = int(attrs.mute)
  if (mute !== undefined) chat.muted = mute * 1000 > Date.now()
  if (attrs.pin) chat.pinned = true
  if (attrs.archive) chat.archived = attrs.archive === 'true'
  return chat
}

/** spec §6.2 contacts: `["user",{jid,notify?,name?,short?,…}]`. */
export function parseContact(attrs: Record<string, string>): WAContact | null {
  if (!attrs.jid) return null
  const c: WAContact = { jid: normalizeJid(attrs.jid) }
  if (attrs.name) c.name = attrs.name
  if (attrs.notify) c.notify = attrs.notify
  if (attrs.short) c.short = attrs.short
  return c
}

function children(node: WANode): WANode[] {
  return Array.isArray(node[2]) ? node[2] : []
}

/** spec §6.4 `received`: type message → delivered, read → read, played → played. */
/** A Map, not an object: a wire `type` such as `constructor` or `__proto__` must not find Object.prototype's members. */
const RECEIPT_ACK: ReadonlyMap<string, number> = new Map([
  ['message', 2],
  ['delivery', 2],
  ['read', 3],
  ['played', 4]
])

/** One pushed node as the pushes it carries, in order. */
export function parseNodePush(tag: string, node: WANode): SessionPush[] {
  const [description, attrs] = node
  const a = attrs ?? {}
  if (description === 'response') {
    const preempt = tag.startsWith('preempt')
    if (a.type === 'chat') return [{ type: 'chats', preempt, chats: children(node).flatMap((c) => (c[0] === 'chat' && c[1] ? (parseChat(c[1]) ?? []) : [])) }]
    if (a.type === 'contacts')
      return [{ type: 'contacts', preempt, contacts: children(node).flatMap((c) => (c[0] === 'user' && c[1] ? (parseContact(c[1]) ?? []) : [])) }]
    return []
  }
  if (description === 'query') return [{ type: 'serverQuery', tag }]
  if (description === 'read' && a.jid) return [{ type: 'chatRead', chat: normalizeJid(a.jid), unread: a.type === 'false' }]
  if (description !== 'action') return []
  const out: SessionPush[] = []
  let messages: Uint8Array[] = []
  const flush = (): void => {
    if (messages.length) out.push({ type: 'messages', add: a.add ?? 'relay', last: a.last === 'true', messages })
    messages = []
  }
  for (const child of children(node)) {
    const [d, ca, content] = child
    const c = ca ?? {}
    if (d === 'message') {
      if (content instanceof Uint8Array) messages.push(content)
      continue
    }
    flush()
    if (d === 'received' && c.jid && c.index && c.owner !== 'false') {
      const ack = RECEIPT_ACK.get(c.type ?? 'message')
      if (ack !== undefined) {
        const receipt: WAReceipt = { chat: normalizeJid(c.jid), ids: [c.index], ack }
        if (c.participant) receipt.participant = normalizeJid(c.participant)
        out.push({ type: 'receipt', receipt })
      }
    } else if (d === 'read' && c.jid) out.push({ type: 'chatRead', chat: normalizeJid(c.jid), unread: c.type === 'false' })
    else if (d === 'user' && c.jid) {
      const contact = parseContact(c)
      if (contact) out.push({ type: 'contacts', preempt: false, contacts: [contact] })
    } else if (d === 'chat' && c.jid && c.type) out.push({ type: 'chatState', chat: normalizeJid(c.jid), state: c.type })
  }
  // An `add=last` batch may be empty (no chats); it still says "the last messages are all here".
  if (messages.length || (out.length === 0 && a.add === 'last')) out.push({ type: 'messages', add: a.add ?? 'relay', last: a.last === 'true', messages })
  return out
}

/** spec §6.5: JSON pushes. Unknown kinds are ignored (WA Web has many more). */
export function parseJsonPush(value: unknown): SessionPush[] {
  if (!Array.isArray(value) || typeof value[0] !== 'string') return []
  const body: unknown = value[1]
  switch (value[0]) {
    case 'Conn': {
      const conn = connSchema.safeParse(body)
      return conn.success ? [{ type: 'conn', conn: conn.data }] : []
    }
    case 'Cmd': {
      const cmd = cmdSchema.safeParse(body)
      return cmd.success ? [{ type: 'cmd', cmd: cmd.data }] : []
    }
    case 'Stream':
      return typeof body === 'string' ? [{ type: 'stream', state: body }] : []
    case 'Blocklist': {
      const list = blocklistSchema.safeParse(body)
      return list.success ? [{ type: 'blocklist', jids: list.data.blocklist.map(normalizeJid) }] : []
    }
    case 'Presence': {
      const p = presenceSchema.safeParse(body)
      if (!p.success) return []
      const push: SessionPush = { type: 'presence', chat: normalizeJid(p.data.id), state: p.data.type }
      if (p.data.participant) push.participant = normalizeJid(p.data.participant)
      if (p.data.deny === true || p.data.deny === 'true') push.deny = true
      const lastSeen = push.deny ? undefined : lastSeenMs(p.data.t)
      if (lastSeen !== undefined) push.lastSeen = lastSeen
      return [push]
    }
    case 'Chat': {
      const action = parseGroupAction(body)
      return action ? [{ type: 'groupAction', action }] : []
    }
    case 'Msg':
    case 'MsgInfo': {
      const ack = ackSchema.safeParse(body)
      if (!ack.success || (ack.data.cmd !== undefined && ack.data.cmd !== 'ack')) return []
      const ids = Array.isArray(ack.data.id) ? ack.data.id : [ack.data.id]
      const receipt: WAReceipt = { ids, ack: ack.data.ack }
      if (ack.data.from) receipt.from = normalizeJid(ack.data.from)
      if (ack.data.to) receipt.to = normalizeJid(ack.data.to)
      if (ack.data.participant) receipt.participant = normalizeJid(ack.data.participant)
      return [{ type: 'receipt', receipt }]
    }
    default:
      return []
  }
}

/**
 * Subscribes to the socket from its first frame and queues every push until `start`, then
 * hands them over in order. Pushes of the handshake itself (`Conn`/`Cmd` before start)
 * belong to the login code and are not replayed.
 */
export class PushRouter {
  private queue: SessionPush[] | null = []
  private handler: ((push: SessionPush) => void) | null = null
  private readonly offs: (() => void)[]

  constructor(
    socket: WASocket,
    private readonly log: Logger
  ) {
    this.offs = [
      socket.events.on('json', ({ value }) => this.accept(parseJsonPush(value))),
      socket.events.on('node', ({ tag, node }) => this.accept(parseNodePush(tag, node)))
    ]
  }

  private accept(pushes: SessionPush[]): void {
    for (const push of pushes) {
      if (this.queue) {
        if (push.type !== 'conn' && push.type !== 'cmd') this.queue.push(push)
        continue
      }
      try {
        this.handler?.(push)
      } catch (error) {
        this.log.error({ error, push: push.type }, 'a push could not be handled')
      }
    }
  }

  start(handler: (push: SessionPush) => void): void {
    const queued = this.queue ?? []
    this.queue = null
    this.handler = handler
    this.accept(queued)
  }

  dispose(): void {
    for (const off of this.offs) off()
    this.handler = null
  }
}
