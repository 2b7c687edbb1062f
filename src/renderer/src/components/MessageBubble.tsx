import { memo, useCallback, useEffect, useState } from 'react'
import type { Message, MessageQuote } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { formatTime, messageGist } from '../format'
import { networkName } from '../networks'
import { strings } from '../strings'
import { describeReason } from '../words'
import { Icon } from './Icon'
import { LinkedText } from './LinkedText'
import { availableActions, menuItems, ReactionPopover, toggleReaction, useActionSetters, useCapabilities, useForwardTargets } from './MessageActions'
import { MessageMenu } from './MessageMenu'
import { AttachmentTile } from './AttachmentTile'
import { UploadProgress } from './UploadProgress'

const STATUS_MARK: Record<Message['status'], React.ReactNode> = {
  pending: <Icon name="clock" size={11} />,
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
  failed: '!'
}

/** How wide the picture will show (at most 320 px either way, as `.bubble .photo`), so its preview takes that place. */
export function previewWidth(media: Message['media']): number {
  const w = media?.width ?? 0
  const h = media?.height ?? 0
  if (w <= 0 || h <= 0) return 240
  return Math.round(Math.min(320, w, (320 * w) / h))
}

function MediaImage({ message }: { message: Message }): React.JSX.Element {
  const actions = useActions()
  const openDialog = useApp((s) => s.openDialog)
  const [loaded, setLoaded] = useState(false)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    setLoaded(false)
    setFailed(false)
  }, [message.id])
  const label = message.kind === 'sticker' ? strings.chat.sticker : strings.chat.image
  if (failed) return <span className="media-failed">{strings.chat.imageFailed}</span>
  const img = (
    <img
      className={`${message.kind === 'sticker' ? 'sticker' : 'photo'}${loaded ? '' : ' loading'}`}
      src={actions.mediaUrl(message.id)}
      alt={message.text || label}
      width={message.media?.width}
      height={message.media?.height}
      onLoad={() => setLoaded(true)}
      onError={() => setFailed(true)}
    />
  )
  if (message.kind === 'sticker') return img
  // The preview the message carried holds the picture's place, blurred, until the picture is there (WhatsApp §8.6).
  const thumbnail = !loaded && message.media?.thumbnail
  return (
    <button type="button" className="photo-button" aria-label={strings.chat.openImage} onClick={() => openDialog({ kind: 'image', messageId: message.id })}>
      {thumbnail && <img className="photo-preview" src={`data:image/jpeg;base64,${thumbnail}`} alt="" style={{ width: `${previewWidth(message.media)}px` }} />}
      {img}
    </button>
  )
}

/** The quoted message above a reply; a click shows the original (loading the history around it if needed). */
function Quote({ quote, chatId }: { quote: MessageQuote; chatId: string }): React.JSX.Element {
  const actions = useActions()
  const chatTitle = useApp((s) => s.chats[chatId]?.title ?? '')
  const loaded = useApp((s) => quote.messageId !== null && (s.messages[chatId]?.list.some((m) => m.id === quote.messageId) ?? false))
  const focused = useApp((s) => s.focusMessageId)
  const selectChat = useApp((s) => s.selectChat)
  // A quote of a message this computer does not have carries only what the wire did (LINE: its id alone).
  const unknown = quote.messageId === null
  const name = quote.fromMe ? strings.inbox.you : (quote.senderName ?? (unknown && quote.senderId === null ? strings.actions.earlierMessage : chatTitle))
  const body = quote.deleted
    ? strings.chat.deleted
    : unknown && quote.text === ''
      ? strings.actions.quoteMissing
      : messageGist(quote) || strings.actions.emptyMessage
  const content = (
    <>
      <span className="quote-sender">{name}</span>
      <span className="quote-text" dir="auto">
        {body}
      </span>
    </>
  )
  if (quote.messageId === null) {
    return (
      <div className="quote missing" title={strings.actions.quoteMissing}>
        {content}
      </div>
    )
  }
  const id = quote.messageId
  const jump = (): void => {
    if (!loaded) return void actions.openChat(chatId, id)
    // Already the focused message: focus it again so the list scrolls back to it.
    if (focused === id) {
      selectChat(chatId, null)
      window.setTimeout(() => selectChat(chatId, id), 0)
    } else selectChat(chatId, id)
  }
  return (
    // Named by what it shows (the sender and the quoted text); what a click does is its description.
    <button type="button" className="quote" title={strings.actions.showOriginal} onClick={jump}>
      {content}
    </button>
  )
}

