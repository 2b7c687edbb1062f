import type { ComposeTarget } from '../state/messages'
import { useApp } from '../context'
import { messageGist } from '../format'
import { strings } from '../strings'

/** Above the composer: the message being replied to or edited, and a way out (also Esc). */
export function ReplyBar({ chatId, target, onCancel }: { chatId: string; target: ComposeTarget; onCancel(): void }): React.JSX.Element {
  const chatTitle = useApp((s) => s.chats[chatId]?.title ?? '')
  const m = target.message
  const name = m.fromMe ? strings.inbox.you : (m.senderName ?? chatTitle)
  const text = messageGist(m) || strings.actions.emptyMessage
  const cancel = target.mode === 'reply' ? strings.actions.cancelReply : strings.actions.cancelEdit
  return (
    <div className={`reply-bar mode-${target.mode}`} role="status">
      <div className="reply-bar-body">
        <span className="reply-bar-title">{target.mode === 'reply' ? strings.actions.replyingTo(name) : strings.actions.editing}</span>
        <span className="reply-bar-text" dir="auto">
          {text}
        </span>
      </div>
      <button type="button" className="reply-bar-cancel" aria-label={cancel} title={cancel} onClick={onCancel}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  )
}
