// Starts the headless host on an ephemeral port with the fake network, for the host
// tests and the end-to-end tests in Chromium.

import { join, resolve } from 'node:path'
import { existsSync } from 'node:fs'
import { createLogger, type LogRecord } from '../../src/main/base/log'
import { startHost, type Host } from '../../src/main/host/host'
import type { NetworkDefinition } from '../../src/main/networks/connector'
import type { NetworkId } from '../../src/shared/model'
import { FakeNetwork } from '../doubles/fake-network'
import { testNetwork } from '../doubles/test-connector'
import { tempDir } from './core-harness'

export const RENDERER_DIR = resolve(__dirname, '../../out/renderer')

export interface HostHarness {
  host: Host
  net: FakeNetwork
  logs: LogRecord[]
  close(): Promise<void>
}

export async function startTestHost(
  options: {
    net?: FakeNetwork
    networks?: (net: FakeNetwork) => NetworkDefinition[]
    /** Per-network Connector configuration, e.g. endpoints of a reference server. */
    networkConfig?: Partial<Record<NetworkId, Record<string, unknown>>>
    dataDir?: string
  } = {}
): Promise<HostHarness> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` first (npm test does)')
  const dir = options.dataDir ? null : tempDir()
  const net = options.net ?? new FakeNetwork({ qrTtlMs: 20_000 })
  const logs: LogRecord[] = []
  const host = await startHost({
    dataDir: options.dataDir ?? dir!.path,
    rendererDir: RENDERER_DIR,
    networks: options.networks?.(net) ?? [testNetwork(net, 'whatsapp', { reconnectMs: 50 })],
    networkConfig: options.networkConfig ?? {},
    log: createLogger((r) => logs.push(r), 'debug'),
    version: '0.0.0-test'
  })
  return {
    host,
    net,
    logs,
    async close() {
      await host.close()
      dir?.remove()
    }
  }
}
