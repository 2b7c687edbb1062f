// The Electron entry: app lifecycle, the one window and its security settings. This file
// and its siblings (ipc, vault, auth-window, app-protocol, tray, notifications, updater,
// connectivity, dialogs) are the only main-process files that import electron; their
// decisions live in src/main/shell/ and everything below runs under plain Node too.

import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { JunctionError } from '../shared/errors'
import { app, BrowserWindow, crashReporter, session, shell } from 'electron'
import ElectronStore from 'electron-store'
import { EVENT_NAMES, type Settings } from '../shared/api'
import { registerAppScheme, serveAppScheme } from './app-protocol'
import { utilityIsolated } from './isolation'
import { serveMediaScheme } from './media-protocol'
import { AVATAR_URL_BASE, MEDIA_URL_BASE } from './shell/media-scheme'
import { createAuthWindowBrowser, authWindowContents } from './auth-window'
import { consoleLogger, type Logger, type LogLevel } from './base/log'
import { createDispatcher } from './bridge/dispatch'
import { isWebUrl } from './bridge/schemas'
import { electronConnectivity } from './connectivity'
import { Core, type CoreOptions } from './core/core'
import { DATABASE_FILE, openProfileStore, VAULT_KEY_FILE } from './core/profile'
import { createFolderPicker, showStartupError } from './dialogs'
import { bindIpc, sendShellEvent } from './ipc'
import { builtInNetworks } from './networks/built-in'
import { createMainNotifier } from './notifications'
import { APP_ENTRY_URL, isAppUrl } from './shell/app-scheme'
import { closeWithin, createQuitGuard, startSafely, startupFailure } from './shell/lifecycle'
import { fileLogger, formatRecord, RotatingLogFile } from './shell/log-file'
import { APP_ID, logsDir, resourcesDir } from './shell/paths'
import { closeAction, quitWhenAllWindowsClosed } from './shell/tray-menu'
import { createTray, type TrayController } from './tray'
import { createDesktopControls, createUpdater, type DesktopControls, type UpdateControls } from './updater'
import { openSafeStorageVault, type ShellPreferences } from './vault'

const QUIT_TIMEOUT_MS = 10_000
const UPDATE_FIRST_CHECK_MS = 30_000
const UPDATE_INTERVAL_MS = 6 * 60 * 60 * 1000

const rendererDevUrl = process.env.ELECTRON_RENDERER_URL
const rendererDir = join(__dirname, '../renderer')

// The scheme must be privileged before `ready`; crash dumps stay on this computer.
registerAppScheme()
// A separate profile for tests and for running two copies side by side.
if (process.env.JUNCTION_USER_DATA) app.setPath('userData', process.env.JUNCTION_USER_DATA)
crashReporter.start({ uploadToServer: false })
// Windows groups notifications and taskbar entries by this id; it must be electron-builder.yml's appId.
if (process.platform === 'win32') app.setAppUserModelId(APP_ID)

const { log, logFile } = openLog()

let mainWindow: BrowserWindow | null = null
let core: Core | null = null
let preferences: ElectronStore<ShellPreferences> | null = null
let tray: TrayController | null = null
let notificationSettings: Settings['notifications'] | null = null
let quitting = false
let badgeTimer: NodeJS.Timeout | null = null

/** JSON lines into <userData>/logs (rotated), and to stderr when not packaged; stderr only if the folder cannot be written. */
function openLog(): { log: Logger; logFile: string | null } {
  const env = process.env.JUNCTION_LOG
  if (env === 'silent') return { log: consoleLogger('silent'), logFile: null }
  const level: LogLevel = env === 'debug' || env === 'warn' || env === 'error' ? env : 'info'
  try {
    const file = new RotatingLogFile({ dir: logsDir(app.getPath('userData')), maxBytes: 5 * 1024 * 1024, keep: 5 })
    const alsoStderr = app.isPackaged ? undefined : (record: Parameters<typeof formatRecord>[0]) => void process.stderr.write(formatRecord(record))
    return { log: fileLogger(file, level, alsoStderr), logFile: file.path }
  } catch (error) {
    const fallback = consoleLogger(env)
    fallback.warn({ error }, 'the log folder cannot be written; logging to stderr only')
    return { log: fallback, logFile: null }
  }
}

/** The dock/launcher badge and the tray show total unread; chat events come in bursts, so at most every 500 ms. */
function scheduleBadgeUpdate(): void {
  if (badgeTimer) return
  badgeTimer = setTimeout(() => {
    badgeTimer = null
    void core?.handlers
      .listInbox({ filter: { kind: 'all' }, limit: 1 })
      .then((page) => {
        app.setBadgeCount(page.totalUnread)
        tray?.setUnread(page.totalUnread)
      })
      .catch((error: unknown) => log.debug({ error }, 'unread count not updated'))
  }, 500)
}

