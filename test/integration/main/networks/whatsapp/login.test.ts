// Pairing by QR (spec §2.1–§2.6), ref renewal (§2.3) and the errors of a failed pairing.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SimulatedPhone } from '../../../../servers/whatsapp/phone'
import type { WhatsAppServer } from '../../../../servers/whatsapp/server'
import { ALICE, probe, startLogin, startWorld, type Probe } from './fixture'

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

function connector(config: Record<string, unknown> = {}): Probe {
  const p = probe(server, config)
  probes.push(p)
  return p
}

describe('WhatsApp QR login', () => {
  it('shows ref,publicKey,clientId as the QR, pairs when the phone scans it, and returns the session', async () => {
    const p = connector()
    const run = startLogin(p.connector, (step) => void phone.scan(step.payload))
    const result = await run.result
    const qr = run.steps.find((s) => s.kind === 'qr')!
    expect(qr).toMatchObject({ attempt: 1, maxAttempts: 6 })
    const [ref, pub, clientId] = (qr as { payload: string }).payload.split(',')
    expect(ref).toMatch(/^1@/)
    expect(Buffer.from(pub!, 'base64')).toHaveLength(32)
    expect(Buffer.from(clientId!, 'base64')).toHaveLength(16)
    expect(clientId).toHaveLength(24)
    expect(run.steps.map((s) => (s.kind === 'progress' ? s.stage : s.kind))).toEqual(['connecting', 'qr', 'verifying', 'syncing'])
    expect(result.selfId).toBe(ALICE)
    expect(result.displayName).toBe('Alice')
    const pairing = server.accounts.get(ALICE)!.pairings.get(clientId!)!
    // The keys came through the §2.6 secret: the Connector holds exactly what the server generated.
    expect(result.credentials).toMatchObject({
      protocol: 'legacy',
      clientId,
      wid: ALICE,
      clientToken: pairing.clientToken,
      serverToken: pairing.serverToken,
      encKey: pairing.encKey.toString('base64'),
      macKey: pairing.macKey.toString('base64')
    })
    await p.next('status', (e) => e.status.state === 'online')
  })

  it('renews the ref when the code expires, with a new QR each time, and pairs on a later code', async () => {
    await server.close()
    ;({ server, phone } = await startWorld({ ttlMs: 150 }))
    server.script.rerefStatuses = [200, 304]
    const p = connector()
    const run = startLogin(p.connector, (step) => {
      if (step.attempt === 3) void phone.scan(step.payload)
    })
    await run.result
    const qrs = run.steps.filter((s) => s.kind === 'qr') as { payload: string; attempt: number; expiresAt: number }[]
    expect(qrs.map((q) => q.attempt)).toEqual([1, 2, 3])
    const refs = qrs.map((q) => q.payload.split(',')[0])
    // 200: a new ref in the code; 304: the previous ref again, with a fresh expiry. Key and client id stay.
    expect(refs[1]).not.toBe(refs[0])
    expect(refs[2]).toBe(refs[1])
    expect(new Set(qrs.map((q) => q.payload.split(',').slice(1).join(','))).size).toBe(1)
    expect(qrs[2]!.expiresAt).toBeGreaterThan(qrs[1]!.expiresAt)
  })

  it('ends the login with a clear error when WhatsApp answers reref with 429', async () => {
    await server.close()
    ;({ server, phone } = await startWorld({ ttlMs: 100 }))
    server.script.rerefStatuses = [200, 429]
    const p = connector()
    const run = startLogin(p.connector)
    await expect(run.result).rejects.toMatchObject({ code: 'rate-limited', message: expect.stringContaining('will not issue more QR codes') })
    expect(run.steps.filter((s) => s.kind === 'qr')).toHaveLength(2)
  })

  it('gives up after six codes (five renewals) with a timeout', async () => {
    await server.close()
    ;({ server, phone } = await startWorld({ ttlMs: 60 }))
    const p = connector()
    const run = startLogin(p.connector)
    await expect(run.result).rejects.toMatchObject({ code: 'timeout' })
    expect(run.steps.filter((s) => s.kind === 'qr').map((s) => (s as { attempt: number }).attempt)).toEqual([1, 2, 3, 4, 5, 6])
    expect(server.stats.refsIssued).toBe(6)
  })

  it('is cancelled by the login signal', async () => {
    const p = connector()
    const run = startLogin(p.connector, () => run.abort.abort())
    await expect(run.result).rejects.toMatchObject({ code: 'cancelled' })
  })

  it('says the client must be updated when init is answered with ["Cmd",{"type":"update"}]', async () => {
    const p = connector({ version: [0, 3, 2390] })
    await expect(startLogin(p.connector).result).rejects.toMatchObject({ code: 'unsupported' })
  })

  it('cannot connect without the WA Web Origin', async () => {
    const p = connector({ origin: 'https://example.org' })
    await expect(startLogin(p.connector).result).rejects.toMatchObject({ code: 'network', message: expect.stringContaining('403') })
  })
})
