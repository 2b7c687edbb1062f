import { describe, expect, it } from 'vitest'
import {
  closeAction,
  PAUSE_NOTIFICATIONS_MS,
  pausedUntilAfter,
  quitWhenAllWindowsClosed,
  trayIconName,
  trayMenuTemplate,
  trayTitle,
  trayTooltip,
  type TrayMenuItem
} from '../../../../src/main/shell/tray-menu'

const NOW = new Date(2026, 0, 5, 14, 30).getTime()
const actions = (items: TrayMenuItem[]) => items.flatMap((i) => (i.type === 'normal' && i.action ? [i.action] : []))

describe('the tray menu', () => {
  it('offers open, pause for an hour and quit, with the unread count on top', () => {
    const items = trayMenuTemplate({ unread: 3, pausedUntil: null, now: NOW })
    expect(actions(items)).toEqual(['open', 'pause-1h', 'quit'])
    expect(items[0]).toEqual({ type: 'normal', action: null, label: '3 unread messages', enabled: false })
    expect(trayMenuTemplate({ unread: 1, pausedUntil: null, now: NOW })[0]).toMatchObject({ label: '1 unread message' })
    expect(trayMenuTemplate({ unread: 0, pausedUntil: null, now: NOW })[0]).toMatchObject({ label: 'No unread messages' })
  })

  it('while paused offers resume with the time the pause ends, and after it pause again', () => {
    const until = pausedUntilAfter('pause-1h', null, NOW)
    expect(until).toBe(NOW + PAUSE_NOTIFICATIONS_MS)
    const paused = trayMenuTemplate({ unread: 0, pausedUntil: until, now: NOW + 1000 })
    expect(actions(paused)).toEqual(['open', 'resume-notifications', 'quit'])
    expect(paused.find((i) => i.type === 'normal' && i.action === 'resume-notifications')).toMatchObject({ label: 'Resume notifications (paused until 15:30)' })
    expect(actions(trayMenuTemplate({ unread: 0, pausedUntil: until, now: until! }))).toContain('pause-1h')
    expect(pausedUntilAfter('resume-notifications', until, NOW)).toBeNull()
    expect(pausedUntilAfter('open', until, NOW)).toBe(until)
  })

  it('shows the count: a title on macOS, a badged icon elsewhere, and the tooltip everywhere', () => {
    expect(trayIconName('darwin', 5)).toBe('trayTemplate.png')
    expect(trayTitle('darwin', 5)).toBe('5')
    expect(trayTitle('darwin', 12345)).toBe('999+')
    expect(trayTitle('darwin', 0)).toBe('')
    expect(trayIconName('win32', 0)).toBe('tray.png')
    expect(trayIconName('linux', 2)).toBe('tray-unread.png')
    expect(trayTitle('linux', 2)).toBe('')
    expect(trayTooltip({ unread: 2, pausedUntil: NOW + 10, now: NOW })).toBe('Junction — 2 unread messages — notifications paused')
    expect(trayTooltip({ unread: 0, pausedUntil: null, now: NOW })).toBe('Junction')
  })
})

describe('closing the window', () => {
  it('keeps running in the tray on Windows and Linux and hides to the dock on macOS by default', () => {
    for (const platform of ['win32', 'linux'] as const)
      expect(closeAction({ platform, preference: undefined, trayAvailable: true, quitting: false })).toBe('hide')
    expect(closeAction({ platform: 'darwin', preference: undefined, trayAvailable: false, quitting: false })).toBe('hide')
  })

  it('follows the preference, never hides without a tray outside macOS, and always closes while quitting', () => {
    expect(closeAction({ platform: 'win32', preference: false, trayAvailable: true, quitting: false })).toBe('close')
    expect(closeAction({ platform: 'darwin', preference: false, trayAvailable: true, quitting: false })).toBe('close')
    expect(closeAction({ platform: 'linux', preference: true, trayAvailable: false, quitting: false })).toBe('close')
    expect(closeAction({ platform: 'linux', preference: true, trayAvailable: true, quitting: true })).toBe('close')
  })

  it('quits with the last window only where nothing else keeps the app reachable', () => {
    expect(quitWhenAllWindowsClosed({ platform: 'darwin', trayAvailable: false, preference: false })).toBe(false)
    expect(quitWhenAllWindowsClosed({ platform: 'linux', trayAvailable: true, preference: undefined })).toBe(false)
    expect(quitWhenAllWindowsClosed({ platform: 'linux', trayAvailable: false, preference: undefined })).toBe(true)
    expect(quitWhenAllWindowsClosed({ platform: 'win32', trayAvailable: true, preference: false })).toBe(true)
  })
})
