import type { ApiEvents } from '../../shared/api'
import type { Chat, Message } from '../../shared/model'
import type { AccountRow } from './store/rows'

/** A desktop notification for a new message from someone else, unless its chat or account is muted (or the chat archived). */
export function notificationOf(message: Message, chat: Chat | undefined, account: AccountRow | undefined): ApiEvents['notify'] | null {
  if (!chat || !account || chat.muted || chat.archived || account.muted === 1) return null
  return {
    chatId: chat.id,
    messageId: message.id,
    network: chat.network,
    chatTitle: chat.title,
    senderName: message.senderName,
    text: message.text,
    kind: message.kind
  }
}
