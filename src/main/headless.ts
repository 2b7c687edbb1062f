// `tsx src/main/headless.ts [--data-dir DIR] [--port N]`: Junction's engine under plain
// Node 24, serving the renderer build and the Api on 127.0.0.1. Prints the URL to open.

import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { consoleLogger } from './base/log'
import { startHost, type Host } from './host/host'
import { installProcessGuard, scrub } from './host/process-guard'
import { builtInNetworks } from './networks/built-in'
import packageJson from '../../package.json'

/** How long a stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 10_000

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: join(homedir(), '.junction-headless') },
      port: { type: 'string', default: '0' },
      renderer: { type: 'string', default: resolve(__dirname, '../../out/renderer') }
    }
  })
  const log = consoleLogger()
  let host: Host | null = null
  let stopping = false
  const stop = (code: number): void => {
    if (stopping) return
    stopping = true
    setTimeout(() => process.exit(code), STOP_TIMEOUT_MS).unref()
    const closing = host ? host.close() : Promise.resolve()
    closing.then(
      () => process.exit(code),
      (error: unknown) => {
        log.error({ error }, 'stopping failed')
        process.exit(code === 0 ? 1 : code)
      }
    )
  }
  // Installed before anything starts, so a failure while starting is logged the same way.
  installProcessGuard({
    log,
    secrets: () => (host ? [new URL(host.url).searchParams.get('token') ?? ''] : []),
    onFatal: (why) => {
      log.error({ why }, 'stopping after unexpected failures')
      stop(1)
    }
  })
  host = await startHost({
    dataDir: resolve(values['data-dir']),
    rendererDir: resolve(values.renderer),
    networks: builtInNetworks(),
    log,
    version: packageJson.version,
    port: Number(values.port)
  })
  process.stdout.write(`Junction is running. Open ${host.url}\n`)
  process.on('SIGINT', () => stop(0))
  process.on('SIGTERM', () => stop(0))
}

main().catch((error: unknown) => {
  process.stderr.write(`Junction could not start: ${scrub(error instanceof Error ? error.message : String(error), [])}\n`)
  process.exit(1)
})
