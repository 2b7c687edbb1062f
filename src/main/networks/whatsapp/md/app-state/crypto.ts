// App-state ("syncd") cryptography (spec §9.1 key expansion, §9.4 mutation MACs, §9.5 LTHash):
// every MAC is checked before anything is applied; a mismatch is an `integrity` error that
// makes the caller re-fetch the collection from a snapshot.

import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto'
import { JunctionError, ProtocolError } from '../../../../../shared/errors'
import { concat, constantTimeEqual, hkdf, hmacSha256 } from '../crypto'

export interface MutationKeys {
  indexKey: Uint8Array
  valueEncryptionKey: Uint8Array
  valueMacKey: Uint8Array
  snapshotMacKey: Uint8Array
  patchMacKey: Uint8Array
}

/** spec §9.1: HKDF(keyData, salt 0×32, "WhatsApp Mutation Keys", 160), five 32-byte keys in order. */
export function expandAppStateKeys(keyData: Uint8Array): MutationKeys {
  const x = hkdf(keyData, 160, null, 'WhatsApp Mutation Keys')
  return {
    indexKey: x.slice(0, 32),
    valueEncryptionKey: x.slice(32, 64),
    valueMacKey: x.slice(64, 96),
    snapshotMacKey: x.slice(96, 128),
    patchMacKey: x.slice(128, 160)
  }
}

/** spec §9.2 SyncdMutation.operation. */
export const SET = 0
export const REMOVE = 1

function u64be(n: number): Uint8Array {
  const b = Buffer.alloc(8)
  b.writeBigUInt64BE(BigInt(n))
  return new Uint8Array(b)
}

/** spec §9.4: HMAC-SHA512(valueMacKey, opByte ‖ keyId ‖ encValue ‖ u64(len(keyId) + 1))[0:32]; opByte SET 01, REMOVE 02. */
export function valueMac(operation: number, encValue: Uint8Array, keyId: Uint8Array, valueMacKey: Uint8Array): Uint8Array {
  const h = createHmac('sha512', valueMacKey)
  h.update(Uint8Array.of(operation === REMOVE ? 0x02 : 0x01))
  h.update(keyId)
  h.update(encValue)
  h.update(u64be(keyId.length + 1))
  return new Uint8Array(h.digest().subarray(0, 32))
}

export function indexMac(indexJson: Uint8Array, indexKey: Uint8Array): Uint8Array {
  return hmacSha256(indexKey, indexJson)
}

export function snapshotMac(lthash: Uint8Array, version: number, name: string, snapshotMacKey: Uint8Array): Uint8Array {
  return hmacSha256(snapshotMacKey, lthash, u64be(version), new TextEncoder().encode(name))
}

export function patchMac(snapshot: Uint8Array, valueMacs: readonly Uint8Array[], version: number, name: string, patchMacKey: Uint8Array): Uint8Array {
  return hmacSha256(patchMacKey, snapshot, ...valueMacs, u64be(version), new TextEncoder().encode(name))
}

/** spec §9.4: encValue = iv16 ‖ AES-256-CBC(PKCS#7(SyncActionData)). */
export function encryptValue(plain: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-256-cbc', key, iv)
  return concat(iv, c.update(plain), c.final())
}

export function decryptValue(encValue: Uint8Array, key: Uint8Array): Uint8Array {
  if (encValue.length < 32 || encValue.length % 16 !== 0) throw new ProtocolError('An app-state value has an impossible length.')
  try {
    const d = createDecipheriv('aes-256-cbc', key, encValue.subarray(0, 16))
    return concat(d.update(encValue.subarray(16)), d.final())
  } catch (cause) {
    // Only reached after the value MAC matched.
    throw new ProtocolError('An app-state value did not decrypt.', { cause })
  }
}

export function checkMac(actual: Uint8Array, expected: Uint8Array | undefined, what: string): void {
  if (!expected || !constantTimeEqual(actual, expected))
    throw new JunctionError('integrity', `The WhatsApp app state failed its ${what} check.`, { reason: { code: 'unknown' } })
}

/** spec §9.5: 128 bytes, 64 little-endian u16 lanes; add/sub HKDF(x, "WhatsApp Patch Integrity", 128) lane-wise mod 2^16. */
export const LTHASH_BYTES = 128

export function ltHashApply(hash: Uint8Array, add: readonly Uint8Array[], sub: readonly Uint8Array[]): Uint8Array {
  const out = hash.slice()
  const view = new DataView(out.buffer, out.byteOffset, out.length)
  const fold = (x: Uint8Array, sign: 1 | -1): void => {
    const e = hkdf(x, LTHASH_BYTES, null, 'WhatsApp Patch Integrity')
    const ev = new DataView(e.buffer, e.byteOffset, e.length)
    for (let i = 0; i < LTHASH_BYTES; i += 2) view.setUint16(i, (view.getUint16(i, true) + sign * ev.getUint16(i, true)) & 0xffff, true)
  }
  // Subtractions refer to values before the patch; the operation is commutative (§9.5).
  for (const x of sub) fold(x, -1)
  for (const x of add) fold(x, 1)
  return out
}