function Reactions({ message, canReact }: { message: Message; canReact: boolean }): React.JSX.Element | null {
  const actions = useActions()
  if (message.reactions.length === 0 || message.deleted) return null
  return (
    <div className="reactions">
      {message.reactions.map((r) => {
        const label = strings.actions.reactionSummary(r.emoji, r.senderIds.length, r.own)
        const body = (
          <>
            <span className="reaction-emoji" aria-hidden="true">
              {r.emoji}
            </span>
            {r.senderIds.length > 1 && (
              <span className="reaction-count" aria-hidden="true">
                {r.senderIds.length}
              </span>
            )}
          </>
        )
        return canReact ? (
          <button
            key={r.emoji}
            type="button"
            className={`reaction${r.own ? ' own' : ''}`}
            aria-pressed={r.own}
            aria-label={`${label}. ${strings.actions.reactionToggle(r.emoji, r.own)}`}
            title={strings.actions.reactionToggle(r.emoji, r.own)}
            onClick={() => toggleReaction(actions, message, r.emoji)}
          >
            {body}
          </button>
        ) : (
          <span key={r.emoji} className={`reaction${r.own ? ' own' : ''}`} role="img" aria-label={label}>
            {body}
          </span>
        )
      })}
    </div>
  )
}

function ToolbarIcon({ d }: { d: string }): React.JSX.Element {
  return (
    <svg className="icon-svg" width={16} height={16} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={d} fill="currentColor" />
    </svg>
  )
}

const TOOLBAR_ICONS = {
  react:
    'M12 2a10 10 0 110 20 10 10 0 010-20zm0 2a8 8 0 100 16 8 8 0 000-16zm-3.5 5a1.5 1.5 0 110 3 1.5 1.5 0 010-3zm7 0a1.5 1.5 0 110 3 1.5 1.5 0 010-3zM7 14h10a5 5 0 01-10 0z',
  reply: 'M10 9V5l-7 7 7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11z',
  more: 'M5 10a2 2 0 110 4 2 2 0 010-4zm7 0a2 2 0 110 4 2 2 0 010-4zm7 0a2 2 0 110 4 2 2 0 010-4z'
} as const

