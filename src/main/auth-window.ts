// Browser sign-in in Electron: a dedicated sandboxed window with its own throw-away
// session, watched for the redirect that ends the sign-in (Skype's
// `oauth20_desktop.srf#access_token=…`). The window closes as soon as it is seen.

import { BrowserWindow } from 'electron'
import { JunctionError } from '../shared/errors'
import { randomToken } from './base/ids'
import type { AuthBrowser } from './core/accounts'

/** Web contents of sign-in windows: they may navigate, unlike the app window. */
export const authWindowContents = new WeakSet<Electron.WebContents>()

export function createAuthWindowBrowser(parent: () => BrowserWindow | null): AuthBrowser {
  return {
    open(url, redirectPrefix, signal) {
      return new Promise<string>((resolve, reject) => {
        const owner = parent()
        const win = new BrowserWindow({
          width: 520,
          height: 720,
          title: 'Sign in',
          ...(owner ? { parent: owner } : {}),
          autoHideMenuBar: true,
          webPreferences: {
            sandbox: true,
            contextIsolation: true,
            nodeIntegration: false,
            partition: `auth-${randomToken(8)}`
          }
        })
        authWindowContents.add(win.webContents)
        let settled = false
        const finish = (result: string | Error): void => {
          if (settled) return
          settled = true
          signal.removeEventListener('abort', onAbort)
          if (!win.isDestroyed()) win.close()
          if (typeof result === 'string') resolve(result)
          else reject(result)
        }
        const onAbort = (): void => finish(new JunctionError('cancelled', 'The sign-in was cancelled.'))
        const watch = (event: { url: string; preventDefault(): void }): void => {
          if (event.url.startsWith(redirectPrefix)) {
            event.preventDefault()
            finish(event.url)
          }
        }
        win.webContents.on('will-redirect', watch)
        win.webContents.on('will-navigate', watch)
        win.webContents.on('did-navigate', (_event, navigated) => {
          if (navigated.startsWith(redirectPrefix)) finish(navigated)
        })
        win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
        win.on('closed', () => finish(new JunctionError('cancelled', 'The sign-in window was closed.')))
        signal.addEventListener('abort', onAbort)
        win.loadURL(url).catch((error: unknown) => {
          // A load aborted by our own redirect capture is expected; anything else is a real failure.
          if (!settled) finish(new JunctionError('network', 'The sign-in page could not be opened.', { cause: error }))
        })
      })
    }
  }
}
