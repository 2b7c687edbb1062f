// Presence and the own push name against the reference server (spec §7.6, §4.7 step 4,
// §10.2): the phone's history carries our push name, which becomes the account's display
// name and is announced with `available`; opening a chat subscribes to its contact, whose
// online/offline changes (with `last`) arrive as contact events.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConnectorEvent, ContactInfo, Credentials } from '../../../../../src/main/networks/connector'
import type { WhatsAppMdProtocol } from '../../../../../src/main/networks/whatsapp/md/protocol'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { eventually, makeProtocol, MemoryKeyStore, RecordingIO } from './harness'

const PHONE = '15551234567'
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`

let server: WhatsAppMdServerControls
const open: WhatsAppMdProtocol[] = []

beforeEach(async () => {
  server = await startWhatsAppMdServer()
})

afterEach(async () => {
  for (const p of open.splice(0)) await p.close()
  await server.close()
})

async function pair(
  keyStore = new MemoryKeyStore()
): Promise<{ protocol: WhatsAppMdProtocol; events: ConnectorEvent[]; displayName: string; device: string; credentials: Credentials }> {
  const protocol = makeProtocol(server, keyStore)
  open.push(protocol)
  const events: ConnectorEvent[] = []
  protocol.on((e) => events.push(e))
  const io = new RecordingIO()
  const login = protocol.login({ methodId: 'qr', fields: {}, previous: null }, io)
  const { jid } = await server.scan(await io.qr(), PHONE)
  const result = await login
  await eventually('online', () => events.some((e) => e.type === 'status' && e.status.state === 'online'))
  return { protocol, events, displayName: result.displayName, device: jid, credentials: result.credentials }
}

const contacts = (events: ConnectorEvent[]): ContactInfo[] => events.flatMap((e) => (e.type === 'contact' ? [e.contact] : []))

describe('WhatsApp multi-device presence', () => {
  it('takes the push name from the phone’s history and announces presence with it', async () => {
    server.hub.world.account(PHONE, 'Alice Liddell')
    const keyStore = new MemoryKeyStore()
    const { protocol, events, displayName, device } = await pair(keyStore)
    expect(displayName).toBe('Alice Liddell')
    // With the picture token every profile carries (md/pictures.ts).
    expect(events).toContainEqual({ type: 'profile', displayName: 'Alice Liddell', avatar: 'wa:ask' })
    await eventually('available sent', () => server.hub.presences.includes(`${device}:available:Alice Liddell`))
    // The saved credentials carry the name, so a restore announces it again without new history.
    const saved = events.filter((e): e is Extract<ConnectorEvent, { type: 'credentials' }> => e.type === 'credentials').at(-1)!
    await protocol.close()
    const again = makeProtocol(server, keyStore)
    open.push(again)
    await again.restore(saved.credentials, {})
    await eventually('available after restore', () => server.hub.presences.filter((p) => p === `${device}:available:Alice Liddell`).length === 2)
  })

  it('without a push name it shows the number and announces nothing', async () => {
    server.seedHistory(PHONE, [])
    server.hub.world.account(PHONE).name = ''
    const { displayName, device, protocol } = await pair()
    expect(displayName).toBe(`+${PHONE}`)
    await protocol.setTyping(BOB_JID, true)
    await eventually('a later stanza went through', () => server.hub.presences.some((p) => p.startsWith(`${device}:subscribe`)))
    expect(server.hub.presences.filter((p) => p.startsWith(`${device}:available`))).toEqual([])
  })

  it('subscribes when a chat is opened and reports the contact online, then offline with last seen', async () => {
    server.hub.world.account(BOB, 'Bob Builder')
    server.hub.setPresence(BOB, false, 1_700_000_000)
    const { protocol, events, device } = await pair()
    await protocol.markRead(BOB_JID, null)
    await eventually('subscribed', () => server.hub.presences.includes(`${device}:subscribe:${BOB_JID}`))
    // The server answers a subscription with the presence as it is now.
    await eventually('first presence', () => contacts(events).find((c) => c.remoteId === BOB_JID))
    expect(contacts(events)).toContainEqual({ remoteId: BOB_JID, name: '', presence: 'offline', lastSeen: 1_700_000_000_000 })
    server.hub.setPresence(BOB, true)
    await eventually('online', () => contacts(events).some((c) => c.remoteId === BOB_JID && c.presence === 'online'))
    server.hub.setPresence(BOB, false, 1_700_000_500)
    await eventually('offline again', () => contacts(events).find((c) => c.lastSeen === 1_700_000_500_000))
    // One subscription per chat per connection, however often the chat is opened.
    await protocol.markRead(BOB_JID, null)
    await protocol.setTyping(BOB_JID, false)
    expect(server.hub.presences.filter((p) => p === `${device}:subscribe:${BOB_JID}`)).toHaveLength(1)
  })

  it('subscribes to the direct chats of the history sync once connected, and again after a reconnect', async () => {
    server.hub.world.account(BOB, 'Bob Builder')
    server.seedHistory(PHONE, [
      { jid: BOB_JID, messages: [{ id: 'H1', fromMe: false, text: 'hi', t: 1_700_000_000 }] },
      { jid: '120363000000000001@g.us', name: 'Team', messages: [{ id: 'G1', fromMe: false, text: 'yo', t: 1_700_000_000, author: BOB_JID }] }
    ])
    const { events, device } = await pair()
    await eventually('subscribed from history', () => server.hub.presences.includes(`${device}:subscribe:${BOB_JID}`))
    // Groups have no presence subscription (spec §7.6 subscribes to a contact).
    expect(server.hub.presences.filter((p) => p.includes('@g.us'))).toEqual([])
    await eventually('answered', () => contacts(events).find((c) => c.remoteId === BOB_JID))
    expect(contacts(events).find((c) => c.remoteId === BOB_JID)).toMatchObject({ name: 'Bob Builder', presence: 'offline' })
    server.dropDevice(device)
    await eventually('subscribed again', () => server.hub.presences.filter((p) => p === `${device}:subscribe:${BOB_JID}`).length === 2, 10_000)
  })

  it('keeps the contact’s name from their messages in presence updates', async () => {
    server.hub.world.account(BOB, 'Bob Builder')
    const { events } = await pair()
    // A message from Bob carries his push name (`notify`) and subscribes to his presence.
    await server.contact(BOB).sendText(`${PHONE}@s.whatsapp.net`, 'hi')
    await eventually('subscribed answer', () => contacts(events).find((c) => c.remoteId === BOB_JID))
    server.hub.setPresence(BOB, true)
    await eventually('named online', () => contacts(events).find((c) => c.presence === 'online'))
    expect(contacts(events).filter((c) => c.presence === 'online')).toEqual([{ remoteId: BOB_JID, name: 'Bob Builder', presence: 'online' }])
  })
})
