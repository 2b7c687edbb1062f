import type { Chat } from '../../../shared/model'
import type { Actions } from '../actions'
import { strings } from '../strings'
import { MessageMenu, type MenuItem } from './MessageMenu'

/**
 * The row actions of the chat list (issue 12 §5). Pinned, muted, archived and "mark as unread"
 * are Core's, per chat, and stay on this machine: no connector writes them back to its network yet.
 */
export function chatListMenuItems(chat: Chat, actions: Pick<Actions, 'updateChat' | 'markRead'>): MenuItem[] {
  return [
    { id: 'pin', label: chat.pinned ? strings.inbox.unpin : strings.inbox.pin, run: () => void actions.updateChat(chat.id, { pinned: !chat.pinned }) },
    { id: 'mute', label: chat.muted ? strings.inbox.unmute : strings.inbox.mute, run: () => void actions.updateChat(chat.id, { muted: !chat.muted }) },
    {
      id: 'archive',
      label: chat.archived ? strings.inbox.unarchive : strings.inbox.archive,
      run: () => void actions.updateChat(chat.id, { archived: !chat.archived })
    },
    chat.unread > 0
      ? { id: 'read', label: strings.inbox.markRead, run: () => actions.markRead(chat.id) }
      : { id: 'unread', label: strings.inbox.markUnread, run: () => void actions.updateChat(chat.id, { markUnread: true }) }
  ]
}

export function ChatListMenu({
  chat,
  actions,
  at,
  onClose
}: {
  chat: Chat
  actions: Pick<Actions, 'updateChat' | 'markRead'>
  at: { x: number; y: number }
  onClose(): void
}): React.JSX.Element {
  return <MessageMenu label={strings.inbox.menu(chat.title)} items={chatListMenuItems(chat, actions)} at={at} onClose={onClose} />
}
