// More of WhatsAppMdProtocol against the reference server: QR refs renewed and redrawn, an
// outdated client refused with 'client-outdated', typing and read receipts both ways, fan-out
// to the account's other companion (DeviceSentMessage), and the PreKeyLow refill.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../../src/shared/errors'
import type { WhatsAppMdProtocol } from '../../../../../src/main/networks/whatsapp/md/protocol'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { eventually, makeProtocol, MemoryKeyStore, RecordingIO, statuses } from './harness'

const PHONE = '15551234567'
const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`

let server: WhatsAppMdServerControls
const open: WhatsAppMdProtocol[] = []

beforeEach(async () => {
  server = await startWhatsAppMdServer()
  // Bob is a WhatsApp user (with his phone) before anyone writes to him.
  server.contact(BOB)
})

afterEach(async () => {
  for (const p of open.splice(0)) await p.close()
  await server.close()
})

async function pair(extra: Record<string, unknown> = {}, keyStore = new MemoryKeyStore()) {
  const protocol = makeProtocol(server, keyStore, extra)
  open.push(protocol)
  const seen = statuses(protocol)
  const io = new RecordingIO()
  const login = protocol.login({ methodId: 'qr', fields: {}, previous: null }, io)
  const { jid } = await server.scan(await io.qr(), PHONE)
  const result = await login
  await eventually('online', () => seen.includes('online'))
  return { protocol, keyStore, seen, io, jid, credentials: result.credentials }
}

describe('WhatsApp multi-device: login details', () => {
  it('redraws the QR for every ref and reconnects for fresh refs when they run out', async () => {
    const protocol = makeProtocol(server, new MemoryKeyStore(), { firstQrMs: 60, nextQrMs: 25 })
    open.push(protocol)
    const io = new RecordingIO()
    const login = protocol.login({ methodId: 'qr', fields: {}, previous: null }, io)
    const eighth = await io.qr(8)
    const refs = io.qrs().map((q) => q.split('#')[1]!.split(',')[0])
    expect(new Set(refs).size).toBe(refs.length)
    const attempts = io.steps.flatMap((s) => (s.kind === 'qr' ? [s.attempt] : []))
    expect(attempts.slice(0, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    // A ref of the first connection is no longer live; the newest one pairs.
    await expect(server.scan(io.qrs()[0]!, PHONE)).rejects.toThrow(/not live/)
    await server.scan(io.qrs().at(-1)!, PHONE)
    expect((await login).selfId).toBe(SELF)
    expect(eighth).toContain(',7')
  })

  it("an outdated client goes offline with 'client-outdated', no reconnect loop", async () => {
    const { protocol, credentials, keyStore } = await pair()
    await protocol.close()
    server.failNextLogin('405')
    const again = makeProtocol(server, keyStore)
    open.push(again)
    const seen = statuses(again)
    const error = await again.restore(credentials, {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JunctionError)
    expect((error as JunctionError).reason?.code).toBe('client-outdated')
    expect(seen.at(-1)).toBe('offline:client-outdated')
  })

  it('a 401 failure at login needs a new login', async () => {
    const { protocol, credentials, keyStore } = await pair()
    await protocol.close()
    server.failNextLogin('401')
    const again = makeProtocol(server, keyStore)
    open.push(again)
    const seen = statuses(again)
    await expect(again.restore(credentials, {})).rejects.toMatchObject({ code: 'logged-out' })
    expect(seen.at(-1)).toBe('needs-login:logged-out-remotely')
  })
})

describe('WhatsApp multi-device: conversation details', () => {
  it('typing and read receipts both ways', async () => {
    const { protocol, keyStore } = await pair()
    const typing: string[] = []
    const read: string[] = []
    protocol.on((e) => {
      if (e.type === 'typing') typing.push(`${e.chatRemoteId}:${e.typing}`)
      if (e.type === 'receipt' && e.status === 'read') read.push(...e.messageRemoteIds)
    })
    await protocol.setTyping(BOB_JID, true)
    await protocol.setTyping(BOB_JID, false)
    await eventually('server saw chat states', () => server.hub.chatstates.length >= 2)
    expect(server.hub.chatstates.map((c) => c.split('>')[1])).toEqual([`${BOB_JID}:composing`, `${BOB_JID}:paused`])
    server.typing(BOB, SELF, true)
    server.typing(BOB, SELF, false)
    await eventually('typing events', () => typing.length >= 2)
    expect(typing).toEqual([`${BOB_JID}:true`, `${BOB_JID}:false`])
    const a = await protocol.send(BOB_JID, 'r1', { kind: 'text', text: 'one' })
    const b = await protocol.send(BOB_JID, 'r2', { kind: 'text', text: 'two' })
    server.read(BOB, SELF, [a.remoteId, b.remoteId])
    await eventually('read receipts', () => read.length >= 2)
    expect(read).toEqual([a.remoteId, b.remoteId])
    const incoming = await server.contact(BOB).sendText(SELF, 'read me')
    await eventually('incoming', () => keyStore.messages().some((m) => m.id === incoming))
    await protocol.markRead(BOB_JID, incoming)
  })

  it("fans out to the account's other companion as a DeviceSentMessage", async () => {
    const a = await pair()
    const b = await pair()
    expect(a.jid).not.toBe(b.jid)
    const sent = await a.protocol.send(BOB_JID, 'fan-1', { kind: 'text', text: 'from device A' })
    const copy = await eventually('copy on B', () => b.keyStore.messages().find((m) => m.id === sent.remoteId))
    expect(copy).toEqual({ chat: BOB_JID, id: sent.remoteId, text: 'from device A', fromMe: true })
    await eventually('bob has it once', () => server.contact(BOB).received().length === 1)
    // Bob's reply reaches both companions.
    const reply = await server.contact(BOB).sendText(SELF, 'to both')
    await eventually('A has reply', () => a.keyStore.messages().some((m) => m.id === reply))
    await eventually('B has reply', () => b.keyStore.messages().some((m) => m.id === reply))
  })

  it('refills one-time pre-keys when the server reports PreKeyLow', async () => {
    const { jid, keyStore } = await pair()
    const device = Number(jid.split(':')[1]!.split('@')[0])
    const companion = () => server.hub.world.companion(PHONE, device)!
    expect(companion().preKeys.length).toBe(30)
    const senders = Array.from({ length: 27 }, (_, i) => `1555000${String(i).padStart(4, '0')}`)
    for (const s of senders) await server.contact(s).sendText(SELF, `hello from ${s}`)
    await eventually('27 first messages', () => keyStore.messages().length >= 27)
    await eventually('refilled', () => companion().preKeys.length >= 50)
    expect(keyStore.list('wamd.prekey').length).toBeGreaterThanOrEqual(50)
  })
})
