// The legacy session crypto (spec §2.5, §2.7, §3, §4, §7.3) on node:crypto, which is what
// §13 verified every vector against: X25519 from raw keys, RFC 5869 HKDF, AES-256-CBC with
// PKCS#7, HMAC-SHA256 compared in constant time.

import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  type KeyObject
} from 'node:crypto'
import { JunctionError, ProtocolError } from '../../../../shared/errors'

export interface KeyPair {
  privateKey: Uint8Array
  publicKey: Uint8Array
}

export interface SessionKeys {
  encKey: Uint8Array
  macKey: Uint8Array
}

// spec §13: DER wrappers that turn 32 raw bytes into node:crypto X25519 keys.
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex')
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex')
const ZERO_SALT = Buffer.alloc(32)

export function generateKeyPair(): KeyPair {
  const { privateKey } = generateKeyPairSync('x25519')
  return keyPairFromPrivate(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32))
}

export function keyPairFromPrivate(privateKey: Uint8Array): KeyPair {
  if (privateKey.length !== 32) throw new ProtocolError('An X25519 private key has 32 bytes.')
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, privateKey]), format: 'der', type: 'pkcs8' })
  const publicKey = createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32)
  return { privateKey: new Uint8Array(privateKey), publicKey: new Uint8Array(publicKey) }
}

export function sharedSecret(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (privateKey.length !== 32 || publicKey.length !== 32) throw new ProtocolError('X25519 keys have 32 bytes.')
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, privateKey]), format: 'der', type: 'pkcs8' })
  const pub = createPublicKey({ key: Buffer.concat([SPKI_X25519, publicKey]), format: 'der', type: 'spki' })
  return new Uint8Array(diffieHellman({ privateKey: priv, publicKey: pub }))
}

/** spec §2.5: plain RFC 5869 with a 32-zero-byte salt (the "zero-key HMAC" of reveng/go is the extract step). */
export function hkdf(ikm: Uint8Array, length: number, info: string | Uint8Array = ''): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, ZERO_SALT, info, length))
}

/**
 * Session keys live as long as the session; importing raw key bytes on every frame costs
 * more than the crypto on a small frame, so each key array is imported once.
 */
const imported = new WeakMap<Uint8Array, KeyObject>()
function keyObject(key: Uint8Array): KeyObject {
  let k = imported.get(key)
  if (!k) imported.set(key, (k = createSecretKey(key)))
  return k
}

export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const mac = createHmac('sha256', keyObject(key))
  for (const p of parts) mac.update(p)
  return new Uint8Array(mac.digest())
}

export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest())
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-cbc', keyObject(key), iv)
  return Buffer.concat([cipher.update(plain), cipher.final()])
}

/**
 * AES-256-CBC with PKCS#7; bad padding is a ProtocolError, never an untyped OpenSSL error.
 * OpenSSL's own unpadding is off: with whole blocks in, `update` returns every plaintext
 * byte in one buffer, and the pad is checked and cut off here as a view. That spares the
 * `final()` block and the `Buffer.concat` of the two outputs (issue 14: the copy was the
 * gap to raw node:crypto). Every caller verifies a MAC over the ciphertext first, so the
 * padding check is not an oracle.
 */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) throw new ProtocolError('The ciphertext is not a whole number of AES blocks.')
  let plain: Buffer
  try {
    const decipher = createDecipheriv('aes-256-cbc', keyObject(key), iv)
    decipher.setAutoPadding(false)
    plain = decipher.update(ciphertext)
  } catch (cause) {
    throw new ProtocolError('The ciphertext did not decrypt.', { cause })
  }
  const n = plain.length
  const pad = n === ciphertext.length ? plain[n - 1]! : 0
  let good = pad >= 1 && pad <= 16
  for (let i = n - pad; good && i < n; i++) good = plain[i] === pad
  if (!good) throw new ProtocolError('The ciphertext did not decrypt (bad padding).')
  return plain.subarray(0, n - pad)
}

/**
 * spec §2.5: turns `Conn.secret` (144 bytes) into encKey and macKey. The HMAC over the
 * server's public key and the key blob is checked first; a mismatch aborts the pairing.
 */
export function deriveSessionKeys(privateKey: Uint8Array, secret: Uint8Array): SessionKeys {
  if (secret.length !== 144) throw new ProtocolError(`The pairing secret has ${secret.length} bytes instead of 144.`)
  const serverPublic = secret.subarray(0, 32)
  const shared = sharedSecret(privateKey, serverPublic)
  const expanded = hkdf(shared, 80)
  const check = hmacSha256(expanded.subarray(32, 64), serverPublic, secret.subarray(64, 144))
  if (!sameBytes(check, secret.subarray(32, 64))) {
    throw new JunctionError('integrity', 'The pairing data from WhatsApp did not verify. Scan the code again.')
  }
  // spec §2.5: the IV is sse[64:80]; the 80-byte secret[64:144] is the ciphertext.
  const keys = aesCbcDecrypt(expanded.subarray(0, 32), expanded.subarray(64, 80), secret.subarray(64, 144))
  if (keys.length !== 64) throw new ProtocolError('The pairing key blob has the wrong size.')
  return { encKey: keys.slice(0, 32), macKey: keys.slice(32, 64) }
}

/** spec §4: HMAC32 ‖ IV16 ‖ AES-256-CBC(PKCS#7(plain)); the HMAC covers IV and ciphertext. */
export function encryptFrame(keys: SessionKeys, plain: Uint8Array, iv: Uint8Array = randomBytes(16)): Uint8Array {
  const ct = aesCbcEncrypt(keys.encKey, iv, plain)
  // The frame is assembled in place and the MAC computed over a view of it.
  const out = new Uint8Array(48 + ct.length)
  out.set(iv, 32)
  out.set(ct, 48)
  out.set(createHmac('sha256', keyObject(keys.macKey)).update(out.subarray(32)).digest(), 0)
  return out
}

/** spec §3: verifies the HMAC in constant time, then decrypts. Typed errors only. The plaintext is a fresh buffer. */
export function decryptFrame(keys: SessionKeys, data: Uint8Array): Uint8Array {
  // 32 MAC + 16 IV + at least one block; the body is always whole blocks.
  if (data.length < 64 || (data.length - 32) % 16 !== 0) throw new ProtocolError('An encrypted frame has an impossible length.')
  const mac = createHmac('sha256', keyObject(keys.macKey)).update(data.subarray(32)).digest()
  if (!timingSafeEqual(mac, data.subarray(0, 32))) throw new JunctionError('integrity', 'An encrypted frame from WhatsApp failed its integrity check.')
  return aesCbcDecrypt(keys.encKey, data.subarray(32, 48), data.subarray(48))
}

/** spec §2.7: the challenge answer is a bare HMAC (not reveng's encrypt helper, §12). */
export function challengeAnswer(macKey: Uint8Array, challengeBase64: string): string {
  return Buffer.from(hmacSha256(macKey, Buffer.from(challengeBase64, 'base64'))).toString('base64')
}

/** spec §2.8: the socket-less logout token (README-only; kept for completeness). */
export function logoutToken(keys: SessionKeys): string {
  return Buffer.from(hmacSha256(keys.macKey, keys.encKey)).toString('base64')
}

// spec §7.3 media crypto is shared with multi-device (whatsapp-md.md §8.2 says identical).
export { MEDIA_INFO, decryptMedia, encryptMedia, expandMediaKey, type MediaKeys, type MediaType } from '../media-crypto'
