import { useCallback, useEffect, useRef } from 'react'
import type { Message } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { formatDay, sameDay } from '../format'
import { strings } from '../strings'
import { Icon } from './Icon'
import { MessageBubble } from './MessageBubble'
import { useVirtualList } from './virtual'

const GROUP_GAP_MS = 5 * 60_000
/** Start loading the next page this far (in pixels) before the edge is reached. */
const PREFETCH_PX = 1_200

function startsGroup(prev: Message | undefined, m: Message): boolean {
  return !prev || prev.senderId !== m.senderId || m.timestamp - prev.timestamp > GROUP_GAP_MS || !sameDay(prev.timestamp, m.timestamp)
}

const EMPTY: Message[] = []

/** The messages of a chat, virtualized: a chat of 100,000 messages keeps only what is near the viewport in the DOM. */
export function MessageList({ chatId }: { chatId: string }): React.JSX.Element {
  const entry = useApp((s) => s.messages[chatId])
  const focusId = useApp((s) => s.focusMessageId)
  const actions = useActions()
  const scroller = useRef<HTMLDivElement>(null)
  const list = entry?.list ?? EMPTY
  const keyOf = useCallback((i: number) => list[i]!.id, [list])
  const v = useVirtualList(scroller, { count: list.length, keyOf, estimate: 44, stickToEnd: !entry?.hasNewer })

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

  const onScroll = (): void => {
    const el = scroller.current
    if (!el || !entry || entry.loading) return
    if (el.scrollTop < PREFETCH_PX && entry.hasMore) void actions.loadOlder(chatId)
    else if (el.scrollHeight - el.scrollTop - el.clientHeight < PREFETCH_PX && entry.hasNewer) void actions.loadNewer(chatId)
  }

  return (
    <div className="message-scroller-wrap">
      <div
        ref={scroller}
        className="message-list"
        role="log"
        aria-label={strings.chat.messagesLabel}
        aria-live="polite"
        aria-busy={entry?.loading ?? true}
        // A scrolling region must be reachable from the keyboard (axe: scrollable-region-focusable).
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        onScroll={onScroll}
        data-count={list.length}
      >
        {entry?.hasMore && entry.loading && <div className="list-status">{strings.chat.loadingOlder}</div>}
        {list.length === 0 && entry && !entry.loading && <p className="empty">{strings.chat.empty}</p>}
        <div className="virtual-space" style={{ height: v.totalHeight }}>
          {v.items.map(({ index, key, start }) => {
            const m = list[index]!
            const prev = list[index - 1]
            return (
              <div
                key={key}
                ref={v.measure(key)}
                className={`virtual-row${m.id === focusId ? ' focused' : ''}`}
                style={{ transform: `translateY(${start}px)` }}
              >
                {(!prev || !sameDay(prev.timestamp, m.timestamp)) && (
                  <div className="day-separator" role="separator">
                    {formatDay(m.timestamp)}
                  </div>
                )}
                <MessageBubble message={m} showSender={startsGroup(prev, m)} />
              </div>
            )
          })}
        </div>
      </div>
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
