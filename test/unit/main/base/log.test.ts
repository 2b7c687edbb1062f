import { describe, expect, it } from 'vitest'
import { createLogger, redact, type LogRecord } from '../../../../src/main/base/log'
import { JunctionError } from '../../../../src/shared/errors'

describe('logging', () => {
  it('redacts every field that looks like a secret, however deep', () => {
    const records: LogRecord[] = []
    const log = createLogger((r) => records.push(r), 'debug').child({ accountId: 'acc_1' })
    log.info({ credentials: { token: 'T' }, nested: { refresh_token: 'R', accessToken: 'A', password: 'P', macKey: 'K', note: 'fine' }, cookie: 'c' }, 'hello')
    const text = JSON.stringify(records)
    for (const secret of ['"T"', '"R"', '"A"', '"P"', '"K"', '"c"']) expect(text).not.toContain(secret)
    expect(records[0]!.fields).toMatchObject({ accountId: 'acc_1', nested: { note: 'fine' } })
  })

  it('writes errors as name, message and code only, and bytes as their length', () => {
    expect(redact(new JunctionError('network', 'down'))).toEqual({ name: 'JunctionError', message: 'down', code: 'network' })
    expect(redact(new Uint8Array(5))).toBe('<5 bytes>')
    expect(String(redact('x'.repeat(1000))).length).toBeLessThan(400)
  })

  it('drops records below the level', () => {
    const records: LogRecord[] = []
    const log = createLogger((r) => records.push(r), 'warn')
    log.info({}, 'quiet')
    log.warn({}, 'loud')
    expect(records.map((r) => r.message)).toEqual(['loud'])
  })
})
