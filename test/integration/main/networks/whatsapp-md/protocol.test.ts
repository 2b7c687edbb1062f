// WhatsAppMdProtocol against the reference server over real sockets: QR pairing with the 515
// restart, restore without a rescan, a text both ways, a 50-message burst delivered once and
// in order, a socket dropped mid-conversation, stream errors, logout.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Credentials } from '../../../../../src/main/networks/connector'
import type { WhatsAppMdProtocol } from '../../../../../src/main/networks/whatsapp/md/protocol'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { eventually, makeProtocol, MemoryKeyStore, RecordingIO, statuses } from './harness'

const PHONE = '15551234567'
const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`

let dir: string
let server: WhatsAppMdServerControls
const open: WhatsAppMdProtocol[] = []

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wamd-'))
  server = await startWhatsAppMdServer({ stateDir: dir })
})

afterEach(async () => {
  for (const p of open.splice(0)) await p.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

async function pair(
  keyStore = new MemoryKeyStore()
): Promise<{ protocol: WhatsAppMdProtocol; keyStore: MemoryKeyStore; credentials: Credentials; io: RecordingIO; seen: string[] }> {
  const protocol = makeProtocol(server, keyStore)
  open.push(protocol)
  const seen = statuses(protocol)
  const io = new RecordingIO()
  const login = protocol.login({ methodId: 'qr', fields: {}, previous: null }, io)
  const qr = await io.qr()
  const { jid } = await server.scan(qr, PHONE)
  expect(jid).toMatch(/^15551234567:\d+@s\.whatsapp\.net$/)
  const result = await login
  expect(result.selfId).toBe(SELF)
  await eventually('online', () => seen.includes('online'))
  return { protocol, keyStore, credentials: result.credentials, io, seen }
}

describe('WhatsApp multi-device against the reference server', () => {
  it('pairs by QR, restarts after 515, and chats both ways', async () => {
    const { protocol, keyStore, io } = await pair()
    expect(io.steps.map((s) => s.kind)).toContain('qr')
    expect(io.qrs()[0]).toMatch(/^https:\/\/wa\.me\/settings\/linked_devices#2@[^,]+,[^,]+,[^,]+,[^,]+,7$/)
    const bob = server.contact(BOB)
    const delivered = receipts(protocol)
    const sent = await protocol.send(BOB_JID, 'client-1', { kind: 'text', text: 'Hello from Junction' })
    await eventually('bob receives', () => bob.received().find((m) => m.id === sent.remoteId))
    expect(bob.received()).toEqual([{ from: SELF, id: sent.remoteId, text: 'Hello from Junction' }])
    // The delivery receipt may beat the server's ack; then it comes as the send's result.
    await eventually('delivery receipt', () => sent.status === 'delivered' || delivered.includes(sent.remoteId))
    const id = await bob.sendText(SELF, 'Hi Junction')
    const got = await eventually('client receives', () => keyStore.messages().find((m) => m.id === id))
    expect(got).toEqual({ chat: BOB_JID, id, text: 'Hi Junction', fromMe: false })
  })

  it('restores from saved credentials without a rescan, on a restarted server', async () => {
    const first = await pair()
    await first.protocol.close()
    await server.close()
    server = await startWhatsAppMdServer({ stateDir: dir })
    const again = makeProtocol(server, first.keyStore)
    open.push(again)
    const seen = statuses(again)
    await again.restore(first.credentials, {})
    expect(seen).toContain('online')
    const bob = server.contact(BOB)
    const id = await bob.sendText(SELF, 'after restart')
    await eventually('message after restore', () => first.keyStore.messages().find((m) => m.id === id))
    const sent = await again.send(BOB_JID, 'client-2', { kind: 'text', text: 'still here' })
    await eventually('bob receives after restore', () => bob.received().find((m) => m.id === sent.remoteId))
  })

  it('delivers a 50-message burst exactly once and in order', async () => {
    const { protocol, keyStore } = await pair()
    const bob = server.contact(BOB)
    const ids: string[] = []
    for (let i = 0; i < 50; i++) ids.push(await bob.sendText(SELF, `burst ${i}`))
    await eventually('50 messages', () => keyStore.messages().filter((m) => m.chat === BOB_JID).length >= 50)
    const got = keyStore.messages().filter((m) => m.chat === BOB_JID)
    expect(got.map((m) => m.text)).toEqual(ids.map((_, i) => `burst ${i}`))
    expect(new Set(got.map((m) => m.id)).size).toBe(50)
    // Outgoing burst: each message once, in order.
    for (let i = 0; i < 50; i++) await protocol.send(BOB_JID, `out-${i}`, { kind: 'text', text: `out ${i}` })
    await eventually('bob has 50', () => bob.received().length >= 50)
    expect(bob.received().map((m) => m.text)).toEqual(Array.from({ length: 50 }, (_, i) => `out ${i}`))
  })

  it('loses and duplicates nothing when the socket drops mid-conversation', async () => {
    const { protocol, keyStore, seen } = await pair()
    const bob = server.contact(BOB)
    const before = await bob.sendText(SELF, 'before the drop')
    await eventually('first message', () => keyStore.messages().find((m) => m.id === before))
    const device = [...server.hub.online.keys()][0]!
    // In flight both ways: Bob's messages reach the client but its receipts are lost on the
    // wire, and the client's own sends never reach the server; then the socket drops.
    server.hub.lostFrom.add(device)
    const inFlight = [await bob.sendText(SELF, 'in flight 1'), await bob.sendText(SELF, 'in flight 2'), await bob.sendText(SELF, 'in flight 3')]
    await eventually('in-flight messages stored', () => inFlight.every((id) => keyStore.messages().some((m) => m.id === id)))
    const sends = ['out-1', 'out-2'].map((clientId, i) => protocol.send(BOB_JID, clientId, { kind: 'text', text: `mine ${i + 1}` }).catch((e: unknown) => e))
    await eventually('both sends went out (and were lost)', () => server.hub.lost.filter((l) => l.startsWith('message:')).length === 2)
    expect(server.hub.lost.filter((l) => l.startsWith('receipt:')).length).toBe(3)
    expect(server.dropDevice(device)).toBe(true)
    server.hub.lostFrom.delete(device)
    // The sends fail at once (not after the ack timeout) and are retryable, as Core's outbox expects.
    for (const result of await Promise.all(sends)) expect(result).toMatchObject({ code: 'network', retryable: true })
    // Sent while the client is away: queued by the server, delivered after the reconnect.
    const during = [await bob.sendText(SELF, 'while away 1'), await bob.sendText(SELF, 'while away 2')]
    await eventually('reconnected', () => seen.filter((s) => s === 'online').length >= 2)
    await eventually('queued messages', () => during.every((id) => keyStore.messages().some((m) => m.id === id)))
    // Core sends again under the same client ids: the same message ids, one copy each at Bob's.
    const again = [
      await protocol.send(BOB_JID, 'out-1', { kind: 'text', text: 'mine 1' }),
      await protocol.send(BOB_JID, 'out-2', { kind: 'text', text: 'mine 2' })
    ]
    await eventually('bob has both', () => again.every((r) => bob.received().some((m) => m.id === r.remoteId)))
    const texts = keyStore.messages().map((m) => m.text)
    expect(texts).toEqual(['before the drop', 'in flight 1', 'in flight 2', 'in flight 3', 'while away 1', 'while away 2'])
    expect(bob.received().map((m) => m.text)).toEqual(['mine 1', 'mine 2'])
    expect(server.hub.duplicates).toBe(0)
    // The redelivered in-flight copies were acknowledged this time: nothing is left queued.
    await eventually('queue drained', () => (server.hub.world.queues.get(device) ?? []).every((q) => !q.key.startsWith('message:')))
  })

  it('commits a decrypted message with its ratchet or not at all: a failed commit is redelivered once', async () => {
    const { keyStore, seen } = await pair()
    const bob = server.contact(BOB)
    const first = await bob.sendText(SELF, 'one')
    await eventually('first', () => keyStore.messages().some((m) => m.id === first))
    const sessions = JSON.stringify(keyStore.list('wamd.session'))
    // The next commit of a decrypted message fails (app-state sync may commit in between).
    keyStore.failNextIf = (_writes, events) => events.some((e) => e.type === 'message')
    keyStore.failNext = true
    const second = await bob.sendText(SELF, 'two')
    // The failed commit left the ratchet untouched; the reconnect brings the message again.
    await eventually('reconnected after the failed commit', () => seen.filter((s) => s === 'online').length >= 2)
    await eventually('second', () => keyStore.messages().some((m) => m.id === second))
    expect(keyStore.messages().map((m) => m.text)).toEqual(['one', 'two'])
    expect(JSON.stringify(keyStore.list('wamd.session'))).not.toBe(sessions)
  })

  it('goes offline "signed in elsewhere" on replaced, without reconnecting', async () => {
    const { seen } = await pair()
    const device = [...server.hub.online.keys()][0]!
    server.streamError(device, { conflict: 'replaced' })
    await eventually('offline', () => seen.find((s) => s.startsWith('offline')))
    expect(seen.at(-1)).toBe('offline:signed-in-elsewhere')
    // The server notices the closed socket a moment later.
    await eventually('the server saw the socket close', () => server.hub.online.size === 0)
  })

  it('needs a login after device_removed, and logout unlinks the device', async () => {
    const first = await pair()
    const device = [...server.hub.online.keys()][0]!
    server.streamError(device, { code: '401', conflict: 'device_removed' })
    await eventually('needs login', () => first.seen.find((s) => s.startsWith('needs-login')))
    expect(first.seen.at(-1)).toBe('needs-login:logged-out-remotely')

    const second = await pair(new MemoryKeyStore())
    expect(server.hub.world.account(PHONE).companions.length).toBe(2)
    await second.protocol.logout()
    expect(server.hub.world.account(PHONE).companions.length).toBe(1)
    expect(second.keyStore.list('wamd.session')).toEqual([])
  })
})

function receipts(protocol: WhatsAppMdProtocol): string[] {
  const list: string[] = []
  protocol.on((e) => {
    if (e.type === 'receipt' && e.status === 'delivered') list.push(...e.messageRemoteIds)
  })
  return list
}
