// Where app state lives in the KeyStore (spec §9.1, §9.5): the sync keys the phone shared (by
// base64 key id, as Baileys stores them) and, per collection, its version, LTHash and the
// live records' index MAC → value MAC map that later patches subtract from.

import type { KeyStore, KeyWrite } from '../../../connector'
import type { AppStateSyncKey } from '../proto'
import { LTHASH_BYTES } from './crypto'

/** `outbox`: writes waiting for a connection (outbox.ts). */
export const APP_STATE_NS = { key: 'wamd.appstate-key', collection: 'wamd.appstate', outbox: 'wamd.appstate-outbox' } as const

/** spec §9.1: the five collections. */
export const COLLECTIONS = ['critical_block', 'critical_unblock_low', 'regular_high', 'regular', 'regular_low'] as const
export type CollectionName = (typeof COLLECTIONS)[number]

export interface CollectionState {
  version: number
  hash: Uint8Array
  /** base64(indexMac) → valueMac of every live record. */
  macs: Map<string, Uint8Array>
}

export function emptyState(): CollectionState {
  return { version: 0, hash: new Uint8Array(LTHASH_BYTES), macs: new Map() }
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'))

export function encodeState(s: CollectionState): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ version: s.version, hash: b64(s.hash), macs: [...s.macs].map(([k, v]) => [k, b64(v)]) }))
}

export function loadState(keyStore: KeyStore, name: string): CollectionState {
  const raw = keyStore.get(APP_STATE_NS.collection, name)
  if (!raw) return emptyState()
  try {
    const j = JSON.parse(new TextDecoder().decode(raw)) as { version: number; hash: string; macs: Array<[string, string]> }
    const hash = unb64(j.hash)
    if (hash.length !== LTHASH_BYTES || !Number.isSafeInteger(j.version)) return emptyState()
    return { version: j.version, hash, macs: new Map(j.macs.map(([k, v]) => [k, unb64(v)])) }
  } catch {
    // A damaged state is re-fetched from a snapshot, never patched.
    return emptyState()
  }
}

export function stateWrite(name: string, s: CollectionState): KeyWrite {
  return { namespace: APP_STATE_NS.collection, key: name, value: encodeState(s) }
}

interface StoredKey {
  keyData: string
  timestamp: number
}

/** The writes that keep shared keys (spec §9.1): staged with the message that carried them. */
export function keyShareWrites(keys: readonly AppStateSyncKey[]): KeyWrite[] {
  const out: KeyWrite[] = []
  for (const k of keys) {
    const id = k.keyId?.keyId
    const data = k.keyData?.keyData
    if (!id?.length || data?.length !== 32) continue
    const value: StoredKey = { keyData: b64(data), timestamp: Number(k.keyData?.timestamp ?? 0) }
    out.push({ namespace: APP_STATE_NS.key, key: b64(id), value: new TextEncoder().encode(JSON.stringify(value)) })
  }
  return out
}

export function keyData(keyStore: KeyStore, keyId: Uint8Array): Uint8Array | null {
  const raw = keyStore.get(APP_STATE_NS.key, b64(keyId))
  if (!raw) return null
  try {
    const k = JSON.parse(new TextDecoder().decode(raw)) as StoredKey
    return unb64(k.keyData)
  } catch {
    return null
  }
}

/** spec §9.6: writes use the newest key received. */
export function newestKeyId(keyStore: KeyStore): Uint8Array | null {
  let best: { id: string; t: number } | null = null
  for (const [id, raw] of keyStore.list(APP_STATE_NS.key)) {
    let t = 0
    try {
      t = (JSON.parse(new TextDecoder().decode(raw)) as StoredKey).timestamp
    } catch {
      continue
    }
    if (!best || t >= best.t) best = { id, t }
  }
  return best ? unb64(best.id) : null
}

export function hasKeys(keyStore: KeyStore): boolean {
  return keyStore.list(APP_STATE_NS.key).length > 0
}
