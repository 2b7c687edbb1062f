// Issue 11 §9 in a real process: the headless host outlives malformed requests (before the
// fix, `GET /%ZZ` ended it), and its process guard logs an uncaught exception or unhandled
// rejection without secrets and survives it, except in a storm or on a damaged database.

import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../../helpers/core-harness'
import { rawGet } from './host-client'

const TSX = require.resolve('tsx')
const GUARDED_CHILD = join(__dirname, 'fixtures/guarded-child.ts')
const HEADLESS = join(__dirname, '../../../../src/main/headless.ts')

interface Child {
  process: ChildProcess
  lines: Record<string, unknown>[]
  stderr: () => string
  waitFor(key: string): Promise<Record<string, unknown>>
  exited: Promise<number | null>
}

const running: ChildProcess[] = []
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

function start(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, ['--import', TSX, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  running.push(child)
  const lines: Record<string, unknown>[] = []
  const waiters: { key: string; resolve: (line: Record<string, unknown>) => void }[] = []
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>
    try {
      line = JSON.parse(text) as Record<string, unknown>
    } catch {
      line = { text }
    }
    lines.push(line)
    for (const w of waiters.filter((w) => w.key in line)) {
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve(line)
    }
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    process: child,
    lines,
    stderr: () => stderr,
    exited,
    waitFor: (key) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((l) => key in l)
        if (seen) return resolve(seen)
        waiters.push({ key, resolve })
        void exited.then((code) => reject(new Error(`exited ${code} before "${key}": ${stderr.slice(-500)}`)))
      })
  }
}

const failureLogs = (child: Child): Record<string, unknown>[] =>
  child.lines
    .map((l) => l.log as { message?: string; fields?: Record<string, unknown> } | undefined)
    .filter((r) => r?.message === 'unexpected failure') as never

describe('the process guard', () => {
  it('logs an uncaught exception and an unhandled rejection without secrets, and survives both', async () => {
    const child = start([GUARDED_CHILD, 'survive'])
    await child.waitFor('alive')
    expect(child.process.exitCode).toBeNull()
    const records = failureLogs(child) as {
      level: string
      fields: { kind: string; survived: boolean; failure: { kind: string; text: string; frames: string[] } }
    }[]
    expect(records.map((r) => r.fields.kind).sort()).toEqual(['uncaught-exception', 'unhandled-rejection'])
    for (const r of records) {
      expect(r.level).toBe('error')
      expect(r.fields.survived).toBe(true)
      expect(r.fields.failure.kind).toBe('Error')
      expect(r.fields.failure.frames.length).toBeGreaterThan(0)
    }
    const text = JSON.stringify(child.lines)
    expect(text).toContain('boom near <redacted>')
    expect(text).not.toContain('s3cr3t-launch-token')
    expect(text).not.toContain('abcdef123456')
  })

  it('stops on a storm of failures', async () => {
    const child = start([GUARDED_CHILD, 'storm'])
    expect(await child.waitFor('fatal')).toEqual({ fatal: 'storm' })
    expect(await child.exited).toBe(3)
    expect(failureLogs(child)).toHaveLength(4)
  })

  it('stops on an error that says the database is damaged', async () => {
    const child = start([GUARDED_CHILD, 'fatal'])
    expect(await child.waitFor('fatal')).toEqual({ fatal: 'fatal-error' })
    expect(await child.exited).toBe(3)
  })
})

describe('the headless host process', () => {
  it('outlives malformed requests and stops cleanly on SIGTERM', async () => {
    const data = tempDir('junction-headless-')
    const renderer = tempDir('junction-renderer-')
    writeFileSync(join(renderer.path, 'index.html'), '<!doctype html><div id="root"></div>')
    try {
      const child = start([HEADLESS, '--data-dir', data.path, '--renderer', renderer.path], { JUNCTION_LOG: 'debug' })
      const banner = (await child.waitFor('text')).text as string
      const url = new URL(/Open (\S+)/.exec(banner)![1]!)
      const port = Number(url.port)
      for (const path of ['/%ZZ', '/%', '/%E0%A4%A', '/%c0%ae%c0%ae/x', '//[']) {
        const answer = await rawGet(port, path)
        expect(answer.status).toBeGreaterThanOrEqual(400)
        expect(answer.status).toBeLessThan(500)
      }
      expect((await rawGet(port, '/')).status).toBe(200)
      expect(child.process.exitCode).toBeNull()
      child.process.kill('SIGTERM')
      expect(await child.exited).toBe(0)
      expect(child.stderr()).not.toContain(url.searchParams.get('token')!)
    } finally {
      data.remove()
      renderer.remove()
    }
  })
})
