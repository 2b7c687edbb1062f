// Issue 12 §3: a Messenger (MSNP18 revival) account is labelled "Messenger", not "Skype" — the
// account says so (Account.networkLabel, from Connector.networkLabel), so the renderer writes
// "Message on Messenger" without naming a network id.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { skypeNetwork } from '../../../../../../src/main/networks/skype'
import { createHarness, type Harness } from '../../../../../helpers/core-harness'
import { waitFor } from '../../../../../helpers/events'
import { startMsnp18Server, type Msnp18Server } from '../../../../../servers/skype/msnp18/server'
import { ALICE18 } from '../../../../../servers/skype/msnp18/world'
import { QUICK } from './harness'

let server: Msnp18Server
let h: Harness

beforeEach(async () => {
  server = await startMsnp18Server()
  h = await createHarness({ networks: () => [skypeNetwork], core: { networkConfig: { skype: { ...server.config(), ...QUICK } } } })
})

afterEach(async () => {
  await h?.close()
  await server?.close()
})

describe('the label of a Messenger account', () => {
  it('is Messenger, and survives a restart', async () => {
    const { loginId } = await h.core.handlers.startLogin({
      network: 'skype',
      methodId: 'messenger',
      fields: { email: ALICE18.email, password: ALICE18.password, server: '' }
    })
    const done = (await waitFor(h.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 15_000)).step
    expect(done.kind).toBe('done')
    const [account] = await h.core.handlers.listAccounts()
    expect(account?.networkLabel).toBe('Messenger')
    // The network itself is still Skype's definition: only this account is labelled otherwise.
    expect((await h.core.handlers.listNetworks()).find((n) => n.id === 'skype')?.displayName).toBe('Skype')
    await h.restart()
    expect((await h.core.handlers.listAccounts())[0]?.networkLabel).toBe('Messenger')
  })
})
