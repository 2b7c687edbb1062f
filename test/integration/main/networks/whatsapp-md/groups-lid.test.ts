// LID-addressed groups against the reference server (spec §6.9, §6.11, §11.4): the author of a
// contact's message is reported by phone number; we send as our LID — our sender key is named by
// our LID device, every `<to>` is a member's LID device (our other companion's included) and the
// phash is over those — so nothing is misaddressed; a member leaving makes a new key that reaches
// every LID device again; a phone that lost its session is answered with our LID-named key.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WhatsAppMdProtocol } from '../../../../../src/main/networks/whatsapp/md/protocol'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { eventually, linkCompanion, type MemoryKeyStore } from './harness'

const PHONE = '15551234567'
const BOB = '15557654321'
const CAROL = '15553330000'
const jid = (n: string): string => `${n}@s.whatsapp.net`

let server: WhatsAppMdServerControls
const open: WhatsAppMdProtocol[] = []

beforeEach(async () => {
  server = await startWhatsAppMdServer()
  for (const n of [BOB, CAROL]) server.contact(n)
})

afterEach(async () => {
  for (const p of open.splice(0)) await p.close()
  await server.close()
})

const lidOf = (n: string): string => server.hub.world.account(n).lid
/** A device as a LID group addresses it. */
const lidDevice = (deviceJid: string): string => {
  const [local = '', host = ''] = deviceJid.split('@')
  const [user = '', device] = local.split(':')
  return host === 'lid' ? deviceJid : `${lidOf(user)}${device ? `:${device}` : ''}@lid`
}

async function pair() {
  const linked = await linkCompanion(server, PHONE)
  open.push(linked.protocol)
  return linked
}

const received = (n: string, id: string): boolean =>
  server
    .contact(n)
    .received()
    .some((m) => m.id === id)
const fanout = (id: string) => server.hub.groupFanout.filter((f) => f.id === id)
const senderKeys = (k: MemoryKeyStore, group: string): string[] =>
  [...(k.data.get('wamd.senderkey')?.keys() ?? [])].filter((key) => key.startsWith(`${group}::`))

describe('WhatsApp multi-device LID-addressed groups', () => {
  it('reports a contact’s message by phone number and sends as our LID to every member’s LID device', async () => {
    const a = await pair()
    const b = await pair()
    const group = server.createGroup(BOB, 'LID group', [PHONE, CAROL], { lid: true })
    await eventually('lid group', () => a.chat(group))
    expect((a.chat(group)?.members ?? []).map((m) => m.remoteId).sort()).toEqual([jid(PHONE), jid(BOB), jid(CAROL)].sort())
    const id = await server.contact(BOB).sendText(group, 'from a lid')
    const fromBob = await eventually('lid message', () =>
      a.keyStore.events.flatMap((e) => (e.type === 'message' && e.message.remoteId === id ? [e.message] : [])).at(0)
    )
    expect(fromBob).toMatchObject({ chatRemoteId: group, senderId: jid(BOB), text: 'from a lid' })

    const sent = await a.protocol.send(group, 'l-1', { kind: 'text', text: 'back' })
    const [first] = fanout(sent.remoteId)
    // Every other device of every member, by LID: the phones and our other companion, never a phone-number JID.
    expect(first!.pairwise.sort()).toEqual([lidDevice(jid(PHONE)), lidDevice(b.device), lidDevice(jid(BOB)), lidDevice(jid(CAROL))].sort())
    expect(server.hub.misaddressed).toEqual([])
    expect(server.hub.phashMismatches).toEqual([])
    // Our sender key is named by our LID device, as the members know us (spec §11.4).
    const ownDevice = a.device.split(':')[1]!.split('@')[0]
    expect(senderKeys(a.keyStore, group).filter((k) => k.includes(`::${lidOf(PHONE)}_1::${ownDevice}`))).toHaveLength(1)
    expect(senderKeys(a.keyStore, group).filter((k) => k.includes(`::${PHONE}::`))).toEqual([])
    await eventually('bob and carol read it', () => received(BOB, sent.remoteId) && received(CAROL, sent.remoteId))
    const copy = await eventually('b has it', () =>
      b.keyStore.events.flatMap((e) => (e.type === 'message' && e.message.remoteId === sent.remoteId ? [e.message] : [])).at(0)
    )
    expect(copy).toMatchObject({ chatRemoteId: group, senderId: jid(PHONE), fromMe: true, text: 'back' })

    // The key is remembered per LID device: the next message is the skmsg alone.
    const again = await a.protocol.send(group, 'l-2', { kind: 'text', text: 'again' })
    expect(fanout(again.remoteId).map((f) => f.pairwise)).toEqual([[]])
    await eventually('bob reads the second', () => received(BOB, again.remoteId))
    expect(server.hub.duplicates).toBe(0)
  })

  it('a member leaving makes a new LID-named key, sent to the LID devices that stay', async () => {
    const a = await pair()
    const group = server.createGroup(BOB, 'Shrinking', [PHONE, CAROL], { lid: true })
    await eventually('lid group', () => a.chat(group))
    const one = await a.protocol.send(group, 'r-1', { kind: 'text', text: 'one' })
    await eventually('carol reads one', () => received(CAROL, one.remoteId))
    const before = senderKeys(a.keyStore, group)
    server.changeGroup(group, BOB, { remove: [CAROL] })
    await eventually('carol gone', () => !(a.chat(group)?.members ?? []).some((m) => m.remoteId === jid(CAROL)))
    await eventually('old key dropped', () => senderKeys(a.keyStore, group).length === 0)
    const two = await a.protocol.send(group, 'r-2', { kind: 'text', text: 'two' })
    expect(fanout(two.remoteId)[0]!.pairwise.sort()).toEqual([lidDevice(jid(PHONE)), lidDevice(jid(BOB))].sort())
    expect(senderKeys(a.keyStore, group)).toHaveLength(1)
    expect(senderKeys(a.keyStore, group)).toEqual(before) // the same name (our LID device), a new key inside
    await eventually('bob reads two', () => received(BOB, two.remoteId))
    expect(received(CAROL, two.remoteId)).toBe(false)
    expect(server.hub.misaddressed).toEqual([])
  })

  it('a phone that lost our session asks by its LID, and gets the message again with our LID-named key, once', async () => {
    const a = await pair()
    const bob = server.contact(BOB)
    const hi = await bob.sendText(jid(PHONE), 'hi')
    await eventually('hi', () => a.keyStore.messages().some((m) => m.id === hi))
    server.forgetSession(BOB, a.device)
    const group = server.createGroup(BOB, 'LID retry', [PHONE], { lid: true })
    await eventually('lid group', () => a.chat(group))
    const sent = await a.protocol.send(group, 'lr-1', { kind: 'text', text: 'to the group' })
    await eventually('bob has it after the retry', () => received(BOB, sent.remoteId))
    expect(server.hub.retriesSent).toContain(`${BOB}:${sent.remoteId}:1`)
    // The resend went to Bob's phone by its LID, like the first send.
    expect(fanout(sent.remoteId).map((f) => f.pairwise)).toContainEqual([lidDevice(jid(BOB))])
    expect(server.hub.misaddressed).toEqual([])
    expect(bob.received().filter((m) => m.id === sent.remoteId)).toHaveLength(1)
    const next = await a.protocol.send(group, 'lr-2', { kind: 'text', text: 'and again' })
    await eventually('bob reads the next at once', () => received(BOB, next.remoteId))
    expect(server.hub.retriesSent.filter((r) => r.includes(next.remoteId))).toEqual([])
  })
})
