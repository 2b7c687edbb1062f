// Sender keys for groups (spec §6.7). libsignal-node has no group cipher (Baileys carries its
// own), so the chain, the wire messages and the signature are written here from the spec:
// seed_i = HMAC(chainKey_i, 01), chainKey_{i+1} = HMAC(chainKey_i, 02), iv ‖ key = HKDF(seed,
// "WhisperGroup", 48), AES-256-CBC, XEdDSA over `33 ‖ SenderKeyMessage`. States are JSON in the
// SignalStore (staged, committed with the message they decrypted, spec §13.2).

import { createCipheriv, createDecipheriv } from 'node:crypto'
import protobuf from 'protobufjs/light'
import { JunctionError, ProtocolError } from '../../../../../shared/errors'
import { generateKeyPair, hkdf, keyPairFromPrivate, hmacSha256, randomBytesArray, signalPublic, xeddsaSign, xeddsaVerify } from '../crypto'
import { NS, type SignalStore } from './store'

const VERSION = 0x33
/** spec §6.7: Baileys SenderKeyRecord.MAX_STATES; skipped keys bounded like libsignal's. */
const MAX_STATES = 5
const MAX_SKIP = 2000

interface SenderKeyState {
  id: number
  iteration: number
  chainKey: string
  signingPub: string
  signingPriv?: string
  /** Seeds of skipped iterations, for messages that arrive out of order. */
  skipped: Array<[number, string]>
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'))
const enc = new TextEncoder()
const dec = new TextDecoder()

/** Storage key `group::user::device` (spec §6.7, Baileys SenderKeyName). */
export function senderKeyName(group: string, address: { id: string; deviceId: number }): string {
  return `${group}::${address.id}::${address.deviceId}`
}

function load(store: SignalStore, name: string): SenderKeyState[] {
  const raw = store.get(NS.senderKey, name)
  if (!raw) return []
  try {
    const states = JSON.parse(dec.decode(raw)) as SenderKeyState[]
    return Array.isArray(states) ? states : []
  } catch {
    return [] // a damaged record is replaced by the next distribution message
  }
}

function save(store: SignalStore, name: string, states: SenderKeyState[]): void {
  store.stage(NS.senderKey, name, enc.encode(JSON.stringify(states.slice(0, MAX_STATES))))
}

function step(chainKey: Uint8Array): { seed: Uint8Array; next: Uint8Array } {
  return { seed: hmacSha256(chainKey, Uint8Array.of(1)), next: hmacSha256(chainKey, Uint8Array.of(2)) }
}

function keysOf(seed: Uint8Array): { iv: Uint8Array; key: Uint8Array } {
  const okm = hkdf(seed, 48, new Uint8Array(32), 'WhisperGroup')
  return { iv: okm.subarray(0, 16), key: okm.subarray(16, 48) }
}

/** SenderKeyDistributionMessage bytes: `33 ‖ {1 id, 2 iteration, 3 chainKey, 4 signingKey}`. */
export function encodeDistribution(d: { id: number; iteration: number; chainKey: Uint8Array; signingKey: Uint8Array }): Uint8Array {
  const w = protobuf.Writer.create()
  w.uint32(0x08).uint32(d.id).uint32(0x10).uint32(d.iteration).uint32(0x1a).bytes(d.chainKey).uint32(0x22).bytes(signalPublic(d.signingKey))
  const body = w.finish()
  return Uint8Array.from([VERSION, ...body])
}

interface Fields {
  [field: number]: number | Uint8Array
}

function readFields(bytes: Uint8Array): Fields {
  const r = protobuf.Reader.create(bytes)
  const out: Fields = {}
  while (r.pos < r.len) {
    const tag = r.uint32()
    const wire = tag & 7
    if (wire === 0) out[tag >>> 3] = r.uint32()
    else if (wire === 2) out[tag >>> 3] = r.bytes()
    else r.skipType(wire)
  }
  return out
}

function parse(bytes: Uint8Array, what: string): Fields {
  if (bytes.length < 2 || bytes[0]! >> 4 < 3 || (bytes[0]! & 0x0f) > 3) throw new ProtocolError(`A WhatsApp ${what} has an unsupported version.`)
  try {
    return readFields(bytes.subarray(1))
  } catch (cause) {
    throw new ProtocolError(`A WhatsApp ${what} could not be decoded.`, { cause })
  }
}

export function decodeDistribution(bytes: Uint8Array): { id: number; iteration: number; chainKey: Uint8Array; signingKey: Uint8Array } {
  const f = parse(bytes, 'sender key distribution')
  const [id, iteration, chainKey, signingKey] = [f[1], f[2] ?? 0, f[3], f[4]]
  if (typeof id !== 'number' || typeof iteration !== 'number' || !(chainKey instanceof Uint8Array) || chainKey.length !== 32)
    throw new ProtocolError('A WhatsApp sender key distribution is incomplete.')
  if (!(signingKey instanceof Uint8Array) || (signingKey.length !== 33 && signingKey.length !== 32))
    throw new ProtocolError('A WhatsApp sender key distribution has a bad signing key.')
  return { id, iteration, chainKey, signingKey: signingKey.length === 33 ? signingKey.subarray(1) : signingKey }
}

/** A received distribution message: the sender's state for this group (spec §6.7). */
export function processDistribution(store: SignalStore, name: string, bytes: Uint8Array): void {
  const d = decodeDistribution(bytes)
  const states = load(store, name)
  if (states.some((s) => s.id === d.id)) return
  save(store, name, [{ id: d.id, iteration: d.iteration, chainKey: b64(d.chainKey), signingPub: b64(d.signingKey), skipped: [] }, ...states])
}

/** Our own sender key for a group: created on first use; `fresh` says the group has never seen it. */
export function ownSenderKey(
  store: SignalStore,
  name: string,
  initial?: { id: number; chainKey: Uint8Array; signingPrivate: Uint8Array }
): { distribution: Uint8Array; fresh: boolean } {
  let [state] = load(store, name)
  const fresh = !state?.signingPriv
  if (!state?.signingPriv) {
    // `initial` pins the key for known-answer tests (spec §6.7 vectors); otherwise all random.
    const pair = initial ? keyPairFromPrivate(initial.signingPrivate) : generateKeyPair()
    const id = initial?.id ?? new DataView(randomBytesArray(4).buffer).getUint32(0) & 0x7fffffff
    const chainKey = initial?.chainKey ?? randomBytesArray(32)
    state = { id, iteration: 0, chainKey: b64(chainKey), signingPub: b64(pair.public), signingPriv: b64(pair.private), skipped: [] }
    save(store, name, [state])
  }
  return {
    distribution: encodeDistribution({ id: state.id, iteration: state.iteration, chainKey: unb64(state.chainKey), signingKey: unb64(state.signingPub) }),
    fresh
  }
}

/** `33 ‖ SenderKeyMessage ‖ XEdDSA(64)` with consecutive iterations (spec §14.2). */
export function groupEncrypt(store: SignalStore, name: string, plaintext: Uint8Array): Uint8Array {
  const [state, ...rest] = load(store, name)
  if (!state?.signingPriv) throw new JunctionError('internal', 'There is no sender key for this WhatsApp group.')
  const { seed, next } = step(unb64(state.chainKey))
  const { iv, key } = keysOf(seed)
  const c = createCipheriv('aes-256-cbc', key, iv)
  const ciphertext = new Uint8Array(Buffer.concat([c.update(plaintext), c.final()]))
  const w = protobuf.Writer.create()
  w.uint32(0x08).uint32(state.id).uint32(0x10).uint32(state.iteration).uint32(0x1a).bytes(ciphertext)
  const signed = Uint8Array.from([VERSION, ...w.finish()])
  const signature = xeddsaSign(unb64(state.signingPriv), signed)
  save(store, name, [{ ...state, iteration: state.iteration + 1, chainKey: b64(next) }, ...rest])
  return Uint8Array.from([...signed, ...signature])
}

/** Decrypts an skmsg with the sender's state; gaps and late messages use stored seeds (spec §6.7). */
export function groupDecrypt(store: SignalStore, name: string, bytes: Uint8Array): Uint8Array {
  if (bytes.length < 1 + 64) throw new ProtocolError('A WhatsApp group message is too short.')
  const signed = bytes.subarray(0, bytes.length - 64)
  const f = parse(signed, 'group message')
  const [id, iteration, ciphertext] = [f[1], f[2] ?? 0, f[3]]
  if (typeof id !== 'number' || typeof iteration !== 'number' || !(ciphertext instanceof Uint8Array))
    throw new ProtocolError('A WhatsApp group message is incomplete.')
  const states = load(store, name)
  const state = states.find((s) => s.id === id)
  if (!state) throw new JunctionError('integrity', 'No sender key for this WhatsApp group message.')
  if (!xeddsaVerify(unb64(state.signingPub), signed, bytes.subarray(bytes.length - 64)))
    throw new JunctionError('integrity', 'A WhatsApp group message has a bad signature.')
  let seed: Uint8Array
  const updated = { ...state, skipped: [...state.skipped] }
  if (iteration < state.iteration) {
    const at = updated.skipped.findIndex(([i]) => i === iteration)
    if (at < 0) throw new JunctionError('integrity', 'A WhatsApp group message was already decrypted or is too old.')
    seed = unb64(updated.skipped[at]![1])
    updated.skipped.splice(at, 1)
  } else {
    if (iteration - state.iteration > MAX_SKIP) throw new JunctionError('integrity', 'A WhatsApp group message is too far ahead.')
    let chain = unb64(state.chainKey)
    for (let i = state.iteration; i < iteration; i++) {
      const s = step(chain)
      updated.skipped.push([i, b64(s.seed)])
      chain = s.next
    }
    const s = step(chain)
    seed = s.seed
    updated.chainKey = b64(s.next)
    updated.iteration = iteration + 1
    updated.skipped = updated.skipped.slice(-MAX_SKIP)
  }
  const { iv, key } = keysOf(seed)
  let plain: Uint8Array
  try {
    const d = createDecipheriv('aes-256-cbc', key, iv)
    plain = new Uint8Array(Buffer.concat([d.update(ciphertext), d.final()]))
  } catch (cause) {
    throw new JunctionError('integrity', 'A WhatsApp group message could not be decrypted.', { cause })
  }
  save(
    store,
    name,
    states.map((s) => (s === state ? updated : s))
  )
  return plain
}
