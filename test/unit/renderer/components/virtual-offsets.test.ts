// The windowed list's sizes and offsets (issue 14 §4): measurements update the offsets from
// the first row that changed, with the same result as summing every row again, and the rows
// rendered after an older page arrives are those the anchored view will show.

import { describe, expect, it } from 'vitest'
import { applyHeights, rowOffsets, rowSizes, windowTop } from '../../../../src/renderer/src/components/virtual-offsets'

const keys = (n: number, prefix = 'm'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`)
const indexOf = (list: string[]): Map<string, number> => new Map(list.map((k, i) => [k, i]))

describe('rowSizes', () => {
  it('takes measured heights by key and the estimate for the rest', () => {
    const list = keys(4)
    expect([
      ...rowSizes(
        4,
        (i) => list[i]!,
        new Map([
          ['m1', 80],
          ['m3', 20]
        ]),
        44
      )
    ]).toEqual([44, 80, 44, 20])
  })
})

describe('rowOffsets', () => {
  it('sums the sizes into the offset of every row and the end', () => {
    expect([...rowOffsets(Float64Array.from([10, 20, 30]))]).toEqual([0, 10, 30, 60])
    expect([...rowOffsets(new Float64Array(0))]).toEqual([0])
  })

  it('redone from a changed row, equals a full sum, and leaves the offsets it started from unchanged', () => {
    const sizes = Float64Array.from([10, 20, 30, 40, 50])
    const before = rowOffsets(sizes)
    sizes[3] = 5
    sizes[4] = 7
    const partial = rowOffsets(sizes, before, 3)
    expect([...partial]).toEqual([...rowOffsets(sizes)])
    expect([...partial]).toEqual([0, 10, 30, 60, 65, 72])
    expect([...before]).toEqual([0, 10, 30, 60, 100, 150])
  })

  it('sums everything again when the base is for another number of rows', () => {
    const sizes = Float64Array.from([1, 2, 3])
    expect([...rowOffsets(sizes, Float64Array.from([0, 9]), 1)]).toEqual([0, 1, 3, 6])
  })
})

describe('applyHeights', () => {
  it('writes the rows of the list and gives the lowest index that changed', () => {
    const list = keys(5)
    const sizes = Float64Array.from([44, 44, 44, 44, 44])
    const from = applyHeights(sizes, indexOf(list), [
      ['m3', 60],
      ['m1', 90],
      ['other', 10]
    ])
    expect(from).toBe(1)
    expect([...sizes]).toEqual([44, 90, 44, 60, 44])
  })

  it('gives Infinity when nothing in the list changed', () => {
    const sizes = Float64Array.from([44, 44])
    expect(applyHeights(sizes, indexOf(keys(2)), [['m0', 44]])).toBe(Infinity)
    expect(applyHeights(sizes, indexOf(keys(2)), [['gone', 12]])).toBe(Infinity)
  })

  it('with the partial sum, gives what a fresh build from the heights gives', () => {
    const list = keys(50)
    const heights = new Map<string, number>()
    const sizes = rowSizes(list.length, (i) => list[i]!, heights, 44)
    const base = rowOffsets(sizes)
    const measured: [string, number][] = [
      ['m7', 61],
      ['m30', 12],
      ['m8', 100]
    ]
    for (const [k, h] of measured) heights.set(k, h)
    const from = applyHeights(sizes, indexOf(list), measured)
    expect([...rowOffsets(sizes, base, from)]).toEqual([...rowOffsets(rowSizes(list.length, (i) => list[i]!, heights, 44))])
  })
})

describe('windowTop', () => {
  it('after an older page is added above, is where the anchored row puts the view, not the last scroll position', () => {
    // The view was at 780, row m20 (at 880) 100 px below its top; then a page of 60 rows of 44 px arrived above.
    const page = keys(60, 'p')
    const list = [...page, ...keys(100)]
    const offsets = rowOffsets(rowSizes(list.length, (i) => list[i]!, new Map(), 44))
    const anchored = offsets[indexOf(list).get('m20')!]! - 100
    const end = offsets[list.length]! - 800
    expect(windowTop(end, 780, false, anchored)).toBe(60 * 44 + 780)
  })

  it('sticks to the end when asked, and never goes past the end or above the start', () => {
    expect(windowTop(5000, 100, true, 300)).toBe(5000)
    expect(windowTop(5000, 9000, false, null)).toBe(5000)
    expect(windowTop(5000, 700, false, null)).toBe(700)
    expect(windowTop(5000, 700, false, -30)).toBe(0)
    expect(windowTop(5000, 700, false, 7000)).toBe(5000)
  })
})
