// Issue 16 point 2: the Messenger sign-in offers the dialects Junction speaks (MSNP21,
// MSNP18), uses the one the server picks, falls back to MSNP18 on a server that accepts
// MSNP21 without serving it, and saves the dialect so a restore speaks it at once.

import { afterEach, describe, expect, it } from 'vitest'
import { startSkypeServer, type SkypeServer } from '../../../../../servers/skype/server'
import { startMsnp18Server, type Msnp18Server } from '../../../../../servers/skype/msnp18/server'
import { ALICE18 } from '../../../../../servers/skype/msnp18/world'
import { ALICE } from '../../../../../servers/skype/users'
import { dialectOf, messengerConnector, messengerLogin, type Driven } from './harness'

let server18: Msnp18Server | null = null
let skype: SkypeServer | null = null
let driven: Driven[] = []

afterEach(async () => {
  for (const d of driven) await d.connector.close()
  driven = []
  await server18?.close()
  await skype?.close()
  expect(server18?.errors ?? []).toEqual([])
  server18 = null
  skype = null
})

function drive(config: Record<string, unknown>): Driven {
  const d = messengerConnector(config)
  driven.push(d)
  return d
}

const alice18 = { email: ALICE18.email, password: ALICE18.password }

describe('Messenger dialect negotiation', () => {
  it('offers MSNP21 and MSNP18 and speaks MSNP18 when an Escargot-like server picks it', async () => {
    server18 = await startMsnp18Server()
    const d = drive(server18.config())
    const result = await messengerLogin(d, alice18)
    expect(result.selfId).toBe('1:alice@example.com')
    expect(dialectOf(result.credentials)).toBe('msnp18')
    expect(server18.offers).toEqual([['MSNP21', 'MSNP18']])
    expect(server18.endpoints(ALICE18.email)).toHaveLength(1)
    const bob = await d.probe.next('contact', (e) => e.contact.remoteId === '1:bob@example.com' && e.contact.presence === 'online')
    expect(bob.contact.name).toBe('Bob B.')
  })

  it('speaks MSNP21 with a server that picks and serves it', async () => {
    skype = await startSkypeServer()
    const origin = skype.httpUrl
    const d = drive({ messengerHost: '127.0.0.1', messengerPort: skype.msnp21.port, messengerServicesUrl: origin })
    const result = await messengerLogin(d, { email: ALICE.email, password: ALICE.password })
    expect(dialectOf(result.credentials)).toBe('msnp21')
    expect(skype.world.endpointsOf('alice').map((e) => e.dialect)).toEqual(['msnp21'])
  })

  it('falls back to MSNP18 on a server that accepts MSNP21 without serving it, and a message then really arrives', async () => {
    server18 = await startMsnp18Server({ versions: ['MSNP21', 'MSNP18'] })
    const d = drive(server18.config())
    const result = await messengerLogin(d, alice18)
    expect(dialectOf(result.credentials)).toBe('msnp18')
    expect(server18.offers).toEqual([['MSNP21', 'MSNP18'], ['MSNP21'], ['MSNP18']])
    // Only the MSNP18 session is left signed in.
    expect(server18.endpoints(ALICE18.email)).toHaveLength(1)
    const sent = await d.connector.send('1:bob@example.com', 'c-fallback', { kind: 'text', text: 'over the switchboard' })
    expect(sent.status).toBe('sent')
    expect(
      server18
        .peer('bob@example.com')
        .inbox(ALICE18.email)
        .map((m) => m.text)
    ).toEqual(['over the switchboard'])
  })

  it('restores with the saved dialect without negotiating again', async () => {
    server18 = await startMsnp18Server()
    const first = drive(server18.config())
    const { credentials } = await messengerLogin(first, alice18)
    await first.connector.close()
    const again = drive(server18.config())
    await again.connector.restore(credentials, {})
    await again.probe.next('status', (e) => e.status.state === 'online')
    expect(server18.offers.at(-1)).toEqual(['MSNP18'])
    expect(again.probe.of('credentials')).toEqual([])
  })

  it('refuses a wrong password with a typed error', async () => {
    server18 = await startMsnp18Server()
    const d = drive(server18.config())
    await expect(messengerLogin(d, { ...alice18, password: 'wrong' })).rejects.toMatchObject({ code: 'auth-failed', reason: { code: 'credentials-refused' } })
  })
})
