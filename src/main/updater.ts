// electron-updater with a generic provider whose URL is a setting (kept in electron-store),
// off until set (issue 13 §6). The result mapping is shell/update-check.ts.

import type ElectronStore from 'electron-store'
import { autoUpdater } from 'electron-updater'
import type { Logger } from './base/log'
import { readDesktopPreferences, updateDesktopPreferences, type DesktopPreferences, type DesktopPreferencesPatch } from './shell/desktop-preferences'
import { checkForUpdates, type UpdateCheckResult } from './shell/update-check'
import type { ShellPreferences } from './vault'

export interface UpdateControls {
  check(): Promise<UpdateCheckResult>
  feedUrl(): string | null
}

/** What Core needs for the desktop preferences and the update check (the Api requests reported by the shell). */
export interface DesktopControls {
  preferences(): DesktopPreferences
  updatePreferences(patch: DesktopPreferencesPatch): DesktopPreferences
  checkForUpdates(): Promise<UpdateCheckResult>
}

export function createUpdater(preferences: ElectronStore<ShellPreferences>, log: Logger): UpdateControls {
  const updaterLog = log.child({ part: 'updater' })
  autoUpdater.logger = {
    info: (m: unknown) => updaterLog.info({}, String(m)),
    warn: (m: unknown) => updaterLog.warn({}, String(m)),
    error: (m: unknown) => updaterLog.error({}, String(m)),
    debug: (m: unknown) => updaterLog.debug({}, String(m))
  }
  // A found update downloads in the background and is installed when Junction quits.
  autoUpdater.autoDownload = true
  autoUpdater.autoInstallOnAppQuit = true
  return {
    async check() {
      const result = await checkForUpdates({ feedUrl: preferences.get('updateUrl') ?? null, updater: autoUpdater })
      updaterLog.info({ result }, 'update check')
      return result
    },
    feedUrl: () => preferences.get('updateUrl') ?? null
  }
}

export function createDesktopControls(preferences: ElectronStore<ShellPreferences>, updater: UpdateControls): DesktopControls {
  return {
    preferences: () => readDesktopPreferences(preferences),
    updatePreferences: (patch) => updateDesktopPreferences(preferences, patch),
    checkForUpdates: () => updater.check()
  }
}
