// Online and last seen on the legacy protocol (issue 12; spec §6.3 `["action","presence","subscribe",JID]`
// and `["query","Presence","lastseen",JID]`, §6.5 `["Presence",{id,type,t?,deny?}]`) against the
// reference server: the chats looked at are followed, each direct one's last seen is asked once per
// connection and reported at once, pushes move the contact online and offline, a contact who hides
// their last seen shows none, and after a reconnect the same chats are followed again.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConnectorEvent } from '../../../../../src/main/networks/connector'
import { eventually } from '../../../../helpers/events'
import type { SimulatedPhone } from '../../../../servers/whatsapp/phone'
import type { WhatsAppServer } from '../../../../servers/whatsapp/server'
import { BOB, CAROL, DAVE, pairConnector, probe, startWorld, synced, TEAM, type Probe } from './fixture'

let server: WhatsAppServer
let phone: SimulatedPhone
let p: Probe

/** Bob was last online at this second (an hour ago), before the web session existed. */
const BOB_LAST_SEEN = Math.floor(Date.now() / 1000) - 3_600

beforeEach(async () => {
  ;({ server, phone } = await startWorld())
  phone.contactOnline(BOB, false, BOB_LAST_SEEN)
  p = probe(server)
  await pairConnector(p, phone)
  await synced(p.connector)
})

afterEach(async () => {
  await p.connector.close()
  await server.close()
})

type ContactEvent = Extract<ConnectorEvent, { type: 'contact' }>
const of = (jid: string) => (e: ContactEvent) => e.contact.remoteId === jid && (e.contact.presence !== undefined || e.contact.lastSeen !== undefined)
const presenceOf = (jid: string): ContactEvent['contact'][] =>
  p
    .of('contact')
    .filter(of(jid))
    .map((e) => e.contact)
const connection = () => [...server.connections].find((c) => c.isOpen)!
const queriesFor = (jid: string) => server.presence.queries.filter((q) => q === jid).length

describe('WhatsApp legacy presence', () => {
  it('follows the recent chats after the login sync and reports a direct chat’s last seen at once, without renaming', async () => {
    const seen = await p.next('contact', of(BOB))
    // A presence-only update: no name (Core keeps the stored one), no presence (the query says when, not whether).
    expect(seen.contact).toEqual({ remoteId: BOB, name: '', lastSeen: BOB_LAST_SEEN * 1000 })
    expect(connection().subscriptions.has(BOB)).toBe(true)
    // The group is followed for its members' typing; a group has no last seen to ask for.
    expect(connection().subscriptions.has(TEAM)).toBe(true)
    expect(server.presence.queries).toEqual([BOB])
  })

  it('moves the contact online and offline as the pushes say, with the time they left', async () => {
    await p.next('contact', of(BOB))
    phone.contactOnline(BOB, true)
    expect((await p.after('contact', of(BOB))).contact).toEqual({ remoteId: BOB, name: '', presence: 'online' })
    const left = Math.floor(Date.now() / 1000)
    phone.contactOnline(BOB, false, left)
    expect((await p.after('contact', of(BOB))).contact).toEqual({ remoteId: BOB, name: '', presence: 'offline', lastSeen: left * 1000 })
  })

  it('a contact who is typing is online; a group member’s typing says nothing of their presence', async () => {
    await p.next('contact', of(BOB))
    phone.typing(BOB, true)
    await p.next('typing', (e) => e.chatRemoteId === BOB && e.typing)
    expect((await p.next('contact', (e) => of(BOB)(e) && e.contact.presence !== undefined)).contact.presence).toBe('online')
    phone.typing(TEAM, true, CAROL)
    await p.next('typing', (e) => e.chatRemoteId === TEAM && e.senderId === CAROL)
    expect(presenceOf(CAROL)).toEqual([])
    expect(presenceOf(TEAM)).toEqual([])
  })

  it('opening a chat follows its contact; one who hides their last seen shows offline with no time', async () => {
    phone.hideLastSeen(DAVE)
    phone.contactOnline(DAVE, false)
    expect(connection().subscriptions.has(DAVE)).toBe(false)
    // Core's markChatRead is what opening a chat does.
    await p.connector.markRead(DAVE, null)
    await eventually(() => queriesFor(DAVE) === 1 && connection().subscriptions.has(DAVE))
    // The 404 to the query: hidden, so a time kept is dropped.
    expect((await p.next('contact', (e) => of(DAVE)(e) && e.contact.lastSeen === null)).contact).toEqual({ remoteId: DAVE, name: '', lastSeen: null })
    phone.contactOnline(DAVE, true)
    expect((await p.next('contact', (e) => of(DAVE)(e) && e.contact.presence === 'online')).contact).toEqual({ remoteId: DAVE, name: '', presence: 'online' })
    phone.contactOnline(DAVE, false)
    // spec §6.5 `deny`: offline, and a time kept is dropped (the 404 to the query said the same).
    expect((await p.after('contact', of(DAVE))).contact).toEqual({ remoteId: DAVE, name: '', presence: 'offline', lastSeen: null })
    expect(presenceOf(DAVE).some((c) => typeof c.lastSeen === 'number')).toBe(false)
  })

  it('typing in or sending to a chat follows it too, once per connection', async () => {
    await p.connector.setTyping(DAVE, true)
    await p.connector.send(DAVE, 'hello-dave', { kind: 'text', text: 'hello Dave' })
    await p.connector.markRead(DAVE, null)
    await eventually(() => connection().subscriptions.has(DAVE))
    expect(queriesFor(DAVE)).toBe(1)
  })

  it('follows the same chats again after a reconnect and asks their last seen again', async () => {
    await p.connector.markRead(DAVE, null)
    await eventually(() => queriesFor(DAVE) === 1)
    const first = connection()
    server.dropAll()
    await p.after('status', (e) => e.status.state === 'online')
    await eventually(() => connection() !== first && connection().subscriptions.has(DAVE) && connection().subscriptions.has(BOB))
    await eventually(() => queriesFor(DAVE) === 2 && queriesFor(BOB) === 2)
    // The new connection hears the pushes.
    phone.contactOnline(BOB, true)
    await p.after('contact', (e) => of(BOB)(e) && e.contact.presence === 'online')
  })
})
