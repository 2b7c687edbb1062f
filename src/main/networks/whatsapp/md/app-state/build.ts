// Writing app state (spec §9.6 "Writing"): mutations encrypted and MACed with the newest key,
// the LTHash moved on from the collection's current state, version + 1, the snapshot MAC and
// patch MAC over it, sent as a SyncdPatch without a version field.

import { randomBytes } from 'node:crypto'
import { encodeProto } from '../proto'
import { encryptValue, expandAppStateKeys, indexMac, ltHashApply, patchMac, REMOVE, SET, snapshotMac, valueMac } from './crypto'
import type { SyncActionValue, SyncdPatch } from './patch'
import type { CollectionState } from './store'

export interface OutgoingMutation {
  operation: typeof SET | typeof REMOVE
  index: string[]
  value: SyncActionValue
  /** SyncActionData.version (spec §9.6 table). */
  version: number
}

export function buildPatch(
  name: string,
  state: CollectionState,
  mutations: readonly OutgoingMutation[],
  key: { id: Uint8Array; data: Uint8Array },
  iv: () => Uint8Array = () => new Uint8Array(randomBytes(16))
): SyncdPatch {
  const keys = expandAppStateKeys(key.data)
  const add: Uint8Array[] = []
  const sub: Uint8Array[] = []
  const valueMacs: Uint8Array[] = []
  const macs = new Map(state.macs)
  const records = mutations.map((m) => {
    const indexJson = new TextEncoder().encode(JSON.stringify(m.index))
    const data = encodeProto('SyncActionData', { index: indexJson, value: m.value, padding: new Uint8Array(0), version: m.version })
    const enc = encryptValue(data, keys.valueEncryptionKey, iv())
    const vMac = valueMac(m.operation, enc, key.id, keys.valueMacKey)
    const iMac = indexMac(indexJson, keys.indexKey)
    const k = Buffer.from(iMac).toString('base64')
    const previous = macs.get(k)
    if (previous) sub.push(previous)
    if (m.operation === REMOVE) macs.delete(k)
    else {
      add.push(vMac)
      macs.set(k, vMac)
    }
    valueMacs.push(vMac)
    return {
      operation: m.operation,
      record: { index: { blob: iMac }, value: { blob: new Uint8Array(Buffer.concat([enc, vMac])) }, keyId: { id: key.id } }
    }
  })
  const version = state.version + 1
  const hash = ltHashApply(state.hash, add, sub)
  const snap = snapshotMac(hash, version, name, keys.snapshotMacKey)
  return { mutations: records, snapshotMac: snap, patchMac: patchMac(snap, valueMacs, version, name, keys.patchMacKey), keyId: { id: key.id } }
}
