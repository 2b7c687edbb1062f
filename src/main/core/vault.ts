// Secrets at rest. Credentials are sealed with AES-256-GCM before they touch the
// database; the data key is protected by the platform: Electron's safeStorage in the
// app (src/main/vault.ts), a 0600 key file under plain Node (below).

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { JunctionError } from '../../shared/errors'

export interface Vault {
  /** Seals `plaintext`; `context` (e.g. the account id) is bound as associated data, so a blob cannot be moved to another record. */
  seal(plaintext: Uint8Array, context: string): Uint8Array
  open(sealed: Uint8Array, context: string): Uint8Array
}

const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16
export const VAULT_KEY_BYTES = 32

/** AES-256-GCM with a random 96-bit IV per blob: `version(1) ‖ iv(12) ‖ tag(16) ‖ ciphertext`. */
export class AesGcmVault implements Vault {
  private readonly key: Buffer

  constructor(key: Uint8Array) {
    if (key.byteLength !== VAULT_KEY_BYTES) throw new JunctionError('internal', 'The vault key has the wrong length.')
    this.key = Buffer.from(key)
  }

  seal(plaintext: Uint8Array, context: string): Uint8Array {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    cipher.setAAD(Buffer.from(context, 'utf8'))
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
    return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body])
  }

  open(sealed: Uint8Array, context: string): Uint8Array {
    const blob = Buffer.from(sealed)
    if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== VERSION) {
      throw new JunctionError('integrity', 'Saved credentials are damaged.')
    }
    const iv = blob.subarray(1, 1 + IV_BYTES)
    const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES)
    const body = blob.subarray(1 + IV_BYTES + TAG_BYTES)
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv)
      decipher.setAAD(Buffer.from(context, 'utf8'))
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(body), decipher.final()])
    } catch (cause) {
      throw new JunctionError('integrity', 'Saved credentials could not be unlocked.', { cause })
    }
  }
}

export function sealJson(vault: Vault, value: unknown, context: string): Uint8Array {
  return vault.seal(Buffer.from(JSON.stringify(value), 'utf8'), context)
}

export function openJson<T>(vault: Vault, sealed: Uint8Array, context: string): T {
  const text = Buffer.from(vault.open(sealed, context)).toString('utf8')
  try {
    return JSON.parse(text) as T
  } catch (cause) {
    throw new JunctionError('integrity', 'Saved credentials are damaged.', { cause })
  }
}

/**
 * The plain-Node vault: a random key in a file only the owner can read (0600). If the
 * file exists with looser permissions it is tightened; if it cannot be read, nothing is
 * overwritten, because that would orphan every sealed credential.
 */
export function openFileVault(keyPath: string): AesGcmVault {
  let key: Buffer
  try {
    const mode = statSync(keyPath).mode & 0o777
    if (mode !== 0o600) chmodSync(keyPath, 0o600)
    key = readFileSync(keyPath)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new JunctionError('internal', 'The vault key file could not be read.', { cause: error })
    }
    mkdirSync(dirname(keyPath), { recursive: true, mode: 0o700 })
    key = randomBytes(VAULT_KEY_BYTES)
    writeFileSync(keyPath, key, { mode: 0o600, flag: 'wx' })
  }
  return new AesGcmVault(key)
}
