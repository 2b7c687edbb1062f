// What the server pushes, read into plain values: SDG messages (spec §6), presence
// documents in NFY PUT/DEL (§8.1), thread notifications and ThreadActivity bodies
// (§6.5). Pure functions; the session decides what to do with them.

import type { Presence } from '../../../../shared/model'
import { addressParam, bareAddress } from './messaging'
import { decodeText, type MultiMime } from './mime'
import { attr, children, parseXml, text, type XmlNode } from '../xml'

export interface InboundMessaging {
  /** Sender without parameters (`8:bob.smith`). */
  from: string
  fromEpid?: string
  /** Recipient without parameters: our address, a peer (carbon copy) or a `19:` thread. */
  to: string
  messageType: string
  messageId?: string
  clientMessageId?: string
  editedId?: string
  displayName?: string
  emoteOffset?: string
  /** Epoch ms from Original-Arrival-Time. */
  arrival?: number
  threadTopic?: string
  contentType: string
  body: string
}

export function readMessaging(mime: MultiMime): InboundMessaging {
  const from = mime.routing.get('From') ?? ''
  const h = mime.content
  const m: InboundMessaging = {
    from: bareAddress(from),
    to: bareAddress(mime.routing.get('To') ?? ''),
    messageType: h.get('Message-Type') ?? 'Text',
    contentType: h.get('Content-Type') ?? 'text/plain',
    body: decodeText(mime.body)
  }
  const epid = addressParam(from, 'epid')
  if (epid) m.fromEpid = epid
  const optional: [keyof InboundMessaging, string][] = [
    ['messageId', 'Message-ID'],
    ['clientMessageId', 'Client-Message-ID'],
    ['editedId', 'Skype-EditedId'],
    ['displayName', 'IM-Display-Name'],
    ['emoteOffset', 'Skype-EmoteOffset'],
    ['threadTopic', 'Thread-Topic']
  ]
  for (const [key, header] of optional) {
    const v = h.get(header)
    if (v !== undefined && v !== '') (m as unknown as Record<string, string>)[key] = v.slice(0, 512)
  }
  const arrival = Date.parse(h.get('Original-Arrival-Time') ?? '')
  if (Number.isFinite(arrival)) m.arrival = arrival
  return m
}

/** spec §8.2 status codes in the shared model's words. */
export function presenceOf(status: string | undefined): Presence {
  switch ((status ?? '').toUpperCase()) {
    case 'NLN':
      return 'online'
    case 'BSY':
    case 'PHN':
      return 'busy'
    case 'IDL':
    case 'BRB':
    case 'AWY':
    case 'LUN':
      return 'away'
    case 'HDN':
    case 'FLN':
      return 'offline'
    default:
      return 'unknown'
  }
}

export interface PresenceUpdate {
  address: string
  presence?: Presence
  displayName?: string
  mood?: string
  /** Endpoints that went offline (`NFY DEL` with `<sep n="IM" epid>`). */
  endpointsGone: string[]
}

/** spec §8.1: a presence document from NFY PUT (`removed` false) or NFY DEL (`removed` true). */
export function readPresence(mime: MultiMime, removed: boolean): PresenceUpdate | null {
  const address = bareAddress(mime.routing.get('From') ?? '')
  if (!address) return null
  const update: PresenceUpdate = { address, endpointsGone: [] }
  const body = decodeText(mime.body).trim()
  if (!body.startsWith('<user')) return removed ? { ...update, presence: 'offline' } : update
  const user = parseXml(body, 'presence document').user
  const services = children(user, 's')
  const endpoints = children(user, 'sep')
  if (removed) {
    // `<s n="IM"/>` removed: the contact is gone; only `<sep n="IM" epid>`: one endpoint left.
    if (services.some((s) => attr(s, 'n') === 'IM')) update.presence = 'offline'
    for (const sep of endpoints) {
      const epid = attr(sep, 'epid')
      if (attr(sep, 'n') === 'IM' && epid) update.endpointsGone.push(epid)
    }
    return update
  }
  for (const s of services) {
    const name = attr(s, 'n')
    if (name === 'IM') {
      const status = text(s, 'Status')
      if (status) update.presence = presenceOf(status)
    } else if (name === 'PE') {
      const friendly = text(s, 'FriendlyName')
      if (friendly) update.displayName = friendly
      const psm = text(s, 'PSM')
      if (psm) update.mood = psm
    } else if (name === 'SKP') {
      const mood = text(s, 'Mood')
      if (mood) update.mood = mood
    }
  }
  return update
}

