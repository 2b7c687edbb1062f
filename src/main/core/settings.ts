// The person's preferences, stored in the profile database with defaults for what was never set.

import type { Settings, SettingsPatch } from '../../shared/api'
import type { Store } from './store'

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  notifications: { enabled: true, showPreview: true },
  lineSignerPath: null
}

const KEY = 'preferences'

export function readSettings(store: Store): Settings {
  const saved = store.settings.get<Partial<Settings>>(KEY) ?? {}
  return {
    theme: saved.theme ?? DEFAULT_SETTINGS.theme,
    notifications: { ...DEFAULT_SETTINGS.notifications, ...saved.notifications },
    lineSignerPath: saved.lineSignerPath ?? DEFAULT_SETTINGS.lineSignerPath
  }
}

export function updateSettings(store: Store, patch: SettingsPatch): Settings {
  const current = readSettings(store)
  const next: Settings = {
    theme: patch.theme ?? current.theme,
    notifications: { ...current.notifications, ...patch.notifications },
    lineSignerPath: patch.lineSignerPath === undefined ? current.lineSignerPath : patch.lineSignerPath
  }
  store.settings.set(KEY, next)
  return next
}
