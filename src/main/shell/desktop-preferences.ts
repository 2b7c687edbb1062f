// The desktop app's own preferences, kept by the shell in electron-store next to the window
// bounds (not in the profile's SQLite settings, which the headless host shares): whether
// closing the window keeps Junction running, and the update feed. Read and changed through
// the Api once it has the requests (see the shell's report); validated here either way.

import { JunctionError } from '../../shared/errors'
import { validUpdateUrl } from './update-check'

export interface DesktopPreferences {
  /** Closing the window keeps Junction running in the tray (Windows/Linux) or the dock (macOS). */
  closeToTray: boolean
  /** The generic update feed; null means no update checks. */
  updateUrl: string | null
}

export interface DesktopPreferencesPatch {
  closeToTray?: boolean
  updateUrl?: string | null
}

/** The slice of electron-store used here (the keys of ShellPreferences in src/main/vault.ts). */
export interface PreferenceStore {
  get(key: 'closeToTray'): boolean | undefined
  get(key: 'updateUrl'): string | undefined
  set(key: 'closeToTray', value: boolean): void
  set(key: 'updateUrl', value: string): void
  delete(key: 'closeToTray' | 'updateUrl'): void
}

export function readDesktopPreferences(store: PreferenceStore): DesktopPreferences {
  return { closeToTray: store.get('closeToTray') ?? true, updateUrl: store.get('updateUrl') ?? null }
}

/** Applies a patch whole or not at all: an update URL that is not https (or loopback http) is refused with a typed error. */
export function updateDesktopPreferences(store: PreferenceStore, patch: DesktopPreferencesPatch): DesktopPreferences {
  let url: string | null | undefined
  if (patch.updateUrl !== undefined && patch.updateUrl !== null && patch.updateUrl.trim() !== '') {
    url = validUpdateUrl(patch.updateUrl.trim())
    if (!url) throw new JunctionError('invalid-argument', 'The update address must be an https:// URL.')
  } else if (patch.updateUrl !== undefined) url = null
  if (patch.closeToTray !== undefined) store.set('closeToTray', patch.closeToTray)
  if (url === null) store.delete('updateUrl')
  else if (url !== undefined) store.set('updateUrl', url)
  return readDesktopPreferences(store)
}
