// `tsx src/main/headless.ts [--data-dir DIR] [--port N]`: Junction's engine under plain
// Node 24, serving the renderer build and the Api on 127.0.0.1. Prints the URL to open.

import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { consoleLogger } from './base/log'
import { startHost } from './host/host'
import { builtInNetworks } from './networks/registry'
import packageJson from '../../package.json'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: join(homedir(), '.junction-headless') },
      port: { type: 'string', default: '0' },
      renderer: { type: 'string', default: resolve(__dirname, '../../out/renderer') }
    }
  })
  const log = consoleLogger()
  const host = await startHost({
    dataDir: resolve(values['data-dir']),
    rendererDir: resolve(values.renderer),
    networks: builtInNetworks(),
    log,
    version: packageJson.version,
    port: Number(values.port)
  })
  process.stdout.write(`Junction is running. Open ${host.url}\n`)
  const stop = (): void => void host.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  process.stderr.write(`Junction could not start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
