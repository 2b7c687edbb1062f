import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { Chat, InboxFilter } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { formatInboxTime, messageGist } from '../format'
import { sortedAccounts } from '../state/accounts'
import { compareChats, visibleChats } from '../state/inbox'
import { strings } from '../strings'
import { Icon } from './Icon'
import { needsAttention, useStatusText } from './AccountDialog'
import { NetworkMark } from './NetworkMark'
import { ContactRequests } from './ContactRequests'
import { useVirtualList } from './virtual'
import { ChatListMenu } from './ChatListMenu'
import { Avatar } from './Avatar'
import { chatTitle } from './display-id'
import { accountName, accountNetworkName } from '../account-name'
import { focusLost } from './focus'

export function previewText(chat: Chat, selfName: string | null = null): string {
  const p = chat.preview
  if (!p) return ''
  if (p.kind === 'emote' && p.text !== '') return `* ${p.fromMe ? (selfName ?? strings.inbox.you) : (p.senderName ?? chat.title)} ${p.text}`
  // Only a real deletion reads "Message deleted"; an empty message (or a file, named by its text) does not (issue 12 §7).
  const body = p.deleted ? strings.preview.deleted : messageGist(p)
  // A system line ("You sent a nudge.") names its subject itself.
  const who = p.kind === 'system' ? null : p.fromMe ? strings.inbox.you : chat.kind === 'group' ? p.senderName : null
  return who ? `${who}: ${body}` : body
}

const ChatRow = memo(function ChatRow({
  chat,
  selected,
  accountColor,
  selfName,
  onOpen,
  onHover,
  onMenu
}: {
  chat: Chat
  selected: boolean
  accountColor: string
  selfName: string | null
  onOpen(id: string): void
  onHover(id: string): void
  onMenu(id: string, at: { x: number; y: number }): void
}) {
  return (
    <button
      type="button"
      className={`chat-row${selected ? ' selected' : ''}${chat.unread > 0 ? ' unread' : ''}`}
      aria-current={selected ? 'true' : undefined}
      aria-haspopup="menu"
      onClick={() => onOpen(chat.id)}
      onPointerEnter={() => onHover(chat.id)}
      onContextMenu={(e) => {
        e.preventDefault()
        onMenu(chat.id, { x: e.clientX, y: e.clientY })
      }}
      onKeyDown={(e) => {
        // The keyboard's way to the row actions: the Menu key or Shift+F10, at the row.
        if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
          e.preventDefault()
          const r = e.currentTarget.getBoundingClientRect()
          onMenu(chat.id, { x: r.left + 24, y: r.bottom - 8 })
        }
      }}
      data-chat-id={chat.id}
      style={{ ['--account-color' as string]: accountColor }}
    >
      <span className="chat-avatar">
        <Avatar
          name={chatTitle(chat)}
          id={`${chat.accountId}/${chat.remoteId}`}
          size={36}
          picture={{ accountId: chat.accountId, remoteId: chat.remoteId, version: chat.avatar }}
        />
        <NetworkMark network={chat.network} accountId={chat.accountId} />
      </span>
      <span className="chat-row-main">
        <span className="chat-row-top">
          <span className="chat-title">{chatTitle(chat)}</span>
          {chat.pinned && (
            <span className="chat-flag" role="img" aria-label={strings.inbox.pinned} title={strings.inbox.pinned}>
              <Icon name="pin" size={12} />
            </span>
          )}
          {chat.muted && (
            <span className="chat-flag" role="img" aria-label={strings.inbox.muted} title={strings.inbox.muted}>
              <Icon name="bellOff" size={12} />
            </span>
          )}
          <time className="chat-time" dateTime={new Date(chat.lastActivity).toISOString()}>
            {formatInboxTime(chat.lastActivity)}
          </time>
        </span>
        <span className="chat-row-bottom">
          <span className="chat-preview">{chat.draft ? `✎ ${chat.draft}` : previewText(chat, selfName)}</span>
          {chat.unread > 0 && (
            <span className={`unread-badge${chat.muted ? ' muted' : ''}`} aria-label={strings.inbox.unreadBadge(chat.unread)}>
              {chat.unread}
            </span>
          )}
        </span>
      </span>
    </button>
  )
})

