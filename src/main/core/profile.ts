import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Store } from './store'

export const DATABASE_FILE = 'junction.db'
export const VAULT_KEY_FILE = 'vault.key'

/** Opens the profile database in `dataDir`, creating the folder (owner-only) if needed. */
export function openProfileStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  return Store.open(join(dataDir, DATABASE_FILE))
}
