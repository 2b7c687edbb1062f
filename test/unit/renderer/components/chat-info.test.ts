// The group member list as the chat info panel shows it (issue 12 §5): a name where anything
// readable exists, the readable id beside it only when it says more, sorted by the name.
import { describe, expect, it } from 'vitest'
import { memberRows } from '../../../../src/renderer/src/components/ChatInfoPanel'
import { strings } from '../../../../src/renderer/src/strings'

describe('memberRows', () => {
  it('names members by name, else readable id, else a placeholder, sorted by what is shown', () => {
    expect(
      memberRows([
        { remoteId: '15550100@c.us', name: 'Zoe' },
        { remoteId: '15550111@c.us' },
        { remoteId: 'u0123456789abcdef0123456789abcdef' },
        { remoteId: '8:live:alice_1', name: 'alice_1' },
        { remoteId: 'u1123456789abcdef0123456789abcdef', name: 'Bea' }
      ])
    ).toEqual([
      { remoteId: '15550111@c.us', name: '+15550111', detail: null },
      { remoteId: '8:live:alice_1', name: 'alice_1', detail: null },
      { remoteId: 'u1123456789abcdef0123456789abcdef', name: 'Bea', detail: null },
      { remoteId: 'u0123456789abcdef0123456789abcdef', name: strings.chat.unnamedMember, detail: null },
      { remoteId: '15550100@c.us', name: 'Zoe', detail: '+15550100' }
    ])
  })

  it('keeps two members with the same name apart, in a stable order', () => {
    const rows = memberRows([
      { remoteId: 'b@x', name: 'Sam' },
      { remoteId: 'a@x', name: 'Sam' }
    ])
    expect(rows.map((r) => r.remoteId)).toEqual(['a@x', 'b@x'])
  })

  it('names the account itself "You"', () => {
    expect(
      memberRows(
        [
          { remoteId: 'me@c.us', name: '+15550100' },
          { remoteId: 'bob@c.us', name: 'Bob' }
        ],
        'me@c.us'
      ).map((r) => r.name)
    ).toEqual(['Bob', 'You'])
  })
})
