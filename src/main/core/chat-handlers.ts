// The Api's requests about one chat (open, members, read, typing, nudge, pin/mute/archive), split
// out of core.ts: they need only the store, the accounts and the chat events.

import { JunctionError } from '../../shared/errors'
import type { Chat } from '../../shared/model'
import type { Logger } from '../base/log'
import type { AccountManager } from './accounts'
import type { ApiHandlers } from './core'
import type { Store } from './store'

export interface ChatHandlerDeps {
  store: Store
  accounts: AccountManager
  log: Logger
  /** The chat's row id, or `not-found`. */
  chatId(id: string): number
  chat(id: number): Chat
  emitChat(chat: Chat): void
  /** Re-reads the chat and tells the renderer (its unread count changed). */
  emitChatById(id: number): void
}

export function chatHandlers(
  d: ChatHandlerDeps
): Pick<ApiHandlers, 'openDirectChat' | 'getChatMembers' | 'markChatRead' | 'sendNudge' | 'setTyping' | 'updateChat'> {
  return {
    openDirectChat: async ({ accountId, remoteId }) => {
      if (!d.store.accounts.get(accountId)) throw new JunctionError('not-found', 'That account no longer exists.')
      const contact = d.store.contacts.get(accountId, remoteId)
      if (!contact || contact.pending) throw new JunctionError('not-found', 'That contact is not on this account.')
      // A first message creates the chat on the network; until then it is Junction's own, empty.
      const { id, created } = d.store.chats.ensure(accountId, remoteId, 'direct', contact.name)
      const chat = d.chat(id)
      if (created) d.emitChat(chat)
      return chat
    },
    getChatMembers: async ({ chatId }) => {
      const id = d.chatId(chatId)
      const remote = d.store.chats.remoteOf(id)
      if (!remote) throw new JunctionError('not-found', 'That chat no longer exists.')
      // The account's own contact names win over what the group list carried (the user may have renamed them).
      return d.store.chats.members(id).map((m) => {
        const name = d.store.contacts.get(remote.accountId, m.remoteId)?.name ?? m.name
        return name ? { remoteId: m.remoteId, name } : { remoteId: m.remoteId }
      })
    },
    markChatRead: async ({ chatId }) => {
      const id = d.chatId(chatId)
      const remote = d.store.chats.remoteOf(id)!
      if (d.store.chats.markRead(id)) d.emitChatById(id)
      const connector = d.accounts.onlineConnector(remote.accountId)
      // The read receipt is a courtesy to the sender; failing to send it must not fail the request.
      connector?.markRead(remote.remoteId, d.store.messages.newestIncomingRemote(id)).catch((error: unknown) => {
        d.log.warn({ accountId: remote.accountId, error }, 'read receipt not sent')
      })
    },
    sendNudge: async ({ chatId }) => {
      const remote = d.store.chats.remoteOf(d.chatId(chatId))!
      const chat = d.chat(d.chatId(chatId))
      if (!d.accounts.capabilitiesOf(remote.accountId).nudges) throw new JunctionError('unsupported', 'This account cannot send nudges.')
      if (chat.kind !== 'direct') throw new JunctionError('invalid-argument', 'A nudge goes to one person, not a group.')
      const connector = d.accounts.onlineConnector(remote.accountId)
      if (!connector?.nudge) throw new JunctionError('unavailable', 'The account is not connected right now.', { reason: { code: 'unreachable' } })
      await connector.nudge(remote.remoteId)
    },
    setTyping: async ({ chatId, typing }) => {
      const remote = d.store.chats.remoteOf(d.chatId(chatId))!
      const connector = d.accounts.onlineConnector(remote.accountId)
      connector?.setTyping(remote.remoteId, typing).catch((error: unknown) => {
        d.log.debug({ accountId: remote.accountId, error }, 'typing not sent')
      })
    },
    updateChat: async ({ chatId, ...patch }) => {
      const id = d.chatId(chatId)
      d.store.chats.patch(id, patch)
      const chat = d.chat(id)
      d.emitChat(chat)
      // A network that syncs chat state between devices (WhatsApp app state) hears it; best effort, stored locally already.
      const remote = d.store.chats.remoteOf(id)!
      const { pinned, muted, archived, markUnread } = patch
      const change = {
        ...(pinned !== undefined ? { pinned } : {}),
        ...(muted !== undefined ? { muted } : {}),
        ...(archived !== undefined ? { archived } : {}),
        ...(markUnread ? { unread: true } : {})
      }
      if (Object.keys(change).length > 0)
        d.accounts
          .onlineConnector(remote.accountId)
          ?.setChatState?.(remote.remoteId, change)
          .catch((error: unknown) => d.log.warn({ accountId: remote.accountId, error }, 'chat state not synced'))
      return chat
    }
  }
}
