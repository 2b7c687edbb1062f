// The Letter Sealing keychain a login delivers (spec §6.6, §8.1, §8.3): unwrapped, parsed
// as a TCompact struct, and checked key by key, because a wrong entry means messages no
// one can read (linejs#229: always taking entry 0 picked the wrong key).

import { JunctionError } from '../../../shared/errors'
import { unwrapKeychain, x25519Public } from './crypto'
import { decodeStruct, KeychainSchema } from './thrift'

/** One of the account's own Letter Sealing keys, as kept in the credentials. */
export interface SealingKey {
  keyId: number
  version: number
  /** Standard base64. */
  publicKey: string
  privateKey: string
}

export interface Keychain {
  /** The key the server named at login (`metaData.keyId`): the one to send with. */
  activeKeyId: number
  keys: SealingKey[]
}

export function parseKeychain(plain: Uint8Array, activeKeyId: number): Keychain {
  let decoded
  try {
    decoded = decodeStruct(KeychainSchema, plain, 'compact')
  } catch (cause) {
    throw new JunctionError('integrity', 'The Letter Sealing keys could not be read. Was the PIN typed correctly?', {
      cause,
      reason: { code: 'credentials-refused', params: { what: 'line-pin' } }
    })
  }
  const keys: SealingKey[] = []
  for (const raw of (decoded.keys ?? []) as Record<string, unknown>[]) {
    const priv = Buffer.from(String(raw.privateKey ?? ''), 'base64')
    const pub = Buffer.from(String(raw.publicKey ?? ''), 'base64')
    if (priv.length !== 32 || pub.length < 32) continue
    // spec §8.1: verify X25519_base(priv) == pub before trusting an entry.
    if (!Buffer.from(x25519Public(priv)).equals(pub.subarray(pub.length - 32))) continue
    keys.push({
      keyId: Number(raw.keyId ?? 0),
      version: Number(raw.version ?? 1),
      publicKey: pub.subarray(pub.length - 32).toString('base64'),
      privateKey: priv.toString('base64')
    })
  }
  if (keys.length === 0)
    throw new JunctionError('integrity', 'The Letter Sealing keys could not be read. Was the PIN typed correctly?', {
      reason: { code: 'credentials-refused', params: { what: 'line-pin' } }
    })
  const active = keys.some((k) => k.keyId === activeKeyId) ? activeKeyId : keys[0]!.keyId
  return { activeKeyId: active, keys }
}

/** The metaData/metadata of a QR login or the LF1 poll (spec §4.1, §4.2). */
export interface KeychainDelivery {
  publicKey?: string
  encryptedKeyChain?: string
  keyId?: string | number
  errorCode?: string
}

/** Null when the account has Letter Sealing off (no keys delivered): messages go plain. */
export function openKeychain(loginPriv: Uint8Array, delivery: KeychainDelivery | undefined | null): Keychain | null {
  if (!delivery?.encryptedKeyChain || !delivery.publicKey) return null
  if (delivery.errorCode !== undefined && delivery.errorCode !== 'SUCCESS') return null
  const plain = unwrapKeychain(loginPriv, Buffer.from(delivery.publicKey, 'base64'), Buffer.from(delivery.encryptedKeyChain, 'base64'))
  return parseKeychain(plain, Number(delivery.keyId ?? 0))
}
