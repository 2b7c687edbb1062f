// Browser sign-in in Electron: a dedicated sandboxed window with its own throw-away
// session, watched for the redirect that ends the sign-in (Skype's
// `oauth20_desktop.srf#access_token=…`). The window closes as soon as it is seen. It may
// only visit the sign-in service's pages (shell/sign-in-policy.ts), asks for no
// permission that is granted, opens no window and downloads nothing (issue 11 §13).

import { BrowserWindow } from 'electron'
import { JunctionError } from '../shared/errors'
import { randomToken } from './base/ids'
import type { Logger } from './base/log'
import type { AuthBrowser } from './core/accounts'
import { signInNavigationPolicy, signInPermission } from './shell/sign-in-policy'

/** Web contents of sign-in windows: they navigate under their own policy, unlike the app window. */
export const authWindowContents = new WeakSet<Electron.WebContents>()

export function createAuthWindowBrowser(parent: () => BrowserWindow | null, log: Logger): AuthBrowser {
  return {
    open(url, redirectPrefix, signal, extraOrigins) {
      return new Promise<string>((resolve, reject) => {
        let policy: ReturnType<typeof signInNavigationPolicy>
        try {
          policy = signInNavigationPolicy({ startUrl: url, redirectPrefix, ...(extraOrigins ? { extraOrigins } : {}) })
        } catch (error) {
          return reject(new JunctionError('network', 'The sign-in page address is not valid.', { cause: error }))
        }
        if (policy(url) !== 'allow') return reject(new JunctionError('permission-denied', 'The sign-in page address is not allowed.'))
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
            webSecurity: true,
            partition: `auth-${randomToken(8)}`
          }
        })
        const contents = win.webContents
        authWindowContents.add(contents)
        const ses = contents.session
        ses.setPermissionRequestHandler((_contents, permission, callback) => callback(signInPermission(permission)))
        ses.setPermissionCheckHandler((_contents, permission) => signInPermission(permission))
        ses.setDevicePermissionHandler(() => false)
        ses.on('will-download', (event) => event.preventDefault())

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
          const verdict = policy(event.url)
          if (verdict === 'allow') return
          event.preventDefault()
          if (verdict === 'redirect') finish(event.url)
          else log.warn({ origin: safeOrigin(event.url) }, 'sign-in window: navigation refused')
        }
        contents.on('will-redirect', watch)
        contents.on('will-navigate', watch)
        // Sub-frames may load the service's own pages only; they never end the sign-in.
        contents.on('will-frame-navigate', (event) => {
          if (!event.isMainFrame && policy(event.url) !== 'allow') event.preventDefault()
        })
        contents.on('did-navigate', (_event, navigated) => {
          if (policy(navigated) === 'redirect') finish(navigated)
        })
        contents.setWindowOpenHandler(() => ({ action: 'deny' }))
        contents.on('will-attach-webview', (event) => event.preventDefault())
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

/** Only the origin of a refused URL is logged: the rest may carry codes or tokens. */
function safeOrigin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return '<invalid>'
  }
}
