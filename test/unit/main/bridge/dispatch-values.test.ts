// Issue 11 point 10 for the Electron transport: ipc hands main an already-decoded value, so
// the dispatcher bounds it with one iterative walk before the schema or JSON.stringify recurse.
import { describe, expect, it } from 'vitest'
import { createDispatcher } from '../../../../src/main/bridge/dispatch'
import { scanValue } from '../../../../src/main/bridge/frames'
import { LIMITS } from '../../../../src/main/bridge/schemas'
import { silentLogger } from '../../../../src/main/base/log'
import type { ApiHandlers } from '../../../../src/main/core/core'
import { REQUEST_NAMES } from '../../../../src/shared/api'

function counting(): { handlers: ApiHandlers; calls: string[] } {
  const calls: string[] = []
  const h: Record<string, unknown> = {}
  for (const name of REQUEST_NAMES) h[name] = async () => (calls.push(name), 'ok')
  return { handlers: h as ApiHandlers, calls }
}

function nested(depth: number): unknown {
  let v: unknown = []
  for (let i = 0; i < depth; i++) v = [v]
  return v
}

describe('decoded request values', () => {
  it('refuses deep nesting with a typed error, without recursing (100,000 levels)', async () => {
    const { handlers, calls } = counting()
    const dispatch = createDispatcher(handlers, silentLogger)
    const reply = await dispatch('listInbox', { filter: nested(100_000), limit: 5 })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: 'The listInbox request nests too deeply.' } })
    expect(calls).toEqual([])
  })

  it('refuses a wide value by its count of values before stringifying it', async () => {
    const { handlers, calls } = counting()
    const dispatch = createDispatcher(handlers, silentLogger)
    const reply = await dispatch('search', { query: 'x', extra: Array.from({ length: 200_000 }, () => 0) })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: 'The search request has too many values.' } })
    expect(calls).toEqual([])
  })

  it('caps size by request kind: a long text fits sendMessage, not a small request', () => {
    const text = 'a'.repeat(LIMITS.text)
    expect(scanValue({ chatId: '1', clientId: 'abcdef0123456789', draft: { kind: 'text', text } }, 'sendMessage')).toBeNull()
    expect(scanValue({ query: text, limit: 5 }, 'search')).toBe('too-large')
    expect(scanValue({ chatId: '1', draft: 'd'.repeat(LIMITS.draft) }, 'updateChat')).toBeNull()
  })

  it('refuses values that are not plain data (ipc can carry Maps, Dates, typed arrays)', () => {
    expect(scanValue({ filter: new Map([['kind', 'all']]) }, 'listInbox')).toBe('malformed')
    expect(scanValue({ when: new Date() }, 'listInbox')).toBe('malformed')
    expect(scanValue({ bytes: new Uint8Array(4) }, 'listInbox')).toBe('malformed')
    expect(scanValue(Object.create(null) as object, 'listInbox')).toBeNull()
  })

  it('lets every ordinary request through unchanged', async () => {
    const { handlers, calls } = counting()
    const dispatch = createDispatcher(handlers, silentLogger)
    await expect(dispatch('listInbox', { filter: { kind: 'all' }, limit: 50 })).resolves.toEqual({ ok: true, value: 'ok' })
    await expect(dispatch('listAccounts', undefined)).resolves.toEqual({ ok: true, value: 'ok' })
    expect(calls).toEqual(['listInbox', 'listAccounts'])
  })
})
