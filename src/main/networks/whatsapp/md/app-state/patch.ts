// Decoding and verifying snapshots and patches (spec §9.4–§9.5). Everything is computed on a
// copy of the collection state and returned only when every MAC matched: the caller commits
// the new state with the events in one transaction, or nothing (never a half-applied patch).

import { JunctionError, ProtocolError } from '../../../../../shared/errors'
import { decodeProto } from '../proto'
import { checkMac, decryptValue, expandAppStateKeys, indexMac, ltHashApply, patchMac, REMOVE, SET, snapshotMac, valueMac, type MutationKeys } from './crypto'
import { emptyState, type CollectionState } from './store'

export interface SyncActionValue {
  timestamp?: number
  starAction?: { starred?: boolean }
  contactAction?: { fullName?: string; firstName?: string; lidJid?: string; pnJid?: string }
  muteAction?: { muted?: boolean; muteEndTimestamp?: number; autoMuted?: boolean }
  pinAction?: { pinned?: boolean }
  pushNameSetting?: { name?: string }
  archiveChatAction?: { archived?: boolean; messageRange?: { lastMessageTimestamp?: number } }
  markChatAsReadAction?: { read?: boolean; messageRange?: { lastMessageTimestamp?: number } }
}

export interface SyncdRecord {
  index?: { blob?: Uint8Array }
  value?: { blob?: Uint8Array }
  keyId?: { id?: Uint8Array }
}

export interface SyncdMutation {
  operation?: number
  record?: SyncdRecord
}

export interface ExternalBlobReference {
  mediaKey?: Uint8Array
  directPath?: string
  handle?: string
  fileSizeBytes?: number
  fileSha256?: Uint8Array
  fileEncSha256?: Uint8Array
}

export interface SyncdPatch {
  version?: { version?: number }
  mutations?: SyncdMutation[]
  externalMutations?: ExternalBlobReference
  snapshotMac?: Uint8Array
  patchMac?: Uint8Array
  keyId?: { id?: Uint8Array }
}

export interface SyncdSnapshot {
  version?: { version?: number }
  records?: SyncdRecord[]
  mac?: Uint8Array
  keyId?: { id?: Uint8Array }
}

export interface DecodedMutation {
  operation: number
  index: string[]
  value: SyncActionValue
}

/** A record names a key this device does not have yet (spec §9.1: park the collection until it arrives). */
export class MissingKeyError extends JunctionError {
  constructor(readonly keyId: Uint8Array) {
    super('not-found', 'A WhatsApp app-state key has not arrived yet.', { retryable: true })
  }
}

export type KeyLookup = (keyId: Uint8Array) => Uint8Array | null

function keysFor(lookup: KeyLookup, keyId: Uint8Array | undefined, cache: Map<string, MutationKeys>): MutationKeys {
  if (!keyId?.length) throw new ProtocolError('An app-state record names no key.')
  const id = Buffer.from(keyId).toString('base64')
  let keys = cache.get(id)
  if (!keys) {
    const data = lookup(keyId)
    if (!data) throw new MissingKeyError(keyId)
    keys = expandAppStateKeys(data)
    cache.set(id, keys)
  }
  return keys
}

interface Checked {
  decoded: DecodedMutation
  indexMac: Uint8Array
  valueMac: Uint8Array
}

/** spec §9.4: value MAC, decryption, index MAC over the decrypted index, the index JSON. */
function checkRecord(operation: number, record: SyncdRecord | undefined, lookup: KeyLookup, cache: Map<string, MutationKeys>): Checked {
  const keyId = record?.keyId?.id
  const keys = keysFor(lookup, keyId, cache)
  const blob = record?.value?.blob
  const idx = record?.index?.blob
  if (!blob || blob.length < 32 + 32 || !idx) throw new ProtocolError('An app-state record is incomplete.')
  const enc = blob.subarray(0, blob.length - 32)
  const mac = blob.subarray(blob.length - 32)
  checkMac(valueMac(operation, enc, keyId!, keys.valueMacKey), mac, 'value MAC')
  const data = decodeProto<{ index?: Uint8Array; value?: SyncActionValue; version?: number }>('SyncActionData', decryptValue(enc, keys.valueEncryptionKey))
  if (!data.index) throw new ProtocolError('An app-state record has no index.')
  checkMac(indexMac(data.index, keys.indexKey), idx, 'index MAC')
  let index: unknown
  try {
    index = JSON.parse(new TextDecoder().decode(data.index))
  } catch (cause) {
    throw new ProtocolError('An app-state index is not JSON.', { cause })
  }
  if (!Array.isArray(index) || !index.every((s) => typeof s === 'string')) throw new ProtocolError('An app-state index is not a list of strings.')
  return { decoded: { operation, index, value: data.value ?? {} }, indexMac: new Uint8Array(idx), valueMac: new Uint8Array(mac) }
}

/** spec §9.5: sequential, so a record set twice in one patch subtracts its previous value. */
function apply(state: CollectionState, checked: readonly Checked[]): CollectionState {
  const macs = new Map(state.macs)
  const add: Uint8Array[] = []
  const sub: Uint8Array[] = []
  for (const c of checked) {
    const key = Buffer.from(c.indexMac).toString('base64')
    const previous = macs.get(key)
    if (previous) sub.push(previous)
    if (c.decoded.operation === REMOVE) macs.delete(key)
    else {
      add.push(c.valueMac)
      macs.set(key, c.valueMac)
    }
  }
  return { version: state.version, hash: ltHashApply(state.hash, add, sub), macs }
}

export interface Applied {
  state: CollectionState
  mutations: DecodedMutation[]
}

/** spec §9.4: a snapshot is applied to an empty state and its MAC checked over the result. */
export function applySnapshot(name: string, snapshot: SyncdSnapshot, lookup: KeyLookup): Applied {
  const cache = new Map<string, MutationKeys>()
  const version = Number(snapshot.version?.version ?? 0)
  const checked = (snapshot.records ?? []).map((r) => checkRecord(SET, r, lookup, cache))
  const state = { ...apply(emptyState(), checked), version }
  const keys = keysFor(lookup, snapshot.keyId?.id, cache)
  checkMac(snapshotMac(state.hash, version, name, keys.snapshotMacKey), snapshot.mac, 'snapshot MAC')
  return { state, mutations: checked.map((c) => c.decoded) }
}

/** spec §9.4: a patch's mutations (inline, or `external` already downloaded), then its snapshot MAC and patch MAC. */
export function applyPatch(name: string, state: CollectionState, patch: SyncdPatch, lookup: KeyLookup, external?: SyncdMutation[]): Applied {
  const cache = new Map<string, MutationKeys>()
  // spec §9.3: a patch without a version is the next one (Baileys).
  const version = patch.version?.version !== undefined ? Number(patch.version.version) : state.version + 1
  const mutations = external ?? patch.mutations ?? []
  const checked = mutations.map((m) => checkRecord(m.operation === REMOVE ? REMOVE : SET, m.record, lookup, cache))
  const next = { ...apply(state, checked), version }
  const keys = keysFor(lookup, patch.keyId?.id, cache)
  const snap = snapshotMac(next.hash, version, name, keys.snapshotMacKey)
  checkMac(snap, patch.snapshotMac, 'snapshot MAC')
  checkMac(
    patchMac(
      snap,
      checked.map((c) => c.valueMac),
      version,
      name,
      keys.patchMacKey
    ),
    patch.patchMac,
    'patch MAC'
  )
  return { state: next, mutations: checked.map((c) => c.decoded) }
}
