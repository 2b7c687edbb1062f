import { describe, expect, it } from 'vitest'
import { createDispatcher } from '../../../../src/main/bridge/dispatch'
import { REQUEST_SCHEMAS } from '../../../../src/main/bridge/schemas'
import { silentLogger } from '../../../../src/main/base/log'
import type { ApiHandlers } from '../../../../src/main/core/core'
import { REQUEST_NAMES } from '../../../../src/shared/api'
import { JunctionError } from '../../../../src/shared/errors'

function handlers(calls: unknown[]): ApiHandlers {
  const h: Record<string, unknown> = {}
  for (const name of REQUEST_NAMES) {
    h[name] = async (arg: unknown) => {
      calls.push([name, arg])
      if (name === 'getChat') throw new Error('database exploded at /secret/path with token=abc')
      if (name === 'removeAccount') throw new JunctionError('not-found', 'That account no longer exists.')
      return 'ok'
    }
  }
  return h as ApiHandlers
}

describe('request validation', () => {
  const calls: unknown[] = []
  const dispatch = createDispatcher(handlers(calls), silentLogger)

  it('has a schema for every request', () => {
    expect(Object.keys(REQUEST_SCHEMAS).sort()).toEqual([...REQUEST_NAMES].sort())
  })

  it('passes a valid request through', async () => {
    await expect(dispatch('listInbox', { filter: { kind: 'all' }, limit: 50 })).resolves.toEqual({ ok: true, value: 'ok' })
    await expect(dispatch('listAccounts', undefined)).resolves.toEqual({ ok: true, value: 'ok' })
    await expect(dispatch('sendMessage', { chatId: '1', clientId: 'abcdef0123456789', draft: { kind: 'text', text: 'hi' } })).resolves.toMatchObject({
      ok: true
    })
  })

  it.each([
    ['unknown name', 'dropDatabase', {}],
    ['prototype name', '__proto__', {}],
    ['non-string name', 42, {}],
    ['missing argument', 'getChat', undefined],
    ['wrong type', 'getChat', { chatId: 5 }],
    ['extra key', 'getChat', { chatId: '1', evil: true }],
    ['page too large', 'listInbox', { filter: { kind: 'all' }, limit: 100000 }],
    ['unknown filter', 'listInbox', { filter: { kind: 'everything' }, limit: 10 }],
    ['empty message', 'sendMessage', { chatId: '1', clientId: 'abcdef0123456789', draft: { kind: 'text', text: '' } }],
    ['bad client id', 'sendMessage', { chatId: '1', clientId: '../x', draft: { kind: 'text', text: 'hi' } }],
    ['huge text', 'sendMessage', { chatId: '1', clientId: 'abcdef0123456789', draft: { kind: 'text', text: 'x'.repeat(70_000) } }],
    ['bad image type', 'sendMessage', { chatId: '1', clientId: 'abcdef0123456789', draft: { kind: 'image', mime: 'text/html', dataBase64: 'AAAA' } }],
    ['not base64', 'sendMessage', { chatId: '1', clientId: 'abcdef0123456789', draft: { kind: 'image', mime: 'image/png', dataBase64: '<script>' } }],
    [
      'preview too large',
      'sendMessage',
      { chatId: '1', clientId: 'abcdef0123456789', draft: { kind: 'image', mime: 'image/png', dataBase64: 'AAAA', thumbnailBase64: 'A'.repeat(30_000) } }
    ],
    [
      'preview size not a number of pixels',
      'sendMessage',
      { chatId: '1', clientId: 'abcdef0123456789', draft: { kind: 'image', mime: 'image/png', dataBase64: 'AAAA', width: -3, height: 1.5 } }
    ],
    ['unknown network', 'startLogin', { network: 'icq', methodId: 'qr' }],
    ['file URL', 'openExternal', { url: 'file:///etc/passwd' }],
    ['javascript URL', 'openExternal', { url: 'javascript:alert(1)' }],
    ['query too long', 'search', { query: 'x'.repeat(10_000), limit: 10 }],
    [
      'too many fields',
      'startLogin',
      { network: 'line', methodId: 'password', fields: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'v'])) }
    ],
    ['array instead of object', 'getChat', ['1']],
    ['void request with an argument', 'listAccounts', { x: 1 }]
  ])('rejects %s with a typed error and never calls Core', async (_what, name, arg) => {
    calls.length = 0
    const reply = await dispatch(name, arg)
    expect(reply.ok).toBe(false)
    if (!reply.ok) expect(reply.error.code).toBe('invalid-argument')
    expect(calls).toEqual([])
  })

  it('turns an untyped failure into a generic internal error that reveals nothing', async () => {
    const reply = await dispatch('getChat', { chatId: '1' })
    expect(reply).toEqual({ ok: false, error: { code: 'internal', message: 'Something went wrong inside Junction.', retryable: false } })
  })

  it('passes a typed failure through with its code', async () => {
    await expect(dispatch('removeAccount', { accountId: 'acc_x' })).resolves.toEqual({
      ok: false,
      error: { code: 'not-found', message: 'That account no longer exists.', retryable: false }
    })
  })

  it('survives random garbage without throwing', async () => {
    let seed = 1
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const values = (depth: number): unknown => {
      const r = rand()
      if (depth > 3 || r < 0.2) return [null, undefined, 0, -1, 1e308, NaN, '', 'x', '\u0000', true][Math.floor(rand() * 10)]
      if (r < 0.5) return Array.from({ length: Math.floor(rand() * 4) }, () => values(depth + 1))
      const o: Record<string, unknown> = {}
      for (const k of ['chatId', 'limit', 'filter', 'kind', 'draft', 'text', 'url', 'network', 'constructor', '__proto__'])
        if (rand() < 0.4) o[k] = values(depth + 1)
      return o
    }
    for (let i = 0; i < 3000; i++) {
      const name = rand() < 0.9 ? REQUEST_NAMES[Math.floor(rand() * REQUEST_NAMES.length)] : values(0)
      const reply = await dispatch(name, values(0))
      expect(typeof reply.ok).toBe('boolean')
    }
  })
})
