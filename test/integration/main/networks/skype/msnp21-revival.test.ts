// Issue 16 point 4: the Skype Connector's MSNP21 path (the Passport sign-in) against a
// revival server that accepts MSNP21 logins without serving MSNP21 (the MSNP18 reference
// server picking MSNP21, as Escargot would for a client that offers only MSNP21): the
// address book after USR OK, FindMembership when FindMembershipByRole faults, unanswered
// QRY and PUT /user, a message never shown sent unconfirmed, an RNG declined cleanly.

import { afterEach, describe, expect, it } from 'vitest'
import { skypeNetwork } from '../../../../../src/main/networks/skype'
import { createHarness, type Harness } from '../../../../helpers/core-harness'
import { startMsnp18Server, type Msnp18Server, type Msnp18ServerOptions } from '../../../../servers/skype/msnp18/server'
import { ALICE18, BL, FL } from '../../../../servers/skype/msnp18/world'
import { loginIO } from '../../../../unit/main/networks/skype/context'
import { addAccountWithPassword, FAST } from './harness'
import { messengerConnector, type Driven } from './messenger/harness'

let server: Msnp18Server | null = null
let h: Harness | null = null

afterEach(async () => {
  await h?.close()
  await server?.close()
  expect(server?.errors ?? []).toEqual([])
  h = null
  server = null
})

async function start(
  options: Msnp18ServerOptions = {},
  before: (server: Msnp18Server) => void = () => {}
): Promise<{ server: Msnp18Server; h: Harness; accountId: string }> {
  server = await startMsnp18Server({ versions: ['MSNP21', 'MSNP18'], ...options })
  before(server)
  h = await createHarness({ networks: () => [skypeNetwork], core: { networkConfig: { skype: msnp21Config(server) } } })
  const accountId = await addAccountWithPassword(h.core, ALICE18.email, ALICE18.password)
  return { server, h, accountId }
}

function msnp21Config(s: Msnp18Server): Record<string, unknown> {
  return {
    msnpDialect: 'msnp21',
    msnpHost: '127.0.0.1',
    msnpPort: s.nsPort,
    msnpTls: false,
    passportUrl: `${s.httpUrl}/RST2.srf`,
    abchUrl: `${s.httpUrl}/abservice`,
    activeSync: false,
    ...FAST,
    // Unanswered requests are waited for this long, so the test does not wait 5 s.
    requestTimeoutMs: 1_500
  }
}

/** Resolves once a server counter reaches `at` (the server has no event for it). */
async function waitForCount(count: () => number, at: number, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (count() < at) {
    if (Date.now() > deadline) throw new Error(`count stayed at ${count()}, wanted ${at}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('MSNP21 on a server that does not serve it', () => {
  it('signs in: the address book is loaded after USR OK, and an unanswered PUT /user is not fatal', async () => {
    const s = await start()
    const [account] = await s.h.core.handlers.listAccounts()
    expect(account).toMatchObject({ selfId: '1:alice@example.com', status: { state: 'online' } })
    expect(s.server.endpoints(ALICE18.email)).toHaveLength(1)
  })

  it('reads the lists with FindMembership when FindMembershipByRole faults', async () => {
    const s = await start({}, (srv) => srv.world.setBits(ALICE18.email, 'carol@example.com', BL | FL))
    const contacts = await s.h.core.handlers.listContacts({ accountId: s.accountId })
    expect(Object.fromEntries(contacts.map((c) => [c.remoteId, [c.name, c.blocked]]))).toMatchObject({
      '1:bob@example.com': ['Bob B.', false],
      '1:carol@example.com': ['Carol C.', true]
    })
  })
})

/** The Connector alone, signed in with the Passport password to an MSNP21-accepting MSNP18 server. */
async function connect(options: Msnp18ServerOptions = {}): Promise<{ server: Msnp18Server; d: Driven }> {
  server = await startMsnp18Server({ versions: ['MSNP21', 'MSNP18'], ...options })
  const d = messengerConnector(msnp21Config(server))
  opened.push(d)
  await d.connector.login({ methodId: 'passport', fields: { email: ALICE18.email, password: ALICE18.password }, previous: null }, loginIO())
  return { server, d }
}

/**
 * One round trip the client starts: a group SDG is followed by a PNG whose QNG resolves the
 * send (spec §7.2), so once it resolves the client has read everything the server wrote before.
 */
function roundTrip(d: Driven, n: number): Promise<unknown> {
  return d.connector.send('19:sandbox@thread.skype', `rt-${n}`, { kind: 'text', text: 'ping' })
}

const opened: Driven[] = []
afterEach(async () => {
  for (const d of opened.splice(0)) await d.connector.close()
})

describe('MSNP21 keeps the session on a server that does not serve it', () => {
  it('answers a challenge without waiting for a QRY reply that never comes', async () => {
    const { server: s, d } = await connect({ challenge: true, qryReply: false })
    await waitForCount(() => s.counters.qrys, 1)
    const answered = Date.now()
    // The old code gave up on the reply after requestTimeoutMs (1.5 s) and dropped the session.
    for (let n = 0; Date.now() - answered < 2_500; n++) await roundTrip(d, n)
    expect(d.probe.of('status').map((e) => e.status.state)).not.toContain('reconnecting')
    expect(s.endpoints(ALICE18.email)).toHaveLength(1)
  })

  it('declines a switchboard invitation (RNG) cleanly and stays online', async () => {
    const { server: s, d } = await connect()
    s.peer('bob@example.com').say(ALICE18.email, 'are you there?')
    await roundTrip(d, 0)
    expect(d.probe.of('status').map((e) => e.status.state)).not.toContain('reconnecting')
    expect(d.probe.of('message')).toEqual([])
    expect(s.sessionsWith(ALICE18.email)).toBe(0)
    expect(s.endpoints(ALICE18.email)).toHaveLength(1)
  })
})

describe('MSNP21 sending on a server that does not serve it', () => {
  it('never reports a one-to-one message as sent when the server cannot have taken it', async () => {
    const { server: s, d } = await connect()
    await expect(d.connector.send('1:bob@example.com', 'c-unserved', { kind: 'text', text: 'into the void' })).rejects.toMatchObject({
      code: 'unsupported',
      reason: { code: 'refused' }
    })
    expect(s.peer('bob@example.com').inbox(ALICE18.email)).toEqual([])
  })
})
