// A logged-in connection: the requests of spec §6.2/§6.3 with their metric and flag bytes
// (§1.5), each reply checked for its shape. Nodes in, typed results out.

import { JunctionError, ProtocolError } from '../../../../shared/errors'
import type { WANode } from './binary'
import { FLAG, METRIC } from './frames'
import { lastSeenMs, parseChat, parseContact, type WAChat, type WAContact } from './pushes'
import type { Reply, WASocket } from './transport'
import { lastSeenReplySchema, mediaConnReplySchema, statusReplySchema } from './wire-schemas'

/** spec §6.2: history pages of 50, as WA Web asked for. */
export const PAGE_SIZE = 50

export type HistoryPage = { found: true; messages: Uint8Array[]; last: boolean } | { found: false }

export type PresenceState = 'available' | 'unavailable' | 'composing' | 'recording' | 'paused'

/** spec §1.5: presence flags as WA Web sends them (Baileys' table). */
const PRESENCE_FLAG: Record<PresenceState, number> = {
  available: FLAG.IGNORE | FLAG.AVAILABLE,
  unavailable: FLAG.NOT_AVAILABLE,
  composing: FLAG.SKIP_OFFLINE,
  recording: FLAG.SKIP_OFFLINE,
  paused: FLAG.SKIP_OFFLINE
}

function statusOf(reply: Reply): number | null {
  if (reply.kind !== 'json') return null
  const parsed = statusReplySchema.safeParse(reply.value)
  return parsed.success ? parsed.data.status : null
}

function requireOk(reply: Reply, what: string): void {
  const status = statusOf(reply)
  if (status === 200) return
  if (status === null) throw new ProtocolError(`WhatsApp answered ${what} unexpectedly.`)
  throw new JunctionError(status >= 500 ? 'unavailable' : 'rejected', `WhatsApp refused ${what} (status ${status}).`, { detail: String(status) })
}

export class WASession {
  constructor(
    readonly socket: WASocket,
    readonly selfJid: string
  ) {}

  /** spec §6.2 chat list; `duplicate="true"` means it was already pushed as `preempt` (null here). */
  async queryChats(): Promise<WAChat[] | null> {
    const reply = await this.socket.requestNode((epoch) => ['query', { type: 'chat', epoch }, null], { metric: METRIC.QUERY_CHAT, flag: FLAG.IGNORE })
    const node = this.responseNode(reply, 'chat')
    if (!node || node[1]?.duplicate === 'true') return null
    return (Array.isArray(node[2]) ? node[2] : []).flatMap((c) => (c[0] === 'chat' && c[1] ? (parseChat(c[1]) ?? []) : []))
  }

  async queryContacts(): Promise<WAContact[] | null> {
    const reply = await this.socket.requestNode((epoch) => ['query', { type: 'contacts', epoch }, null], { metric: METRIC.QUERY_CONTACTS, flag: FLAG.IGNORE })
    const node = this.responseNode(reply, 'contacts')
    if (!node || node[1]?.duplicate === 'true') return null
    return (Array.isArray(node[2]) ? node[2] : []).flatMap((c) => (c[0] === 'user' && c[1] ? (parseContact(c[1]) ?? []) : []))
  }

  private responseNode(reply: Reply, type: string): WANode | null {
    if (reply.kind === 'json') {
      requireOk(reply, `the ${type} query`)
      return null
    }
    if (reply.node[0] !== 'response') throw new ProtocolError(`WhatsApp answered the ${type} query with a ${reply.node[0]} node.`)
    return reply.node
  }

  /**
   * spec §6.2 message history (V7): `count` messages before/after `index`, or the newest
   * `count` without an index. Children come oldest → newest. A 404 means the anchor is unknown.
   */
  async queryMessages(chat: string, kind: 'before' | 'after', count: number, anchor: { id: string; fromMe: boolean } | null): Promise<HistoryPage> {
    const reply = await this.socket.requestNode(
      (epoch) => {
        const attrs: Record<string, string> = { type: 'message', jid: chat, kind, count: String(count) }
        if (anchor) {
          attrs.index = anchor.id
          attrs.owner = anchor.fromMe ? 'true' : 'false'
        }
        attrs.epoch = epoch
        return ['query', attrs, null]
      },
      { metric: METRIC.QUERY_MESSAGES, flag: FLAG.IGNORE }
    )
    if (reply.kind === 'json') {
      if (statusOf(reply) === 404) return { found: false }
      requireOk(reply, 'the history query')
      return { found: true, messages: [], last: true }
    }
    const [description, attrs, content] = reply.node
    if (description !== 'action') throw new ProtocolError(`WhatsApp answered the history query with a ${description} node.`)
    const messages = (Array.isArray(content) ? content : []).flatMap((c) => (c[0] === 'message' && c[2] instanceof Uint8Array ? [c[2]] : []))
    return { found: true, messages, last: attrs?.last === 'true' }
  }

