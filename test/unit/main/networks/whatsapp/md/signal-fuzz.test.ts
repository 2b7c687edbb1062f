// Signal through libsignal over the KeyStore adapter: a session both ways (the vector
// padding rules of spec §6.6), then ≥ 100,000 hostile inputs — mutated and random `msg` and
// `pkmsg` envelopes, and random or mutated `Message` protobufs — each ending in a result or a
// typed error, with no state committed by a failed decrypt. Seeded.

import { beforeAll, describe, expect, it } from 'vitest'
import { JunctionError, ProtocolError } from '../../../../../../src/shared/errors'
import type { ConnectorEvent, KeyStore, KeyWrite } from '../../../../../../src/main/networks/connector'
import { concat, generateKeyPair } from '../../../../../../src/main/networks/whatsapp/md/crypto'
import { createCredentials } from '../../../../../../src/main/networks/whatsapp/md/credentials'
import { decodeProto, encodeProto } from '../../../../../../src/main/networks/whatsapp/md/proto'
import { buildSession, decryptFrom, encryptFor, pad, unpad } from '../../../../../../src/main/networks/whatsapp/md/signal/cipher'
import { filterLibsignalLines, fromLibsignal } from '../../../../../../src/main/networks/whatsapp/md/signal/quiet'
import { NS, SignalStore } from '../../../../../../src/main/networks/whatsapp/md/signal/store'
import { Gen, prng } from './node-gen'

class Store implements KeyStore {
  readonly data = new Map<string, Uint8Array>()
  commits = 0
  get(ns: string, key: string): Uint8Array | null {
    return this.data.get(`${ns}/${key}`) ?? null
  }
  list(ns: string): Array<[string, Uint8Array]> {
    return [...this.data].filter(([k]) => k.startsWith(`${ns}/`)).map(([k, v]) => [k.slice(ns.length + 1), v])
  }
  commit(writes: readonly KeyWrite[], _events?: readonly ConnectorEvent[]): void {
    for (const w of writes) {
      if (w.value) this.data.set(`${w.namespace}/${w.key}`, w.value)
      else this.data.delete(`${w.namespace}/${w.key}`)
    }
    this.commits++
  }
}

const ALICE = '15551234567:12@s.whatsapp.net'
const BOB = '15557654321@s.whatsapp.net'

function party() {
  const creds = createCredentials()
  const keyStore = new Store()
  return { creds, keyStore, store: new SignalStore(keyStore, () => creds) }
}

const alice = party()
const bob = party()
let pkmsg: Uint8Array
let msg: Uint8Array

beforeAll(async () => {
  const opk = generateKeyPair()
  bob.keyStore.commit([{ namespace: NS.preKey, key: '31', value: concat(opk.private, opk.public) }])
  const bundle = {
    registrationId: bob.creds.registrationId,
    identity: bob.creds.identityKey.public,
    signedPreKey: { id: bob.creds.signedPreKey.id, public: bob.creds.signedPreKey.keyPair.public, signature: bob.creds.signedPreKey.signature },
    preKey: { id: 31, public: opk.public }
  }
  const first = await alice.store.run(async () => {
    await buildSession(alice.store, BOB, bundle)
    const out = await encryptFor(alice.store, BOB, encodeProto('Message', { conversation: 'Hello from Junction' }))
    alice.store.commit()
    return out
  })
  expect(first.type).toBe('pkmsg')
  pkmsg = first.body
  const plain = await bob.store.run(async () => {
    const p = await decryptFrom(bob.store, ALICE, 'pkmsg', pkmsg)
    bob.store.commit()
    return p
  })
  expect(decodeProto<{ conversation: string }>('Message', plain).conversation).toBe('Hello from Junction')
  // spec §6.5: the one-time pre-key is gone after its first use.
  expect(bob.keyStore.get(NS.preKey, '31')).toBeNull()
  const reply = await bob.store.run(async () => {
    const out = await encryptFor(bob.store, ALICE, encodeProto('Message', { conversation: 'Hi Alice' }))
    bob.store.commit()
    return out
  })
  expect(reply.type).toBe('msg')
  msg = reply.body
  const back = await alice.store.run(async () => {
    const p = await decryptFrom(alice.store, BOB, 'msg', msg)
    alice.store.commit()
    return p
  })
  expect(decodeProto<{ conversation: string }>('Message', back).conversation).toBe('Hi Alice')
})

