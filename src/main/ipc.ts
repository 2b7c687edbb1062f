// Binds the Api contract to Electron's ipc: one handle per request name, each checking
// that the sender is our own window's main frame, then validating through the same
// dispatcher as the headless host. Core events go to the window on one channel.

import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { EVENT_NAMES, IPC_EVENT_CHANNEL, IPC_REQUEST_PREFIX, REQUEST_NAMES, type ApiEvent, type ApiEvents } from '../shared/api'
import type { Emitter } from './base/emitter'
import type { Logger } from './base/log'
import type { Dispatcher } from './bridge/dispatch'

export function bindIpc(options: {
  dispatch: Dispatcher
  events: Emitter<ApiEvents>
  log: Logger
  /** The window allowed to call, and the URL prefix its main frame must be on. */
  target: () => WebContents | null
  rendererOrigin: (url: string) => boolean
}): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const target = options.target()
    const frame = event.senderFrame
    return target !== null && event.sender === target && frame !== null && frame.parent === null && options.rendererOrigin(frame.url)
  }

  for (const name of REQUEST_NAMES) {
    ipcMain.handle(IPC_REQUEST_PREFIX + name, async (event, arg: unknown) => {
      if (!trusted(event)) {
        options.log.warn({ request: name }, 'refused ipc from an untrusted sender')
        return { ok: false, error: { code: 'permission-denied', message: 'Refused.', retryable: false } }
      }
      return options.dispatch(name, arg)
    })
  }

  const unsubscribes = EVENT_NAMES.map((type) =>
    options.events.on(type, (payload) => {
      const target = options.target()
      if (target && !target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, { type, payload } as ApiEvent)
    })
  )

  return () => {
    for (const name of REQUEST_NAMES) ipcMain.removeHandler(IPC_REQUEST_PREFIX + name)
    for (const u of unsubscribes) u()
  }
}

/**
 * An event the shell itself sends (not one of Core's), e.g. `openChat` after a notification
 * click. It goes on the same channel as the Api events, so the renderer's one listener sees it.
 */
export function sendShellEvent(target: WebContents, type: string, payload: unknown): void {
  if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, { type, payload })
}