  /**
   * spec §6.2 relay (V5): the tag is the message id, so a resend after a lost reply is the
   * same request. The reply is `{"status":200,"t":…}`; 599 means the phone is unreachable.
   */
  async relay(messageId: string, webMessageInfo: Uint8Array, toSelf: boolean): Promise<number | null> {
    const reply = await this.socket.requestNode((epoch) => ['action', { type: 'relay', epoch }, [['message', null, webMessageInfo]]], {
      tag: messageId,
      metric: METRIC.MESSAGE,
      flag: toSelf ? FLAG.ACK_REQUEST : FLAG.IGNORE
    })
    requireOk(reply, 'the message')
    const t = reply.kind === 'json' ? (reply.value as { t?: unknown }).t : undefined
    return typeof t === 'number' && Number.isFinite(t) ? t : null
  }

  /** spec §6.2 presence: `to` for composing/recording/paused only. */
  async setPresence(state: PresenceState, to?: string): Promise<void> {
    const reply = await this.socket.requestNode(
      (epoch): WANode => ['action', { type: 'set', epoch }, [['presence', to ? { type: state, to } : { type: state }, null]]],
      { metric: METRIC.PRESENCE, flag: PRESENCE_FLAG[state] }
    )
    requireOk(reply, 'the presence update')
  }

  /** spec §6.2 mark read: index/owner name the newest message read; participant in groups. */
  async markRead(chat: string, index: string, owner: boolean, participant?: string): Promise<void> {
    const reply = await this.socket.requestNode(
      (epoch) => {
        const attrs: Record<string, string> = { jid: chat, index, owner: owner ? 'true' : 'false', count: '1' }
        if (participant) attrs.participant = participant
        return ['action', { type: 'set', epoch }, [['read', attrs, null]]]
      },
      { metric: METRIC.READ, flag: FLAG.IGNORE }
    )
    requireOk(reply, 'the read receipt')
  }

  /** spec §6.3: after this the server pushes `Presence` updates for the JID. */
  async subscribePresence(jid: string): Promise<void> {
    requireOk(await this.socket.request(['action', 'presence', 'subscribe', jid]), 'the presence subscription')
  }

  /**
   * spec §6.3 `["query","Presence","lastseen",JID]` → `{"t":<unix s>}`, in the `tag,,json` form
   * the 2016 capture shows (§1.2). Epoch ms, or null when the contact hides it (404) or names no time.
   */
  /** spec §6.3 `lastseen`: epoch ms; null when the contact hides it (404); undefined when the answer says neither. */
  async queryLastSeen(jid: string): Promise<number | null | undefined> {
    const reply = await this.socket.request(['query', 'Presence', 'lastseen', jid], { doubleComma: true })
    const seen = reply.kind === 'json' ? lastSeenReplySchema.safeParse(reply.value) : null
    const ms = seen?.success ? lastSeenMs(seen.data.t) : undefined
    if (ms !== undefined) return ms
    if (statusOf(reply) === 404) return null
    requireOk(reply, 'the last seen query')
    return undefined
  }

  /** spec §6.2 `media` query: the phone re-uploads an expired file; the new URL is in the reply's attributes. */
  async refreshMediaUrl(chat: string, messageId: string, owner: boolean): Promise<string | null> {
    const reply = await this.socket.requestNode(
      (epoch) => ['query', { type: 'media', index: messageId, owner: owner ? 'true' : 'false', jid: chat, epoch }, null],
      { metric: METRIC.QUERY_MEDIA, flag: FLAG.IGNORE, timeoutMs: 60_000 }
    )
    if (reply.kind === 'json') {
      requireOk(reply, 'the media refresh')
      return null
    }
    return reply.node[1]?.url ?? null
  }

  /** spec §6.3 `["query","mediaConn"]` (§7.4 step 1): the upload token, its lifetime and the media hosts. */
  async queryMediaConn(): Promise<{ auth: string; ttlSeconds: number; hosts: string[] }> {
    const reply = await this.socket.request(['query', 'mediaConn'])
    const parsed = reply.kind === 'json' ? mediaConnReplySchema.safeParse(reply.value) : null
    if (!parsed?.success) {
      requireOk(reply, 'the media connection query')
      throw new ProtocolError('WhatsApp answered the media connection query without a media host.')
    }
    const conn = parsed.data.media_conn
    return { auth: conn.auth, ttlSeconds: conn.ttl, hosts: conn.hosts.map((h) => h.hostname) }
  }

  /** spec §6.4: a server query we do not handle is answered like WA Web, with error 501. */
  answerUnknownQuery(tag: string): void {
    this.socket.sendNode((epoch) => ['error', { code: '501', epoch }, null], { tag, metric: METRIC.QUERY_RESPONSE, flag: FLAG.ACK_REQUEST })
  }

  /** spec §2.8: `goodbye,,["admin","Conn","disconnect"]`; the server invalidates the tokens and closes. */
  logout(): void {
    this.socket.sendJson(['admin', 'Conn', 'disconnect'], { tag: 'goodbye', doubleComma: true })
  }
}
