// One zustand store built from slices. Api events reach it through `applyEvent`,
// registered once at start-up (src/renderer/src/main.tsx), outside React.

import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiEvent } from '../../../shared/api'
import { unreachable } from '../../../shared/errors'
import { createAccountsSlice, type AccountsSlice } from './accounts'
import { createInboxSlice, type InboxSlice } from './inbox'
import { createMessagesSlice, type MessagesSlice } from './messages'
import { createUiSlice, type UiSlice } from './ui'
import { createUploadsSlice, type UploadsSlice } from './uploads'

export type AppState = AccountsSlice & InboxSlice & MessagesSlice & UiSlice & UploadsSlice
export type AppStore = StoreApi<AppState>

/** How long a typing indicator lasts without a refresh (networks re-send while typing continues). */
export const TYPING_TTL_MS = 6_000

export function createAppStore(): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createAccountsSlice(...a),
    ...createInboxSlice(...a),
    ...createMessagesSlice(...a),
    ...createUiSlice(...a),
    ...createUploadsSlice(...a)
  }))
}

export function applyEvent(store: AppStore, event: ApiEvent, now: number = Date.now()): void {
  const s = store.getState()
  switch (event.type) {
    case 'account':
      return s.upsertAccount(event.payload)
    case 'accountRemoved':
      return s.removeAccount(event.payload.accountId)
    case 'login':
      return s.setLoginStep(event.payload.loginId, { network: event.payload.network, step: event.payload.step })
    case 'chat':
      return s.upsertChat(event.payload)
    case 'contact':
      return
    case 'message':
      s.upsertMessage(event.payload)
      // A message ends its sender's typing indicator.
      if (!event.payload.fromMe && s.typing[event.payload.chatId]) s.setTyping(event.payload.chatId, null)
      // Sent or failed: its upload is over.
      if (event.payload.status !== 'pending') s.setUploadProgress(event.payload.id, null)
      return
    case 'uploadProgress':
      return s.setUploadProgress(event.payload.messageId, { sent: event.payload.sent, total: event.payload.total })
    case 'messageRemoved':
      return s.removeMessage(event.payload.chatId, event.payload.messageId)
    case 'notify':
      // Desktop notifications are shown by the notifier (src/renderer/src/notifications.ts), which listens itself.
      return
    case 'settings':
      return s.setSettings(event.payload)
    case 'openChat':
      // Opened by the listener that has the actions (main.tsx).
      return
    case 'typing':
      return s.setTyping(event.payload.chatId, event.payload.typing ? { senderName: event.payload.senderName, until: now + TYPING_TTL_MS } : null)
    default:
      throw unreachable(event)
  }
}
