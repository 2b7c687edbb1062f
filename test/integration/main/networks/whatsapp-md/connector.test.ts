// The WhatsApp Connector (the one Core sees, whatsapp/connector.ts) linking by its default
// method, multi-device, against the reference server: credentials that name their protocol,
// a restore on a restarted server without a rescan, text, receipts and typing both ways, a
// socket dropped mid-conversation, a remote logout and a conflict.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../../../src/main/base/log'
import type { Credentials, LoginResult } from '../../../../../src/main/networks/connector'
import { WhatsAppConnector } from '../../../../../src/main/networks/whatsapp'
import { probeEvents, testContext, type EventProbe } from '../../../../helpers/connector-probe'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { mdClientConfig } from '../../../../servers/whatsapp-md/sandbox'
import { eventually, MemoryKeyStore, RecordingIO } from './harness'

const PHONE = '15551234567'
const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`
/** Test timings; production defaults are in md/config.ts. */
const FAST = { initialPreKeys: 30, reconnectBaseMs: 20, reconnectMaxMs: 200, requestTimeoutMs: 5_000 }

let dir: string
let server: WhatsAppMdServerControls
const open: WhatsAppConnector[] = []

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wamd-connector-'))
  server = await startWhatsAppMdServer({ stateDir: dir })
})

afterEach(async () => {
  for (const c of open.splice(0)) await c.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

function connector(keyStore: MemoryKeyStore): { connector: WhatsAppConnector; events: EventProbe } {
  // Legacy keys stay flat beside `md`: neither protocol's strict settings see the other's.
  const config = { requestTimeoutMs: 3_000, md: mdClientConfig(server, FAST) }
  const c = new WhatsAppConnector(
    testContext(
      config,
      createLogger(() => {}, 'error'),
      { keyStore }
    )
  )
  open.push(c)
  return { connector: c, events: probeEvents(c) }
}

async function link(
  keyStore = new MemoryKeyStore()
): Promise<{ connector: WhatsAppConnector; events: EventProbe; keyStore: MemoryKeyStore; result: LoginResult }> {
  const { connector: c, events } = connector(keyStore)
  const io = new RecordingIO()
  const login = c.login({ methodId: 'qr', fields: {}, previous: null }, io)
  const qr = await io.qr()
  expect(qr.startsWith('https://wa.me/settings/linked_devices#2@')).toBe(true)
  await server.scan(qr, PHONE)
  const result = await login
  await events.next('status', (e) => e.status.state === 'online')
  return { connector: c, events, keyStore, result }
}

/** The active protocol's supervisor, to read whether a reconnect is armed. */
function supervisorOf(c: WhatsAppConnector): { pending: boolean } {
  return (c as unknown as { active: { connector: { supervisor: { pending: boolean } } } }).active.connector.supervisor
}

const states = (events: EventProbe): string[] => events.of('status').map((e) => e.status.state + (e.status.reason ? `:${e.status.reason.code}` : ''))

describe('WhatsApp connector, multi-device by default', () => {
  it('links by QR with credentials that name md, and restores on a restarted server without a rescan', async () => {
    const first = await link()
    expect(first.result.selfId).toBe(SELF)
    expect(first.result.credentials.protocol).toBe('md')
    await first.connector.close()
    await server.close()
    server = await startWhatsAppMdServer({ stateDir: dir })
    const again = connector(first.keyStore)
    const scansBefore = server.hub.registrations.size
    await again.connector.restore(first.result.credentials as Credentials, {})
    expect(states(again.events)).toContain('online')
    expect(server.hub.registrations.size).toBe(scansBefore)
    const id = await server.contact(BOB).sendText(SELF, 'after the restart')
    await eventually('message after restore', () => first.keyStore.messages().find((m) => m.id === id))
    const sent = await again.connector.send(BOB_JID, 'after-1', { kind: 'text', text: 'still linked' })
    await eventually('bob has it', () =>
      server
        .contact(BOB)
        .received()
        .find((m) => m.id === sent.remoteId)
    )
  })

  it('chats both ways with delivery and read receipts and typing both ways', async () => {
    const { connector: c, events, keyStore } = await link()
    const bob = server.contact(BOB)
    const sent = await c.send(BOB_JID, 'c-1', { kind: 'text', text: 'Hello Bob' })
    expect(server.hub.acked).toContain(sent.remoteId)
    // Bob's phone answers before the server's ack reaches us: the delivery comes with the send's result.
    if (sent.status !== 'delivered') await events.next('receipt', (e) => e.status === 'delivered' && e.messageRemoteIds.includes(sent.remoteId))
    expect(bob.received()).toEqual([{ from: SELF, id: sent.remoteId, text: 'Hello Bob' }])
    server.read(BOB, SELF, [sent.remoteId])
    const read = await events.next('receipt', (e) => e.status === 'read')
    expect(read).toMatchObject({ chatRemoteId: BOB_JID, messageRemoteIds: [sent.remoteId] })

    const id = await bob.sendText(SELF, 'Hi Junction')
    expect(await eventually('reply', () => keyStore.messages().find((m) => m.id === id))).toEqual({ chat: BOB_JID, id, text: 'Hi Junction', fromMe: false })

    await c.setTyping(BOB_JID, true)
    await eventually('server saw typing', () => server.hub.chatstates.some((s) => s.endsWith(`>${BOB_JID}:composing`)))
    server.typing(BOB, SELF, true)
    await events.next('typing', (e) => e.chatRemoteId === BOB_JID && e.typing)
    server.typing(BOB, SELF, false)
    await events.next('typing', (e) => e.chatRemoteId === BOB_JID && !e.typing)
  })

  it('loses and duplicates nothing when the socket drops mid-conversation, either way', async () => {
    const { connector: c, events, keyStore } = await link()
    const bob = server.contact(BOB)
    const before = await bob.sendText(SELF, 'before')
    await eventually('before', () => keyStore.messages().some((m) => m.id === before))
    const out1 = await c.send(BOB_JID, 'd-1', { kind: 'text', text: 'mine before' })
    const device = [...server.hub.online.keys()][0]!
    const reconnecting = events.after('status', (e) => e.status.state === 'reconnecting' || e.status.state === 'connecting')
    expect(server.dropDevice(device)).toBe(true)
    await reconnecting
    const away = [await bob.sendText(SELF, 'away 1'), await bob.sendText(SELF, 'away 2')]
    await events.after('status', (e) => e.status.state === 'online', 10_000)
    await eventually('queued messages', () => away.every((id) => keyStore.messages().some((m) => m.id === id)))
    const out2 = await c.send(BOB_JID, 'd-2', { kind: 'text', text: 'mine after' })
    await eventually('bob has both', () => bob.received().some((m) => m.id === out2.remoteId))
    expect(keyStore.messages().map((m) => m.text)).toEqual(['before', 'away 1', 'away 2'])
    expect(bob.received().map((m) => m.id)).toEqual([out1.remoteId, out2.remoteId])
    expect(server.hub.duplicates).toBe(0)
  })

  it('a remote logout needs a new login', async () => {
    const { connector: c, events, result } = await link()
    const device = [...server.hub.online.keys()][0]!
    server.streamError(device, { code: '401', conflict: 'device_removed' })
    await events.next('status', (e) => e.status.state === 'needs-login')
    expect(states(events).at(-1)).toBe('needs-login:logged-out-remotely')
    // The device is gone on the server: restoring the same credentials cannot sign in either.
    server.hub.world.removeCompanion(PHONE, Number(device.split(':')[1]!.split('@')[0]))
    await c.close()
    const again = connector(new MemoryKeyStore())
    await expect(again.connector.restore(result.credentials, {})).rejects.toMatchObject({ code: 'logged-out' })
    expect(states(again.events).at(-1)).toBe('needs-login:logged-out-remotely')
  })

  it('logout unlinks the device on the server and wipes the Signal state', async () => {
    const { connector: c, keyStore } = await link()
    expect(server.hub.world.account(PHONE).companions).toHaveLength(1)
    expect(keyStore.list('wamd.prekey').length).toBeGreaterThan(0)
    await c.logout()
    expect(server.hub.world.account(PHONE).companions).toHaveLength(0)
    expect(keyStore.list('wamd.prekey')).toEqual([])
  })

  it('a conflict goes offline "signed in elsewhere" with no reconnect loop', async () => {
    const { connector: c, events } = await link()
    const device = [...server.hub.online.keys()][0]!
    server.streamError(device, { conflict: 'replaced' })
    await events.next('status', (e) => e.status.state === 'offline')
    expect(states(events).at(-1)).toBe('offline:signed-in-elsewhere')
    // Nothing is armed to reconnect (the supervisor's own flag, read instead of sleeping).
    expect(supervisorOf(c).pending).toBe(false)
    await eventually('the server saw the socket close', () => server.hub.online.size === 0)
  })
})
