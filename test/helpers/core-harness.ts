// Builds a Core on a temporary profile with the fake network registered, and drives
// the common flows (adding an account through the phone) the way a person would.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ApiEvents, LoginStep } from '../../src/shared/api'
import type { NetworkId } from '../../src/shared/model'
import { createLogger, type LogRecord } from '../../src/main/base/log'
import { Core, type CoreOptions } from '../../src/main/core/core'
import { openProfileStore, VAULT_KEY_FILE } from '../../src/main/core/profile'
import { openFileVault } from '../../src/main/core/vault'
import type { NetworkDefinition } from '../../src/main/networks/connector'
import { FakeNetwork } from '../doubles/fake-network'
import { testNetwork, type TestConnectorOptions } from '../doubles/test-connector'
import { waitFor } from './events'

export function tempDir(prefix = 'junction-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

export interface Harness {
  core: Core
  net: FakeNetwork
  dataDir: string
  logs: LogRecord[]
  calls: { send: number; login: number; restore: number }
  /** Closes this Core and opens a new one on the same profile (a restart). */
  restart(): Promise<Core>
  close(): Promise<void>
}

export async function createHarness(
  options: {
    net?: FakeNetwork
    dataDir?: string
    networks?: (net: FakeNetwork, calls: Harness['calls']) => NetworkDefinition[]
    connector?: TestConnectorOptions
    core?: Partial<CoreOptions>
  } = {}
): Promise<Harness> {
  const dir = options.dataDir ? null : tempDir()
  const dataDir = options.dataDir ?? dir!.path
  const net = options.net ?? new FakeNetwork({ qrTtlMs: 2_000 })
  const logs: LogRecord[] = []
  const calls = { send: 0, login: 0, restore: 0 }
  const networks = options.networks?.(net, calls) ?? [testNetwork(net, 'whatsapp', { reconnectMs: 20, calls, ...options.connector })]
  const open = async (): Promise<Core> => {
    const core = new Core({
      store: openProfileStore(dataDir),
      vault: openFileVault(join(dataDir, VAULT_KEY_FILE)),
      networks,
      log: createLogger((r) => logs.push(r), 'debug'),
      shell: 'headless',
      dataDir,
      version: '0.0.0-test',
      outbox: { sendTimeoutMs: 2_000 },
      ...options.core
    })
    await core.start()
    return core
  }
  const harness: Harness = {
    core: await open(),
    net,
    dataDir,
    logs,
    calls,
    async restart() {
      await harness.core.close()
      harness.core = await open()
      return harness.core
    },
    async close() {
      await harness.core.close()
      dir?.remove()
    }
  }
  return harness
}

/** Starts a QR login and has the simulated phone scan the payload it shows. Returns the account id. */
export async function addAccountByQr(core: Core, net: FakeNetwork, selfId: string, network: NetworkId = 'whatsapp'): Promise<string> {
  const qr = waitFor(core.events, 'login', (e) => e.step.kind === 'qr')
  const { loginId } = await core.handlers.startLogin({ network, methodId: 'qr' })
  const step = (await qr).step as Extract<LoginStep, { kind: 'qr' }>
  const done = waitFor(core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'))
  net.scan(step.payload, selfId)
  const result = (await done).step
  if (result.kind !== 'done') throw new Error(`login failed: ${JSON.stringify(result)}`)
  return result.accountId
}

export function collect<K extends keyof ApiEvents>(core: Core, name: K): ApiEvents[K][] {
  const out: ApiEvents[K][] = []
  core.events.on(name, (p) => out.push(p))
  return out
}
