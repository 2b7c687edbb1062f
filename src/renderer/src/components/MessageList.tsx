import { memo, useCallback, useEffect, useRef, useState } from 'react'
import type { Message } from '../../../shared/model'
import { useActions, useApp, useAppStore } from '../context'
import { formatDay, sameDay } from '../format'
import { strings } from '../strings'
import { Icon } from './Icon'
import { MessageBubble } from './MessageBubble'
import { MessageDialogs } from './MessageDialogs'
import { useSingleTabStop } from './single-tab-stop'
import { useVirtualList } from './virtual'

const GROUP_GAP_MS = 5 * 60_000
/** Start loading the next page this far (in pixels) before the edge is reached. */
const PREFETCH_PX = 1_200
/**
 * The same while scrolling toward that edge: about a page ahead, so a page asked for while
 * scrolling fast arrives while its rows are still out of the rendered window (issue 14 §4; at
 * 1,200 px a slow round trip let the view reach the top first). Only then: a chat opened at
 * its end with one page held does not fetch the next page at once.
 */
const PREFETCH_MOVING_PX = 2_400

function startsGroup(prev: Message | undefined, m: Message): boolean {
  return !prev || prev.senderId !== m.senderId || m.timestamp - prev.timestamp > GROUP_GAP_MS || !sameDay(prev.timestamp, m.timestamp)
}

const EMPTY: Message[] = []

/** The first of the `unread` newest messages from others: where the unread separator goes. */
export function firstUnreadId(list: readonly Message[], unread: number): string | null {
  let left = unread
  let anchor: string | null = null
  for (let i = list.length - 1; i >= 0 && left > 0; i--) {
    const m = list[i]!
    if (m.fromMe || m.kind === 'system') continue
    anchor = m.id
    left--
  }
  return anchor
}

/** Arrow keys move between messages (each is focusable from the list); Esc goes back to the list. */
function moveFocus(e: React.KeyboardEvent<HTMLDivElement>): void {
  if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown' && e.key !== 'Escape') return
  const list = e.currentTarget
  const target = e.target as HTMLElement
  const onMessage = target.matches('[data-message-id]')
  if (target !== list && !onMessage) return
  if (e.key === 'Escape') {
    if (onMessage) {
      e.preventDefault()
      list.focus()
    }
    return
  }
  const messages = [...list.querySelectorAll<HTMLElement>('[data-message-id]')]
  if (messages.length === 0) return
  const at = messages.indexOf(target)
  const next = at < 0 ? messages.length - 1 : e.key === 'ArrowUp' ? Math.max(0, at - 1) : Math.min(messages.length - 1, at + 1)
  e.preventDefault()
  messages[next]!.focus()
}

