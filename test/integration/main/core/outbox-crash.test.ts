import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../../helpers/core-harness'

const CHILD = join(__dirname, '../../../doubles/outbox-child.ts')
const TSX = require.resolve('tsx')

interface Run {
  lines: Record<string, unknown>[]
  waitFor(key: string): Promise<Record<string, unknown>>
  kill(): Promise<void>
  done: Promise<number | null>
}

/** Runs the child core under the same Node as the tests (Node 24, the Electron main-process Node). */
function run(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', TSX, CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: Record<string, unknown>[] = []
  const waiters: { key: string; resolve: (l: Record<string, unknown>) => void }[] = []
  let buffer = ''
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString()
    let nl: number
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>
      buffer = buffer.slice(nl + 1)
      lines.push(line)
      for (const w of waiters.splice(0)) {
        if (w.key in line) w.resolve(line)
        else waiters.push(w)
      }
    }
  })
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    lines,
    waitFor: (key) =>
      new Promise((resolve, reject) => {
        const found = lines.find((l) => key in l)
        if (found) return resolve(found)
        waiters.push({ key, resolve })
        void done.then(() => reject(new Error(`child exited before "${key}": ${JSON.stringify(lines)} ${stderr.slice(-2000)}`)))
      }),
    kill: async () => {
      child.kill('SIGKILL')
      await done
    },
    done
  }
}

const dirs: { remove(): void }[] = []
afterEach(() => dirs.splice(0).forEach((d) => d.remove()))

describe('the outbox across a crash', () => {
  it.each(['before-network', 'after-network'] as const)(
    'a process killed mid-send (%s) resends on restart, and the message reaches the network exactly once',
    async (killPoint) => {
      const dir = tempDir()
      dirs.push(dir)
      const dataDir = join(dir.path, 'profile')
      const networkFile = join(dir.path, 'network.json')

      const setup = run([dataDir, networkFile, 'setup'])
      await setup.waitFor('ready')
      expect(await setup.done).toBe(0)

      const sender = run([dataDir, networkFile, 'send', 'client-crash-0001', 'survives a crash', killPoint])
      await sender.waitFor('at')
      await sender.kill()

      const deliveredBeforeRestart = (JSON.parse(readFileSync(networkFile, 'utf8')) as { deliveries: unknown[] }).deliveries.length
      expect(deliveredBeforeRestart).toBe(killPoint === 'after-network' ? 1 : 0)

      const resume = run([dataDir, networkFile, 'resume'])
      const result = await resume.waitFor('messages')
      expect(await resume.done).toBe(0)
      expect(result.messages).toEqual([{ clientId: 'client-crash-0001', status: 'sent', text: 'survives a crash' }])
      // The restarted core hands the entry to its Connector once; the network keeps one copy.
      expect(result.sendCalls).toBe(1)
      expect(result.restoreCalls).toBe(1)
      const network = JSON.parse(readFileSync(networkFile, 'utf8')) as { deliveries: { clientId: string; text: string }[] }
      expect(network.deliveries.map((d) => [d.clientId, d.text])).toEqual([['client-crash-0001', 'survives a crash']])
    },
    60_000
  )
})
