// Retry receipts both ways against the reference server (spec §7.4, §13.1, §13.12): a session
// damaged in the client's key store (unreadable, or with wrong keys — "Bad MAC") is answered with
// a retry receipt, the contact's phone re-sends and the message arrives exactly once; a phone
// that lost its session asks the client, which rebuilds the session and re-sends the same id.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WhatsAppMdProtocol } from '../../../../../src/main/networks/whatsapp/md/protocol'
import { node } from '../../../../servers/whatsapp-md/stanzas'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { eventually, makeProtocol, MemoryKeyStore, RecordingIO, statuses } from './harness'

const PHONE = '15551234567'
const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`
/** The client's Signal address for Bob's phone: his LID's, learnt by usync (spec §3.5, §6.9). */
const bobAddress = (): string => `${server.hub.world.account(BOB).lid}_1.0`

let server: WhatsAppMdServerControls
const open: WhatsAppMdProtocol[] = []

beforeEach(async () => {
  server = await startWhatsAppMdServer()
  server.contact(BOB)
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
  const { jid } = await server.scan(await io.qr(), PHONE)
  await login
  await eventually('online', () => seen.includes('online'))
  return { protocol, keyStore, jid }
}

const texts = (k: MemoryKeyStore): string[] => k.messages().map((m) => m.text)

/** Replaces the stored session's keys with zeros: it still parses, but every MAC fails. */
function withWrongKeys(raw: Uint8Array): Uint8Array {
  const record = JSON.parse(new TextDecoder().decode(raw)) as {
    _sessions: Record<string, { currentRatchet: { rootKey: string }; _chains: Record<string, { chainKey: { key?: string } }> }>
  }
  const zeros = Buffer.alloc(32).toString('base64')
  for (const s of Object.values(record._sessions)) {
    s.currentRatchet.rootKey = zeros
    for (const c of Object.values(s._chains)) if (c.chainKey.key) c.chainKey.key = zeros
  }
  return new TextEncoder().encode(JSON.stringify(record))
}

describe('WhatsApp multi-device retry receipts', () => {
  // Unreadable = no session: the first retry carries keys. Wrong keys: the first resend (same session) fails too, the second retry carries keys.
  for (const [name, damage, counts] of [
    ['unreadable', () => new TextEncoder().encode('{not json'), ['1']],
    ['Bad MAC', withWrongKeys, ['1', '2']]
  ] as const) {
    it(`a ${name} session: the client asks for a resend and gets the message exactly once`, async () => {
      const { protocol, keyStore } = await pair()
      const bob = server.contact(BOB)
      const before = await bob.sendText(SELF, 'before')
      await eventually('before', () => keyStore.messages().some((m) => m.id === before))
      // After our answer Bob's phone sends plain `msg`s on the session (no more pre-key headers).
      const hello = await protocol.send(BOB_JID, `h-${name}`, { kind: 'text', text: 'hello bob' })
      await eventually('bob has hello', () => bob.received().some((m) => m.id === hello.remoteId))
      const stored = keyStore.get('wamd.session', bobAddress())
      expect(stored).not.toBeNull()
      keyStore.data.get('wamd.session')!.set(bobAddress(), damage(stored!))

      const lost = await bob.sendText(SELF, 'after the damage')
      await eventually('resent and stored', () => keyStore.messages().some((m) => m.id === lost))
      expect(server.hub.resent.filter((r) => r.includes(`:${lost}:`)).map((r) => r.split(':').at(-1))).toEqual(counts)
      // The session was replaced: the conversation goes on both ways, and nothing came twice.
      const next = await bob.sendText(SELF, 'and on')
      await eventually('next', () => keyStore.messages().some((m) => m.id === next))
      const out = await protocol.send(BOB_JID, `r-${name}`, { kind: 'text', text: 'reply' })
      await eventually('bob has the reply', () => bob.received().some((m) => m.id === out.remoteId))
      expect(texts(keyStore)).toEqual(['before', 'after the damage', 'and on'])
      expect(bob.received().map((m) => m.text)).toEqual(['hello bob', 'reply'])
      // Nothing of it is left in the server's queue for the device (it was acknowledged once).
      const device = [...server.hub.online.keys()][0]!
      await eventually('queue drained', () => (server.hub.world.queues.get(device) ?? []).every((q) => !q.key.startsWith('message:')))
    })
  }

  it('a phone that lost its session: the client re-sends the same id from a rebuilt session', async () => {
    const { protocol, keyStore, jid } = await pair()
    const bob = server.contact(BOB)
    const one = await protocol.send(BOB_JID, 'x-1', { kind: 'text', text: 'one' })
    await eventually('bob has one', () => bob.received().some((m) => m.id === one.remoteId))
    // Once Bob has answered, the client's next message is a plain `msg` that needs the session.
    const hi = await bob.sendText(SELF, 'hi')
    await eventually('hi', () => keyStore.messages().some((m) => m.id === hi))
    server.forgetSession(BOB, jid)

    const two = await protocol.send(BOB_JID, 'x-2', { kind: 'text', text: 'two' })
    await eventually('bob has two after the retry', () => bob.received().some((m) => m.id === two.remoteId))
    expect(server.hub.retriesSent).toContain(`${BOB}:${two.remoteId}:1`)
    const three = await protocol.send(BOB_JID, 'x-3', { kind: 'text', text: 'three' })
    await eventually('bob has three', () => bob.received().some((m) => m.id === three.remoteId))
    expect(bob.received().map((m) => m.text)).toEqual(['one', 'two', 'three'])
    expect(server.hub.duplicates).toBe(0)
    // And Bob's answer still decrypts on the client.
    const back = await bob.sendText(SELF, 'got them')
    await eventually('answer', () => keyStore.messages().some((m) => m.id === back))
  })

  it('in a group: a phone that cannot read our sender key gets the message again with the key, once', async () => {
    const { protocol, keyStore, jid } = await pair()
    const bob = server.contact(BOB)
    const dm = await protocol.send(BOB_JID, 'gx-0', { kind: 'text', text: 'dm first' })
    await eventually('bob has the dm', () => bob.received().some((m) => m.id === dm.remoteId))
    const hi = await bob.sendText(SELF, 'hi')
    await eventually('hi', () => keyStore.messages().some((m) => m.id === hi))
    server.forgetSession(BOB, jid)
    const group = server.createGroup(BOB, 'Retry group', [PHONE])
    const sent = await protocol.send(group, 'gx-1', { kind: 'text', text: 'to the group' })
    await eventually('bob has it after the retry', () => bob.received().some((m) => m.id === sent.remoteId))
    expect(server.hub.retriesSent).toContain(`${BOB}:${sent.remoteId}:1`)
    expect(bob.received().filter((m) => m.id === sent.remoteId)).toEqual([{ from: SELF, id: sent.remoteId, text: 'to the group', chat: group }])
    // The key arrived with the resend: the next group message is read at once.
    const next = await protocol.send(group, 'gx-2', { kind: 'text', text: 'and again' })
    await eventually('bob has the next', () => bob.received().some((m) => m.id === next.remoteId))
    expect(server.hub.retriesSent.filter((r) => r.includes(next.remoteId))).toEqual([])
    expect(server.hub.duplicates).toBe(0)
  })

  it('in a group: the client that lost a sender key asks, and the phone re-sends with its key inside', async () => {
    const { keyStore } = await pair()
    const bob = server.contact(BOB)
    const group = server.createGroup(BOB, 'Lost key', [PHONE])
    const g1 = await bob.sendText(group, 'first')
    await eventually('first', () => keyStore.messages().some((m) => m.id === g1))
    const keys = keyStore.data.get('wamd.senderkey')!
    const name = [...keys.keys()].find((k) => k.startsWith(`${group}::`))!
    keys.delete(name)
    const g2 = await bob.sendText(group, 'second')
    await eventually('second after the retry', () => keyStore.messages().some((m) => m.id === g2))
    expect(server.hub.resent.filter((r) => r.includes(`:${g2}:`))).toHaveLength(1)
    const g3 = await bob.sendText(group, 'third')
    await eventually('third', () => keyStore.messages().some((m) => m.id === g3))
    expect(keyStore.messages().map((m) => [m.chat, m.text])).toEqual([
      [group, 'first'],
      [group, 'second'],
      [group, 'third']
    ])
  })

  it('our other companion that cannot read our copy asks us, and gets it again as a DeviceSentMessage', async () => {
    const a = await pair()
    const b = await pair()
    const bob = server.contact(BOB)
    const first = await a.protocol.send(BOB_JID, 'o-1', { kind: 'text', text: 'first' })
    await eventually('b has the copy', () => b.keyStore.messages().some((m) => m.id === first.remoteId))
    // B writes too, so A's later copies to B are plain `msg`s on the session B will lose.
    const fromB = await b.protocol.send(BOB_JID, 'o-2', { kind: 'text', text: 'from b' })
    await eventually('a has b’s copy', () => a.keyStore.messages().some((m) => m.id === fromB.remoteId))
    const aDevice = a.jid.split(':')[1]!.split('@')[0]!
    const sessions = b.keyStore.data.get('wamd.session')!
    const key = [...sessions.keys()].find((k) => k.endsWith(`.${aDevice}`))!
    sessions.set(key, new TextEncoder().encode('{not json'))

    const third = await a.protocol.send(BOB_JID, 'o-3', { kind: 'text', text: 'third' })
    await eventually('b has the third after the retry', () => b.keyStore.messages().some((m) => m.id === third.remoteId))
    // Only a resend from a rebuilt session can have got it there; B's damaged record was replaced.
    expect(() => JSON.parse(new TextDecoder().decode(sessions.get(key)))).not.toThrow()
    expect(b.keyStore.messages().filter((m) => m.fromMe)).toEqual([
      { chat: BOB_JID, id: first.remoteId, text: 'first', fromMe: true },
      { chat: BOB_JID, id: third.remoteId, text: 'third', fromMe: true }
    ])
    await eventually('bob has all three', () => [first, fromB, third].every((s) => bob.received().some((m) => m.id === s.remoteId)))
    expect(bob.received().map((m) => m.text)).toEqual(['first', 'from b', 'third'])
  })

  it('ignores a retry receipt from a device outside the chat (it would hand the message to a stranger)', async () => {
    const { protocol } = await pair()
    const carol = '15553330000'
    server.contact(carol)
    const bob = server.contact(BOB)
    const sent = await protocol.send(BOB_JID, 'z-1', { kind: 'text', text: 'for bob only' })
    await eventually('bob has it', () => bob.received().some((m) => m.id === sent.remoteId))
    const device = [...server.hub.online.keys()][0]!
    const forged = (from: string) =>
      node('receipt', { from, id: sent.remoteId, type: 'retry', t: '1' }, [
        node('retry', { count: '1', id: sent.remoteId, t: '1', v: '1' }),
        node('registration', {}, Uint8Array.of(0, 0, 0, 1))
      ])
    server.hub.deliver(device, 'receipt:forged', forged(`${carol}@s.whatsapp.net`))
    // Bob's own retry for the same message is honoured, which shows the first one was looked at and refused.
    server.hub.deliver(device, 'receipt:genuine', forged(BOB_JID))
    await eventually('bob asked and got a resend', () => server.hub.decoded.filter((d) => d.id === sent.remoteId && d.to === BOB).length === 2)
    expect(server.contact(carol).received()).toEqual([])
    expect(server.hub.decoded.filter((d) => d.to === carol)).toEqual([])
  })
})