export interface ThreadInfo {
  id: string
  topic?: string
  members: string[]
}

/** NFY MSGR\THREAD / `GET MSGR\THREADS`: `<thread><id>19:…</id><properties><topic>…</topic></properties><members>…` (shape after the web API's ThreadUpdate, spec §11.3). */
export function readThreads(xml: string): ThreadInfo[] {
  const doc = parseXml(xml, 'thread notification')
  const roots = [...children(doc, 'thread'), ...children(doc, 'threads', 'thread'), ...children(doc, 'threads-response', 'thread')]
  const out: ThreadInfo[] = []
  for (const t of roots) {
    const id = text(t, 'id')
    if (!id || !id.startsWith('19:')) continue
    const info: ThreadInfo = { id, members: [] }
    const topic = text(t, 'properties', 'topic') ?? text(t, 'topic')
    if (topic !== undefined) info.topic = topic
    for (const m of children(t, 'members', 'member')) {
      const mri = text(m, 'mri') ?? text(m, 'id')
      if (mri) info.members.push(mri)
    }
    out.push(info)
  }
  return out
}

export interface ThreadActivity {
  kind: 'addmember' | 'deletemember' | 'topicupdate' | 'roleupdate'
  eventTime?: number
  initiator?: string
  targets: string[]
  value?: string
}

/** spec §6.5: ThreadActivity/* bodies (`<addmember><eventtime/><initiator/><target/>…`). */
export function readThreadActivity(body: string): ThreadActivity | null {
  let doc: XmlNode
  try {
    doc = parseXml(body, 'thread activity')
  } catch {
    return null
  }
  for (const kind of ['addmember', 'deletemember', 'topicupdate', 'roleupdate'] as const) {
    const node = doc[kind]
    if (node === undefined) continue
    const activity: ThreadActivity = {
      kind,
      targets: children(node, 'target')
        .map((t) => (typeof t === 'string' ? t : (text(t) ?? '')))
        .filter(Boolean)
    }
    const time = Number(text(node, 'eventtime'))
    if (Number.isFinite(time) && time > 0) activity.eventTime = time
    const initiator = text(node, 'initiator')
    if (initiator) activity.initiator = initiator
    const value = text(node, 'value')
    if (value !== undefined) activity.value = value
    return activity
  }
  return null
}

export interface RecentMessage extends InboundMessaging {
  conversation: string
}

/**
 * `GET MSGR\RECENTCONVERSATIONS` reply (spec §5.3). The message element is not captured
 * anywhere; we read the web API's `msnp24Equivalent` field names (§11.3), which is what
 * that view was named after.
 */
export function readRecentConversations(xml: string): { conversations: { id: string; topic?: string }[]; messages: RecentMessage[] } {
  const doc = parseXml(xml, 'recent conversations')
  const conversations: { id: string; topic?: string }[] = []
  const messages: RecentMessage[] = []
  for (const c of children(doc, 'recentconversations-response', 'conversations', 'conversation')) {
    const id = text(c, 'id')
    if (!id) continue
    const conv: { id: string; topic?: string } = { id }
    const topic = text(c, 'threadtopic') ?? text(c, 'topic')
    if (topic) conv.topic = topic
    conversations.push(conv)
    for (const m of children(c, 'messages', 'message')) {
      const from = text(m, 'from')
      if (!from) continue
      const msg: RecentMessage = {
        conversation: id,
        from: bareAddress(from),
        to: id,
        messageType: text(m, 'messagetype') ?? 'Text',
        contentType: text(m, 'contenttype') ?? 'text/plain',
        body: text(m, 'content') ?? ''
      }
      const fields: [keyof InboundMessaging, string][] = [
        ['messageId', 'id'],
        ['clientMessageId', 'clientmessageid'],
        ['editedId', 'skypeeditedid'],
        ['displayName', 'imdisplayname'],
        ['emoteOffset', 'skypeemoteoffset']
      ]
      for (const [key, tag] of fields) {
        const v = text(m, tag)
        if (v) (msg as unknown as Record<string, string>)[key] = v
      }
      const arrival = Date.parse(text(m, 'originalarrivaltime') ?? '')
      if (Number.isFinite(arrival)) msg.arrival = arrival
      messages.push(msg)
    }
  }
  return { conversations, messages }
}
