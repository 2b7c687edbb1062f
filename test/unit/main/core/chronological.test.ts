// Ties on the millisecond keep their conversation order whichever way a network pages.
import { describe, expect, it } from 'vitest'
import { chronological } from '../../../../src/main/core/chronological'
import type { IncomingMessage } from '../../../../src/main/networks/connector'

const m = (remoteId: string, timestamp: number): IncomingMessage => ({
  chatRemoteId: 'c',
  remoteId,
  senderId: 'bob',
  fromMe: false,
  timestamp,
  kind: 'text',
  text: remoteId
})
const ids = (list: readonly IncomingMessage[]) => list.map((x) => x.remoteId)

describe('chronological', () => {
  it('leaves a batch in order untouched (the same array)', () => {
    const batch = [m('a', 1), m('b', 1), m('c', 2)]
    expect(chronological(batch)).toBe(batch)
  })
  it('writes a newest-first page oldest first, ties in conversation order', () => {
    // As a network pages back: c (t=2), then b and a, which share t=1 (b came after a).
    expect(ids(chronological([m('c', 2), m('b', 1), m('a', 1)]))).toEqual(['a', 'b', 'c'])
  })
  it('sorts a mixed batch stably', () => {
    expect(ids(chronological([m('a', 1), m('c', 3), m('b', 2), m('b2', 2)]))).toEqual(['a', 'b', 'b2', 'c'])
  })
})
