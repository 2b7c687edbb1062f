import { useEffect, useRef, useState } from 'react'
import { useActions, useApp } from '../context'
import { strings } from '../strings'
import { Icon, type IconName } from './Icon'
import { ChatSearch } from './ChatSearch'
import { ChatInfoButton, ChatInfoPanel } from './ChatInfoPanel'
import { Composer } from './Composer'
import { MessageList } from './MessageList'
import { Avatar } from './Avatar'
import { chatTitle } from './display-id'
import { NetworkMark } from './NetworkMark'
import { useCountdown } from './useCountdown'
import { useAttachmentDrop } from './useAttachments'
import { useAccountCapabilities } from '../networks'
import { accountName } from '../account-name'

function TypingIndicator({ chatId }: { chatId: string }): React.JSX.Element {
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

function Toggle({
  on,
  onLabel,
  offLabel,
  icon,
  onToggle
}: {
  on: boolean
  onLabel: string
  offLabel: string
  icon: IconName
  onToggle(): void
}): React.JSX.Element {
  return (
    <button
      type="button"
      className={`icon-toggle${on ? ' on' : ''}`}
      aria-pressed={on}
      aria-label={on ? onLabel : offLabel}
      title={on ? onLabel : offLabel}
      onClick={onToggle}
    >
      <Icon name={icon} />
    </button>
  )
}

function OfflineNotice({ accountId }: { accountId: string }): React.JSX.Element | null {
  const status = useApp((s) => s.accounts[accountId]?.status)
  const seconds = useCountdown(status?.state === 'reconnecting' ? status.retryAt : null)
  if (!status || status.state === 'online') return null
  const state = status.state === 'reconnecting' && seconds !== null ? strings.reconnectingIn(seconds) : strings.connection[status.state]
  return (
    <p className="offline-notice" role="status">
      {state}
      {status.reason ? ` — ${status.reason}` : ''}. {strings.chat.offlineNotice}
    </p>
  )
}

export function ChatView(): React.JSX.Element {
  const chatId = useApp((s) => s.selectedChatId)
  const chat = useApp((s) => (s.selectedChatId ? s.chats[s.selectedChatId] : undefined))
  const account = useApp((s) => (chat ? s.accounts[chat.accountId] : undefined))
  const searchOpen = useApp((s) => s.chatSearchOpen)
  const setSearchOpen = useApp((s) => s.setChatSearchOpen)
  const drawerOpen = useApp((s) => s.drawerOpen)
  const setDrawerOpen = useApp((s) => s.setDrawerOpen)
  const actions = useActions()
  const capabilities = useAccountCapabilities(chat?.accountId, chat?.network)
  // Files dropped anywhere on the chat are sent, where its network can send them (issue 12 §2).
  const drop = useAttachmentDrop(chat)
  // The info panel (issue 12 §5) closes on a chat change; Esc in it gives focus back to its button.
  const [infoFor, setInfoFor] = useState<string | null>(null)
  const infoButton = useRef<HTMLButtonElement>(null)
  const infoOpen = chat !== undefined && infoFor === chat.id
  const closeInfo = (): void => {
    setInfoFor(null)
    infoButton.current?.focus()
  }

  // New messages in the open chat are read as they arrive, while the window has focus.
  useEffect(() => {
    if (chat && chat.unread > 0 && document.hasFocus()) actions.markRead(chat.id)
  }, [chat, actions])

  if (!chatId || !chat) {
    return (
      <main className="chat-view empty-state" aria-label={strings.chat.noneSelected}>
        <p>{strings.chat.noneSelected}</p>
      </main>
    )
  }
  return (
    <main className={`chat-view${drop.dragging ? ' dropping' : ''}`} aria-label={chat.title} {...drop.handlers}>
      {drop.dragging && (
        <div className="drop-overlay" aria-hidden="true">
          {drop.overlay}
        </div>
      )}
      <header className="chat-header">
        <button
          type="button"
          className="icon-toggle drawer-toggle"
          aria-label={strings.chat.showChats}
          title={strings.chat.showChats}
          aria-expanded={drawerOpen}
          onClick={() => setDrawerOpen(!drawerOpen)}
        >
          <Icon name="menu" />
        </button>
        <span className="chat-avatar">
          <Avatar
            name={chatTitle(chat)}
            id={`${chat.accountId}/${chat.remoteId}`}
            size={36}
            picture={{ accountId: chat.accountId, remoteId: chat.remoteId, version: chat.avatar }}
          />
          <NetworkMark network={chat.network} accountId={chat.accountId} />
        </span>
        <div className="chat-header-title">
          <h1>{chatTitle(chat)}</h1>
          {account && <span className="chat-account">{accountName(account)}</span>}
        </div>
        <div className="chat-actions" role="toolbar" aria-label={chat.title}>
          <Toggle
            on={chat.pinned}
            onLabel={strings.chat.unpin}
            offLabel={strings.chat.pin}
            icon="pin"
            onToggle={() => void actions.updateChat(chat.id, { pinned: !chat.pinned })}
          />
          <Toggle
            on={chat.muted}
            onLabel={strings.chat.unmute}
            offLabel={strings.chat.mute}
            icon="bellOff"
            onToggle={() => void actions.updateChat(chat.id, { muted: !chat.muted })}
          />
          <Toggle
            on={chat.archived}
            onLabel={strings.chat.unarchive}
            offLabel={strings.chat.archive}
            icon="archive"
            onToggle={() => void actions.updateChat(chat.id, { archived: !chat.archived })}
          />
          {capabilities?.nudges === true && chat.kind === 'direct' && (
            <button
              type="button"
              className="icon-toggle"
              aria-label={strings.chat.nudge}
              title={strings.chat.nudge}
              onClick={() => void actions.sendNudge(chat.id)}
            >
              <Icon name="nudge" />
            </button>
          )}
          <button
            type="button"
            className="icon-toggle"
            aria-label={strings.chat.searchInChat}
            title={strings.chat.searchInChat}
            aria-expanded={searchOpen}
            onClick={() => setSearchOpen(!searchOpen)}
          >
            <Icon name="search" />
          </button>
          <ChatInfoButton ref={infoButton} open={infoOpen} onToggle={() => (infoOpen ? closeInfo() : setInfoFor(chat.id))} />
        </div>
      </header>
      {infoOpen && <ChatInfoPanel key={chat.id} chat={chat} onClose={closeInfo} />}
      {searchOpen && <ChatSearch chatId={chat.id} />}
      <OfflineNotice accountId={chat.accountId} />
      <MessageList chatId={chat.id} />
      <TypingIndicator chatId={chat.id} />
      <Composer chat={chat} />
    </main>
  )
}
