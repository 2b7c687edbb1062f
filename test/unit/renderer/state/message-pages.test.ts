// Pages of messages joined to what a chat holds (issue 14 §4): scrolling adds a page above or
// below without re-sorting the thousands held, and the result is what a full merge gives.

import { describe, expect, it } from 'vitest'
import type { Message } from '../../../../src/shared/model'
import { merge, reuseHeld } from '../../../../src/renderer/src/state/messages'
import { createAppStore } from '../../../../src/renderer/src/state/store'
import { testMessage } from '../../../helpers/messages'

function message(id: number, timestamp = id): Message {
  return testMessage({ id: String(id), timestamp })
}

const range = (from: number, to: number): Message[] => Array.from({ length: to - from }, (_, i) => message(from + i))
const ids = (list: Message[]): string[] => list.map((m) => m.id)

describe('merge', () => {
  it('puts an older page before the held messages and a newer one after them', () => {
    expect(ids(merge(range(100, 200), range(40, 100), 'prepend'))).toEqual(ids(range(40, 200)))
    expect(ids(merge(range(100, 200), range(200, 260), 'append'))).toEqual(ids(range(100, 260)))
  })

  it('merges an overlapping page without duplicates, in order; on prepend the held copy (maybe updated live since) stays', () => {
    const held = range(100, 200)
    const page = range(150, 230)
    page[0] = { ...page[0]!, text: 'edited' }
    const out = merge(held, page, 'prepend')
    expect(ids(out)).toEqual(ids(range(100, 230)))
    expect(out.find((m) => m.id === '150')!.text).toBe('150')
    expect(merge(held, page, 'append').find((m) => m.id === '150')!.text).toBe('edited')
  })

  it('sorts a page that interleaves with what is held (same timestamps, ordered by id)', () => {
    const held = [message(10, 5), message(12, 7)]
    const page = [message(11, 5), message(13, 6)]
    expect(ids(merge(held, page, 'prepend'))).toEqual(['10', '11', '13', '12'])
  })

  it('returns what is held for an empty page, and the page when nothing is held', () => {
    const held = range(1, 5)
    expect(merge(held, [], 'prepend')).toBe(held)
    expect(ids(merge([], held, 'append'))).toEqual(ids(held))
  })

  it('is what setMessages stores when older pages arrive while scrolling up', () => {
    const store = createAppStore()
    store.getState().setMessages('c1', range(940, 1000), { hasMore: true }, 'replace')
    for (let from = 880; from >= 700; from -= 60) store.getState().setMessages('c1', range(from, from + 60), { hasMore: from > 700 }, 'prepend')
    const entry = store.getState().messages.c1!
    expect(ids(entry.list)).toEqual(ids(range(700, 1000)))
    expect(entry.hasMore).toBe(false)
  })
})

describe('reuseHeld', () => {
  it('keeps the held list itself when the refreshed page is the same messages', () => {
    const held = range(1, 61)
    expect(reuseHeld(held, range(1, 61))).toBe(held)
  })

  it('keeps unchanged messages as the held objects and takes changed and new ones from the page', () => {
    const held = range(1, 101)
    const page = range(41, 102)
    page[10] = { ...page[10]!, status: 'read' }
    const out = reuseHeld(held, page)
    expect(ids(out)).toEqual(ids(range(41, 102)))
    expect(out[0]).toBe(held[40])
    expect(out[10]).toBe(page[10])
    expect(out[10]!.status).toBe('read')
    expect(out.at(-1)).toBe(page.at(-1))
  })

  it('is what a replace stores: the page, in full, never the longer held list', () => {
    const store = createAppStore()
    store.getState().setMessages('c1', range(1, 101), { hasMore: false }, 'replace')
    store.getState().setMessages('c1', range(41, 101), { hasMore: true }, 'replace')
    expect(ids(store.getState().messages.c1!.list)).toEqual(ids(range(41, 101)))
  })
})
