// Which new messages the main process shows as an OS notification (Electron's
// Notification, so it appears with the window closed or hidden). The renderer's
// notifier keeps working for the headless host; in Electron it handles only a focused
// window, so each message is announced once.

import type { ApiEvents, Settings } from '../../shared/api'

export type NotifyEvent = ApiEvents['notify']

export type NotificationDecision =
  | { show: false; why: 'unsupported' | 'disabled' | 'paused' | 'renderer-shows' }
  | { show: true; title: string; body: string; chatId: string; messageId: string }

export interface NotifyContext {
  supported: boolean
  settings: Settings['notifications'] | null
  pausedUntil: number | null
  now: number
  /** The app window exists, is visible and has focus: the renderer shows (or skips) it. */
  windowFocused: boolean
  networkName: (network: NotifyEvent['network']) => string
}

/** The same wording as the renderer's notifier (src/renderer/src/notifications.ts). */
export function notificationText(event: NotifyEvent, showPreview: boolean, networkName: string): { title: string; body: string } {
  if (!showPreview) return { title: 'Junction', body: 'New message' }
  const title =
    event.senderName && event.senderName !== event.chatTitle
      ? `${event.senderName} in ${event.chatTitle} · ${networkName}`
      : `${event.chatTitle} · ${networkName}`
  const body = event.kind === 'image' && event.text === '' ? 'Photo' : event.kind === 'sticker' ? 'Sticker' : event.text
  return { title, body: body.length > 240 ? `${body.slice(0, 239)}…` : body }
}

export function decideNotification(event: NotifyEvent, context: NotifyContext): NotificationDecision {
  if (!context.supported) return { show: false, why: 'unsupported' }
  // Until the settings are read: shown, but without sender and text (privacy first).
  const settings = context.settings ?? { enabled: true, showPreview: false }
  if (!settings.enabled) return { show: false, why: 'disabled' }
  if (context.pausedUntil !== null && context.now < context.pausedUntil) return { show: false, why: 'paused' }
  if (context.windowFocused) return { show: false, why: 'renderer-shows' }
  const { title, body } = notificationText(event, settings.showPreview, context.networkName(event.network))
  return { show: true, title, body, chatId: event.chatId, messageId: event.messageId }
}

/** A notification's click: bring the window back (creating it if it was closed) and open the chat on the message. */
export interface ClickTarget {
  showWindow(): void
  openChat(chatId: string, messageId: string): void
}

export function routeNotificationClick(decision: Extract<NotificationDecision, { show: true }>, target: ClickTarget): void {
  target.showWindow()
  target.openChat(decision.chatId, decision.messageId)
}
