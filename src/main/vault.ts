// The Electron Vault: a random AES-256 data key, wrapped by the OS keychain through
// safeStorage and kept (wrapped) in electron-store. Credentials are sealed with it by
// core's AesGcmVault. Where the OS offers no keychain (Linux without a secret
// service), the key falls back to the 0600 key file used under plain Node.

import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { safeStorage } from 'electron'
import type ElectronStore from 'electron-store'
import type { Logger } from './base/log'
import { AesGcmVault, openFileVault, VAULT_KEY_BYTES } from './core/vault'
import { VAULT_KEY_FILE } from './core/profile'

export interface ShellPreferences {
  windowBounds?: { x?: number; y?: number; width: number; height: number }
  wrappedVaultKey?: string
  /** The profile folder, when the person moved it away from the default. */
  dataDir?: string
  /** A move asked for in Settings, carried out at the next start before the database opens. */
  pendingDataDir?: string
  /** Closing the window keeps Junction running (tray on Windows/Linux, dock on macOS); absent means the platform's habit (yes). */
  closeToTray?: boolean
  /** The generic update feed (electron-updater); absent means no update checks. */
  updateUrl?: string
  /** The tray's "pause notifications for 1 hour", until this epoch ms. */
  notificationsPausedUntil?: number
}

export async function openSafeStorageVault(preferences: ElectronStore<ShellPreferences>, dataDir: string, log: Logger): Promise<AesGcmVault> {
  const available = await safeStorage.isAsyncEncryptionAvailable()
  if (!available || (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text')) {
    log.warn({}, 'no OS keychain: the vault key is kept in an owner-only file')
    return openFileVault(join(dataDir, VAULT_KEY_FILE))
  }
  const wrapped = preferences.get('wrappedVaultKey')
  if (wrapped) {
    const { result } = await safeStorage.decryptStringAsync(Buffer.from(wrapped, 'base64'))
    return new AesGcmVault(Buffer.from(result, 'base64'))
  }
  const key = randomBytes(VAULT_KEY_BYTES)
  const sealed = await safeStorage.encryptStringAsync(key.toString('base64'))
  preferences.set('wrappedVaultKey', sealed.toString('base64'))
  return new AesGcmVault(key)
}
