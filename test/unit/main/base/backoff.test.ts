import { describe, expect, it } from 'vitest'
import { backoffDelay } from '../../../../src/main/base/backoff'

describe('back-off', () => {
  it('doubles from the base up to the cap, with jitter only downwards', () => {
    const opts = { baseMs: 100, maxMs: 1000, jitter: 0 }
    expect([0, 1, 2, 3, 4, 10, 100].map((a) => backoffDelay(a, opts))).toEqual([100, 200, 400, 800, 1000, 1000, 1000])
    const jittered = backoffDelay(3, { ...opts, jitter: 0.5 }, () => 1)
    expect(jittered).toBe(400)
  })
})
