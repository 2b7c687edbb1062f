// The sign-in window's glue under Node with a stand-in BrowserWindow: every permission is
// refused, window.open is denied, navigation off the sign-in service is stopped, and the
// redirect ends the sign-in without being loaded.
import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../../../src/main/base/log'

const windows = vi.hoisted(() => [] as FakeWindow[])

interface FakeWindow {
  webContents: EventEmitter
  session: Record<string, unknown>
  handlers: Record<string, (...args: unknown[]) => unknown>
  loaded: string[]
  closed: boolean
}

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events')
  class BrowserWindow extends EventEmitter {
    webContents: EventEmitter
    closed = false
    loaded: string[] = []
    handlers: Record<string, (...args: unknown[]) => unknown> = {}
    constructor() {
      super()
      const handlers = this.handlers
      const session = Object.assign(new EventEmitter(), {
        setPermissionRequestHandler: (h: (...a: unknown[]) => unknown) => (handlers.request = h),
        setPermissionCheckHandler: (h: (...a: unknown[]) => unknown) => (handlers.check = h),
        setDevicePermissionHandler: (h: (...a: unknown[]) => unknown) => (handlers.device = h)
      })
      this.webContents = Object.assign(new EventEmitter(), {
        session,
        setWindowOpenHandler: (h: (...a: unknown[]) => unknown) => (handlers.open = h)
      })
      windows.push(this as unknown as FakeWindow)
    }
    isDestroyed(): boolean {
      return this.closed
    }
    close(): void {
      this.closed = true
      this.emit('closed')
    }
    loadURL(url: string): Promise<void> {
      this.loaded.push(url)
      return Promise.resolve()
    }
  }
  return { BrowserWindow }
})

const { createAuthWindowBrowser } = await import('../../../../../src/main/auth-window')

const START = 'https://login.live.com/oauth20_authorize.srf?client_id=1'
const REDIRECT = 'https://login.live.com/oauth20_desktop.srf'
const navigate = (win: FakeWindow, event: string, url: string): boolean => {
  let prevented = false
  win.webContents.emit(event, { url, isMainFrame: event !== 'will-frame-navigate', preventDefault: () => (prevented = true) })
  return prevented
}

describe('the sign-in window', () => {
  it('denies permissions, new windows and foreign navigation, and ends on the redirect', async () => {
    const browser = createAuthWindowBrowser(() => null, silentLogger)
    const done = browser.open(START, REDIRECT, new AbortController().signal)
    const win = windows.at(-1)!
    expect(win.loaded).toEqual([START])
    const granted: boolean[] = []
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read']) win.handlers.request!(null, p, (g: boolean) => granted.push(g))
    expect(granted).toEqual([false, false, false, false])
    expect(win.handlers.check!(null, 'notifications')).toBe(false)
    expect(win.handlers.device!({})).toBe(false)
    expect(win.handlers.open!({ url: 'https://login.live.com/popup' })).toEqual({ action: 'deny' })
    expect(navigate(win, 'will-navigate', 'https://login.live.com/ppsecure/post.srf')).toBe(false)
    expect(navigate(win, 'will-navigate', 'https://evil.example/phish')).toBe(true)
    expect(navigate(win, 'will-redirect', 'http://login.live.com/downgrade')).toBe(true)
    expect(navigate(win, 'will-frame-navigate', 'https://tracker.example/frame')).toBe(true)
    expect(navigate(win, 'will-redirect', `${REDIRECT}#access_token=t&expires_in=1`)).toBe(true)
    await expect(done).resolves.toBe(`${REDIRECT}#access_token=t&expires_in=1`)
    expect(win.closed).toBe(true)
  })

  it('refuses to open a start page off the allowed schemes', async () => {
    const before = windows.length
    const browser = createAuthWindowBrowser(() => null, silentLogger)
    await expect(browser.open('http://login.example.com/', REDIRECT, new AbortController().signal)).rejects.toMatchObject({ code: 'permission-denied' })
    await expect(browser.open('not a url', REDIRECT, new AbortController().signal)).rejects.toMatchObject({ code: 'network' })
    expect(windows.length).toBe(before)
  })

  it('a closed window cancels the sign-in', async () => {
    const done = createAuthWindowBrowser(() => null, silentLogger).open(START, REDIRECT, new AbortController().signal)
    windows.at(-1)!.closed = false
    ;(windows.at(-1) as unknown as { close(): void }).close()
    await expect(done).rejects.toMatchObject({ code: 'cancelled' })
  })
})
