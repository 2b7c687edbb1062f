// Groups over WhatsApp multi-device against the reference server (spec §6.7, §6.11, §11):
// groups learnt at login and from notifications as `kind: 'group'` chats, group messages from
// contacts (SKDM in a pkmsg, then skmsgs), sending with sender keys (the SKDM only to devices
// that lack it; a new one after a member leaves), our other companion as a member device,
// stale device lists (phash in the ack, `devices` notifications), subject and membership
// changes. LID-addressed groups: groups-lid.test.ts.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChatInfo } from '../../../../../src/main/networks/connector'
import type { WhatsAppMdProtocol } from '../../../../../src/main/networks/whatsapp/md/protocol'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { eventually, linkCompanion, MemoryKeyStore } from './harness'

const PHONE = '15551234567'
const BOB = '15557654321'
const CAROL = '15553330000'
const DAVE = '15554440000'
const jid = (n: string): string => `${n}@s.whatsapp.net`

let server: WhatsAppMdServerControls
const open: WhatsAppMdProtocol[] = []

beforeEach(async () => {
  server = await startWhatsAppMdServer()
  for (const n of [BOB, CAROL, DAVE]) server.contact(n)
})

afterEach(async () => {
  for (const p of open.splice(0)) await p.close()
  await server.close()
})

async function pair(keyStore = new MemoryKeyStore()) {
  const linked = await linkCompanion(server, PHONE, keyStore)
  open.push(linked.protocol)
  return linked
}

const members = (c: ChatInfo | undefined): string[] => (c?.members ?? []).map((m) => m.remoteId).sort()
const groupMessages = (k: MemoryKeyStore, group: string) =>
  k.events.flatMap((e) =>
    e.type === 'message' && e.message.chatRemoteId === group ? [{ from: e.message.senderId, text: e.message.text, id: e.message.remoteId }] : []
  )