function AttentionRow({ accountId }: { accountId: string }): React.JSX.Element | null {
  const account = useApp((s) => s.accounts[accountId])
  const networks = useApp((s) => s.networks)
  const openDialog = useApp((s) => s.openDialog)
  const actions = useActions()
  const status = useStatusText(account)
  if (!account) return null
  return (
    <li className={`attention status-text-${account.status.state}`}>
      <span>{strings.account.attention(accountName(account), accountNetworkName(networks, account), status)}</span>
      {account.status.state === 'offline' && (
        <button type="button" onClick={() => actions.reconnectAccount(account.id)}>
          {strings.reconnectNow}
        </button>
      )}
      <button type="button" onClick={() => openDialog({ kind: 'add-account', network: account.network, reloginAccountId: account.id })}>
        {strings.account.logInAgain}
      </button>
    </li>
  )
}

function FilterBar(): React.JSX.Element {
  const filter = useApp((s) => s.filter)
  const account = useApp((s) => (s.filter.kind === 'account' ? s.accounts[s.filter.accountId] : undefined))
  const openDialog = useApp((s) => s.openDialog)
  const actions = useActions()
  const status = useStatusText(account)
  if (account) {
    return (
      <div className="filter-bar account-filter">
        <NetworkMark network={account.network} accountId={account.id} />
        <span className="filter-account">
          <strong>{account.displayName}</strong>
          <span className="hint">{status}</span>
        </span>
        <button type="button" onClick={() => openDialog({ kind: 'account', accountId: account.id })}>
          {strings.rail.label}
        </button>
      </div>
    )
  }
  const tabs: [InboxFilter['kind'], string][] = [
    ['all', strings.filters.all],
    ['unread', strings.filters.unread],
    ['archived', strings.filters.archived]
  ]
  return (
    <div className="filter-bar" role="group" aria-label={strings.filters.label}>
      {tabs.map(([kind, label]) => (
        <button
          key={kind}
          type="button"
          aria-pressed={filter.kind === kind}
          className={filter.kind === kind ? 'active' : ''}
          onClick={() => void actions.setFilter({ kind } as InboxFilter)}
        >
          {label}
        </button>
      ))}
    </div>
  )
}

