// The person's preferences, stored in the profile database with defaults for what was never set.
// Network settings are stored per network by field name and merged into that network's
// `context.config` (core.ts); Core never knows what a field means.

import type { Settings, SettingsPatch, SettingValue } from '../../shared/api'
import type { NetworkId } from '../../shared/model'
import type { Store } from './store'

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  notifications: { enabled: true, showPreview: true },
  networks: {}
}

const KEY = 'preferences'

export function readSettings(store: Store): Settings {
  const saved = store.settings.get<Partial<Settings>>(KEY) ?? {}
  return {
    theme: saved.theme ?? DEFAULT_SETTINGS.theme,
    notifications: { ...DEFAULT_SETTINGS.notifications, ...saved.notifications },
    networks: isRecord(saved.networks) ? (saved.networks as Settings['networks']) : {}
  }
}

/** `patch.network` must already be checked against the network's declared fields (core.ts). */
export function updateSettings(store: Store, patch: SettingsPatch): Settings {
  const current = readSettings(store)
  const next: Settings = {
    theme: patch.theme ?? current.theme,
    notifications: { ...current.notifications, ...patch.notifications },
    networks: patch.network ? withNetworkValue(current.networks, patch.network.id, patch.network.name, patch.network.value) : current.networks
  }
  store.settings.set(KEY, next)
  return next
}

function withNetworkValue(networks: Settings['networks'], id: NetworkId, name: string, value: SettingValue): Settings['networks'] {
  const fields = { ...networks[id] }
  if (value === null) delete fields[name]
  else fields[name] = value
  return { ...networks, [id]: fields }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