describe('WhatsApp multi-device groups', () => {
  it('lists groups at login, reads a contact’s group messages and sends with sender keys', async () => {
    const group = server.createGroup(BOB, 'Trip', [PHONE, CAROL])
    const { protocol, keyStore, chat, device } = await pair()
    const delivered: string[] = []
    protocol.on((e) => {
      if (e.type === 'receipt' && e.chatRemoteId === group && e.status === 'delivered') delivered.push(...e.messageRemoteIds)
    })
    const info = await eventually('group listed at login', () => chat(group))
    expect(info).toMatchObject({ remoteId: group, kind: 'group', title: 'Trip' })
    expect(members(info)).toEqual([jid(PHONE), jid(BOB), jid(CAROL)].sort())

    // Bob writes twice: the first carries his sender key in a pkmsg, the second is a bare skmsg.
    const b1 = await server.contact(BOB).sendText(group, 'hello group')
    const b2 = await server.contact(BOB).sendText(group, 'second')
    await eventually('two group messages', () => groupMessages(keyStore, group).length === 2)
    expect(groupMessages(keyStore, group)).toEqual([
      { from: jid(BOB), text: 'hello group', id: b1 },
      { from: jid(BOB), text: 'second', id: b2 }
    ])

    // Our first send distributes our sender key to every other device (the phones and none twice).
    const s1 = await protocol.send(group, 'g-1', { kind: 'text', text: 'from Junction' })
    await eventually('bob and carol have it', () =>
      [BOB, CAROL].every((n) =>
        server
          .contact(n)
          .received()
          .some((m) => m.id === s1.remoteId)
      )
    )
    expect(
      server
        .contact(BOB)
        .received()
        .find((m) => m.id === s1.remoteId)
    ).toEqual({ from: jid(PHONE), id: s1.remoteId, text: 'from Junction', chat: group })
    const first = server.hub.groupFanout.find((f) => f.id === s1.remoteId)!
    expect(first.skmsg).toBe(true)
    expect(first.pairwise.sort()).toEqual([jid(PHONE), jid(BOB), jid(CAROL)].sort())
    expect(first.pairwise).not.toContain(device)
    // The members' phones confirm delivery in the group chat (before or after the ack).
    await eventually('delivered', () => s1.status === 'delivered' || delivered.includes(s1.remoteId))
    // The second send is the skmsg alone.
    const s2 = await protocol.send(group, 'g-2', { kind: 'text', text: 'again' })
    await eventually('carol has the second', () =>
      server
        .contact(CAROL)
        .received()
        .some((m) => m.id === s2.remoteId)
    )
    expect(server.hub.groupFanout.find((f) => f.id === s2.remoteId)!.pairwise).toEqual([])
    expect(server.hub.duplicates).toBe(0)
    // Our participant hash (spec §7.1) matched the server's every time.
    expect(server.hub.phashMismatches).toEqual([])
  })

  it('follows subject and membership changes; a new member gets our key, a removed one a new key without it', async () => {
    const { protocol, chat } = await pair()
    const group = server.createGroup(PHONE, 'Plans', [BOB, CAROL])
    await eventually('created group reported', () => chat(group)?.title === 'Plans')
    await protocol.send(group, 'p-1', { kind: 'text', text: 'one' })

    server.changeGroup(group, BOB, { subject: 'Better plans' })
    await eventually('subject', () => chat(group)?.title === 'Better plans')

    server.changeGroup(group, PHONE, { add: [DAVE] })
    await eventually('dave added', () => members(chat(group)).includes(jid(DAVE)))
    const s2 = await protocol.send(group, 'p-2', { kind: 'text', text: 'welcome dave' })
    expect(server.hub.groupFanout.find((f) => f.id === s2.remoteId)!.pairwise).toEqual([jid(DAVE)])
    await eventually('dave reads it', () =>
      server
        .contact(DAVE)
        .received()
        .some((m) => m.id === s2.remoteId)
    )

    server.changeGroup(group, PHONE, { remove: [CAROL] })
    await eventually('carol removed', () => !members(chat(group)).includes(jid(CAROL)))
    const s3 = await protocol.send(group, 'p-3', { kind: 'text', text: 'without carol' })
    // A fresh sender key goes to every remaining device, and Carol is not among them.
    expect(server.hub.groupFanout.find((f) => f.id === s3.remoteId)!.pairwise.sort()).toEqual([jid(PHONE), jid(BOB), jid(DAVE)].sort())
    await eventually('bob reads it', () =>
      server
        .contact(BOB)
        .received()
        .some((m) => m.id === s3.remoteId)
    )
    expect(
      server
        .contact(CAROL)
        .received()
        .some((m) => m.id === s3.remoteId)
    ).toBe(false)
  })

  it("fans out to the account's other companion like any member device", async () => {
    const a = await pair()
    const b = await pair()
    const group = server.createGroup(BOB, 'Both of us', [PHONE])
    await eventually('b knows the group', () => b.chat(group))
    const sent = await a.protocol.send(group, 'both-1', { kind: 'text', text: 'from A' })
    expect(server.hub.groupFanout.find((f) => f.id === sent.remoteId)!.pairwise).toContain(b.device)
    const copy = await eventually('b has it', () =>
      b.keyStore.events.flatMap((e) => (e.type === 'message' && e.message.remoteId === sent.remoteId ? [e.message] : [])).at(0)
    )
    expect(copy).toMatchObject({ chatRemoteId: group, senderId: jid(PHONE), fromMe: true, text: 'from A' })
    await eventually('bob has it', () =>
      server
        .contact(BOB)
        .received()
        .some((m) => m.id === sent.remoteId)
    )
  })

  it('a stale device list: the server’s phash in the ack makes the client send to the device it missed, same id', async () => {
    const a = await pair()
    const group = server.createGroup(BOB, 'Stale', [PHONE])
    const g1 = await a.protocol.send(group, 'st-1', { kind: 'text', text: 'one' })
    // A second companion links after A cached its own account's device list.
    const b = await pair()
    const g2 = await a.protocol.send(group, 'st-2', { kind: 'text', text: 'two' })
    const onB = (id: string) => b.keyStore.events.some((e) => e.type === 'message' && e.message.remoteId === id)
    await eventually('b gets two under the same id', () => onB(g2.remoteId))
    expect(server.hub.phashMismatches).toEqual([g2.remoteId])
    const fanouts = server.hub.groupFanout.filter((f) => f.id === g2.remoteId)
    // The skmsg for everyone, then B alone (content + sender key). B may also have asked for it by
    // a retry receipt (it got the skmsg without the key) — answered the same way; it keeps one copy.
    expect(fanouts[0]).toMatchObject({ skmsg: true, pairwise: [] })
    expect(fanouts.length).toBeGreaterThanOrEqual(2)
    for (const f of fanouts.slice(1)) expect(f).toMatchObject({ skmsg: false, pairwise: [b.device] })
    expect(b.keyStore.events.filter((e) => e.type === 'message' && e.message.remoteId === g2.remoteId)).toHaveLength(1)
    // From now on B is a member device with our key: the skmsg alone reaches it.
    const g3 = await a.protocol.send(group, 'st-3', { kind: 'text', text: 'three' })
    await eventually('b gets three', () => onB(g3.remoteId))
    expect(server.hub.groupFanout.filter((f) => f.id === g3.remoteId).map((f) => f.pairwise)).toEqual([[]])
    await eventually('bob has all three', () =>
      [g1, g2, g3].every((g) =>
        server
          .contact(BOB)
          .received()
          .some((m) => m.id === g.remoteId)
      )
    )
    expect(
      server
        .contact(BOB)
        .received()
        .filter((m) => m.chat === group)
        .map((m) => m.text)
    ).toEqual(['one', 'two', 'three'])
    expect(server.hub.duplicates).toBe(0)
  })

  it('a devices notification drops the cached list: the next send includes the new device itself', async () => {
    const a = await pair()
    const group = server.createGroup(BOB, 'Announced', [PHONE])
    await a.protocol.send(group, 'an-1', { kind: 'text', text: 'one' })
    const b = await pair()
    server.announceDevices(PHONE)
    await eventually('a acked the notification', () => !(server.hub.world.queues.get(a.device) ?? []).some((q) => q.key.startsWith('notification:')))
    const g2 = await a.protocol.send(group, 'an-2', { kind: 'text', text: 'two' })
    expect(server.hub.groupFanout.filter((f) => f.id === g2.remoteId).map((f) => f.pairwise)).toEqual([[b.device]])
    expect(server.hub.phashMismatches).toEqual([])
    await eventually('b has it', () => b.keyStore.events.some((e) => e.type === 'message' && e.message.remoteId === g2.remoteId))
  })
})