describe('libsignal console output', () => {
  it('drops session records (private ratchet keys) and per-failure stacks, and nothing else', () => {
    const printed: unknown[][] = []
    const sink = {
      info: (...a: unknown[]) => printed.push(a),
      warn: (...a: unknown[]) => printed.push(a),
      error: (...a: unknown[]) => printed.push(a),
      log: (...a: unknown[]) => printed.push(a)
    }
    filterLibsignalLines(sink)
    sink.info('Closing session:', { privKey: 'secret' })
    sink.error('Session error:Error: Bad MAC', 'stack')
    sink.warn('Closing open session in favor of incoming prekey bundle')
    sink.log('an ordinary line')
    expect(printed).toEqual([['an ordinary line']])
    expect(fromLibsignal('Opening session:')).toBe(true)
  })
})

describe('padding (spec §6.6)', () => {
  it('sends 1–15, accepts up to 16 and checks the pad bytes', () => {
    for (let i = 0; i < 200; i++) {
      const padded = pad(Uint8Array.of(1, 2, 3))
      const n = padded[padded.length - 1]!
      expect(n).toBeGreaterThanOrEqual(1)
      expect(n).toBeLessThanOrEqual(15)
      expect([...unpad(padded)]).toEqual([1, 2, 3])
    }
    expect([...unpad(Uint8Array.from([9, ...new Array<number>(16).fill(16)]))]).toEqual([9])
    expect(() => unpad(Uint8Array.of(1, 2, 3, 2))).toThrow(ProtocolError)
    expect(() => unpad(Uint8Array.of(1, 17))).toThrow(ProtocolError)
  })
})

describe('Signal envelopes: fuzz', () => {
  it('100,000 mutated and random envelopes give a typed error and commit nothing', async () => {
    const gen = new Gen(prng(0x516a))
    const before = JSON.stringify([...bob.keyStore.data].map(([k, v]) => [k, Buffer.from(v).toString('hex')]))
    let errors = 0
    for (let i = 0; i < 100_000; i++) {
      const type = i % 2 ? 'msg' : 'pkmsg'
      const input = i % 5 === 0 ? gen.bytes(gen.int(200)) : gen.mutate(type === 'msg' ? msg : pkmsg)
      try {
        await bob.store.run(() => decryptFrom(bob.store, ALICE, type, input))
      } catch (error) {
        if (!(error instanceof JunctionError)) throw error
        errors++
      }
    }
    expect(errors).toBeGreaterThan(98_000)
    // Staged writes of failed (and uncommitted) decrypts never reach the store.
    expect(JSON.stringify([...bob.keyStore.data].map(([k, v]) => [k, Buffer.from(v).toString('hex')]))).toBe(before)
  }, 300_000)

  it('60,000 random and mutated Message protobufs decode or give a ProtocolError', () => {
    const gen = new Gen(prng(0x3e55))
    const seeds = [
      encodeProto('Message', { conversation: 'Hello' }),
      encodeProto('Message', {
        extendedTextMessage: { text: 'a reply', contextInfo: { stanzaId: 'A1B2', participant: BOB, quotedMessage: { conversation: 'original' } } }
      }),
      encodeProto('Message', { deviceSentMessage: { destinationJid: BOB, message: { conversation: 'Hello' } } }),
      encodeProto('Message', {
        protocolMessage: { key: { remoteJid: BOB, fromMe: true, id: '3EB0' }, type: 14, editedMessage: { conversation: 'x' }, timestampMs: 1700000000123 }
      })
    ]
    let ok = 0
    for (let i = 0; i < 60_000; i++) {
      const input = i % 3 === 0 ? gen.bytes(gen.int(100)) : gen.mutate(gen.pick(seeds))
      try {
        decodeProto('Message', input)
        ok++
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error
      }
    }
    expect(ok).toBeGreaterThan(100)
  })
})
