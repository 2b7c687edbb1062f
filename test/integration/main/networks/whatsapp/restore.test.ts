// Restoring a saved session without a QR (spec §2.7): takeover, rotated tokens saved through
// `credentials` events, the HMAC challenge, every refusal status mapped to an account state,
// logout (§2.8), and a takeover by another client that must not turn into a reconnect loop.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Credentials } from '../../../../../src/main/networks/connector'
import type { SimulatedPhone } from '../../../../servers/whatsapp/phone'
import type { WhatsAppServer } from '../../../../servers/whatsapp/server'
import { ALICE, pairConnector, probe, startWorld, synced, type Probe } from './fixture'

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

/** Pairs once and closes, leaving saved credentials behind (what Core keeps in its vault). */
async function savedSession(): Promise<Credentials> {
  const first = connector()
  const { credentials } = await pairConnector(first, phone)
  await first.next('chat')
  await first.connector.close()
  return credentials
}

describe('WhatsApp restore', () => {
  it('restores with takeover and no QR, then saves the rotated tokens', async () => {
    const saved = await savedSession()
    const p = connector()
    await p.connector.restore(saved, {})
    expect(p.of('status').map((e) => e.status.state)).toEqual(['connecting', 'online'])
    expect(server.notes.filter((n) => n.kind === 'login').at(-1)?.data).toEqual({ clientId: saved.clientId, mode: 'takeover' })
    const rotated = (await p.next('credentials')).credentials
    const pairing = server.accounts.get(ALICE)!.pairings.get(String(saved.clientId))!
    expect(rotated).toMatchObject({ clientToken: pairing.clientToken, serverToken: pairing.serverToken, encKey: saved.encKey, macKey: saved.macKey })
    expect(rotated.clientToken).not.toBe(saved.clientToken)
    expect(server.notes.some((n) => n.kind === 'challenge')).toBe(false)
    const sync = await synced(p.connector)
    expect(sync.chats.map((c) => c.title).sort()).toEqual(['Bob Builder', 'Team'])
  })

  it('answers the challenge when the saved tokens are stale', async () => {
    const saved = await savedSession()
    const second = connector()
    await second.connector.restore(saved, {})
    await second.connector.close()
    // `saved` now holds the tokens before the rotation: WhatsApp challenges instead of refusing.
    const p = connector()
    await p.connector.restore(saved, {})
    expect(server.notes.filter((n) => n.kind === 'challenge').map((n) => n.data)).toEqual([{ ok: true }])
    await p.next('status', (e) => e.status.state === 'online')
    const pairing = server.accounts.get(ALICE)!.pairings.get(String(saved.clientId))!
    expect((await p.next('credentials')).credentials.serverToken).toBe(pairing.serverToken)
  })

  it('fails the challenge with an auth error when the keys are wrong', async () => {
    const saved = await savedSession()
    server.script.challengeNextLogin = true
    const p = connector()
    await expect(p.connector.restore({ ...saved, macKey: Buffer.alloc(32, 7).toString('base64') }, {})).rejects.toMatchObject({ code: 'auth-failed' })
  })

  it.each([
    [401, 'logged-out', 'logged-out-remotely'],
    [403, 'logged-out', 'credentials-refused'],
    [419, 'logged-out', 'session-expired'],
    [409, 'conflict', 'signed-in-elsewhere']
  ])('maps a login answered with %i to %s (%s)', async (status, code, reason) => {
    const saved = await savedSession()
    server.script.nextLoginStatus = status
    const p = connector()
    const error = await p.connector.restore(saved, {}).then(
      () => null,
      (e: unknown) => e
    )
    expect(error).toMatchObject({ code, reason: { code: reason } })
    if (status === 409) expect(error).toMatchObject({ message: 'Signed in elsewhere', retryable: false })
  })

  it('retries a login answered with 405 (a fresh connection settles it) and comes online', async () => {
    const saved = await savedSession()
    server.script.nextLoginStatus = 405
    const p = connector()
    // The supervisor settles restore once the first attempt is settled: here, waiting to retry.
    await p.connector.restore(saved, {})
    const waiting = p.of('status').find((e) => e.status.state === 'reconnecting')
    expect(waiting?.status.reason).toEqual({ code: 'server-unavailable', params: { detail: '405' } })
    await p.next('status', (e) => e.status.state === 'online')
  })

  it('maps upgrade_md_prod to auth-failed and damaged credentials to auth-failed', async () => {
    const saved = await savedSession()
    server.script.upgradeMd = true
    await expect(connector().connector.restore(saved, {})).rejects.toMatchObject({
      code: 'auth-failed',
      detail: 'upgrade_md_prod',
      reason: { code: 'protocol-moved' }
    })
    await expect(connector().connector.restore({ clientId: 'x' }, {})).rejects.toMatchObject({ code: 'auth-failed', reason: { code: 'credentials-damaged' } })
  })

  it('needs a new login after the browser was removed on the phone', async () => {
    const saved = await savedSession()
    const p = connector()
    await p.connector.restore(saved, {})
    phone.removeBrowsers()
    expect((await p.next('status', (e) => e.status.state === 'needs-login')).status.reason).toEqual({ code: 'logged-out-remotely' })
    await expect(connector().connector.restore(saved, {})).rejects.toMatchObject({ code: 'logged-out', detail: '401' })
  })

  it('logs out with goodbye,,["admin","Conn","disconnect"], which ends the pairing', async () => {
    const saved = await savedSession()
    const p = connector()
    await p.connector.restore(saved, {})
    const closed = new Promise<Record<string, unknown>>((resolve) =>
      server.on('note', (kind: string, data: Record<string, unknown>) => kind === 'logout' && resolve(data))
    )
    await p.connector.logout()
    expect(await closed).toEqual({ clientId: saved.clientId, tag: 'goodbye', doubleComma: true })
    expect(server.accounts.get(ALICE)!.pairings.get(String(saved.clientId))!.revoked).toBe(true)
    await expect(connector().connector.restore(saved, {})).rejects.toMatchObject({ code: 'logged-out' })
  })

  it('goes offline "Signed in elsewhere" when another client takes over, and does not take it back', async () => {
    const saved = await savedSession()
    const a = connector()
    await a.connector.restore(saved, {})
    const b = connector()
    await b.connector.restore(saved, {})
    const offline = await a.next('status', (e) => e.status.state === 'offline')
    expect(offline.status.reason).toEqual({ code: 'signed-in-elsewhere' })
    const logins = server.stats.logins
    // Keep-alives on B's connection pass several reconnect intervals of A's; A must stay put.
    const pings = server.stats.keepAlives
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (server.stats.keepAlives >= pings + 4) {
          clearInterval(check)
          resolve()
        }
      }, 20)
    })
    expect(server.stats.logins).toBe(logins)
    expect(a.of('status').map((e) => e.status.state)).toEqual(['connecting', 'online', 'offline'])
    expect(b.of('status').at(-1)?.status.state).toBe('online')
  })

  it('stops at offline when a reconnect is answered with 409', async () => {
    const saved = await savedSession()
    const p = connector()
    await p.connector.restore(saved, {})
    server.script.nextLoginStatus = 409
    server.dropAll()
    await p.next('status', (e) => e.status.state === 'reconnecting')
    const offline = await p.next('status', (e) => e.status.state === 'offline')
    expect(offline.status.reason).toEqual({ code: 'signed-in-elsewhere' })
    // One back-off (a retryAt) after the drop, one attempt, then it stays offline: no loop.
    expect(p.of('status').filter((e) => e.status.state === 'reconnecting' && e.status.retryAt !== undefined)).toHaveLength(1)
    expect(p.of('status').at(-1)?.status.state).toBe('offline')
  })
})
