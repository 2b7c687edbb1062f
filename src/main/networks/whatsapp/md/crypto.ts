// Primitives of the multi-device protocol (spec conventions, §2.2): SHA-256, RFC 5869 HKDF
// (absent salt = 32 zero bytes), HMAC, AES-256-GCM from node:crypto; X25519 from
// @noble/curves; XEdDSA (Signal's signature over Curve25519 keys) from libsignal, whose
// verifier returns a boolean that every caller here checks (spec §2.4: Baileys did not).

import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'
import { x25519 } from '@noble/curves/ed25519.js'
import * as curve from 'libsignal/src/curve'
import { JunctionError } from '../../../../shared/errors'

export interface KeyPair {
  /** 32-byte X25519 public key (no 05 prefix). */
  public: Uint8Array
  private: Uint8Array
}

/** A Uint8Array view of a Buffer's bytes (Buffers from node:crypto own their memory). */
function view(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.length)
}

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return new Uint8Array(h.digest())
}

export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac('sha256', key)
  for (const p of parts) h.update(p)
  return new Uint8Array(h.digest())
}

export function hkdf(ikm: Uint8Array, length: number, salt: Uint8Array | null, info: string | Uint8Array = ''): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, salt ?? new Uint8Array(32), info, length))
}

export function aesGcmSeal(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-256-gcm', key, iv)
  if (aad) c.setAAD(aad)
  const head = c.update(plaintext)
  const tail = c.final()
  return view(Buffer.concat([head, tail, c.getAuthTag()]))
}

/** Opens `ciphertext || tag`; a failing tag is an `integrity` error. */
export function aesGcmOpen(key: Uint8Array, iv: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array {
  if (sealed.length < 16) throw new JunctionError('integrity', 'A WhatsApp frame is shorter than its tag.')
  try {
    const d = createDecipheriv('aes-256-gcm', key, iv)
    if (aad) d.setAAD(aad)
    d.setAuthTag(sealed.subarray(sealed.length - 16))
    const body = d.update(sealed.subarray(0, sealed.length - 16))
    const tail = d.final()
    // GCM is a stream mode: final() is empty, so the update buffer is the plaintext (no copy).
    return view(tail.length ? Buffer.concat([body, tail]) : body)
  } catch (cause) {
    throw new JunctionError('integrity', 'A WhatsApp frame did not authenticate.', { cause })
  }
}

export function x25519Shared(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  try {
    return x25519.getSharedSecret(privateKey, publicKey)
  } catch (cause) {
    throw new JunctionError('integrity', 'A WhatsApp key agreement failed.', { cause })
  }
}

export function keyPairFromPrivate(privateKey: Uint8Array): KeyPair {
  return { private: privateKey, public: x25519.getPublicKey(privateKey) }
}

export function generateKeyPair(): KeyPair {
  const priv = new Uint8Array(randomBytes(32))
  // Clamped as X25519 and Signal store them (spec §2.5).
  priv[0]! &= 248
  priv[31]! &= 127
  priv[31]! |= 64
  return keyPairFromPrivate(priv)
}

/** 05 || key: the Signal form of a public key (spec conventions). */
export function signalPublic(key: Uint8Array): Uint8Array {
  return key.length === 33 ? key : Uint8Array.from([5, ...key])
}

export function xeddsaSign(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(curve.calculateSignature(Buffer.from(privateKey), Buffer.from(message)))
}

/** True only for a valid signature; malformed keys or signatures are simply invalid. */
export function xeddsaVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64 || (publicKey.length !== 32 && publicKey.length !== 33)) return false
  try {
    return curve.verifySignature(Buffer.from(signalPublic(publicKey)), Buffer.from(message), Buffer.from(signature)) === true
  } catch {
    return false
  }
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts))
}

export function randomBytesArray(n: number): Uint8Array {
  return new Uint8Array(randomBytes(n))
}
