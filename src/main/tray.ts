// The tray icon (menu bar on macOS) with the unread count and a menu: open, pause
// notifications for an hour, quit. What it shows is decided by shell/tray-menu.ts.

import { join } from 'node:path'
import { Menu, nativeImage, Tray } from 'electron'
import type { Logger } from './base/log'
import { isPaused, pausedUntilAfter, trayIconName, trayMenuTemplate, trayTitle, trayTooltip, type TrayAction, type TrayState } from './shell/tray-menu'

export interface TrayController {
  setUnread(unread: number): void
  pausedUntil(): number | null
  notificationsPaused(): boolean
  destroy(): void
}

export interface TrayOptions {
  resourcesDir: string
  platform: NodeJS.Platform
  log: Logger
  /** The pause saved from an earlier run, if it has not run out. */
  pausedUntil: number | null
  onOpen(): void
  onQuit(): void
  onPauseChange(pausedUntil: number | null): void
  clock?: () => number
}

/** Returns null where the desktop offers no tray; the caller then closes windows for real. */
export function createTray(options: TrayOptions): TrayController | null {
  const clock = options.clock ?? Date.now
  const state: TrayState = { unread: 0, pausedUntil: options.pausedUntil, now: clock() }
  let iconName = trayIconName(options.platform, 0)
  const image = (name: string): Electron.NativeImage => {
    const img = nativeImage.createFromPath(join(options.resourcesDir, name))
    if (options.platform === 'darwin') img.setTemplateImage(true)
    return img
  }
  let tray: Tray
  try {
    tray = new Tray(image(iconName))
  } catch (error) {
    options.log.warn({ error }, 'no tray on this desktop')
    return null
  }
  let resumeTimer: NodeJS.Timeout | null = null

  const render = (): void => {
    state.now = clock()
    if (!isPaused(state.pausedUntil, state.now)) state.pausedUntil = null
    const name = trayIconName(options.platform, state.unread)
    if (name !== iconName) {
      iconName = name
      tray.setImage(image(name))
    }
    tray.setToolTip(trayTooltip(state))
    if (options.platform === 'darwin') tray.setTitle(trayTitle(options.platform, state.unread))
    const template = trayMenuTemplate(state).map((item): Electron.MenuItemConstructorOptions =>
      item.type === 'separator'
        ? { type: 'separator' }
        : { label: item.label, enabled: item.enabled, ...(item.action ? { click: () => act(item.action!) } : {}) }
    )
    tray.setContextMenu(Menu.buildFromTemplate(template))
  }

  const schedulePauseEnd = (): void => {
    if (resumeTimer) clearTimeout(resumeTimer)
    resumeTimer = null
    if (state.pausedUntil === null) return
    // Redraw when the pause runs out, so the menu offers "Pause" again.
    resumeTimer = setTimeout(render, Math.max(0, state.pausedUntil - clock()) + 50)
    resumeTimer.unref()
  }

  const act = (action: TrayAction): void => {
    if (action === 'open') return options.onOpen()
    if (action === 'quit') return options.onQuit()
    state.pausedUntil = pausedUntilAfter(action, state.pausedUntil, clock())
    options.onPauseChange(state.pausedUntil)
    schedulePauseEnd()
    render()
  }

  // Windows and Linux: a click on the icon opens the window; macOS opens the menu, as menu-bar items do.
  if (options.platform !== 'darwin') tray.on('click', () => options.onOpen())
  schedulePauseEnd()
  render()

  return {
    setUnread(unread) {
      if (unread === state.unread) return
      state.unread = unread
      render()
    },
    pausedUntil: () => (isPaused(state.pausedUntil, clock()) ? state.pausedUntil : null),
    notificationsPaused: () => isPaused(state.pausedUntil, clock()),
    destroy() {
      if (resumeTimer) clearTimeout(resumeTimer)
      tray.destroy()
    }
  }
}