export const MessageBubble = memo(function MessageBubble({ message, showSender }: { message: Message; showSender: boolean }) {
  const actions = useActions()
  // An emote reads in the third person: "* Alice waves", with our own account's name for ours.
  const selfName = useApp((s) => s.accounts[message.accountId]?.displayName ?? null)
  const network = useApp((s) => {
    const id = s.accounts[message.accountId]?.network
    return id ? networkName(s.networks, id) : strings.networkFallback
  })
  const caps = useCapabilities(message)
  const setters = useActionSetters()
  const forwardTargets = useForwardTargets()
  const can = availableActions(message, caps, Date.now(), forwardTargets)
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null)
  const [picker, setPicker] = useState(false)
  // The toolbar's buttons exist once the pointer or focus has reached the message (issue 14
  // §4): they were half of every row's DOM, built and laid out for each row a chat opens
  // with or scrolls past. Until then an empty box of their size keeps the row's layout.
  const [armed, setArmed] = useState(false)
  const arm = useCallback(() => setArmed(true), [])
  const closeMenu = useCallback(() => setMenu(null), [])
  const closePicker = useCallback(() => setPicker(false), [])

  const openMenuAt = (el: HTMLElement): void => {
    const r = el.getBoundingClientRect()
    setMenu({ x: message.fromMe ? r.right - 200 : r.left, y: r.bottom + 4 })
  }
  const toolbarShown = armed || menu !== null || picker
  const classes = ['message', message.fromMe ? 'mine' : 'theirs', `kind-${message.kind}`, `status-${message.status}`]
  if (message.deleted) classes.push('deleted')
  if (menu || picker) classes.push('acting')
  return (
    // The message is reachable from the list with the arrow keys; Shift+F10 or the menu key opens its actions.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <div
      className={classes.join(' ')}
      data-message-id={message.id}
      data-status={message.status}
      tabIndex={-1}
      onPointerEnter={armed ? undefined : arm}
      onFocus={armed ? undefined : arm}
      onContextMenu={(e) => {
        // A right-click on a link or a photo still acts on the message, as in other messengers.
        e.preventDefault()
        setPicker(false)
        setMenu({ x: e.clientX, y: e.clientY })
      }}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget) return
        if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
          e.preventDefault()
          openMenuAt(e.currentTarget)
        }
      }}
    >
      {showSender && !message.fromMe && message.kind !== 'system' && message.senderName && <div className="sender">{message.senderName}</div>}
      <div className="bubble-row">
        <div className="bubble">
          {message.replyTo && !message.deleted && <Quote quote={message.replyTo} chatId={message.chatId} />}
          {message.deleted ? (
            <em>{strings.chat.deleted}</em>
          ) : message.kind === 'emote' ? (
            <em className="emote" dir="auto">
              * {message.fromMe ? (selfName ?? strings.inbox.you) : (message.senderName ?? message.senderId)} {message.text}
            </em>
          ) : message.kind === 'file' ? (
            <AttachmentTile message={message} />
          ) : message.kind === 'image' || message.kind === 'sticker' ? (
            <>
              <MediaImage message={message} />
              {message.kind === 'image' && message.fromMe && message.status === 'pending' && <UploadProgress messageId={message.id} />}
              {message.text && message.kind === 'image' && <LinkedText className="caption" text={message.text} />}
            </>
          ) : message.kind === 'system' ? (
            <span className="system">{message.text}</span>
          ) : message.text === '' ? (
            // An empty message is not a deleted one (issue 12 §7).
            <em className="empty-message">{strings.actions.emptyMessage}</em>
          ) : (
            <LinkedText className="text" text={message.text} />
          )}
          <span className="meta">
            {message.e2ee && (
              <span className="e2ee" role="img" aria-label={strings.chat.e2ee} title={strings.chat.e2ee}>
                <Icon name="lock" size={11} />
              </span>
            )}
            {message.edited && !message.deleted && <span className="edited">{strings.chat.edited}</span>}
            <time dateTime={new Date(message.timestamp).toISOString()}>{formatTime(message.timestamp)}</time>
            {message.fromMe && (
              <span
                className={`status-mark status-${message.status}`}
                role="img"
                aria-label={strings.status[message.status]}
                title={strings.status[message.status]}
              >
                {STATUS_MARK[message.status]}
              </span>
            )}
          </span>
        </div>
        {message.kind !== 'system' && (
          <div
            className="message-toolbar"
            role="toolbar"
            aria-label={strings.actions.toolbar}
            style={toolbarShown ? undefined : ({ '--slots': 1 + Number(can.react) + Number(can.reply) } as React.CSSProperties)}
          >
            {toolbarShown && (
              <>
                {can.react && (
                  <button
                    type="button"
                    aria-label={strings.actions.react}
                    title={strings.actions.react}
                    aria-expanded={picker}
                    onClick={() => {
                      setMenu(null)
                      setPicker((p) => !p)
                    }}
                  >
                    <ToolbarIcon d={TOOLBAR_ICONS.react} />
                  </button>
                )}
                {can.reply && (
                  <button
                    type="button"
                    aria-label={strings.actions.reply}
                    title={strings.actions.reply}
                    onClick={() => setters.setComposeTarget(message.chatId, { mode: 'reply', message })}
                  >
                    <ToolbarIcon d={TOOLBAR_ICONS.reply} />
                  </button>
                )}
                <button
                  type="button"
                  aria-label={strings.actions.more}
                  title={strings.actions.more}
                  aria-haspopup="menu"
                  aria-expanded={menu !== null}
                  onClick={(e) => {
                    setPicker(false)
                    openMenuAt(e.currentTarget)
                  }}
                >
                  <ToolbarIcon d={TOOLBAR_ICONS.more} />
                </button>
              </>
            )}
          </div>
        )}
      </div>
      {picker && (
        <div className="reaction-popover">
          <ReactionPopover message={message} set={can.reactionSet} onClose={closePicker} />
        </div>
      )}
      <Reactions message={message} canReact={can.react} />
      {message.status === 'failed' && (
        <div className="failed-row" role="alert">
          <span>
            {message.error ? (message.error.reason ? describeReason(message.error.reason, network) : strings.errors[message.error.code]) : strings.chat.failed}
          </span>
          <button type="button" onClick={() => void actions.retry(message.id)}>
            {strings.chat.retry}
          </button>
        </div>
      )}
      {menu && (
        <MessageMenu
          label={strings.actions.menu}
          at={menu}
          onClose={closeMenu}
          items={menuItems(message, can, { openPicker: () => setPicker(true), setters })}
        />
      )}
    </div>
  )
})
