import { memo, useEffect, useState } from 'react'
import type { Message } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { formatTime } from '../format'
import { strings } from '../strings'
import { Icon } from './Icon'
import { LinkedText } from './LinkedText'

const STATUS_MARK: Record<Message['status'], React.ReactNode> = {
  pending: <Icon name="clock" size={11} />,
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
  failed: '!'
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
  return (
    <button type="button" className="photo-button" aria-label={strings.chat.openImage} onClick={() => openDialog({ kind: 'image', messageId: message.id })}>
      {img}
    </button>
  )
}

export const MessageBubble = memo(function MessageBubble({ message, showSender }: { message: Message; showSender: boolean }) {
  const actions = useActions()
  // An emote reads in the third person: "* Alice waves", with our own account's name for ours.
  const selfName = useApp((s) => s.accounts[message.accountId]?.displayName ?? null)
  const classes = ['message', message.fromMe ? 'mine' : 'theirs', `kind-${message.kind}`, `status-${message.status}`]
  if (message.deleted) classes.push('deleted')
  return (
    <div className={classes.join(' ')} data-message-id={message.id} data-status={message.status}>
      {showSender && !message.fromMe && message.senderName && <div className="sender">{message.senderName}</div>}
      <div className="bubble">
        {message.deleted ? (
          <em>{strings.chat.deleted}</em>
        ) : message.kind === 'emote' ? (
          <em className="emote" dir="auto">
            * {message.fromMe ? (selfName ?? strings.inbox.you) : (message.senderName ?? message.senderId)} {message.text}
          </em>
        ) : message.kind === 'image' || message.kind === 'sticker' ? (
          <>
            <MediaImage message={message} />
            {message.text && message.kind === 'image' && <LinkedText className="caption" text={message.text} />}
          </>
        ) : message.kind === 'system' ? (
          <span className="system">{message.text}</span>
        ) : (
          <LinkedText className="text" text={message.text} />
        )}
        <span className="meta">
          {message.e2ee && (
            <span className="e2ee" role="img" aria-label={strings.chat.e2ee} title={strings.chat.e2ee}>
              <Icon name="lock" size={11} />
            </span>
          )}
          {message.edited && <span className="edited">{strings.chat.edited}</span>}
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
      {message.status === 'failed' && (
        <div className="failed-row" role="alert">
          <span>{message.error ?? strings.chat.failed}</span>
          <button type="button" onClick={() => void actions.retry(message.id)}>
            {strings.chat.retry}
          </button>
        </div>
      )}
    </div>
  )
})
