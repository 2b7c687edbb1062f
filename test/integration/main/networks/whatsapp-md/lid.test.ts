// LID addressing against the reference server (spec §6.9, §13.1, §13.6): a contact that writes
// from its LID (with `sender_pn`) lands in its phone-number chat, one chat not two; its Signal
// session moves from the PN address to the LID address once, and the conversation goes on.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WhatsAppMdProtocol } from '../../../../../src/main/networks/whatsapp/md/protocol'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { eventually, makeProtocol, MemoryKeyStore, RecordingIO, statuses } from './harness'

const PHONE = '15551234567'
const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`
const CAROL = '15553330000'

let server: WhatsAppMdServerControls
const open: WhatsAppMdProtocol[] = []

beforeEach(async () => {
  server = await startWhatsAppMdServer()
  server.contact(BOB)
  server.contact(CAROL)
})

afterEach(async () => {
  for (const p of open.splice(0)) await p.close()
  await server.close()
})

async function pair() {
  const keyStore = new MemoryKeyStore()
  const protocol = makeProtocol(server, keyStore)
  open.push(protocol)
  const seen = statuses(protocol)
  const io = new RecordingIO()
  const login = protocol.login({ methodId: 'qr', fields: {}, previous: null }, io)
  await server.scan(await io.qr(), PHONE)
  await login
  await eventually('online', () => seen.includes('online'))
  return { protocol, keyStore }
}

const lidOf = (n: string): string => server.hub.world.account(n).lid

describe('WhatsApp multi-device LID addressing', () => {
  it('a contact switching to its LID stays in one chat, and its session moves to the LID address', async () => {
    const { protocol, keyStore } = await pair()
    const bob = server.contact(BOB)
    const pn = await bob.sendText(SELF, 'by number')
    await eventually('pn message', () => keyStore.messages().some((m) => m.id === pn))
    expect(keyStore.get('wamd.session', `${BOB}.0`)).not.toBeNull()

    const lid = await server.sendTextAsLid(BOB, SELF, 'by lid')
    await eventually('lid message', () => keyStore.messages().some((m) => m.id === lid))
    const messages = keyStore.messages()
    expect(messages.map((m) => [m.chat, m.text])).toEqual([
      [BOB_JID, 'by number'],
      [BOB_JID, 'by lid']
    ])
    const senders = keyStore.events.flatMap((e) => (e.type === 'message' ? [e.message.senderId] : []))
    expect(senders).toEqual([BOB_JID, BOB_JID])
    // spec §3.5: LID addresses are `user_1.device`; the PN session is gone (moved, not copied).
    expect(keyStore.get('wamd.session', `${lidOf(BOB)}_1.0`)).not.toBeNull()
    expect(keyStore.get('wamd.session', `${BOB}.0`)).toBeNull()
    // It was the move that made it decryptable, not a retry.
    expect(server.hub.resent).toEqual([])

    // Sending to the phone number uses the moved session; Bob's phone reads it and answers.
    const out = await protocol.send(BOB_JID, 'lid-1', { kind: 'text', text: 'to the number' })
    await eventually('bob has it', () => bob.received().some((m) => m.id === out.remoteId))
    const again = await server.sendTextAsLid(BOB, SELF, 'lid again')
    await eventually('lid again', () => keyStore.messages().some((m) => m.id === again))
    expect(keyStore.messages().map((m) => m.chat)).toEqual([BOB_JID, BOB_JID, BOB_JID])
    expect(server.hub.duplicates).toBe(0)
  })

  it('a first message from a LID opens the phone-number chat', async () => {
    const { keyStore } = await pair()
    const id = await server.sendTextAsLid(CAROL, SELF, 'hello from a lid')
    await eventually('message', () => keyStore.messages().some((m) => m.id === id))
    expect(keyStore.messages()).toEqual([{ chat: `${CAROL}@s.whatsapp.net`, id, text: 'hello from a lid', fromMe: false }])
    expect(keyStore.get('wamd.lid', `pn:${CAROL}`)).not.toBeNull()
  })
})
