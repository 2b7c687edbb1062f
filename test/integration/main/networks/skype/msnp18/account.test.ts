// The MSNP18 account as the Connector will hold it (account-session.ts): one SSO login
// shared by the NS, the address book and offline messages, and the contacts in the
// shared contact store's shape.

import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../../../src/main/base/log'
import { bookEntries, openMsnp18Account, type Msnp18Account } from '../../../../../../src/main/networks/skype/msnp18/account-session'
import { startMsnp18Server, type Msnp18Server } from '../../../../../servers/skype/msnp18/server'
import { ALICE18, BL } from '../../../../../servers/skype/msnp18/world'
import { ALICE_GUID, Recorder } from './harness'

let server: Msnp18Server | null = null
let account: Msnp18Account | null = null

afterEach(async () => {
  account?.session.close()
  await server?.close()
  expect(server?.errors ?? []).toEqual([])
})

describe('MSNP18 account', () => {
  it('signs in once and lists contacts with their blocked state', async () => {
    server = await startMsnp18Server()
    server.world.setBits(ALICE18.email, 'carol@example.com', BL)
    const rec = new Recorder()
    account = await openMsnp18Account({
      target: { host: '127.0.0.1', port: server.nsPort, tls: false },
      servicesUrl: server.httpUrl,
      account: ALICE18.email,
      password: ALICE18.password,
      epid: ALICE_GUID,
      timeoutMs: 5_000,
      log: silentLogger,
      now: Date.now,
      handlers: rec.handlers()
    })
    expect(server.world.tickets.size).toBe(1)
    const { entries } = bookEntries(rec.contacts[0]!)
    expect(entries.map((e) => [e.remoteId, e.name, e.blocked]).sort()).toEqual([
      ['1:bob@example.com', 'Bob B.', false],
      ['1:carol@example.com', 'Carol C.', true],
      ['1:erin@example.com', 'Erin', false]
    ])
    server.peer('bob@example.com').say(ALICE18.email, 'hello')
    await rec.waitFor<{ body: string }>('messages', (m) => m.body === 'hello')
  })
})
