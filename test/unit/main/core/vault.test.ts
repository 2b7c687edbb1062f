import { readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AesGcmVault, openFileVault, openJson, sealJson } from '../../../../src/main/core/vault'
import { JunctionError } from '../../../../src/shared/errors'
import { tempDir } from '../../../helpers/core-harness'

const dirs: { remove(): void }[] = []
afterEach(() => dirs.splice(0).forEach((d) => d.remove()))

describe('the vault', () => {
  it('round-trips a credential and never stores it in plaintext', () => {
    const vault = new AesGcmVault(Buffer.alloc(32, 7))
    const sealed = sealJson(vault, { token: 'super-secret-token' }, 'acc_1')
    expect(Buffer.from(sealed).toString('latin1')).not.toContain('super-secret')
    expect(openJson(vault, sealed, 'acc_1')).toEqual({ token: 'super-secret-token' })
  })

  it('uses a fresh IV for every blob', () => {
    const vault = new AesGcmVault(Buffer.alloc(32, 7))
    const a = Buffer.from(vault.seal(Buffer.from('same'), 'x'))
    const b = Buffer.from(vault.seal(Buffer.from('same'), 'x'))
    expect(a.equals(b)).toBe(false)
  })

  it('refuses a blob moved to another account, a flipped bit and the wrong key', () => {
    const vault = new AesGcmVault(Buffer.alloc(32, 7))
    const sealed = Buffer.from(vault.seal(Buffer.from('secret'), 'acc_1'))
    expect(() => vault.open(sealed, 'acc_2')).toThrow(JunctionError)
    const flipped = Buffer.from(sealed)
    flipped[flipped.length - 1]! ^= 1
    expect(() => vault.open(flipped, 'acc_1')).toThrow(/could not be unlocked/)
    expect(() => new AesGcmVault(Buffer.alloc(32, 8)).open(sealed, 'acc_1')).toThrow(/could not be unlocked/)
    expect(() => vault.open(Buffer.from([1, 2, 3]), 'acc_1')).toThrow(/damaged/)
  })

  it('keeps its key in a 0600 file, reused across launches and tightened if loosened', () => {
    const dir = tempDir()
    dirs.push(dir)
    const path = join(dir.path, 'keys', 'vault.key')
    const first = openFileVault(path)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readFileSync(path)).toHaveLength(32)
    const sealed = first.seal(Buffer.from('x'), 'c')
    chmodSync(path, 0o644)
    const second = openFileVault(path)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(Buffer.from(second.open(sealed, 'c')).toString()).toBe('x')
  })

  it('does not overwrite a key file it cannot use', () => {
    const dir = tempDir()
    dirs.push(dir)
    const path = join(dir.path, 'vault.key')
    writeFileSync(path, 'short', { mode: 0o600 })
    expect(() => openFileVault(path)).toThrow(/wrong length/)
    expect(readFileSync(path, 'utf8')).toBe('short')
  })
})
