// The simulated devices' sender keys (spec §6.7), a second reading written from the spec alone
// (only protobufjs and node:crypto are shared with the client): chain HMAC 01/02, HKDF
// "WhisperGroup" → iv ‖ key, AES-256-CBC, XEdDSA over `33 ‖ SenderKeyMessage`.

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import protobuf from 'protobufjs/light'
import { b64, hmac, randomPair, sign, unb64, verify } from './keys'

export interface SimSenderKey {
  id: number
  iteration: number
  chainKey: string
  signingPub: string
  signingPriv?: string
  /** Message keys of skipped iterations: `[iteration, seed]`. */
  skipped: Array<[number, string]>
}

function derive(chainKey: Uint8Array): { seed: Uint8Array; next: Uint8Array } {
  return { seed: hmac(chainKey, Uint8Array.of(0x01)), next: hmac(chainKey, Uint8Array.of(0x02)) }
}

function cipherKeys(seed: Uint8Array): { iv: Buffer; key: Buffer } {
  const okm = Buffer.from(hkdfSync('sha256', seed, Buffer.alloc(32), 'WhisperGroup', 48))
  return { iv: okm.subarray(0, 16), key: okm.subarray(16) }
}

function fields(bytes: Uint8Array): Map<number, number | Uint8Array> {
  if (bytes[0] !== 0x33) throw new Error('sender key version')
  const r = protobuf.Reader.create(bytes.subarray(1))
  const out = new Map<number, number | Uint8Array>()
  while (r.pos < r.len) {
    const tag = r.uint32()
    if ((tag & 7) === 0) out.set(tag >>> 3, r.uint32())
    else if ((tag & 7) === 2) out.set(tag >>> 3, r.bytes())
    else r.skipType(tag & 7)
  }
  return out
}

export function newOwnKey(): SimSenderKey {
  const pair = randomPair()
  return {
    id: randomBytes(4).readUInt32BE() >>> 1,
    iteration: 0,
    chainKey: b64(randomBytes(32)),
    signingPub: b64(pair.pub),
    signingPriv: b64(pair.priv),
    skipped: []
  }
}

/** `33 ‖ {1 id, 2 iteration, 3 chainKey, 4 05‖signing}`. */
export function distribution(k: SimSenderKey): Uint8Array {
  const w = protobuf.Writer.create()
  w.uint32(8)
    .uint32(k.id)
    .uint32(16)
    .uint32(k.iteration)
    .uint32(26)
    .bytes(unb64(k.chainKey))
    .uint32(34)
    .bytes(Uint8Array.from([5, ...unb64(k.signingPub)]))
  return Uint8Array.from([0x33, ...w.finish()])
}

export function fromDistribution(bytes: Uint8Array): SimSenderKey {
  const f = fields(bytes)
  const signing = f.get(4) as Uint8Array
  return {
    id: f.get(1) as number,
    iteration: (f.get(2) as number | undefined) ?? 0,
    chainKey: b64(f.get(3) as Uint8Array),
    signingPub: b64(signing.length === 33 ? signing.subarray(1) : signing),
    skipped: []
  }
}

/** Encrypts (already padded) plaintext; returns the skmsg and the advanced key. */
export function seal(k: SimSenderKey, plaintext: Uint8Array): { skmsg: Uint8Array; key: SimSenderKey } {
  const { seed, next } = derive(unb64(k.chainKey))
  const { iv, key } = cipherKeys(seed)
  const c = createCipheriv('aes-256-cbc', key, iv)
  const ciphertext = Buffer.concat([c.update(plaintext), c.final()])
  const w = protobuf.Writer.create()
  w.uint32(8).uint32(k.id).uint32(16).uint32(k.iteration).uint32(26).bytes(ciphertext)
  const body = Uint8Array.from([0x33, ...w.finish()])
  const skmsg = Uint8Array.from([...body, ...sign(unb64(k.signingPriv!), body)])
  return { skmsg, key: { ...k, iteration: k.iteration + 1, chainKey: b64(next) } }
}

/** Decrypts an skmsg with one of `keys` (by id); returns the padded plaintext and the updated key. */
export function open(keys: SimSenderKey[], skmsg: Uint8Array): { plain: Uint8Array; key: SimSenderKey } {
  const body = skmsg.subarray(0, skmsg.length - 64)
  const f = fields(body)
  const k = keys.find((x) => x.id === f.get(1))
  if (!k) throw new Error('no sender key')
  if (!verify(unb64(k.signingPub), body, skmsg.subarray(skmsg.length - 64))) throw new Error('bad sender key signature')
  const iteration = (f.get(2) as number | undefined) ?? 0
  const updated: SimSenderKey = { ...k, skipped: [...k.skipped] }
  let seed: Uint8Array
  if (iteration < k.iteration) {
    const i = updated.skipped.findIndex(([n]) => n === iteration)
    if (i < 0) throw new Error('old iteration')
    seed = unb64(updated.skipped.splice(i, 1)[0]![1])
  } else {
    let chain = unb64(k.chainKey)
    for (let n = k.iteration; n < iteration; n++) {
      const d = derive(chain)
      updated.skipped.push([n, b64(d.seed)])
      chain = d.next
    }
    const d = derive(chain)
    seed = d.seed
    updated.chainKey = b64(d.next)
    updated.iteration = iteration + 1
  }
  const { iv, key } = cipherKeys(seed)
  const d = createDecipheriv('aes-256-cbc', key, iv)
  const plain = new Uint8Array(Buffer.concat([d.update(f.get(3) as Uint8Array), d.final()]))
  return { plain, key: updated }
}
