// The MSNP18 address book's list bits (msnp18.md §3.2): a membership role is a wire string,
// looked up as an own entry only — `constructor`, `__proto__` or `toString` from a server
// are no list (issue 11 point 11).

import { describe, expect, it } from 'vitest'
import { listsOf } from '../../../../../../src/main/networks/skype/msnp18/address-book'
import { AL, BL, FL, PL, RL } from '../../../../../../src/main/networks/skype/msnp18/lists'

const INHERITED = Object.getOwnPropertyNames(Object.prototype)

describe('address book list bits', () => {
  it('maps the four roles and the forward list', () => {
    const lists = listsOf(
      [{ account: 'bob@example.com', name: 'Bob' }],
      [
        { role: 'Allow', address: '1:bob@example.com' },
        { role: 'Reverse', address: '1:bob@example.com' },
        { role: 'Block', address: '1:mallory@example.com' },
        { role: 'Pending', address: '1:dave@example.com' }
      ]
    )
    expect(Object.fromEntries(lists)).toEqual({ 'bob@example.com': FL | AL | RL, 'mallory@example.com': BL, 'dave@example.com': PL })
  })

  it('gives no list for roles named like Object.prototype members', () => {
    expect(INHERITED).toEqual(expect.arrayContaining(['constructor', '__proto__', 'toString', 'hasOwnProperty']))
    const lists = listsOf(
      [],
      INHERITED.map((role) => ({ role, address: `1:${role.toLowerCase()}@example.com` }))
    )
    expect([...lists.keys()]).toEqual([])
  })

  it('keeps every bit a list bit for fuzzed roles and addresses', () => {
    let seed = 0x5eed
    const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0)
    const pool = [...INHERITED, 'Allow', 'Block', 'Reverse', 'Pending', 'allow', 'ALLOW', '', ' Allow', 'Allow\u0000']
    for (let round = 0; round < 2_000; round++) {
      const memberships = Array.from({ length: next() % 8 }, () => ({ role: pool[next() % pool.length]!, address: `1:u${next() % 5}@example.com` }))
      for (const bits of listsOf([], memberships).values()) {
        expect(Number.isInteger(bits)).toBe(true)
        expect(bits & ~(AL | BL | RL | PL)).toBe(0)
        expect(bits).not.toBe(0)
      }
    }
  })
})