/** Focuses a message once the virtual list has rendered its row (a frame or two after a scroll), within a few frames. */
function focusWhenShown(list: HTMLElement | null, id: string, frames = 10): void {
  const row = list?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`)
  if (row) row.focus({ preventScroll: true })
  else if (list && frames > 0) requestAnimationFrame(() => focusWhenShown(list, id, frames - 1))
}

interface RowProps {
  rowRef(el: HTMLElement | null): void
  message: Message
  start: number
  focused: boolean
  /** The first message of its day: the day separator goes above it. */
  day: boolean
  showSender: boolean
  /** The unread separator goes above it. */
  unread: { chatId: string; count: number } | null
}

/**
 * One row of the list, memoised on what it shows: a scroll frame renders only the rows it
 * brings in, and the rows kept render again only when their position or message changed,
 * not their whole subtree (issue 14 §4).
 */
const Row = memo(function Row({ rowRef, message, start, focused, day, showSender, unread }: RowProps): React.JSX.Element {
  return (
    <div ref={rowRef} className={`virtual-row${focused ? ' focused' : ''}`} style={{ transform: `translateY(${start}px)` }}>
      {day && (
        <div className="day-separator" role="separator">
          {formatDay(message.timestamp)}
        </div>
      )}
      {unread && (
        <div className="unread-separator" role="separator" id={`unread-${unread.chatId}`}>
          {strings.actions.unreadSeparator(unread.count)}
        </div>
      )}
      <MessageBubble message={message} showSender={showSender} />
    </div>
  )
}, sameRow)

function sameRow(a: RowProps, b: RowProps): boolean {
  return (
    a.rowRef === b.rowRef &&
    a.message === b.message &&
    a.start === b.start &&
    a.focused === b.focused &&
    a.day === b.day &&
    a.showSender === b.showSender &&
    a.unread?.chatId === b.unread?.chatId &&
    a.unread?.count === b.unread?.count
  )
}

/** The messages of a chat, virtualized: a chat of 100,000 messages keeps only what is near the viewport in the DOM. */
export function MessageList({ chatId }: { chatId: string }): React.JSX.Element {
  const entry = useApp((s) => s.messages[chatId])
  // A one-to-one chat has one other person: their name over each run of messages says nothing (as in Signal or WhatsApp).
  const named = useApp((s) => s.chats[chatId]?.kind !== 'direct')
  const focusId = useApp((s) => s.focusMessageId)
  const actions = useActions()
  const scroller = useRef<HTMLDivElement>(null)
  useSingleTabStop(scroller)
  const list = entry?.list ?? EMPTY
  const keyOf = useCallback((i: number) => list[i]!.id, [list])
  const v = useVirtualList(scroller, { count: list.length, keyOf, estimate: 44, stickToEnd: !entry?.hasNewer })

  // The unread separator (issue 12 §5): the chat's unread count as it was when it was opened
  // (reading it sets the count to 0), placed before the first of those messages once loaded.
  const store = useAppStore()
  const [unread, setUnread] = useState<{ chatId: string; count: number; anchor: string | null; seen: boolean } | null>(null)
  useEffect(() => {
    const count = store.getState().chats[chatId]?.unread ?? 0
    setUnread(count > 0 ? { chatId, count, anchor: null, seen: false } : null)
  }, [chatId, store])
  const ready = entry !== undefined && !entry.loading && list.length > 0
  useEffect(() => {
    if (!ready || !unread || unread.chatId !== chatId || unread.anchor !== null) return
    const anchor = firstUnreadId(list, unread.count)
    setUnread(anchor ? { ...unread, anchor } : null)
  }, [ready, unread, chatId, list])
  const anchor = unread?.chatId === chatId ? unread.anchor : null
  /** Whether the separator is on screen: then "jump to first unread" has done its job. */
  const checkSeen = useCallback(() => {
    const el = scroller.current
    if (!el || !anchor) return
    const row = el.querySelector(`[data-message-id="${CSS.escape(anchor)}"]`)
    if (!row) return
    const r = row.getBoundingClientRect()
    const box = el.getBoundingClientRect()
    if (r.bottom > box.top && r.top < box.bottom) setUnread((u) => (u && !u.seen ? { ...u, seen: true } : u))
  }, [anchor])
  useEffect(() => {
    if (anchor) requestAnimationFrame(checkSeen)
  }, [anchor, checkSeen, v.totalHeight])

  // A search hit is scrolled to once its window is loaded: only when the focus or the loaded
  // window changes, not on every measurement, so the list and the scroller are read through a ref.
  const latest = useRef({ list, v })
  latest.current = { list, v }
  const loaded = entry?.list !== undefined
  const firstId = list.length > 0 ? list[0]!.id : null
  useEffect(() => {
    const { list, v } = latest.current
    if (focusId && list.some((m) => m.id === focusId)) requestAnimationFrame(() => v.scrollToKey(focusId, 'center'))
  }, [focusId, loaded, firstId])

  /** The scroll position of the last scroll event, and in which chat: which way the view is moving. */
  const lastTop = useRef<{ chatId: string; top: number } | null>(null)
  const onScroll = (): void => {
    const el = scroller.current
    if (anchor && !unread?.seen) checkSeen()
    if (!el) return
    const top = el.scrollTop
    const before = lastTop.current?.chatId === chatId ? lastTop.current.top : top
    lastTop.current = { chatId, top }
    if (!entry || entry.loading) return
    if (top < (top < before ? PREFETCH_MOVING_PX : PREFETCH_PX) && entry.hasMore) void actions.loadOlder(chatId)
    else if (el.scrollHeight - top - el.clientHeight < (top > before ? PREFETCH_MOVING_PX : PREFETCH_PX) && entry.hasNewer) void actions.loadNewer(chatId)
  }

  return (
    <div className="message-scroller-wrap">
      {/* The log takes the arrow keys for the messages inside it, as a composite widget does. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
      <div
        ref={scroller}
        className="message-list"
        role="log"
        aria-label={strings.chat.messagesLabel}
        aria-live="polite"
        aria-busy={entry?.loading ?? true}
        // A scrolling region must be reachable from the keyboard (axe: scrollable-region-focusable);
        // from it the arrow keys move to the messages (issue 12 §4).
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={moveFocus}
        data-count={list.length}
      >
        {entry?.hasMore && entry.loading && <div className="list-status">{strings.chat.loadingOlder}</div>}
        {list.length === 0 && entry && !entry.loading && <p className="empty">{strings.chat.empty}</p>}
        <div className="virtual-space" style={{ height: v.totalHeight }}>
          {v.items.map(({ index, key, start }) => {
            const m = list[index]!
            const prev = list[index - 1]
            return (
              <Row
                key={key}
                rowRef={v.measure(key)}
                message={m}
                start={start}
                focused={m.id === focusId}
                day={!prev || !sameDay(prev.timestamp, m.timestamp)}
                showSender={named && startsGroup(prev, m)}
                unread={m.id === anchor && unread ? { chatId, count: unread.count } : null}
              />
            )
          })}
        </div>
      </div>
      {anchor && unread && !unread.seen && (
        <button
          type="button"
          className="jump-unread"
          onClick={() => {
            v.scrollToKey(anchor, 'start')
            setUnread({ ...unread, seen: true })
            // The button goes away under focus: focus goes to the first unread message, where the arrow keys go on.
            focusWhenShown(scroller.current, anchor)
          }}
        >
          {strings.actions.jumpToUnread(unread.count)}
        </button>
      )}
      <MessageDialogs chatId={chatId} />
      {(entry?.hasNewer || !v.atEnd) && list.length > 0 && (
        <button
          type="button"
          className="jump-latest"
          aria-label={strings.chat.jumpToLatest}
          title={strings.chat.jumpToLatest}
          onClick={() => (entry?.hasNewer ? void actions.openChat(chatId) : v.scrollToEnd())}
        >
          <Icon name="arrowDown" />
        </button>
      )}
    </div>
  )
}
