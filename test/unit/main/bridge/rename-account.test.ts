// renameAccount's argument (issue 12 §3): a one-line local name, trimmed, bounded; empty clears.

import { describe, expect, it } from 'vitest'
import { LIMITS, REQUEST_SCHEMAS } from '../../../../src/main/bridge/schemas'

const parse = (nickname: unknown) => REQUEST_SCHEMAS.renameAccount.safeParse({ accountId: 'acc_1', nickname })

describe('renameAccount schema', () => {
  it('trims a name and turns an empty one into null (back to the network name)', () => {
    expect(parse('  Work  ').data).toEqual({ accountId: 'acc_1', nickname: 'Work' })
    expect(parse('   ').data).toEqual({ accountId: 'acc_1', nickname: null })
    expect(parse(null).data).toEqual({ accountId: 'acc_1', nickname: null })
    expect(parse('عمل').data?.nickname).toBe('عمل')
  })

  it('refuses control characters, line breaks, overlong names and other shapes', () => {
    for (const bad of ['a\nb', 'a\u0000b', 'a\u2028b', 'x'.repeat(LIMITS.nickname + 1), 5, undefined]) expect(parse(bad).success).toBe(false)
    expect(REQUEST_SCHEMAS.renameAccount.safeParse({ accountId: 'acc_1', nickname: 'x', muted: true }).success).toBe(false)
    expect(REQUEST_SCHEMAS.renameAccount.safeParse({ accountId: '', nickname: 'x' }).success).toBe(false)
  })
})
