// The tray (menu bar on macOS): its icon, tooltip, title and menu, decided from a small
// state so they can be tested without Electron; src/main/tray.ts draws them.

export const PAUSE_NOTIFICATIONS_MS = 60 * 60 * 1000

export type TrayAction = 'open' | 'pause-1h' | 'resume-notifications' | 'quit'

export interface TrayState {
  unread: number
  /** Epoch ms until which notifications are paused, or null. */
  pausedUntil: number | null
  now: number
}

export type TrayMenuItem = { type: 'separator' } | { type: 'normal'; action: TrayAction | null; label: string; enabled: boolean }

export function isPaused(pausedUntil: number | null, now: number): boolean {
  return pausedUntil !== null && now < pausedUntil
}

function clock(ms: number): string {
  const d = new Date(ms)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

function unreadLabel(unread: number): string {
  return unread === 0 ? 'No unread messages' : unread === 1 ? '1 unread message' : `${unread} unread messages`
}

export function trayMenuTemplate(state: TrayState): TrayMenuItem[] {
  const paused = isPaused(state.pausedUntil, state.now)
  return [
    { type: 'normal', action: null, label: unreadLabel(state.unread), enabled: false },
    { type: 'separator' },
    { type: 'normal', action: 'open', label: 'Open Junction', enabled: true },
    paused
      ? { type: 'normal', action: 'resume-notifications', label: `Resume notifications (paused until ${clock(state.pausedUntil!)})`, enabled: true }
      : { type: 'normal', action: 'pause-1h', label: 'Pause notifications for 1 hour', enabled: true },
    { type: 'separator' },
    { type: 'normal', action: 'quit', label: 'Quit Junction', enabled: true }
  ]
}

export function trayTooltip(state: TrayState): string {
  const parts = ['Junction']
  if (state.unread > 0) parts.push(unreadLabel(state.unread))
  if (isPaused(state.pausedUntil, state.now)) parts.push('notifications paused')
  return parts.join(' — ')
}

/**
 * The icon file in resources/ (without @2x, which Electron picks itself). macOS takes a
 * black template image and shows the count as the title beside it; elsewhere the colour
 * icon gets a red dot, and the count is in the tooltip and the menu.
 */
export function trayIconName(platform: NodeJS.Platform, unread: number): 'trayTemplate.png' | 'tray.png' | 'tray-unread.png' {
  if (platform === 'darwin') return 'trayTemplate.png'
  return unread > 0 ? 'tray-unread.png' : 'tray.png'
}

export function trayTitle(platform: NodeJS.Platform, unread: number): string {
  if (platform !== 'darwin' || unread === 0) return ''
  return unread > 999 ? '999+' : String(unread)
}

/** The pause a menu action sets: an hour from now, cleared by resume, unchanged otherwise. */
export function pausedUntilAfter(action: TrayAction, pausedUntil: number | null, now: number): number | null {
  if (action === 'pause-1h') return now + PAUSE_NOTIFICATIONS_MS
  if (action === 'resume-notifications') return null
  return pausedUntil
}

export type CloseAction = 'close' | 'hide'

/**
 * What closing the app window does. Windows and Linux keep running in the tray; macOS keeps
 * the app in the dock (the window hides and comes back on activate). The person's
 * preference wins; without a working tray on Windows/Linux the window closes for real, as
 * the app could not be reached again; a quit in progress always closes.
 */
export function closeAction(options: { platform: NodeJS.Platform; preference: boolean | undefined; trayAvailable: boolean; quitting: boolean }): CloseAction {
  if (options.quitting) return 'close'
  const keepRunning = options.preference ?? true
  if (!keepRunning) return 'close'
  if (options.platform === 'darwin') return 'hide'
  return options.trayAvailable ? 'hide' : 'close'
}

/** With every window closed: macOS stays in the dock, elsewhere the tray keeps the app alive if there is one. */
export function quitWhenAllWindowsClosed(options: { platform: NodeJS.Platform; trayAvailable: boolean; preference: boolean | undefined }): boolean {
  if (options.platform === 'darwin') return false
  return !(options.trayAvailable && (options.preference ?? true))
}
