// Presence (spec §7.6, §4.7 step 4): our own `available` with the push name, subscriptions
// to the contacts of direct chats, and incoming `<presence from [type] [last]/>` as contact
// events with `lastSeen`. Also the own push name (spec §7.2 `notify` on our own devices'
// messages, §10.2 `pushnames`), which the `available` stanza must carry: both libraries
// refuse to announce presence without one, so nothing is sent until it is known.

import type { ConnectorEvent, ContactInfo } from '../../connector'
import { userJidOf, type BinaryNode } from './binary'
import { node } from './stanza'

/** Subscriptions per connection and remembered names are bounded (spec §13.9). */
const MAX_SUBSCRIPTIONS = 200
const MAX_NAMES = 5_000
/** A push name longer than this is not a name (WhatsApp caps it at 25 characters). */
const MAX_PUSH_NAME = 100

export interface PresenceUpdate {
  jid: string
  presence: 'online' | 'offline'
  /** Epoch ms, when the contact shares it; null for `last="deny"` (they do not: a time kept is dropped). */
  lastSeen?: number | null
}

/** spec §7.6 incoming `<presence from="JID" [type="unavailable"] [last="UNIX|deny"]/>`; null for anything else. */
export function readPresence(n: BinaryNode): PresenceUpdate | null {
  const from = n.attrs.from
  if (n.tag !== 'presence' || !from || from.endsWith('@g.us')) return null
  const type = n.attrs.type
  if (type !== undefined && type !== 'available' && type !== 'unavailable') return null
  const jid = userJidOf(from)
  if (!jid.endsWith('@s.whatsapp.net') && !jid.endsWith('@lid')) return null
  const last = Number(n.attrs.last)
  const lastSeen = n.attrs.last === 'deny' ? null : /^\d{1,12}$/.test(n.attrs.last ?? '') && last > 0 ? last * 1000 : undefined
  return { jid, presence: type === 'unavailable' ? 'offline' : 'online', ...(lastSeen !== undefined ? { lastSeen } : {}) }
}

/** A push name as the wire gives it, trimmed; undefined when it is empty or implausible. */
export function cleanPushName(name: string | undefined): string | undefined {
  const trimmed = name?.trim()
  if (!trimmed || trimmed.length > MAX_PUSH_NAME || trimmed === '-') return undefined
  return trimmed
}

export interface PresenceDeps {
  /** Sends on the live session; throws when there is none. */
  send(n: BinaryNode): void
  emit(event: ConnectorEvent): void
}

export class MdPresence {
  /** Direct chats whose contact's presence we follow, most recent last; subscribed again on every connection. */
  private readonly wanted = new Set<string>()
  private subscribed = new Set<string>()
  private connection: object | null = null
  private readonly names = new Map<string, string>()

  constructor(private readonly d: PresenceDeps) {}

  /** A new connection: the server forgot our subscriptions (spec §7.6), so they are sent again. */
  connected(connection: object, pushName: string | undefined): void {
    this.connection = connection
    this.subscribed = new Set()
    this.announce(pushName)
    for (const jid of this.wanted) this.send(jid)
  }

  /** spec §4.7 step 4: `<presence type="available" name=PUSHNAME/>`, only with a push name. */
  announce(pushName: string | undefined): void {
    const name = cleanPushName(pushName)
    if (!name || !this.connection) return
    this.trySend(node('presence', { type: 'available', name }))
  }

  /** Remembers a contact's name, so a presence update does not rename them. */
  noteName(jid: string, name: string | undefined): void {
    const clean = cleanPushName(name)
    if (!clean) return
    const user = userJidOf(jid)
    if (!this.names.has(user) && this.names.size >= MAX_NAMES) this.names.delete(this.names.keys().next().value!)
    this.names.set(user, clean)
  }

  /**
   * spec §7.6 `<presence type="subscribe" to=JID/>`, once per direct chat per connection. A
   * chat named before the connection is up (history sync during login) is subscribed when it is.
   */
  subscribe(chatJid: string): void {
    const jid = userJidOf(chatJid)
    if (!jid.endsWith('@s.whatsapp.net')) return
    this.wanted.delete(jid)
    this.wanted.add(jid)
    if (this.wanted.size > MAX_SUBSCRIPTIONS) this.wanted.delete(this.wanted.values().next().value!)
    this.send(jid)
  }

  private send(jid: string): void {
    if (!this.connection || this.subscribed.has(jid)) return
    if (this.trySend(node('presence', { type: 'subscribe', to: jid }))) this.subscribed.add(jid)
  }

  /** An incoming presence stanza → a contact event (Core keeps the name when it is empty). */
  handle(n: BinaryNode): void {
    const update = readPresence(n)
    if (!update) return
    const contact: ContactInfo = {
      remoteId: update.jid,
      name: this.names.get(update.jid) ?? '',
      presence: update.presence,
      ...(update.lastSeen !== undefined ? { lastSeen: update.lastSeen } : {})
    }
    this.d.emit({ type: 'contact', contact })
  }

  private trySend(n: BinaryNode): boolean {
    try {
      this.d.send(n)
      return true
    } catch {
      // Not connected: the next connection announces and subscribes again.
      return false
    }
  }
}