/** Only our own renderer may be loaded in the app window, and only it may call the Api. */
function isRendererUrl(url: string): boolean {
  if (rendererDevUrl) return url.startsWith(rendererDevUrl)
  return isAppUrl(url)
}

function createWindow(prefs: ElectronStore<ShellPreferences>): BrowserWindow {
  const bounds = prefs.get('windowBounds') ?? { width: 1200, height: 800 }
  // The window shows the title the renderer sets, which carries the unread count.
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Junction',
    autoHideMenuBar: true,
    ...(process.platform === 'linux' ? { icon: join(resourcesDir(app.getAppPath()), 'icon.png') } : {}),
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
  win.on('close', (event) => {
    prefs.set('windowBounds', win.getBounds())
    const action = closeAction({ platform: process.platform, preference: prefs.get('closeToTray'), trayAvailable: tray !== null, quitting })
    if (action === 'hide') {
      event.preventDefault()
      win.hide()
    }
  })
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null
  })
  void win.loadURL(rendererDevUrl ?? APP_ENTRY_URL)
  return win
}

/** Brings the window back, re-creating it if it was closed. */
function showWindow(): BrowserWindow | null {
  if (!preferences || !core) return null
  let win = mainWindow
  if (!win || win.isDestroyed()) {
    win = mainWindow = createWindow(preferences)
    return win
  }
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
  return win
}

/** Runs `then` once the window's page has loaded (at once when it already has). */
function whenLoaded(win: BrowserWindow, then: (win: BrowserWindow) => void): void {
  if (win.webContents.isLoading()) win.webContents.once('did-finish-load', () => then(win))
  else then(win)
}

function windowFocused(): boolean {
  return mainWindow !== null && !mainWindow.isDestroyed() && mainWindow.isVisible() && mainWindow.isFocused()
}

/**
 * Opens a chat in the renderer. The Api event `openChat` is being added to the contract;
 * until it exists, the click brings the window forward only.
 */
function openChatInRenderer(win: BrowserWindow, chatId: string, messageId: string): void {
  if ((EVENT_NAMES as readonly string[]).includes('openChat')) sendShellEvent(win.webContents, 'openChat', { chatId, messageId })
}

