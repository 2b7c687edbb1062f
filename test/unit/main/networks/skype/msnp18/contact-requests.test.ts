// What a Messenger account's contact actions take and report (issue 16 point 1): the
// address a person types, and Pending members (msnp18.md §3.2) as contact requests.

import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../../../src/shared/errors'
import { pendingRequests } from '../../../../../../src/main/networks/skype/msnp18/account-session'
import { accountOfAddress } from '../../../../../../src/main/networks/skype/msnp18/contact-requests'
import { AL, FL, PL, RL } from '../../../../../../src/main/networks/skype/msnp18/lists'

describe('Messenger contact addresses', () => {
  it('takes one e-mail address, with or without the 1: prefix, in lower case', () => {
    expect(accountOfAddress(' Bob@Example.com ')).toBe('bob@example.com')
    expect(accountOfAddress('1:bob@example.com')).toBe('bob@example.com')
  })

  it('refuses anything else with invalid-argument', () => {
    for (const bad of [
      '',
      'bob',
      'bob@',
      '@example.com',
      'bob@example',
      'two words@example.com',
      'a<b@example.com',
      'x;y@example.com',
      `${'a'.repeat(65)}@example.com`,
      '8:live:bob'
    ]) {
      let error: unknown
      try {
        accountOfAddress(bad)
      } catch (e) {
        error = e
      }
      expect(error instanceof JunctionError && error.code, bad).toBe('invalid-argument')
    }
  })
})

describe('Messenger contact requests', () => {
  const snapshot = (lists: [string, number][]) => ({ contacts: [], lists: new Map(lists) })

  it('are the Pending members not on the forward list, never oneself', () => {
    const requests = pendingRequests(
      snapshot([
        ['bob@example.com', RL | PL],
        ['carol@example.com', FL | AL | RL],
        ['dave@example.com', FL | RL | PL],
        ['me@example.com', PL]
      ]),
      'Me@example.com'
    )
    expect(requests).toEqual([{ remoteId: '1:bob@example.com', name: 'bob@example.com', pending: true }])
  })

  it('carry the name a live push gave, beside the address', () => {
    const names = new Map([['bob@example.com', 'Bob B.']])
    expect(pendingRequests(snapshot([['bob@example.com', RL | PL]]), 'me@example.com', names)[0]?.name).toBe('Bob B. (bob@example.com)')
  })
})
