// Online and last seen on the legacy protocol. Subscriptions (spec §6.3
// `["action","presence","subscribe",JID]`): the server pushes `Presence` for a JID only after
// one, and forgets them with the connection, so the chats followed are remembered here (bounded,
// most recent last) and subscribed again on every connection. Each direct chat's subscription
// also asks `["query","Presence","lastseen",JID]` once (spec §6.3, the 2016 capture's `tag,,json`
// form, §1.2), so the contact's last seen is known before their presence next changes; a 404 is
// a contact who hides it. The pushes (spec §6.5 `["Presence",{id,type,participant?,t?,deny?}]`)
// become `contact` events here; their typing half stays in inbound.ts.

import type { Logger } from '../../../base/log'
import type { ConnectorEvent, ContactInfo } from '../../connector'
import { isGroupJid, USER_SUFFIX } from './jid'
import type { SessionPush } from './pushes'
import type { WASession } from './session'

/** How many chats are followed at once; the oldest is let go (WA Web subscribed to the chats it showed). */
export const MAX_SUBSCRIPTIONS = 100

/** spec §6.2 presence states that say the contact is in the app (typing counts: they must be online to type). */
const ONLINE = new Set(['available', 'composing', 'recording'])

/**
 * A presence push as the contact event it means, or null when it says nothing of online or last
 * seen (a group member's typing, `paused`, an unknown state). Only a direct chat's own contact
 * is reported: a group push names the group, and its member may not be a contact at all.
 * An empty name keeps the stored one (connector.ts); `deny` reports offline and drops any time kept.
 */
export function presenceContact(push: Extract<SessionPush, { type: 'presence' }>): ContactInfo | null {
  if (isGroupJid(push.chat) || !push.chat.endsWith(USER_SUFFIX)) return null
  if (push.participant && push.participant !== push.chat) return null
  if (ONLINE.has(push.state)) return { remoteId: push.chat, name: '', presence: 'online' }
  if (push.state !== 'unavailable') return null
  const contact: ContactInfo = { remoteId: push.chat, name: '', presence: 'offline' }
  if (push.deny) contact.lastSeen = null
  else if (push.lastSeen !== undefined) contact.lastSeen = push.lastSeen
  return contact
}

export interface PresenceDeps {
  emit(event: ConnectorEvent): void
  log: Logger
}

export class LegacyPresence {
  /** Chats followed, most recent last; subscribed again on every connection. */
  private readonly wanted = new Set<string>()
  private subscribed = new Set<string>()
  private session: WASession | null = null

  constructor(private readonly d: PresenceDeps) {}

  /** A connection whose login sync is done: the server knows none of our subscriptions yet. */
  connected(session: WASession): void {
    this.session = session
    this.subscribed = new Set()
    for (const jid of this.wanted) this.send(session, jid)
  }

  /** The connection ended: subscriptions wait for the next one. */
  disconnected(session: WASession): void {
    if (this.session === session) this.session = null
  }

  /** Follows a chat (opened, typed in, sent to); a group is followed for its members' typing only. */
  subscribe(chatJid: string): void {
    if (!chatJid.endsWith(USER_SUFFIX) && !isGroupJid(chatJid)) return
    this.wanted.delete(chatJid)
    this.wanted.add(chatJid)
    if (this.wanted.size > MAX_SUBSCRIPTIONS) this.wanted.delete(this.wanted.values().next().value!)
    if (this.session) this.send(this.session, chatJid)
  }

  /** The chats followed, oldest first (what the next connection subscribes to). */
  followed(): string[] {
    return [...this.wanted]
  }

  private send(session: WASession, jid: string): void {
    if (this.subscribed.has(jid)) return
    this.subscribed.add(jid)
    session.subscribePresence(jid).catch((error: unknown) => this.d.log.debug({ error }, 'presence subscription failed'))
    if (!isGroupJid(jid)) void this.askLastSeen(session, jid)
  }

  /** spec §6.3: the time the contact was last online, reported at once; null (a time kept is dropped) when they hide it; nothing when the query fails. */
  private async askLastSeen(session: WASession, jid: string): Promise<void> {
    let lastSeen: number | null | undefined
    try {
      lastSeen = await session.queryLastSeen(jid)
    } catch (error) {
      this.d.log.debug({ error }, 'last seen not known')
      return
    }
    // An answer that lands after the connection ended is still true of the contact.
    if (lastSeen !== undefined) this.d.emit({ type: 'contact', contact: { remoteId: jid, name: '', lastSeen } })
  }
}
