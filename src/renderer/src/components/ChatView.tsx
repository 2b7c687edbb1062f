import { useEffect, useLayoutEffect, useRef } from 'react'
import type { Message } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { formatDay, sameDay } from '../format'
import { strings } from '../strings'
import { Composer } from './Composer'
import { MessageBubble } from './MessageBubble'
import { NetworkMark } from './NetworkMark'

const GROUP_GAP_MS = 5 * 60_000

function startsGroup(prev: Message | undefined, m: Message): boolean {
  return !prev || prev.senderId !== m.senderId || m.timestamp - prev.timestamp > GROUP_GAP_MS || !sameDay(prev.timestamp, m.timestamp)
}

function TypingIndicator({ chatId }: { chatId: string }): React.JSX.Element | null {
  const typing = useApp((s) => s.typing[chatId])
  const setTyping = useApp((s) => s.setTyping)
  useEffect(() => {
    if (!typing) return
    const t = window.setTimeout(() => setTyping(chatId, null), Math.max(0, typing.until - Date.now()))
    return () => window.clearTimeout(t)
  }, [typing, chatId, setTyping])
  return (
    <div className="typing" role="status" aria-live="polite">
      {typing ? strings.chat.typing(typing.senderName) : ''}
    </div>
  )
}

function MessageList({ chatId }: { chatId: string }): React.JSX.Element {
  const entry = useApp((s) => s.messages[chatId])
  const actions = useActions()
  const scroller = useRef<HTMLDivElement>(null)
  const stickToBottom = useRef(true)
  const list = entry?.list ?? []

  // Stay at the bottom as messages arrive, unless the person scrolled up to read.
  useLayoutEffect(() => {
    const el = scroller.current
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight
  }, [list])

  return (
    <div
      ref={scroller}
      className="message-list"
      role="log"
      aria-label={strings.chat.messagesLabel}
      aria-live="polite"
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40
        if (el.scrollTop < 80) void actions.loadOlder(chatId)
      }}
    >
      {entry?.hasMore && (
        <button type="button" className="load-older" disabled={entry.loading} onClick={() => void actions.loadOlder(chatId)}>
          {entry.loading ? strings.chat.loadingOlder : strings.chat.loadOlder}
        </button>
      )}
      {list.length === 0 && !entry?.loading && <p className="empty">{strings.chat.empty}</p>}
      {list.map((m, i) => {
        const prev = list[i - 1]
        const newDay = !prev || !sameDay(prev.timestamp, m.timestamp)
        return (
          <div key={m.id}>
            {newDay && (
              <div className="day-separator" role="separator">
                {formatDay(m.timestamp)}
              </div>
            )}
            <MessageBubble message={m} showSender={startsGroup(prev, m)} />
          </div>
        )
      })}
    </div>
  )
}

export function ChatView(): React.JSX.Element {
  const chatId = useApp((s) => s.selectedChatId)
  const chat = useApp((s) => (s.selectedChatId ? s.chats[s.selectedChatId] : undefined))
  const account = useApp((s) => (chat ? s.accounts[chat.accountId] : undefined))
  const actions = useActions()

  // New messages in the open chat are read as they arrive, while the window has focus.
  useEffect(() => {
    if (chat && chat.unread > 0 && document.hasFocus()) actions.markRead(chat.id)
  }, [chat, actions])

  if (!chatId || !chat) {
    return (
      <main className="chat-view empty-state">
        <p>{strings.chat.noneSelected}</p>
      </main>
    )
  }
  const offline = account && account.status.state !== 'online'
  return (
    <main className="chat-view" aria-label={chat.title}>
      <header className="chat-header">
        <NetworkMark network={chat.network} size="large" />
        <h1>{chat.title}</h1>
        {account && <span className="chat-account">{account.displayName}</span>}
      </header>
      {offline && (
        <p className="offline-notice" role="status">
          {strings.chat.offlineNotice}
        </p>
      )}
      <MessageList chatId={chat.id} />
      <TypingIndicator chatId={chat.id} />
      <Composer chat={chat} />
    </main>
  )
}
