// The legacy protocol on the session supervisor (issue 10): after the link dropped it waits
// out a back-off, but reconnects at once when the machine's network comes back
// (Connectivity) or, where nothing reports that, as soon as a probe reaches the endpoint.
// Before the supervisor, WhatsApp waited out a 28-second back-off after the network came back.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SimulatedPhone } from '../../../../servers/whatsapp/phone'
import type { WhatsAppServer } from '../../../../servers/whatsapp/server'
import { BOB, pairConnector, probe, startWorld, synced, type Probe } from './fixture'

let server: WhatsAppServer
let phone: SimulatedPhone
const probes: Probe[] = []

beforeEach(async () => {
  ;({ server, phone } = await startWorld())
})

afterEach(async () => {
  for (const p of probes.splice(0)) await p.connector.close()
  await server.close()
})

/** A paired connector whose back-off is a minute, so only an early trigger can bring it back in time. */
async function pairedWithLongBackoff(config: Record<string, unknown>): Promise<Probe> {
  const p = probe(server, { reconnectBaseMs: 60_000, reconnectMaxMs: 60_000, ...config })
  probes.push(p)
  await pairConnector(p, phone)
  await synced(p.connector)
  return p
}

async function dropAndWait(p: Probe): Promise<number> {
  server.dropAll()
  const waiting = await p.next('status', (e) => e.status.state === 'reconnecting' && e.status.retryAt !== undefined)
  const retryAt = waiting.status.retryAt!
  expect(retryAt - Date.now()).toBeGreaterThan(30_000)
  return retryAt
}

describe('WhatsApp legacy on the supervisor', () => {
  it('reconnects at once when Connectivity reports the machine online, not after the back-off', async () => {
    const p = await pairedWithLongBackoff({ probeIntervalMs: 600_000 })
    const retryAt = await dropAndWait(p)
    const back = p.after('status', (e) => e.status.state === 'online', 5_000)
    p.connectivity.online()
    await back
    expect(Date.now()).toBeLessThan(retryAt - 30_000)
    const m = phone.sendAs(BOB, 'after the network came back')
    await p.next('message', (e) => e.message.remoteId === m.id)
  })

  it('reconnects as soon as a probe reaches the endpoint while it waits after losing the link', async () => {
    const p = await pairedWithLongBackoff({ probeIntervalMs: 30 })
    const retryAt = await dropAndWait(p)
    await p.after('status', (e) => e.status.state === 'online', 5_000)
    expect(Date.now()).toBeLessThan(retryAt - 30_000)
  })

  it('"Reconnect now" skips the back-off', async () => {
    const p = await pairedWithLongBackoff({ probeIntervalMs: 600_000 })
    await dropAndWait(p)
    const back = p.after('status', (e) => e.status.state === 'online', 5_000)
    p.connector.reconnectNow()
    await back
  })
})
