// `npm run sandbox`: every network's reference server on loopback, the headless host
// wired to them, and the sandbox phone page. Open the printed URLs in a browser.

import { join, resolve } from 'node:path'
import { homedir } from 'node:os'
import { consoleLogger } from '../../src/main/base/log'
import { startHost } from '../../src/main/host/host'
import { NETWORK_IDS, type NetworkId } from '../../src/shared/model'
import { startPhonePage } from './phone-page'
import type { SandboxNetwork } from './sandbox-types'
import { startLineSandbox } from './line/sandbox'
import { startSkypeSandbox } from './skype/sandbox'
import { startWhatsAppMdSandbox } from './whatsapp-md/sandbox'

/** Each network's reference server, with its simulated phone. */
const STARTERS: Record<NetworkId, () => Promise<SandboxNetwork>> = {
  whatsapp: () => startWhatsAppMdSandbox({ stateDir: join(process.env.JUNCTION_SANDBOX_DIR ?? join(homedir(), '.junction-sandbox'), 'servers', 'whatsapp') }),
  line: () => startLineSandbox({ stateDir: join(process.env.JUNCTION_SANDBOX_DIR ?? join(homedir(), '.junction-sandbox'), 'servers', 'line') }),
  skype: () => startSkypeSandbox({ stateDir: join(process.env.JUNCTION_SANDBOX_DIR ?? join(homedir(), '.junction-sandbox'), 'servers', 'skype') })
}

async function main(): Promise<void> {
  const log = consoleLogger(process.env.JUNCTION_LOG ?? 'warn')
  const networks = await Promise.all(NETWORK_IDS.map((id) => STARTERS[id]()))
  const dataDir = process.env.JUNCTION_SANDBOX_DIR ?? join(homedir(), '.junction-sandbox')
  const host = await startHost({
    dataDir,
    rendererDir: resolve(__dirname, '../../out/renderer'),
    networks: networks.map((n) => n.definition),
    networkConfig: Object.fromEntries(networks.map((n) => [n.id, n.config])),
    log,
    version: 'sandbox',
    port: Number(process.env.JUNCTION_PORT ?? 0)
  })
  const phone = await startPhonePage(networks, Number(process.env.JUNCTION_PHONE_PORT ?? 0))
  process.stdout.write(
    [
      '',
      'Junction sandbox is running.',
      `  App:    ${host.url}`,
      `  Phone:  ${phone.url}   (scan QR codes, type PINs, write as your contacts)`,
      `  Data:   ${dataDir}`,
      ...networks.map((n) => `  ${n.id.padEnd(8)} ${n.phone.label}`),
      '',
      'Press Ctrl+C to stop.',
      ''
    ].join('\n')
  )
  const stop = async (): Promise<void> => {
    phone.server.close()
    await host.close()
    await Promise.all(networks.map((n) => n.close()))
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox failed: ${String(error instanceof Error ? error.stack : error)}\n`)
  process.exit(1)
})
