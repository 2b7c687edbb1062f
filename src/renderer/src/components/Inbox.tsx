import { memo } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { Chat } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { formatInboxTime } from '../format'
import { visibleChats } from '../state/inbox'
import { strings } from '../strings'
import { NetworkMark } from './NetworkMark'

export function previewText(chat: Chat): string {
  const p = chat.preview
  if (!p) return ''
  const body =
    p.text !== ''
      ? p.text
      : p.kind === 'image'
        ? strings.preview.image
        : p.kind === 'sticker'
          ? strings.preview.sticker
          : strings.preview.deleted
  const who = p.fromMe ? strings.inbox.you : chat.kind === 'group' ? p.senderName : null
  return who ? `${who}: ${body}` : body
}

const ChatRow = memo(function ChatRow({ chat, selected, accountColor, onOpen }: { chat: Chat; selected: boolean; accountColor: string; onOpen(id: string): void }) {
  return (
    <li>
      <button
        type="button"
        className={`chat-row${selected ? ' selected' : ''}${chat.unread > 0 ? ' unread' : ''}`}
        aria-current={selected ? 'true' : undefined}
        onClick={() => onOpen(chat.id)}
        data-chat-id={chat.id}
        style={{ ['--account-color' as string]: accountColor }}
      >
        <NetworkMark network={chat.network} />
        <span className="chat-row-main">
          <span className="chat-row-top">
            <span className="chat-title">{chat.title}</span>
            <time className="chat-time" dateTime={new Date(chat.lastActivity).toISOString()}>
              {formatInboxTime(chat.lastActivity)}
            </time>
          </span>
          <span className="chat-row-bottom">
            <span className="chat-preview">{chat.draft ? `✎ ${chat.draft}` : previewText(chat)}</span>
            {chat.unread > 0 && (
              <span className="unread-badge" aria-label={strings.inbox.unreadBadge(chat.unread)}>
                {chat.unread}
              </span>
            )}
          </span>
        </span>
      </button>
    </li>
  )
})

export function Inbox(): React.JSX.Element {
  const filter = useApp((s) => s.filter)
  const chats = useApp(useShallow((s) => visibleChats(s.chats, s.filter)))
  const selected = useApp((s) => s.selectedChatId)
  const hasAccounts = useApp((s) => Object.keys(s.accounts).length > 0)
  const colors = useApp(useShallow((s) => Object.fromEntries(Object.values(s.accounts).map((a) => [a.id, a.color]))))
  const more = useApp((s) => s.inboxNext !== null)
  const actions = useActions()
  void filter
  return (
    <section className="inbox" aria-label={strings.inbox.label}>
      {chats.length === 0 ? (
        <p className="empty">{hasAccounts ? strings.inbox.empty : strings.inbox.emptyNoAccounts}</p>
      ) : (
        <ul className="chat-list">
          {chats.map((c) => (
            <ChatRow key={c.id} chat={c} selected={c.id === selected} accountColor={colors[c.accountId] ?? 'transparent'} onOpen={(id) => void actions.openChat(id)} />
          ))}
        </ul>
      )}
      {more && (
        <button type="button" className="load-more" onClick={() => void actions.loadMoreChats()}>
          {strings.inbox.loadMore}
        </button>
      )}
    </section>
  )
}
