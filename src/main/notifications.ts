// OS notifications from the main process, so they appear with the window closed or hidden
// (issue 13 §4). Which to show is shell/notify-policy.ts; a click brings the window back and
// opens the chat.

import { Notification } from 'electron'
import type { Settings } from '../shared/api'
import type { Logger } from './base/log'
import { decideNotification, routeNotificationClick, type ClickTarget, type NotifyEvent } from './shell/notify-policy'

export interface MainNotifierOptions {
  log: Logger
  iconPath: string
  settings: () => Settings['notifications'] | null
  pausedUntil: () => number | null
  windowFocused: () => boolean
  networkName: (network: NotifyEvent['network']) => string
  target: ClickTarget
}

export function createMainNotifier(options: MainNotifierOptions): { onNotify(event: NotifyEvent): void; closeAll(): void } {
  // Electron drops a Notification's click handler once the object is garbage-collected,
  // so the last one per chat is kept (and replaced, as the renderer's tag does).
  const shown = new Map<string, Notification>()
  return {
    onNotify(event) {
      const decision = decideNotification(event, {
        supported: Notification.isSupported(),
        settings: options.settings(),
        pausedUntil: options.pausedUntil(),
        now: Date.now(),
        windowFocused: options.windowFocused(),
        networkName: options.networkName
      })
      if (!decision.show) {
        options.log.debug({ chatId: event.chatId, why: decision.why }, 'notification not shown by main')
        return
      }
      shown.get(decision.chatId)?.close()
      const notification = new Notification({ title: decision.title, body: decision.body, icon: options.iconPath, silent: false })
      notification.on('click', () => {
        routeNotificationClick(decision, options.target)
        shown.delete(decision.chatId)
      })
      notification.on('close', () => {
        if (shown.get(decision.chatId) === notification) shown.delete(decision.chatId)
      })
      shown.set(decision.chatId, notification)
      notification.show()
    },
    closeAll() {
      for (const n of shown.values()) n.close()
      shown.clear()
    }
  }
}
