// Presence on the legacy protocol (spec §6.3 subscribe and lastseen, §6.5 Presence pushes): what
// a push means for the contact, and which chats are followed on which connection.

import { describe, expect, it } from 'vitest'
import { createLogger } from '../../../../../../src/main/base/log'
import type { ConnectorEvent } from '../../../../../../src/main/networks/connector'
import { LegacyPresence, MAX_SUBSCRIPTIONS, presenceContact } from '../../../../../../src/main/networks/whatsapp/legacy/presence'
import type { SessionPush } from '../../../../../../src/main/networks/whatsapp/legacy/pushes'
import type { WASession } from '../../../../../../src/main/networks/whatsapp/legacy/session'

const BOB = '15550101@c.us'
const TEAM = '15550100-1600000000@g.us'
type PresencePush = Extract<SessionPush, { type: 'presence' }>
const push = (p: Omit<PresencePush, 'type'>): PresencePush => ({ type: 'presence', ...p })

describe('presence pushes as contacts', () => {
  it('reads available, typing and unavailable (with its time unless denied) for a direct chat', () => {
    expect(presenceContact(push({ chat: BOB, state: 'available' }))).toEqual({ remoteId: BOB, name: '', presence: 'online' })
    expect(presenceContact(push({ chat: BOB, state: 'composing' }))).toEqual({ remoteId: BOB, name: '', presence: 'online' })
    expect(presenceContact(push({ chat: BOB, state: 'unavailable', lastSeen: 1_600_000_000_000 }))).toEqual({
      remoteId: BOB,
      name: '',
      presence: 'offline',
      lastSeen: 1_600_000_000_000
    })
    expect(presenceContact(push({ chat: BOB, state: 'unavailable', deny: true }))).toEqual({ remoteId: BOB, name: '', presence: 'offline', lastSeen: null })
  })

  it('says nothing for paused, unknown states, groups and someone else in the chat', () => {
    expect(presenceContact(push({ chat: BOB, state: 'paused' }))).toBeNull()
    expect(presenceContact(push({ chat: BOB, state: 'invisible' }))).toBeNull()
    expect(presenceContact(push({ chat: TEAM, state: 'available', participant: BOB }))).toBeNull()
    expect(presenceContact(push({ chat: BOB, state: 'available', participant: '15550102@c.us' }))).toBeNull()
    expect(presenceContact(push({ chat: 'status@broadcast', state: 'available' }))).toBeNull()
  })
})

function fakeSession(lastSeen: (jid: string) => number | null = () => 1_000) {
  const subscribed: string[] = []
  const asked: string[] = []
  const session = {
    subscribePresence: async (jid: string) => void subscribed.push(jid),
    queryLastSeen: async (jid: string) => {
      asked.push(jid)
      return lastSeen(jid)
    }
  } as unknown as WASession
  return { session, subscribed, asked }
}

function harness() {
  const events: ConnectorEvent[] = []
  const presence = new LegacyPresence({ emit: (e) => void events.push(e), log: createLogger(() => {}, 'error') })
  return { presence, events }
}

describe('LegacyPresence', () => {
  it('waits for a connection, then subscribes once per connection and asks a direct chat’s last seen', async () => {
    const { presence, events } = harness()
    presence.subscribe(BOB)
    presence.subscribe(TEAM)
    const a = fakeSession()
    presence.connected(a.session)
    presence.subscribe(BOB)
    await new Promise((r) => setImmediate(r))
    expect(a.subscribed).toEqual([BOB, TEAM])
    expect(a.asked).toEqual([BOB])
    expect(events).toEqual([{ type: 'contact', contact: { remoteId: BOB, name: '', lastSeen: 1_000 } }])
    // A new connection: the server forgot the subscriptions.
    presence.disconnected(a.session)
    presence.subscribe('15550103@c.us')
    expect(a.subscribed).toHaveLength(2)
    const b = fakeSession(() => null)
    presence.connected(b.session)
    await new Promise((r) => setImmediate(r))
    expect(b.subscribed).toEqual([TEAM, BOB, '15550103@c.us'])
    // A 404 (hidden) drops any time kept (lastSeen null), for each direct chat asked.
    expect(events.slice(1)).toEqual([
      { type: 'contact', contact: { remoteId: BOB, name: '', lastSeen: null } },
      { type: 'contact', contact: { remoteId: '15550103@c.us', name: '', lastSeen: null } }
    ])
  })

  it('keeps only the most recently followed chats, and follows nothing that is not a chat', () => {
    const { presence } = harness()
    for (let i = 0; i < MAX_SUBSCRIPTIONS + 10; i++) presence.subscribe(`${1000 + i}@c.us`)
    // 1000–1009 were let go; following 1005 again lets the next oldest (1010) go.
    presence.subscribe('1005@c.us')
    presence.subscribe('status@broadcast')
    const followed = presence.followed()
    expect(followed).toHaveLength(MAX_SUBSCRIPTIONS)
    expect(followed.at(-1)).toBe('1005@c.us')
    expect(followed[0]).toBe('1011@c.us')
    expect(followed).not.toContain('status@broadcast')
  })
})
