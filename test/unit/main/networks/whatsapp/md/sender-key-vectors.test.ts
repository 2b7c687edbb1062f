// Sender keys against the spec's known-answer vectors (whatsapp-md.md §6.7, computed with
// Baileys/libsignal and node:crypto): the distribution message, skmsg #1 decrypted and its body
// reproduced (the XEdDSA signature is randomised, so it is verified rather than compared).

import { describe, expect, it } from 'vitest'
import type { ConnectorEvent, KeyStore, KeyWrite } from '../../../../../../src/main/networks/connector'
import { SignalStore } from '../../../../../../src/main/networks/whatsapp/md/signal/store'
import {
  decodeDistribution,
  groupDecrypt,
  groupEncrypt,
  ownSenderKey,
  processDistribution,
  senderKeyName
} from '../../../../../../src/main/networks/whatsapp/md/signal/sender-key'
import { JunctionError } from '../../../../../../src/shared/errors'
import { xeddsaVerify } from '../../../../../../src/main/networks/whatsapp/md/crypto'

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

const GROUP = '120363000000000001@g.us'
const KEY_ID = 439041101
const CHAIN = hex('6b8f2155916c3abb1df75be6b35938c16b8063cd8ba1eb745fae5418a7bd65aa')
const SIGNING_PRIV = hex('80927ce015313933d0f4fd4991b977cc07afe4190b236ffd67518777a52e1660')
const SIGNING_PUB = hex('a953c4746a764f1ddd45775f8ac5076f1fb87aa468c0c696fcb5e47f6de99833')
const SKDM = hex(`3308cdf8acd10110001a206b8f2155916c3abb1df75be6b35938c16b8063cd8b
    a1eb745fae5418a7bd65aa222105a953c4746a764f1ddd45775f8ac5076f1fb8
    7aa468c0c696fcb5e47f6de99833`)
const PLAIN = hex('0a0b48656c6c6f2067726f757004040404')
const SKMSG1 = hex(`3308cdf8acd10110001a20966c5b9d01129223d461cbc7c819b2f4dec9627adc
    77b3e40f6a7520c6a77c7f7b32aa43ca5eec7fcb840073e1d7a5e31cd046b621
    125efe7dd59ae6b3846958e689bbd51b9eabcc39ff3cfc669a7b1288ea9827a2
    7d92302d473314df349908`)

class Memory implements KeyStore {
  readonly data = new Map<string, Uint8Array>()
  get(namespace: string, key: string): Uint8Array | null {
    return this.data.get(`${namespace}/${key}`) ?? null
  }
  list(namespace: string): Array<[string, Uint8Array]> {
    return [...this.data].filter(([k]) => k.startsWith(`${namespace}/`)).map(([k, v]) => [k.slice(namespace.length + 1), v])
  }
  commit(writes: readonly KeyWrite[], _events: readonly ConnectorEvent[] = []): void {
    for (const w of writes) {
      if (w.value === null) this.data.delete(`${w.namespace}/${w.key}`)
      else this.data.set(`${w.namespace}/${w.key}`, w.value)
    }
  }
}

function store(): SignalStore {
  return new SignalStore(new Memory(), () => {
    throw new Error('no credentials needed')
  })
}

const name = senderKeyName(GROUP, { id: '15551234567', deviceId: 12 })

describe('WhatsApp sender keys (spec §6.7 vectors)', () => {
  it('names the storage key as Baileys does', () => {
    expect(name).toBe('120363000000000001@g.us::15551234567::12')
  })

  it('encodes the distribution message byte for byte and decodes it back', () => {
    const s = store()
    const { distribution, fresh } = ownSenderKey(s, name, { id: KEY_ID, chainKey: CHAIN, signingPrivate: SIGNING_PRIV })
    expect(fresh).toBe(true)
    expect(toHex(distribution)).toBe(toHex(SKDM))
    const d = decodeDistribution(SKDM)
    expect(d).toEqual({ id: KEY_ID, iteration: 0, chainKey: CHAIN, signingKey: SIGNING_PUB })
  })

  it('decrypts skmsg #1 after processing the distribution message', () => {
    const s = store()
    processDistribution(s, name, SKDM)
    expect(toHex(groupDecrypt(s, name, SKMSG1))).toBe(toHex(PLAIN))
    // The same iteration again is refused (its key was used).
    expect(() => groupDecrypt(s, name, SKMSG1)).toThrow(/already decrypted/)
  })

  it('produces skmsg #1 (body identical, signature valid)', () => {
    const s = store()
    ownSenderKey(s, name, { id: KEY_ID, chainKey: CHAIN, signingPrivate: SIGNING_PRIV })
    const out = groupEncrypt(s, name, PLAIN)
    expect(toHex(out.subarray(0, out.length - 64))).toBe(toHex(SKMSG1.subarray(0, SKMSG1.length - 64)))
    expect(xeddsaVerify(SIGNING_PUB, out.subarray(0, out.length - 64), out.subarray(out.length - 64))).toBe(true)
  })

  it('accepts gaps and late messages, and refuses a forged signature', () => {
    const sender = store()
    const receiver = store()
    const { distribution } = ownSenderKey(sender, name)
    processDistribution(receiver, name, distribution)
    const m = [0, 1, 2, 3].map((i) => groupEncrypt(sender, name, Uint8Array.of(i + 1)))
    expect([...groupDecrypt(receiver, name, m[2]!)]).toEqual([3])
    expect([...groupDecrypt(receiver, name, m[0]!)]).toEqual([1])
    expect([...groupDecrypt(receiver, name, m[3]!)]).toEqual([4])
    expect([...groupDecrypt(receiver, name, m[1]!)]).toEqual([2])
    const forged = m[3]!.slice()
    forged[forged.length - 1]! ^= 1
    expect(() => groupDecrypt(receiver, name, forged)).toThrow(/signature/)
    expect(() => groupDecrypt(store(), name, m[0]!)).toThrow(/No sender key/)
    expect(() => groupDecrypt(receiver, name, Uint8Array.of(0x33, 1, 2))).toThrow()
  })

  it('mutated and random distribution and group messages give typed errors only, and move nothing', () => {
    const s = store()
    processDistribution(s, name, SKDM)
    const before = s.get('wamd.senderkey', name)
    let seed = 7
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    for (let i = 0; i < 5_000; i++) {
      const base = i % 2 ? SKMSG1 : SKDM
      const bytes = i % 5 === 0 ? Uint8Array.from({ length: rand(120) }, () => rand(256)) : base.slice(0, rand(base.length + 1))
      if (i % 5 !== 0 && bytes.length) for (let k = 0; k <= rand(3); k++) bytes[rand(bytes.length)]! ^= 1 + rand(255)
      for (const attempt of [() => groupDecrypt(s, name, bytes), () => processDistribution(store(), name, bytes)]) {
        try {
          attempt()
        } catch (error) {
          expect(error).toBeInstanceOf(JunctionError)
        }
      }
    }
    // None of them moved the chain: the genuine message still decrypts.
    expect(s.get('wamd.senderkey', name)).toEqual(before)
    expect(toHex(groupDecrypt(s, name, SKMSG1))).toBe(toHex(PLAIN))
  })
})
