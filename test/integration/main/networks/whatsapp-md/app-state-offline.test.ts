// App-state writes made while WhatsApp is unreachable (spec §9.6): a pin and a mute made with no
// connection are queued in the key store, survive a restart, and reach the phone as verified
// patches, in the order they were made, once a connection is up again.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../../../src/main/base/log'
import type { Credentials } from '../../../../../src/main/networks/connector'
import { WhatsAppConnector } from '../../../../../src/main/networks/whatsapp'
import { APP_STATE_NS } from '../../../../../src/main/networks/whatsapp/md/app-state/store'
import { testContext } from '../../../../helpers/connector-probe'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { mdClientConfig } from '../../../../servers/whatsapp-md/sandbox'
import { eventually, MemoryKeyStore, RecordingIO } from './harness'

const PHONE = '15551234567'
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`

let server: WhatsAppMdServerControls
const connectors: WhatsAppConnector[] = []

function make(keyStore: MemoryKeyStore): WhatsAppConnector {
  const c = new WhatsAppConnector(
    testContext(
      { md: mdClientConfig(server, { initialPreKeys: 30, reconnectBaseMs: 20, requestTimeoutMs: 5_000 }) },
      createLogger(() => {}, 'error'),
      { keyStore }
    )
  )
  connectors.push(c)
  return c
}

beforeEach(async () => {
  server = await startWhatsAppMdServer()
  server.hub.world.account(BOB, 'Bob')
})

afterEach(async () => {
  for (const c of connectors.splice(0)) await c.close()
  await server.close()
})

describe('WhatsApp multi-device app-state writes while offline', () => {
  it('queues writes made without a connection and sends them, in order, after reconnecting', async () => {
    const keyStore = new MemoryKeyStore()
    const first = make(keyStore)
    const io = new RecordingIO()
    const login = first.login({ methodId: 'qr', fields: {}, previous: null }, io)
    await server.scan(await io.qr(), PHONE)
    const { credentials } = await login
    await eventually('the key and first sync', () => keyStore.list(APP_STATE_NS.collection).length === 5)
    // md declares presence (md/presence.ts); the legacy protocol narrows it away.
    expect(first.capabilities()).not.toMatchObject({ presence: false })
    await first.close()

    const before = server.hub.appState.writes.length
    await first.setChatState(BOB_JID, { pinned: true })
    await first.setChatState(BOB_JID, { muted: true })
    await first.setChatState(BOB_JID, { pinned: false })
    expect(keyStore.list(APP_STATE_NS.outbox)).toHaveLength(3)
    expect(server.hub.appState.writes).toHaveLength(before)

    // A restart: the queue is in the key store, not in memory.
    const second = make(keyStore)
    await second.restore(credentials as Credentials, {})
    await eventually('the queued writes sent', () => keyStore.list(APP_STATE_NS.outbox).length === 0 && server.hub.appState.writes.length >= before + 3)
    expect(server.hub.appState.refused).toEqual([])
    const sent = server.hub.appState.writes.slice(before).map((w) => [w.index, w.value.pinAction ?? w.value.muteAction])
    expect(sent).toEqual([
      [['pin_v1', BOB_JID], { pinned: true }],
      [['mute', BOB_JID], { muted: true, muteEndTimestamp: -1 }],
      [['pin_v1', BOB_JID], { pinned: false }]
    ])
  })
})
