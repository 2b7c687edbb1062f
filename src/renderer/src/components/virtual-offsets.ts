// Row sizes and offsets of the windowed list (virtual.ts), kept up to date by index: a
// measurement while scrolling changes a few rows, and recomputing every row's offset through
// a key → height lookup on each of them cost a Map probe per held row per frame (issue 14 §4:
// thousands of rows once older pages have loaded). Sizes are looked up by key only when the
// list itself changes; a measurement writes its row's size and the sums are redone from there.

/** Each row's height: as measured where known, else the estimate. */
export function rowSizes(count: number, keyOf: (index: number) => string, heights: ReadonlyMap<string, number>, estimate: number): Float64Array {
  const out = new Float64Array(count)
  for (let i = 0; i < count; i++) out[i] = heights.get(keyOf(i)) ?? estimate
  return out
}

/**
 * Offsets of every row and the end (`sizes.length + 1` entries). With `base`, offsets computed
 * for the same sizes before any of them at or past `from` changed: only those from `from` on
 * are summed again.
 */
export function rowOffsets(sizes: Float64Array, base?: Float64Array, from = 0): Float64Array {
  const n = sizes.length
  const reuse = base !== undefined && base.length === n + 1 && from > 0
  const out = reuse ? base.slice() : new Float64Array(n + 1)
  for (let i = reuse ? Math.min(from, n) : 0; i < n; i++) out[i + 1] = out[i]! + sizes[i]!
  return out
}

/**
 * Writes measured heights into `sizes` for the rows `indexOf` knows; returns the lowest index
 * whose size changed, or Infinity when none did (rows of a list no longer shown are skipped:
 * their heights are kept by key for when that list is built again).
 */
export function applyHeights(sizes: Float64Array, indexOf: ReadonlyMap<string, number>, measured: Iterable<readonly [string, number]>): number {
  let from = Infinity
  for (const [key, height] of measured) {
    const i = indexOf.get(key)
    if (i === undefined || i >= sizes.length || sizes[i] === height) continue
    sizes[i] = height
    if (i < from) from = i
  }
  return from
}

/**
 * The scroll position to render rows for: where the view will be once the list's layout
 * effect has run, not where the last scroll event left it. `end` is the last position with
 * the list's current height; `anchored` is where the anchored row's top puts the view with
 * the current offsets (null when no row is anchored or it is not in the list).
 */
export function windowTop(end: number, lastTop: number, stickToEnd: boolean, anchored: number | null): number {
  if (stickToEnd) return end
  return Math.min(anchored !== null ? Math.max(0, anchored) : lastTop, end)
}
