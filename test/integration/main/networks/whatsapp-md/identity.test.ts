// Identity changes (spec §6.10) against the reference server: a contact reinstalls WhatsApp and
// gets a new identity key. With the server's `<identity/>` notification the client drops its
// sessions with that user; with or without it, the next pkmsg under the new key is accepted,
// the chat shows a "security code changed" system line (once), and chatting goes on both ways.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConnectorEvent } from '../../../../../src/main/networks/connector'
import { IDENTITY_NS } from '../../../../../src/main/networks/whatsapp/md/identity'
import type { WhatsAppMdProtocol } from '../../../../../src/main/networks/whatsapp/md/protocol'
import { NS } from '../../../../../src/main/networks/whatsapp/md/signal/store'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { eventually, makeProtocol, MemoryKeyStore, RecordingIO } from './harness'

const PHONE = '15551234567'
const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`

let server: WhatsAppMdServerControls
let protocol: WhatsAppMdProtocol
let keyStore: MemoryKeyStore
const events: ConnectorEvent[] = []

beforeEach(async () => {
  server = await startWhatsAppMdServer()
  server.hub.world.account(BOB, 'Bob')
  keyStore = new MemoryKeyStore()
  events.length = 0
  protocol = makeProtocol(server, keyStore)
  protocol.on((e) => events.push(e))
  const io = new RecordingIO()
  const login = protocol.login({ methodId: 'qr', fields: {}, previous: null }, io)
  await server.scan(await io.qr(), PHONE)
  await login
  await eventually('online', () => events.some((e) => e.type === 'status' && e.status.state === 'online'))
})

afterEach(async () => {
  await protocol.close()
  await server.close()
})

const stored = () => keyStore.events.flatMap((e) => (e.type === 'message' && e.message.chatRemoteId === BOB_JID ? [e.message] : []))
const bobSessions = () => keyStore.list(NS.session).filter(([address]) => address.startsWith(`${BOB}.`))

async function bobWrites(text: string): Promise<void> {
  const id = await server.contact(BOB).sendText(SELF, text)
  await eventually(`"${text}" stored`, () => stored().some((m) => m.remoteId === id))
}

describe('WhatsApp multi-device identity changes', () => {
  it('drops the sessions on the identity notification and shows the changed security code once', async () => {
    await bobWrites('before the reinstall')
    expect(bobSessions()).toHaveLength(1)
    expect(keyStore.list(IDENTITY_NS).some(([address]) => address.startsWith(`${BOB}.`))).toBe(true)
    expect(stored().filter((m) => m.kind === 'system')).toEqual([])

    server.hub.reinstall(BOB)
    await eventually('sessions with Bob dropped', () => bobSessions().length === 0)
    await bobWrites('after the reinstall')
    await bobWrites('and once more')
    const system = stored().filter((m) => m.kind === 'system')
    expect(system).toHaveLength(1)
    expect(system[0]!.text).toMatch(/security code with Bob changed/)
    expect(stored().map((m) => m.kind)).toEqual(['text', 'system', 'text', 'text'])

    // Sending builds a session with the new key: Bob's reinstalled phone decrypts it.
    await protocol.send(BOB_JID, 'c1', { kind: 'text', text: 'welcome back' })
    await eventually('Bob got the reply', () =>
      server
        .contact(BOB)
        .received()
        .some((r) => r.text === 'welcome back')
    )
  })

  it('accepts a pkmsg under a new identity key without a notification, with the same line', async () => {
    await bobWrites('before')
    server.hub.world.reinstall(BOB)
    await bobWrites('after')
    expect(stored().map((m) => [m.kind, m.kind === 'system' ? 'line' : m.text])).toEqual([
      ['text', 'before'],
      ['system', 'line'],
      ['text', 'after']
    ])
  })
})

describe('WhatsApp multi-device identity changes in a group', () => {
  it('says the code changed in the group where the new key first shows', async () => {
    const group = server.createGroup(BOB, 'Climbing', [PHONE])
    const inGroup = () => keyStore.events.flatMap((e) => (e.type === 'message' && e.message.chatRemoteId === group ? [e.message] : []))
    const bobWritesInGroup = async (text: string) => {
      const id = await server.contact(BOB).sendText(group, text)
      await eventually(`"${text}" stored in the group`, () => inGroup().some((m) => m.remoteId === id))
    }
    await bobWritesInGroup('first climb')
    expect(inGroup().filter((m) => m.kind === 'system')).toEqual([])
    server.hub.reinstall(BOB)
    await eventually('sessions with Bob dropped', () => bobSessions().length === 0)
    await bobWritesInGroup('new phone, same climbs')
    await bobWritesInGroup('see you there')
    const system = inGroup().filter((m) => m.kind === 'system')
    expect(system).toHaveLength(1)
    expect(system[0]).toMatchObject({ senderId: BOB_JID, text: expect.stringMatching(/security code with Bob changed/) })
    expect(inGroup().map((m) => m.kind)).toEqual(['text', 'system', 'text', 'text'])
  })
})
