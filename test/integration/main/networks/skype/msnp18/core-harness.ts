// Core with the real Skype Connector whose Messenger (revival service) sign-in points at
// the MSNP18 reference server, and the sign-in a person goes through.

import type { Core } from '../../../../../../src/main/core/core'
import { skypeNetwork } from '../../../../../../src/main/networks/skype'
import { createHarness, type Harness } from '../../../../../helpers/core-harness'
import { waitFor } from '../../../../../helpers/events'
import { startMsnp18Server, type Msnp18Server, type Msnp18ServerOptions } from '../../../../../servers/skype/msnp18/server'
import { ALICE18 } from '../../../../../servers/skype/msnp18/world'
import { FAST } from '../harness'

export interface MessengerHarness {
  server: Msnp18Server
  h: Harness
  core: Core
  close(): Promise<void>
}

export async function startMessengerHarness(o: { server?: Msnp18ServerOptions; config?: Record<string, unknown>; dataDir?: string } = {}): Promise<MessengerHarness> {
  const server = await startMsnp18Server(o.server)
  const config = { ...server.config(), ...FAST, ...o.config }
  const h = await createHarness({ networks: () => [skypeNetwork], core: { networkConfig: { skype: config } }, ...(o.dataDir ? { dataDir: o.dataDir } : {}) })
  return {
    server,
    h,
    get core() {
      return h.core
    },
    async close() {
      await h.close()
      await server.close()
    }
  }
}

/** Adds Alice with the Messenger sign-in (server left empty: the configured default); returns the account id. */
export async function addMessengerAccount(core: Core, fields: Record<string, string> = {}): Promise<string> {
  const { loginId } = await core.handlers.startLogin({ network: 'skype', methodId: 'messenger', fields: { email: ALICE18.email, password: ALICE18.password, ...fields } })
  const result = (await waitFor(core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 20_000)).step
  if (result.kind !== 'done') throw new Error(`login failed: ${JSON.stringify(result)}`)
  return result.accountId
}