export function Inbox(): React.JSX.Element {
  const filter = useApp((s) => s.filter)
  // visibleChats is memoized, so an unrelated store change returns the same array and renders nothing.
  const shown = useApp((s) => visibleChats(s.chats, s.filter))
  const allChats = useApp((s) => s.chats)
  const [query, setQuery] = useState('')
  const q = query.trim().toLowerCase()
  // Searching looks through every loaded chat (archived ones too) by title, in inbox order.
  // Not visibleChats (memoized on one filter, which the inbox selector above uses).
  const chats = useMemo(
    () =>
      q === ''
        ? shown
        : Object.values(allChats)
            .filter((c) => c.title.toLowerCase().includes(q))
            .sort(compareChats),
    [q, shown, allChats]
  )
  const [menu, setMenu] = useState<{ chatId: string; at: { x: number; y: number } } | null>(null)
  const menuChat = useApp((s) => (menu ? s.chats[menu.chatId] : undefined))
  const closeMenu = useCallback(() => setMenu(null), [])
  const openMenu = useCallback((chatId: string, at: { x: number; y: number }) => setMenu({ chatId, at }), [])
  const searchBox = useRef<HTMLInputElement>(null)
  const focusRequest = useApp((s) => s.listSearchFocus)
  useEffect(() => {
    if (focusRequest > 0) searchBox.current?.focus()
  }, [focusRequest])
  const selected = useApp((s) => s.selectedChatId)
  const openDialog = useApp((s) => s.openDialog)
  const hasAccounts = useApp((s) => Object.keys(s.accounts).length > 0)
  const troubled = useApp(
    useShallow((s) =>
      sortedAccounts(s.accounts)
        .filter(needsAttention)
        .map((a) => a.id)
    )
  )
  const colors = useApp(useShallow((s) => Object.fromEntries(Object.values(s.accounts).map((a) => [a.id, a.color]))))
  const names = useApp(useShallow((s) => Object.fromEntries(Object.values(s.accounts).map((a) => [a.id, a.displayName]))))
  const more = useApp((s) => s.inboxNext !== null)
  const actions = useActions()
  const scroller = useRef<HTMLDivElement>(null)
  // The row with focus, and the list it was in: when it leaves the list (archived, or no longer
  // matching the filter), focus goes to the row that took its place, or to the search box when
  // none is left, instead of to nowhere.
  const focusedRow = useRef<string | null>(null)
  const shownBefore = useRef(chats)
  useEffect(() => {
    const id = focusedRow.current
    const before = shownBefore.current
    shownBefore.current = chats
    if (id === null || !focusLost() || chats.some((c) => c.id === id)) return
    focusedRow.current = null
    const gone = before.findIndex((c) => c.id === id)
    const at = gone < 0 ? 0 : gone
    const next = chats[Math.min(at, chats.length - 1)]
    if (next) scroller.current?.querySelector<HTMLElement>(`[data-chat-id="${CSS.escape(next.id)}"]`)?.focus()
    else searchBox.current?.focus()
  }, [chats])
  const keyOf = useCallback((i: number) => chats[i]!.id, [chats])
  const v = useVirtualList(scroller, { count: chats.length, keyOf, estimate: 62, overscan: 400 })
  const setDrawerOpen = useApp((s) => s.setDrawerOpen)
  // Opening a chat from the drawer (a narrow window) closes the drawer over it.
  const open = useCallback(
    (id: string) => {
      setDrawerOpen(false)
      void actions.openChat(id)
    },
    [actions, setDrawerOpen]
  )
  // An account with no chats yet (a Messenger contact list, a new number): the palette finds its contacts.
  const noChatsYet = hasAccounts && q === '' && filter.kind !== 'unread' && filter.kind !== 'archived'
  const empty = !hasAccounts
    ? strings.inbox.emptyNoAccounts
    : q !== ''
      ? strings.inbox.noMatches(query.trim())
      : filter.kind === 'unread'
        ? strings.inbox.emptyUnread
        : filter.kind === 'archived'
          ? strings.inbox.emptyArchived
          : strings.inbox.empty

  return (
    <section className="inbox" aria-label={strings.inbox.label}>
      {troubled.length > 0 && (
        <ul className="attention-list" aria-label={strings.account.status}>
          {troubled.map((id) => (
            <AttentionRow key={id} accountId={id} />
          ))}
        </ul>
      )}
      {hasAccounts && (
        <div className="chat-list-search" role="search">
          <input
            ref={searchBox}
            type="search"
            value={query}
            aria-label={strings.inbox.search}
            placeholder={strings.inbox.searchPlaceholder}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && query !== '') {
                e.stopPropagation()
                setQuery('')
              } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
                const first = chats[0]
                if (e.key === 'Enter' && first) open(first.id)
                else scroller.current?.querySelector<HTMLButtonElement>('.chat-row')?.focus()
                e.preventDefault()
              }
            }}
          />
        </div>
      )}
      {hasAccounts && <FilterBar />}
      {hasAccounts && <ContactRequests />}
      <div
        ref={scroller}
        className="chat-scroller"
        data-count={chats.length}
        onFocus={(e) => {
          focusedRow.current = (e.target as HTMLElement).dataset.chatId ?? null
        }}
        onBlur={(e) => {
          // Focus moved on (to the row's menu, another control, or away with a click) forgets the row; only a row
          // removed under focus is remembered, for the effect above.
          if (e.relatedTarget || (e.target as HTMLElement).isConnected) focusedRow.current = null
        }}
        onScroll={(e) => {
          const el = e.currentTarget
          if (more && el.scrollHeight - el.scrollTop - el.clientHeight < 600) void actions.loadMoreChats()
        }}
      >
        {chats.length === 0 ? (
          <div className="empty">
            <p>{empty}</p>
            {/* A first start: the way in where the eye already is, not only the rail's small "+". */}
            {!hasAccounts && (
              <button type="button" className="primary" onClick={() => openDialog({ kind: 'add-account', network: null, reloginAccountId: null })}>
                {strings.inbox.addFirstAccount}
              </button>
            )}
            {noChatsYet && (
              <>
                <p>{strings.inbox.emptyHint}</p>
                <button type="button" className="primary" onClick={() => openDialog({ kind: 'palette' })}>
                  {strings.inbox.startChat}
                </button>
              </>
            )}
          </div>
        ) : (
          <ul className="chat-list virtual-space" aria-label={strings.inbox.label} style={{ height: v.totalHeight }}>
            {v.items.map(({ index, key, start }) => {
              const c = chats[index]!
              return (
                <li key={key} ref={v.measure(key)} className="virtual-row" style={{ transform: `translateY(${start}px)` }}>
                  <ChatRow
                    chat={c}
                    selected={c.id === selected}
                    accountColor={colors[c.accountId] ?? 'transparent'}
                    selfName={names[c.accountId] ?? null}
                    onOpen={open}
                    onHover={actions.prefetch}
                    onMenu={openMenu}
                  />
                </li>
              )
            })}
          </ul>
        )}
      </div>
      {menu && menuChat && <ChatListMenu chat={menuChat} actions={actions} at={menu.at} onClose={closeMenu} />}
    </section>
  )
}
