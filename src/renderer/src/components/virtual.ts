// A windowed list for long, variable-height content (a chat of 100,000 messages, an inbox
// of 10,000 chats): only the rows near the viewport are in the DOM. Heights are measured
// as rows render (ResizeObserver) and estimated until then. When rows are added above or
// change height above the viewport, the row at the top of the viewport stays put.

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react'
import { applyHeights, rowOffsets, rowSizes, windowTop } from './virtual-offsets'

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
  /** scrollTop as the last scroll event (or our own assignment) left it: reading el.scrollTop after a render forces a layout. */
  const knownTop = useRef(0)
  // The rows off screen wait for the frame after a list is first shown (issue 14 §4: a chat
  // opens within one frame): that frame builds only what it shows, the next the overscan.
  // Counted per list shown, not a flag: a flag set back by the next list's first render
  // could swallow the update that set it, and stay unset.
  const [listShown, setListShown] = useState(0)
  const [overscanFor, setOverscanFor] = useState(-1)
  const overscan = overscanFor === listShown ? (o.overscan ?? 600) : 0
  const { count, keyOf, estimate } = o

  // Each row's size, looked up by key only when the rows change; the ResizeObserver below
  // writes measurements into it, and the offsets are summed again from the first row that
  // changed (virtual-offsets.ts) — not on scroll, and not by key for every held row.
  const sizes = useMemo(() => rowSizes(count, keyOf, heights.current, estimate), [count, keyOf, estimate])
  /** The lowest row whose size changed since `summed` was computed, and those offsets with the sizes they came from. */
  const dirtyFrom = useRef(Infinity)
  const summed = useRef<{ sizes: Float64Array; offsets: Float64Array } | null>(null)
  const offsets = useMemo(() => {
    const last = summed.current
    const out = last?.sizes !== sizes ? rowOffsets(sizes) : dirtyFrom.current === Infinity ? last.offsets : rowOffsets(sizes, last.offsets, dirtyFrom.current)
    // Running this twice (StrictMode) gives the same offsets: they are consistent with `sizes` either way.
    dirtyFrom.current = Infinity
    summed.current = { sizes, offsets: out }
    return out
    // `version` counts new measurements, which are written into `sizes` in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sizes, version])
  const totalHeight = offsets[count] ?? 0
  // Row index by key, for the anchor below: rebuilt only when the rows change, not on every
  // measurement (a scan of 5,000 keys per frame while scrolling was a visible share of it).
  const indexOf = useMemo(() => {
    const out = new Map<string, number>()
    for (let i = 0; i < count; i++) out.set(keyOf(i), i)
    return out
  }, [count, keyOf])
  // A different list in the same component (the chat view switched chats): neither its first
  // nor its last row was in the list before (a page added above or below keeps one of them).
  // It opens at its end, not at the old list's scroll position, so its first frame shows it.
  const [shown, setShown] = useState(indexOf)
  if (shown !== indexOf) {
    const before = shown
    setShown(indexOf)
    if (count > 0 && !before.has(keyOf(0)) && !before.has(keyOf(count - 1))) {
      atEndRef.current = true
      anchor.current = null
      setListShown((n) => n + 1)
    }
  }
  useEffect(() => {
    if (overscanFor === listShown) return
    // After the paint: a frame, then a task (a state update in the frame callback itself could still render before it).
    let timer = 0
    const frame = requestAnimationFrame(() => (timer = window.setTimeout(() => setOverscanFor(listShown), 0)))
    return () => {
      cancelAnimationFrame(frame)
      window.clearTimeout(timer)
    }
  }, [overscanFor, listShown])

  // Rows for where the view will be once the layout effect below has run: at the end when it
  // sticks there, where it puts the anchored row back after rows were added or measured above
  // it, and never past the end (a shorter list than the last one). Rendering for the last
  // scroll position instead rendered, in the frame an older page arrived, a window a page
  // above the one shown (its rows mounted, laid out and dropped again), and before that an
  // empty frame when a shorter list replaced a longer one.
  const end = Math.max(0, totalHeight - viewport.height)
  const held = anchor.current
  const heldAt = held ? indexOf.get(held.key) : undefined
  const top = windowTop(end, viewport.top, o.stickToEnd === true && atEndRef.current, held && heldAt !== undefined ? offsets[heldAt]! - held.delta : null)
  const items = useMemo(() => {
    if (count === 0) return []
    const first = lowerBound(offsets, Math.max(0, top - overscan))
    const last = lowerBound(offsets, top + viewport.height + overscan)
    const out: VirtualItem[] = []
    for (let i = first; i <= Math.min(count - 1, last); i++) out.push({ index: i, key: keyOf(i), start: offsets[i]! })
    return out
  }, [offsets, top, viewport.height, overscan, count, keyOf])
  // What the layout effect below reads, current at each render; it runs only when the height or the row count changed.
  // The scroll listener reads the same, so it is attached once: depending on the options
  // object (new each render) re-attached it after every render, and attaching calls onScroll,
  // whose setViewport rendered again — a render per frame for as long as the list was shown.
  const latest = useRef({ offsets, sizes, indexOf, keyOf, count, stickToEnd: o.stickToEnd })
  latest.current = { offsets, sizes, indexOf, keyOf, count, stickToEnd: o.stickToEnd }

  // Remember which row is at the top of the viewport, to keep it there across changes.
  const rememberAnchor = useCallback(() => {
    const el = scroller.current
    const { offsets, keyOf, count } = latest.current
    if (!el || count === 0) return
    const i = Math.min(count - 1, lowerBound(offsets, el.scrollTop))
    anchor.current = { key: keyOf(i), delta: offsets[i]! - el.scrollTop }
  }, [scroller])

  useLayoutEffect(() => {
    const el = scroller.current
    if (!el) return
    const { offsets, indexOf, stickToEnd } = latest.current
    if (stickToEnd && atEndRef.current) {
      el.scrollTop = el.scrollHeight
      return
    }
    const a = anchor.current
    const i = a ? indexOf.get(a.key) : undefined
    if (a && i !== undefined) {
      // Rows measured below the anchor leave it where it is: then nothing is read or written,
      // which forced a layout per measurement while scrolling (a fifth of the frame's script).
      const target = offsets[i]! - a.delta
      if (Math.abs(knownTop.current - target) > 1) {
        // The view may have moved since the scroll event the anchor was taken at (a scroll in
        // this frame, its event not yet fired): that movement is kept, not undone. Read just
        // before the write, which lays out anyway, so it costs no layout of its own.
        const next = target + (el.scrollTop - knownTop.current)
        el.scrollTop = next
        knownTop.current = next
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
      const top = el.scrollTop
      knownTop.current = top
      const height = el.clientHeight
      setViewport((v) => (v.top === top && v.height === height ? v : { top, height }))
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
      const measured: [string, number][] = []
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
          measured.push([key, h])
        }
      }
      if (measured.length === 0) return
      const { sizes, indexOf } = latest.current
      dirtyFrom.current = Math.min(dirtyFrom.current, applyHeights(sizes, indexOf, measured))
      if (!pending.current) {
        pending.current = true
        requestAnimationFrame(() => {
          pending.current = false
          setVersion((v) => v + 1)
        })
      }
    })
  }
  useEffect(() => () => observer.current?.disconnect(), [])

  // One ref callback per key, the same on every render: a new function each render made React
  // detach and re-attach every row's ref on every scroll frame, and each re-attach called
  // observe() again, which resets the observation and reports every row's size anew.
  const refs = useRef(new Map<string, (el: HTMLElement | null) => void>())
  const measure = useCallback((key: string) => {
    let ref = refs.current.get(key)
    if (!ref) {
      let observed: HTMLElement | null = null
      const self: (el: HTMLElement | null) => void = (el) => {
        if (el === observed) return
        if (observed) observer.current?.unobserve(observed)
        observed = el
        if (!el) {
          // The row left the DOM (its height stays known); its callback goes with it.
          if (refs.current.get(key) === self) refs.current.delete(key)
          return
        }
        refs.current.set(key, self)
        el.dataset.vkey = key
        observer.current?.observe(el)
      }
      ref = self
      refs.current.set(key, ref)
    }
    return ref
  }, [])

  const scrollToKey = useCallback(
    (key: string, align: 'start' | 'center' | 'end') => {
      const el = scroller.current
      if (!el) return
      const i = indexOf.get(key)
      if (i !== undefined) {
        const h = offsets[i + 1]! - offsets[i]!
        const top = align === 'start' ? offsets[i]! : align === 'end' ? offsets[i + 1]! - el.clientHeight : offsets[i]! - (el.clientHeight - h) / 2
        atEndRef.current = false
        el.scrollTop = knownTop.current = Math.max(0, top)
      }
    },
    [scroller, offsets, indexOf]
  )

  const scrollToEnd = useCallback(() => {
    const el = scroller.current
    if (!el) return
    atEndRef.current = true
    el.scrollTop = el.scrollHeight
  }, [scroller])

  return { items, totalHeight, measure, scrollToKey, scrollToEnd, atEnd }
}
