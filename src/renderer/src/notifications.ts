// Desktop notifications for new messages, as the person set them: off, on, or on without
// the sender and text (privacy). Clicking one brings the window forward on that chat.

import type { ApiEvents } from '../../shared/api'
import type { ChatKind } from '../../shared/model'
import type { Actions } from './actions'
import type { Api } from './api'
import type { AppStore } from './state/store'
import { networkName } from './networks'
import { strings } from './strings'

/** `kind`: the chat's, where known: a one-to-one chat's title is the sender, so it is not named twice ("Bob in Bob Builder"). */
export function notificationText(n: ApiEvents['notify'], showPreview: boolean, network: string, kind: ChatKind = 'group'): { title: string; body: string } {
  if (!showPreview) return { title: strings.notification.privateTitle, body: strings.notification.privateBody }
  const body = n.kind === 'image' && n.text === '' ? strings.notification.photo : n.kind === 'sticker' ? strings.notification.sticker : n.text
  return { title: strings.notification.title(kind === 'direct' ? null : n.senderName, n.chatTitle, network), body }
}

export function startNotifier(api: Api, store: AppStore, actions: Actions): () => void {
  return api.onEvent((event) => {
    if (event.type !== 'notify' || typeof Notification === 'undefined') return
    const s = store.getState()
    const prefs = s.settings?.notifications
    if (!prefs?.enabled || Notification.permission !== 'granted') return
    // The person is looking at this chat already.
    if (document.hasFocus() && s.selectedChatId === event.payload.chatId) return
    // In Electron, main shows notifications while the window is not focused; the page only while it is.
    if (s.shell === 'electron' && !document.hasFocus()) return
    const { title, body } = notificationText(
      event.payload,
      prefs.showPreview,
      networkName(s.networks, event.payload.network),
      s.chats[event.payload.chatId]?.kind
    )
    const notification = new Notification(title, { body, tag: event.payload.chatId })
    notification.onclick = () => {
      window.focus()
      void actions.openChat(event.payload.chatId, event.payload.messageId)
      notification.close()
    }
  })
}

/** Asks once, at start, when notifications are on and the browser has not been asked yet. */
export function askNotificationPermission(store: AppStore): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return
  if (store.getState().settings?.notifications.enabled) void Notification.requestPermission()
}
