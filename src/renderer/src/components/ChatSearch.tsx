import { useEffect, useRef, useState } from 'react'
import type { SearchHit } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { formatInboxTime } from '../format'
import { strings } from '../strings'
import { focusLost, restoreFocus } from './focus'
import { Snippet } from './Snippet'

/** Ctrl+F: search within the open chat; choosing a hit scrolls to it. */
export function ChatSearch({ chatId }: { chatId: string }): React.JSX.Element {
  const actions = useActions()
  const close = useApp((s) => s.setChatSearchOpen)
  const [query, setQuery] = useState('')
  const [hits, setHits] = useState<SearchHit[] | null>(null)
  const input = useRef<HTMLInputElement>(null)

  // Esc or × closes the search: focus goes back where Ctrl+F or the header's button found it, not nowhere.
  useEffect(() => {
    const before = document.activeElement
    input.current?.focus()
    return () => {
      if (focusLost()) restoreFocus(before)
    }
  }, [])
  useEffect(() => {
    if (query.trim() === '') return setHits(null)
    let live = true
    const t = window.setTimeout(() => {
      actions.search(query, { chatId }).then((r) => live && setHits(r), actions.report)
    }, 150)
    return () => {
      live = false
      window.clearTimeout(t)
    }
  }, [query, chatId, actions])

  return (
    <div className="chat-search" role="search" aria-label={strings.chatSearch.label}>
      <div className="chat-search-bar">
        <input
          ref={input}
          type="search"
          value={query}
          placeholder={strings.chatSearch.placeholder}
          aria-label={strings.chatSearch.placeholder}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault()
              e.stopPropagation()
              close(false)
            }
            if (e.key === 'Enter' && hits?.[0]) void actions.openChat(chatId, hits[0].messageId)
          }}
        />
        {hits && (
          <span className="chat-search-count" role="status">
            {strings.chatSearch.results(hits.length)}
          </span>
        )}
        <button type="button" className="icon" aria-label={strings.chatSearch.close} onClick={() => close(false)}>
          ×
        </button>
      </div>
      {hits && hits.length === 0 && <p className="empty">{strings.chatSearch.none}</p>}
      {hits && hits.length > 0 && (
        <ul className="chat-search-hits">
          {hits.map((h) => (
            <li key={h.messageId}>
              <button type="button" onClick={() => void actions.openChat(chatId, h.messageId)}>
                <Snippet text={h.snippet} />
                <time>{formatInboxTime(h.timestamp)}</time>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
