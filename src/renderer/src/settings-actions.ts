// Settings, export, data folders and the desktop's own preferences as the UI uses them, part
// of `Actions` (actions.ts). Each reports its own failure as a toast.

import type { DesktopPreferences, ExportFormat, ExportResult, SettingsPatch, UpdateCheckResult } from '../../shared/api'
import type { NetworkId } from '../../shared/model'
import type { Api } from './api'
import type { AppStore } from './state/store'
import { strings } from './strings'

export interface SettingsActions {
  updateSettings(patch: SettingsPatch): Promise<void>
  exportHistory(format: ExportFormat): Promise<ExportResult | null>
  revealDataFolder(): void
  revealLogsFolder(): void
  getDesktopPreferences(): Promise<DesktopPreferences | null>
  updateDesktopPreferences(patch: { closeToTray?: boolean; updateUrl?: string | null }): Promise<DesktopPreferences | null>
  checkForUpdates(): Promise<UpdateCheckResult | null>
  revealExport(fileName: string): void
  moveDataFolder(): Promise<void>
  pickNetworkFolder(network: NetworkId, name: string): Promise<void>
  moveDataFolder(): Promise<void>
}

export function createSettingsActions(api: Api, store: AppStore, report: (error: unknown) => void): SettingsActions {
  const s = (): ReturnType<AppStore['getState']> => store.getState()
  return {
    async updateSettings(patch) {
      const before = s().settings
      // Shown at once, so a switch moves under the finger; the stored value then confirms it.
      if (before) s().setSettings({ ...before, theme: patch.theme ?? before.theme, notifications: { ...before.notifications, ...patch.notifications } })
      try {
        s().setSettings(await api.updateSettings(patch))
      } catch (error) {
        if (before) s().setSettings(before)
        report(error)
      }
    },

    async exportHistory(format) {
      try {
        const result = await api.exportHistory({ format })
        if (result.downloadUrl) {
          const token = sessionStorage.getItem('junction.token') ?? ''
          const a = document.createElement('a')
          a.href = `${result.downloadUrl}?token=${encodeURIComponent(token)}`
          a.download = result.fileName
          a.click()
        }
        s().pushToast(strings.settings.exported(result.messages, result.fileName))
        return result
      } catch (error) {
        report(error)
        return null
      }
    },

    revealDataFolder() {
      api.revealPath({ what: 'data-folder' }).catch(report)
    },
    revealLogsFolder() {
      api.revealPath({ what: 'logs-folder' }).catch(report)
    },
    async getDesktopPreferences() {
      return api.getDesktopPreferences().catch((error: unknown) => (report(error), null))
    },
    async updateDesktopPreferences(patch) {
      return api.updateDesktopPreferences(patch).catch((error: unknown) => (report(error), null))
    },
    async checkForUpdates() {
      return api.checkForUpdates().catch((error: unknown) => (report(error), null))
    },

    revealExport(fileName) {
      api.revealPath({ what: 'export', fileName }).catch(report)
    },

    async pickNetworkFolder(network, name) {
      await api
        .pickNetworkFolder({ network, name })
        .then((settings) => s().setSettings(settings))
        .catch(report)
    },
    async moveDataFolder() {
      await api.moveDataFolder().catch(report)
    }
  }
}
