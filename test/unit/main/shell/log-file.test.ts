import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { fileLogger, LOG_FILE_NAME, RotatingLogFile, rotatedName } from '../../../../src/main/shell/log-file'

const dirs: string[] = []
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'junction-logs-'))
  dirs.push(d)
  return join(d, 'logs')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('the rotating log file', () => {
  it('writes JSON lines with the existing redaction: no token, password or cookie reaches the file', () => {
    const dir = tempDir()
    const file = new RotatingLogFile({ dir })
    const log = fileLogger(file, 'info').child({ part: 'accounts' })
    log.info({ accountId: 'a1', accessToken: 'EwB-secret-token', password: 'hunter2', headers: { cookie: 'skypetoken=abc' } }, 'restored')
    log.debug({}, 'not at info level')
    const lines = readFileSync(join(dir, LOG_FILE_NAME), 'utf8').trim().split('\n')
    expect(lines).toHaveLength(1)
    const record = JSON.parse(lines[0]!)
    expect(record).toMatchObject({ part: 'accounts', accountId: 'a1', accessToken: '<redacted>', password: '<redacted>', level: 'info', msg: 'restored' })
    expect(record.headers.cookie).toBe('<redacted>')
    expect(lines[0]).not.toMatch(/EwB-secret|hunter2|skypetoken=abc/)
    expect(new Date(record.time).getFullYear()).toBeGreaterThan(2000)
    if (process.platform !== 'win32') expect(statSync(join(dir, LOG_FILE_NAME)).mode & 0o077).toBe(0)
  })

  it('rotates by size and keeps N old files, dropping the oldest', () => {
    const dir = tempDir()
    const file = new RotatingLogFile({ dir, maxBytes: 1000, keep: 2 })
    const line = (n: number): string => `${JSON.stringify({ n, pad: 'x'.repeat(180) })}\n`
    for (let n = 0; n < 40; n++) file.write(line(n))
    expect(readdirSync(dir).sort()).toEqual([rotatedName(2), rotatedName(1), LOG_FILE_NAME].sort())
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(1000)
    const numbers = (name: string) =>
      readFileSync(join(dir, name), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).n as number)
    const current = numbers(LOG_FILE_NAME)
    const previous = numbers(rotatedName(1))
    const oldest = numbers(rotatedName(2))
    expect(current.at(-1)).toBe(39)
    // Consecutive across the files: nothing lost between rotations, oldest first.
    expect([...oldest, ...previous, ...current]).toEqual(Array.from({ length: oldest.length + previous.length + current.length }, (_, i) => oldest[0]! + i))
    expect(oldest[0]).toBeGreaterThan(0)
  })

  it('continues an existing file after a restart, counting its size', () => {
    const dir = tempDir()
    new RotatingLogFile({ dir, maxBytes: 500, keep: 1 }).write(`${'a'.repeat(400)}\n`)
    const again = new RotatingLogFile({ dir, maxBytes: 500, keep: 1 })
    again.write(`${'b'.repeat(200)}\n`)
    expect(readFileSync(join(dir, rotatedName(1)), 'utf8')).toBe(`${'a'.repeat(400)}\n`)
    expect(readFileSync(join(dir, LOG_FILE_NAME), 'utf8')).toBe(`${'b'.repeat(200)}\n`)
  })

  it('a folder that disappears stops file logging without throwing', () => {
    const dir = tempDir()
    const file = new RotatingLogFile({ dir })
    rmSync(dir, { recursive: true, force: true })
    expect(() => file.write('x\n')).not.toThrow()
    expect(() => file.write('y\n')).not.toThrow()
  })
})
