// The reference server's own primitives (a second reading of spec conventions and §2.2):
// labelled deterministic keys (clamp(SHA-256(label)), spec §12.2), X25519, HKDF, AES-GCM, XEdDSA.

import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { x25519 } from '@noble/curves/ed25519.js'
import * as curve from 'libsignal/src/curve'

export interface Pair {
  pub: Uint8Array
  priv: Uint8Array
}

export function labelledPair(label: string): Pair {
  const priv = new Uint8Array(createHash('sha256').update(label).digest())
  priv[0]! &= 248
  priv[31]! &= 127
  priv[31]! |= 64
  return { priv, pub: x25519.getPublicKey(priv) }
}

export function randomPair(): Pair {
  return labelledPair(randomBytes(32).toString('hex'))
}

export const dh = (priv: Uint8Array, pub: Uint8Array): Uint8Array => x25519.getSharedSecret(priv, pub)
export const sha = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256')
  parts.forEach((p) => h.update(p))
  return new Uint8Array(h.digest())
}
export const hmac = (key: Uint8Array, data: Uint8Array): Uint8Array => new Uint8Array(createHmac('sha256', key).update(data).digest())
export const expand = (ikm: Uint8Array, salt: Uint8Array, length: number): Uint8Array => new Uint8Array(hkdfSync('sha256', ikm, salt, '', length))

export function iv(counter: number): Uint8Array {
  const out = new Uint8Array(12)
  out[8] = (counter >>> 24) & 0xff
  out[9] = (counter >>> 16) & 0xff
  out[10] = (counter >>> 8) & 0xff
  out[11] = counter & 0xff
  return out
}

export function seal(key: Uint8Array, counter: number, data: Uint8Array, aad?: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-256-gcm', key, iv(counter))
  if (aad) c.setAAD(aad)
  return new Uint8Array(Buffer.concat([c.update(data), c.final(), c.getAuthTag()]))
}

/** Throws on a bad tag: the server treats it as fatal (spec §2.2). */
export function open(key: Uint8Array, counter: number, data: Uint8Array, aad?: Uint8Array): Uint8Array {
  if (data.length < 16) throw new Error('short ciphertext')
  const d = createDecipheriv('aes-256-gcm', key, iv(counter))
  if (aad) d.setAAD(aad)
  d.setAuthTag(data.subarray(data.length - 16))
  return new Uint8Array(Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]))
}

export const sign = (priv: Uint8Array, message: Uint8Array): Uint8Array => new Uint8Array(curve.calculateSignature(Buffer.from(priv), Buffer.from(message)))
export function verify(pub: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return curve.verifySignature(Buffer.from([5, ...pub]), Buffer.from(message), Buffer.from(signature)) === true
  } catch {
    return false
  }
}

export const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')
export const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'))
