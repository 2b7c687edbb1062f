// The Electron entry: app lifecycle, the one window and its security settings. This
// file and its siblings ipc.ts, vault.ts and auth-window.ts are the only main-process
// files that import electron; everything below them runs under plain Node too.

import { cpSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, session, shell } from 'electron'
import ElectronStore from 'electron-store'
import { createAuthWindowBrowser, authWindowContents } from './auth-window'
import { consoleLogger } from './base/log'
import { createDispatcher } from './bridge/dispatch'
import { isWebUrl } from './bridge/schemas'
import { Core } from './core/core'
import { DATABASE_FILE, openProfileStore, VAULT_KEY_FILE } from './core/profile'
import { bindIpc } from './ipc'
import { builtInNetworks } from './networks/registry'
import { openSafeStorageVault, type ShellPreferences } from './vault'

const log = consoleLogger()
const rendererDevUrl = process.env.ELECTRON_RENDERER_URL
const rendererFile = join(__dirname, '../renderer/index.html')
const rendererFileUrl = pathToFileURL(rendererFile).href

// A separate profile for tests and for running two copies side by side.
if (process.env.JUNCTION_USER_DATA) app.setPath('userData', process.env.JUNCTION_USER_DATA)

let mainWindow: BrowserWindow | null = null
let core: Core | null = null
let preferences: ElectronStore<ShellPreferences> | null = null
let badgeTimer: NodeJS.Timeout | null = null

/** The dock/launcher badge shows total unread; chat events come in bursts, so it is updated at most every 500 ms. */
function scheduleBadgeUpdate(): void {
  if (badgeTimer) return
  badgeTimer = setTimeout(() => {
    badgeTimer = null
    void core?.handlers.listInbox({ filter: { kind: 'all' }, limit: 1 }).then((page) => app.setBadgeCount(page.totalUnread))
  }, 500)
}

/** Only our own renderer may be loaded in the app window, and only it may call the Api. */
function isRendererUrl(url: string): boolean {
  if (rendererDevUrl) return url.startsWith(rendererDevUrl)
  return url === rendererFileUrl || url.startsWith(`${rendererFileUrl}#`) || url.startsWith(`${rendererFileUrl}?`)
}

function createWindow(preferences: ElectronStore<ShellPreferences>): BrowserWindow {
  const bounds = preferences.get('windowBounds') ?? { width: 1200, height: 800 }
  // The window shows the title the renderer sets, which carries the unread count.
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Junction',
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true
    }
  })
  win.once('ready-to-show', () => win.show())
  win.on('close', () => preferences.set('windowBounds', win.getBounds()))
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null
  })
  if (rendererDevUrl) void win.loadURL(rendererDevUrl)
  else void win.loadFile(rendererFile)
  return win
}

function hardenSessions(): void {
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    rendererDevUrl ? `connect-src 'self' ${rendererDevUrl.replace(/^http/, 'ws')}` : "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders }
    if (isRendererUrl(details.url)) headers['Content-Security-Policy'] = [csp]
    callback({ responseHeaders: headers })
  })
  // The renderer may show notifications; every other permission (camera, geolocation, …) is refused.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'notifications'))
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => permission === 'notifications')
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isWebUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event) => {
    if (authWindowContents.has(contents)) return
    if (!isRendererUrl(event.url)) event.preventDefault()
  })
})

/**
 * The profile folder: the default user-data folder unless the person moved it. A move asked
 * for in Settings happens here, at start, while nothing has the database open.
 */
function resolveDataDir(prefs: ElectronStore<ShellPreferences>): string {
  const current = prefs.get('dataDir') ?? app.getPath('userData')
  const pending = prefs.get('pendingDataDir')
  if (!pending || pending === current) return current
  try {
    mkdirSync(pending, { recursive: true, mode: 0o700 })
    for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, VAULT_KEY_FILE, 'exports']) {
      const from = join(current, name)
      if (existsSync(from)) cpSync(from, join(pending, name), { recursive: true, errorOnExist: true, force: false })
    }
    prefs.set('dataDir', pending)
    prefs.delete('pendingDataDir')
    log.info({}, 'data folder moved')
    return pending
  } catch (error) {
    // Keep using the old folder, untouched; the person sees it still in Settings.
    log.error({ error }, 'the data folder could not be moved')
    prefs.delete('pendingDataDir')
    return current
  }
}

async function start(): Promise<void> {
  preferences = new ElectronStore<ShellPreferences>({ name: 'shell', cwd: app.getPath('userData') })
  const prefs = preferences
  const dataDir = resolveDataDir(prefs)
  hardenSessions()
  const vault = await openSafeStorageVault(preferences, dataDir, log)
  core = new Core({
    store: openProfileStore(dataDir),
    vault,
    networks: builtInNetworks(),
    log,
    shell: 'electron',
    dataDir,
    version: app.getVersion(),
    authBrowser: createAuthWindowBrowser(() => mainWindow),
    openExternal: async (url) => {
      if (isWebUrl(url)) await shell.openExternal(url)
    },
    revealPath: async (path) => shell.showItemInFolder(path),
    moveDataFolder: async (path) => {
      prefs.set('pendingDataDir', path)
      app.relaunch()
      app.quit()
    }
  })
  bindIpc({
    dispatch: createDispatcher(core.handlers, log),
    events: core.events,
    log,
    target: () => mainWindow?.webContents ?? null,
    rendererOrigin: isRendererUrl
  })
  core.events.on('chat', scheduleBadgeUpdate)
  mainWindow = createWindow(prefs)
  await core.start()
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (!mainWindow && core && preferences) mainWindow = createWindow(preferences)
  })
  app.on('before-quit', () => {
    void core?.close()
  })
  app.whenReady().then(start, (error: unknown) => {
    log.error({ error }, 'Junction could not start')
    app.quit()
  })
}