function hardenSessions(): void {
  // The built renderer gets its CSP from the app:// handler; the dev server's pages get it here.
  if (rendererDevUrl) {
    const csp = [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: junction-media:",
      "font-src 'self'",
      `connect-src 'self' ${rendererDevUrl.replace(/^http/, 'ws')}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'"
    ].join('; ')
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      const headers = { ...details.responseHeaders }
      if (isRendererUrl(details.url)) headers['Content-Security-Policy'] = [csp]
      callback({ responseHeaders: headers })
    })
  }
  serveAppScheme(session.defaultSession, rendererDir)
  serveMediaScheme(
    session.defaultSession,
    (messageId) => {
      if (!core) return Promise.reject(new Error('Junction is not started'))
      return core.media(messageId)
    },
    (accountId, remoteId) => (core ? core.avatar(accountId, remoteId) : Promise.reject(new Error('Junction is not started')))
  )
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

/** A folder opens in the file manager; a file is shown selected in its folder. */
async function revealPath(path: string): Promise<void> {
  let isDirectory = false
  try {
    isDirectory = statSync(path).isDirectory()
  } catch {
    // A missing export is shown by its folder, as showItemInFolder does.
  }
  if (!isDirectory) return shell.showItemInFolder(path)
  const failure = await shell.openPath(path)
  if (failure) log.warn({ reason: failure }, 'the folder could not be opened')
}

function startTray(prefs: ElectronStore<ShellPreferences>): void {
  tray = createTray({
    resourcesDir: resourcesDir(app.getAppPath()),
    platform: process.platform,
    log,
    pausedUntil: prefs.get('notificationsPausedUntil') ?? null,
    onOpen: () => void showWindow(),
    onQuit: () => app.quit(),
    onPauseChange: (until) => (until === null ? prefs.delete('notificationsPausedUntil') : prefs.set('notificationsPausedUntil', until))
  })
}

function startUpdateChecks(controls: UpdateControls): void {
  const check = (): void => {
    if (controls.feedUrl()) void controls.check()
  }
  setTimeout(check, UPDATE_FIRST_CHECK_MS).unref()
  setInterval(check, UPDATE_INTERVAL_MS).unref()
}

async function start(): Promise<void> {
  preferences = new ElectronStore<ShellPreferences>({ name: 'shell', cwd: app.getPath('userData') })
  const prefs = preferences
  const dataDir = resolveDataDir(prefs)
  hardenSessions()
  const vault = await openSafeStorageVault(preferences, dataDir, log)
  const networks = builtInNetworks()
  const updates = createUpdater(prefs, log)
  // `logsDir` and `desktop` are the CoreOptions the shell asked for (revealPath 'logs-folder';
  // getDesktopPreferences / updateDesktopPreferences / checkForUpdates); until Core declares them they are unused extras.
  const options: CoreOptions & { logsDir: string | null; desktop: DesktopControls } = {
    store: openProfileStore(dataDir),
    vault,
    networks,
    log,
    shell: 'electron',
    dataDir,
    version: app.getVersion(),
    authBrowser: createAuthWindowBrowser(() => mainWindow, log.child({ part: 'sign-in' })),
    openExternal: async (url) => {
      if (isWebUrl(url)) await shell.openExternal(url)
    },
    revealPath,
    moveDataFolder: async (path) => {
      prefs.set('pendingDataDir', path)
      app.relaunch()
      app.quit()
    },
    pickFolder: createFolderPicker(() => mainWindow),
    connectivity: electronConnectivity(log.child({ part: 'connectivity' })),
    logsDir: logFile ? dirname(logFile) : null,
    mediaUrl: { base: MEDIA_URL_BASE, query: '' },
    avatarUrl: { base: AVATAR_URL_BASE, query: '' },
    spawnIsolated: utilityIsolated,
    desktop: createDesktopControls(prefs, updates),
    // An attachment is saved under Downloads (core/downloads.ts picks a safe, new name) and opened by the system.
    downloadsDir: app.getPath('downloads'),
    openFile: async (path) => {
      const failure = await shell.openPath(path)
      if (failure) throw new JunctionError('unavailable', 'The file could not be opened.')
    }
  }
  core = new Core(options)
  bindIpc({
    dispatch: createDispatcher(core.handlers, log),
    events: core.events,
    log,
    target: () => mainWindow?.webContents ?? null,
    rendererOrigin: isRendererUrl
  })
  startTray(prefs)
  const notifier = createMainNotifier({
    log: log.child({ part: 'notifications' }),
    iconPath: join(resourcesDir(app.getAppPath()), 'icon.png'),
    settings: () => notificationSettings,
    pausedUntil: () => tray?.pausedUntil() ?? null,
    windowFocused,
    networkName: (id) => networks.find((n) => n.id === id)?.displayName ?? id,
    target: {
      showWindow: () => void showWindow(),
      openChat: (chatId, messageId) => {
        if (mainWindow && !mainWindow.isDestroyed()) whenLoaded(mainWindow, (win) => openChatInRenderer(win, chatId, messageId))
      }
    }
  })
  core.events.on('notify', notifier.onNotify)
  core.events.on('settings', (settings) => {
    notificationSettings = settings.notifications
  })
  core.events.on('chat', scheduleBadgeUpdate)
  notificationSettings = (await core.handlers.getSettings()).notifications
  startUpdateChecks(updates)
  mainWindow = createWindow(prefs)
  await core.start()
  scheduleBadgeUpdate()
}

async function onStartFailure(error: unknown): Promise<void> {
  log.error({ error }, 'Junction could not start')
  const failure = startupFailure(error, logFile)
  // Close what did open (the database) before leaving; a hung close must not keep the dialog from showing.
  if (core) await closeWithin(() => core!.close(), 2_000)
  showStartupError(failure.title, failure.content)
  app.exit(failure.exitCode)
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => void showWindow())
  app.on('window-all-closed', () => {
    if (quitWhenAllWindowsClosed({ platform: process.platform, trayAvailable: tray !== null, preference: preferences?.get('closeToTray') })) app.quit()
  })
  app.on('activate', () => void showWindow())
  app.on(
    'before-quit',
    createQuitGuard({
      close: () => (core ? core.close() : Promise.resolve()),
      timeoutMs: QUIT_TIMEOUT_MS,
      onOutcome: (outcome) => {
        if (outcome !== 'closed') log.error({ outcome }, 'Junction did not close cleanly')
        tray?.destroy()
      },
      // After a clean close the quit resumes (windows close, `quit` fires, so a downloaded
      // update installs); a failed or timed-out close ends the process with a non-zero code.
      exit: (code) => {
        quitting = true
        if (code === 0) app.quit()
        else app.exit(code)
      }
    })
  )
  app
    .whenReady()
    .then(() => startSafely(start, (error) => void onStartFailure(error)))
    .catch((error: unknown) => void onStartFailure(error))
}
