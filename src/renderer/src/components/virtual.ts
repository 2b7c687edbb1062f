// A windowed list for long, variable-height content (a chat of 100,000 messages, an inbox
// of 10,000 chats): only the rows near the viewport are in the DOM. Heights are measured
// as rows render (ResizeObserver) and estimated until then. When rows are added above or
// change height above the viewport, the row at the top of the viewport stays put.

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react'

export interface VirtualItem {
  index: number
  key: string
  start: number
}

export interface VirtualOptions {
  count: number
  keyOf(index: number): string
  estimate: number
  /** Extra pixels rendered above and below the viewport. */
  overscan?: number
  /** Keep the end in view as rows are added at the end, while the view is at the end (chats). */
  stickToEnd?: boolean
}

export interface Virtual {
  items: VirtualItem[]
  totalHeight: number
  /** Attach to each rendered row: measures it. */
  measure(key: string): (el: HTMLElement | null) => void
  scrollToKey(key: string, align: 'start' | 'center' | 'end'): void
  scrollToEnd(): void
  atEnd: boolean
}

function lowerBound(offsets: Float64Array, value: number): number {
  let lo = 0
  let hi = offsets.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (offsets[mid]! <= value) lo = mid
    else hi = mid - 1
  }
  return lo
}

export function useVirtualList(scroller: RefObject<HTMLElement | null>, o: VirtualOptions): Virtual {
  const heights = useRef(new Map<string, number>())
  const [version, setVersion] = useState(0)
  const [viewport, setViewport] = useState({ top: 0, height: 800 })
  const atEndRef = useRef(true)
  const [atEnd, setAtEnd] = useState(true)
  const anchor = useRef<{ key: string; delta: number } | null>(null)
  const overscan = o.overscan ?? 600
  const { count, keyOf, estimate } = o

  // Offsets of every row, rebuilt when rows or measured heights change (not on scroll).
  const offsets = useMemo(() => {
    const out = new Float64Array(count + 1)
    for (let i = 0; i < count; i++) out[i + 1] = out[i]! + (heights.current.get(keyOf(i)) ?? estimate)
    return out
    // `version` counts new measurements, which live in a ref.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [count, keyOf, estimate, version])
  const totalHeight = offsets[count] ?? 0

  const items = useMemo(() => {
    if (count === 0) return []
    const first = lowerBound(offsets, Math.max(0, viewport.top - overscan))
    const last = lowerBound(offsets, viewport.top + viewport.height + overscan)
    const out: VirtualItem[] = []
    for (let i = first; i <= Math.min(count - 1, last); i++) out.push({ index: i, key: keyOf(i), start: offsets[i]! })
    return out
  }, [offsets, viewport, overscan, count, keyOf])
  // What the layout effect below reads, current at each render; it runs only when the height or the row count changed.
  const latest = useRef({ offsets, keyOf, stickToEnd: o.stickToEnd })
  latest.current = { offsets, keyOf, stickToEnd: o.stickToEnd }

  // Remember which row is at the top of the viewport, to keep it there across changes.
  const rememberAnchor = useCallback(() => {
    const el = scroller.current
    if (!el || o.count === 0) return
    const i = Math.min(o.count - 1, lowerBound(offsets, el.scrollTop))
    anchor.current = { key: o.keyOf(i), delta: offsets[i]! - el.scrollTop }
  }, [scroller, offsets, o])

  useLayoutEffect(() => {
    const el = scroller.current
    if (!el) return
    const { offsets, keyOf, stickToEnd } = latest.current
    if (stickToEnd && atEndRef.current) {
      el.scrollTop = el.scrollHeight
      return
    }
    const a = anchor.current
    if (!a) return
    for (let i = 0; i < count; i++) {
      // Search from the end backwards is not needed: anchors are near the top of what is loaded.
      if (keyOf(i) === a.key) {
        const target = offsets[i]! - a.delta
        if (Math.abs(el.scrollTop - target) > 1) el.scrollTop = target
        break
      }
    }
  }, [totalHeight, count, scroller])

  useEffect(() => {
    const el = scroller.current
    if (!el) return
    const onScroll = (): void => {
      const end = el.scrollHeight - el.scrollTop - el.clientHeight < 48
      atEndRef.current = end
      setAtEnd(end)
      setViewport({ top: el.scrollTop, height: el.clientHeight })
      rememberAnchor()
    }
    const resize = new ResizeObserver(onScroll)
    resize.observe(el)
    el.addEventListener('scroll', onScroll, { passive: true })
    onScroll()
    return () => {
      el.removeEventListener('scroll', onScroll)
      resize.disconnect()
    }
  }, [scroller, rememberAnchor])

  const observer = useRef<ResizeObserver | null>(null)
  const pending = useRef(false)
  if (observer.current === null && typeof ResizeObserver !== 'undefined') {
    observer.current = new ResizeObserver((entries) => {
      let changed = false
      for (const entry of entries) {
        const key = (entry.target as HTMLElement).dataset.vkey
        // A row that left the DOM reports zero height: forget the element, keep its last real height.
        if (!entry.target.isConnected) {
          observer.current?.unobserve(entry.target)
          continue
        }
        if (!key) continue
        const h = Math.ceil(entry.borderBoxSize[0]?.blockSize ?? (entry.target as HTMLElement).offsetHeight)
        if (heights.current.get(key) !== h) {
          heights.current.set(key, h)
          changed = true
        }
      }
      if (changed && !pending.current) {
        pending.current = true
        requestAnimationFrame(() => {
          pending.current = false
          setVersion((v) => v + 1)
        })
      }
    })
  }
  useEffect(() => () => observer.current?.disconnect(), [])

  const measure = useCallback(
    (key: string) => (el: HTMLElement | null) => {
      if (!el || !observer.current) return
      el.dataset.vkey = key
      observer.current.observe(el)
    },
    []
  )

  const scrollToKey = useCallback(
    (key: string, align: 'start' | 'center' | 'end') => {
      const el = scroller.current
      if (!el) return
      for (let i = 0; i < o.count; i++) {
        if (o.keyOf(i) !== key) continue
        const h = offsets[i + 1]! - offsets[i]!
        const top = align === 'start' ? offsets[i]! : align === 'end' ? offsets[i + 1]! - el.clientHeight : offsets[i]! - (el.clientHeight - h) / 2
        atEndRef.current = false
        el.scrollTop = Math.max(0, top)
        return
      }
    },
    [scroller, offsets, o]
  )

  const scrollToEnd = useCallback(() => {
    const el = scroller.current
    if (!el) return
    atEndRef.current = true
    el.scrollTop = el.scrollHeight
  }, [scroller])

  return { items, totalHeight, measure, scrollToKey, scrollToEnd, atEnd }
}
