// spec whatsapp-md §9.7 known-answer vectors (cross-checked there against whatsapp-rust-bridge
// and Baileys): key expansion, the mute mutation's encValue/valueMac/indexMac, the LTHash
// after add, update and remove, the snapshot and patch MACs, and the whole SyncdPatch decoded
// and verified by Junction's decoder.

import { describe, expect, it } from 'vitest'
import {
  decryptValue,
  encryptValue,
  expandAppStateKeys,
  indexMac,
  LTHASH_BYTES,
  ltHashApply,
  patchMac,
  REMOVE,
  SET,
  snapshotMac,
  valueMac
} from '../../../../../../src/main/networks/whatsapp/md/app-state/crypto'
import { applyPatch, MissingKeyError, type SyncdPatch } from '../../../../../../src/main/networks/whatsapp/md/app-state/patch'
import { emptyState } from '../../../../../../src/main/networks/whatsapp/md/app-state/store'
import { syncRequest } from '../../../../../../src/main/networks/whatsapp/md/app-state/sync'
import { decodeBinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import { decodeProto, encodeProto } from '../../../../../../src/main/networks/whatsapp/md/proto'
import { JunctionError } from '../../../../../../src/shared/errors'

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

const KEY_ID = hex('0000000041c2')
const KEY_DATA = hex('7cb0b1e38b2040066442ea77efa6c6d6b3694a0d96728d2d216b0a5842854ddf')
const INDEX = hex('5b226d757465222c22313535353736353433323140732e77686174736170702e6e6574225d')
const ACTION_DATA = hex(`0a255b226d757465222c22313535353736353433323140732e77686174736170
    702e6e6574225d12120880d095ffbc3122090801108088afa8bd311a002002`)
const ENC_VALUE = hex(`101112131415161718191a1b1c1d1e1f51780e4456274d0e16ad7bf7f7a3f1e7
    ec61b028bc5f0b2ae47e68f02131e2fe7f1f4f2c63e0aa6d33ef131cd9dd8b51
    6811c6d5352f4693fd9937e197213240`)
const VALUE_MAC = hex('ebd3d41882428881b6c17e7379f28871f7d0548e38621fa76e0562c47c39e99b')
const INDEX_MAC = hex('473a818a086a58ad488b1c6ee1338ba3d5bedf32924261feb6d15293c1a2ea91')
const LTHASH_1 = hex(`add6c468b27ddd444ec3821e4a635cbe9ef4ccc8cce623d462063859fc13d1fb
    2be297b88874becd0600f891cf1c8dfaf1e6eaca3cdee3a7348c24c9123b0f3a
    a638ee6daefc73468007a58e53f58a80992185eb8b00082af00310c695c15bdd
    108b40db3f57ba0f0e075d4ed5893c1b3d73c3ca3aa8c782fcdfd3d2731d6463`)
const SNAPSHOT_MAC = hex('1561d1155d6e369f8bc0ec8721c52ed0baf5741e5931623e9e33958e373b1bb7')
const PATCH_MAC = hex('69d09d1f03cbad4eab4ea66251c960b266c118cc643804ae5b9ea7d428fa9759')
const PATCH = hex(`0a02080512a701080012a2010a220a20473a818a086a58ad488b1c6ee1338ba3
    d5bedf32924261feb6d15293c1a2ea9112720a70101112131415161718191a1b
    1c1d1e1f51780e4456274d0e16ad7bf7f7a3f1e7ec61b028bc5f0b2ae47e68f0
    2131e2fe7f1f4f2c63e0aa6d33ef131cd9dd8b516811c6d5352f4693fd9937e1
    97213240ebd3d41882428881b6c17e7379f28871f7d0548e38621fa76e0562c4
    7c39e99b1a080a060000000041c222201561d1155d6e369f8bc0ec8721c52ed0
    baf5741e5931623e9e33958e373b1bb72a2069d09d1f03cbad4eab4ea66251c9
    60b266c118cc643804ae5b9ea7d428fa975932080a060000000041c2`)

const keys = expandAppStateKeys(KEY_DATA)

describe('spec §9.7 app-state vectors', () => {
  it('expands the key data into the five mutation keys', () => {
    expect(toHex(keys.indexKey)).toBe('5e2e40e74bcadfc09cf9699eea559cbbd6b8eb575aa9c5afcef227b9c2c4550f')
    expect(toHex(keys.valueEncryptionKey)).toBe('5fb53e1d048c7f1d1494ecb290172a54b12bc93a6934fd8b480d964ac896a3b4')
    expect(toHex(keys.valueMacKey)).toBe('a95c4792ac7d22a8ab8e0a65660426a209336c5455128e4a06414ca3ff6010a3')
    expect(toHex(keys.snapshotMacKey)).toBe('d85f62ca8ed5b7bd244532aac88551a0db31b5190e0e95aafc86adf8fe000bc8')
    expect(toHex(keys.patchMacKey)).toBe('42157a8e807c618d99e4ae5ee9965a1555111f68fdc778a10a7c906433fdb7fb')
  })

  it('encodes the SyncActionData exactly as the vector', () => {
    const data = {
      index: INDEX,
      value: { timestamp: 1700000000000, muteAction: { muted: true, muteEndTimestamp: 1700086400000 } },
      padding: new Uint8Array(0),
      version: 2
    }
    expect(toHex(encodeProto('SyncActionData', data))).toBe(toHex(ACTION_DATA))
  })

  it('encrypts the value, and computes valueMac and indexMac', () => {
    const enc = encryptValue(ACTION_DATA, keys.valueEncryptionKey, ENC_VALUE.subarray(0, 16))
    expect(toHex(enc)).toBe(toHex(ENC_VALUE))
    expect(toHex(decryptValue(enc, keys.valueEncryptionKey))).toBe(toHex(ACTION_DATA))
    expect(toHex(valueMac(SET, ENC_VALUE, KEY_ID, keys.valueMacKey))).toBe(toHex(VALUE_MAC))
    expect(toHex(indexMac(INDEX, keys.indexKey))).toBe(toHex(INDEX_MAC))
  })

  it('adds, updates and removes in the LTHash', () => {
    const zero = new Uint8Array(LTHASH_BYTES)
    const one = ltHashApply(zero, [VALUE_MAC], [])
    expect(toHex(one)).toBe(toHex(LTHASH_1))
    const second = hex('a265caac7e8ed6b1c90c689fb84da16bc7f67986f22c75c2bae5c1aaedb505e2')
    expect(toHex(ltHashApply(one, [second], [VALUE_MAC]))).toBe(
      '87e12911932a00f9693d130a5fd43d5c156ab57cd355f5202aa8bd2923071bf3' +
        '8c493569082bb911fd4b9bc0e51bd3a718a89915b1d35a234d331c3a2a36f79b' +
        '0ad9ecadbf12fbab8334caa7dbd4ea1011f6228307740539d68587dcfb47693e' +
        'd26fa483ea15646dcc948fb1acd1e9a8a9b96c5936dab631ef453a1a034ce6c6'
    )
    expect(toHex(ltHashApply(one, [], [VALUE_MAC]))).toBe(toHex(zero))
  })

  it('computes the snapshot and patch MACs', () => {
    const snap = snapshotMac(LTHASH_1, 5, 'regular_high', keys.snapshotMacKey)
    expect(toHex(snap)).toBe(toHex(SNAPSHOT_MAC))
    expect(toHex(patchMac(snap, [VALUE_MAC], 5, 'regular_high', keys.patchMacKey))).toBe(toHex(PATCH_MAC))
  })

  it('uses opByte 02 for a REMOVE valueMac', () => {
    expect(toHex(valueMac(REMOVE, ENC_VALUE, KEY_ID, keys.valueMacKey))).not.toBe(toHex(VALUE_MAC))
  })

  it('decodes the vector SyncdPatch', () => {
    const patch = decodeProto<{ version?: { version?: number }; mutations?: unknown[]; keyId?: { id?: Uint8Array } }>('SyncdPatch', PATCH)
    expect(patch.version?.version).toBe(5)
    expect(patch.mutations).toHaveLength(1)
    expect(toHex(patch.keyId!.id!)).toBe(toHex(KEY_ID))
  })
})

describe('spec §9.7 SyncdPatch, verified and applied', () => {
  const lookup = (id: Uint8Array) => (toHex(id) === toHex(KEY_ID) ? KEY_DATA : null)
  const at4 = { ...emptyState(), version: 4 }

  it('applies the vector patch to version 5 with the vector LTHash and the mute mutation', () => {
    const applied = applyPatch('regular_high', at4, decodeProto<SyncdPatch>('SyncdPatch', PATCH), lookup)
    expect(applied.state.version).toBe(5)
    expect(toHex(applied.state.hash)).toBe(toHex(LTHASH_1))
    expect(applied.mutations).toEqual([
      {
        operation: SET,
        index: ['mute', '15557654321@s.whatsapp.net'],
        value: { timestamp: 1700000000000, muteAction: { muted: true, muteEndTimestamp: 1700086400000 } }
      }
    ])
  })

  it.each([
    ['patch MAC', (p: SyncdPatch) => ({ ...p, patchMac: Uint8Array.from(p.patchMac!, (b, i) => (i === 0 ? b ^ 1 : b)) })],
    ['snapshot MAC', (p: SyncdPatch) => ({ ...p, snapshotMac: new Uint8Array(32) })],
    ['the collection name', (p: SyncdPatch) => p]
  ])('refuses a wrong %s as an integrity error', (_what, tamper) => {
    const patch = tamper(decodeProto<SyncdPatch>('SyncdPatch', PATCH))
    const name = _what === 'the collection name' ? 'regular_low' : 'regular_high'
    let error: unknown = null
    try {
      applyPatch(name, at4, patch, lookup)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(JunctionError)
    expect((error as JunctionError).code).toBe('integrity')
  })

  it('refuses a tampered value MAC before decrypting', () => {
    const patch = decodeProto<SyncdPatch>('SyncdPatch', PATCH)
    const blob = patch.mutations![0]!.record!.value!.blob!
    blob[blob.length - 1]! ^= 1
    expect(() => applyPatch('regular_high', at4, patch, lookup)).toThrow(/value MAC/)
  })

  it('names a missing key so the collection can wait for it', () => {
    expect(() => applyPatch('regular_high', at4, decodeProto<SyncdPatch>('SyncdPatch', PATCH), () => null)).toThrow(MissingKeyError)
  })
})

describe('spec §9.3 sync request', () => {
  it('is the vector iq for a fresh collection', () => {
    const vector = decodeBinaryNode(hex('00f80a1908ff831b2a9f110316ec9c045af801f802ece3f801f807ec5b89eced542ded1e9b'))
    const { id, ...attrs } = vector.attrs
    expect(id).toBeDefined()
    expect(syncRequest('regular_high', 0, true)).toEqual({ ...vector, attrs })
  })
})

describe('damaged patches', () => {
  it('fail with typed errors only, whatever byte is flipped, cut or appended', () => {
    const lookup = (id: Uint8Array) => (toHex(id) === toHex(KEY_ID) ? KEY_DATA : null)
    let seed = 0x2545f491
    const next = (): number => {
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return seed >>> 0
    }
    let applied = 0
    for (let i = 0; i < 3_000; i++) {
      const bytes = PATCH.slice()
      const kind = next() % 3
      let damaged: Uint8Array = bytes
      if (kind === 0) bytes[next() % bytes.length]! ^= 1 + (next() % 255)
      else if (kind === 1) damaged = bytes.subarray(0, next() % bytes.length)
      else damaged = Uint8Array.from([...bytes, ...Array.from({ length: 1 + (next() % 8) }, () => next() & 0xff)])
      try {
        const result = applyPatch('regular_high', { ...emptyState(), version: 4 }, decodeProto<SyncdPatch>('SyncdPatch', damaged), lookup)
        // Whatever still verifies is the vector's own content.
        expect(toHex(result.state.hash)).toBe(toHex(LTHASH_1))
        expect(result.mutations.map((m) => m.index)).toEqual([['mute', '15557654321@s.whatsapp.net']])
        applied++
      } catch (error) {
        expect(error).toBeInstanceOf(JunctionError)
      }
    }
    // Only damage the MACs do not cover (e.g. unknown trailing fields) can still apply.
    expect(applied).toBeLessThan(3_000)
  })
})
