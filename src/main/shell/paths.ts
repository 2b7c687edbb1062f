// Where the shell's files are, packaged or not.

import { join } from 'node:path'

/**
 * The runtime assets (tray and window icons). They are unpacked from the asar
 * (electron-builder.yml `asarUnpack`), because OS processes (libnotify, the Windows shell)
 * read notification and tray icons by path; in development the app path is the project.
 */
export function resourcesDir(appPath: string): string {
  return join(appPath.replace(/app\.asar$/, 'app.asar.unpacked'), 'resources')
}

export function logsDir(userData: string): string {
  return join(userData, 'logs')
}

/** electron-builder.yml's appId; Windows groups notifications and taskbar entries by it. */
export const APP_ID = 'app.junction.desktop'
