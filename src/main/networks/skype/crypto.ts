// MSNP's own crypto: the CHL/QRY challenge answer (spec §4.5; MSNP24 answers the BND
// nonce with it, §5.1), the MBI_KEY_OLD blob of the MSNP21 Passport login (§4.4), and
// the Client-Message-ID a send puts on the wire, derived from Junction's client id.

import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto'
import { ProtocolError } from '../../../shared/errors'

export interface ProductKey {
  id: string
  key: string
}

/** spec §4.5: MSNP11's pair, which Skype/Miranda also used for MSNP24's challenge. */
export const MSNP24_PRODUCT: ProductKey = { id: 'PROD0090YUAUV{2B', key: 'YMM8C_H7KCQ2S_KL' }
/** spec §4.5: WLM 2011 (MSNP21). */
export const MSNP21_PRODUCT: ProductKey = { id: 'PROD0120PW!CCV9@', key: 'C1BX{V4W}Q3*10SM' }

const MOD = 0x7fffffffn

/**
 * spec §4.5. `digest` is MD5 for CHL/QRY; the web API's LockAndKey (§11.2) uses the first
 * 16 bytes of SHA-256 with the same arithmetic. The final XOR uses the UNMASKED hash
 * words: Escargot's `gen_chal_response` masks them first and gets a wrong answer whenever
 * a word has its top bit set.
 */
export function challengeResponse(challenge: string, product: ProductKey, digest: 'md5' | 'sha256' = 'md5'): string {
  if (!/^[\x21-\x7e]{1,256}$/.test(challenge)) throw new ProtocolError('The server sent an unreadable challenge.')
  const hash = createHash(digest)
    .update(challenge + product.key, 'latin1')
    .digest()
    .subarray(0, 16)
  const h = [0, 1, 2, 3].map((i) => hash.readUInt32LE(i * 4))
  const m = h.map((w) => BigInt(w & 0x7fffffff))
  let s = challenge + product.id
  // Pad with ASCII '0' to a multiple of 8 (pidgin/Miranda add nothing when it already is one).
  if (s.length % 8 !== 0) s += '0'.repeat(8 - (s.length % 8))
  const bytes = Buffer.from(s, 'latin1')
  let hi = 0n
  let lo = 0n
  for (let j = 0; j < bytes.length / 4; j += 2) {
    const c0 = BigInt(bytes.readUInt32LE(j * 4))
    const c1 = BigInt(bytes.readUInt32LE(j * 4 + 4))
    let t = ((c0 * 0x0e79a9c1n) % MOD) + hi
    t = (t * m[0]! + m[1]!) % MOD
    hi = (((c1 + t) % MOD) * m[2]! + m[3]!) % MOD
    lo = lo + hi + t
  }
  hi = (hi + m[1]!) % MOD
  lo = (lo + m[3]!) % MOD
  const out = Buffer.alloc(16)
  out.writeUInt32LE((h[0]! ^ Number(hi)) >>> 0, 0)
  out.writeUInt32LE((h[1]! ^ Number(lo)) >>> 0, 4)
  out.writeUInt32LE((h[2]! ^ Number(hi)) >>> 0, 8)
  out.writeUInt32LE((h[3]! ^ Number(lo)) >>> 0, 12)
  return out.toString('hex')
}

/** spec §4.4: WS-Trust P_SHA1-style derivation of a 24-byte 3DES key. */
export function deriveMbiKey(key: Uint8Array, magic: string): Buffer {
  const m = Buffer.from(magic, 'latin1')
  const hmac = (data: Uint8Array): Buffer => createHmac('sha1', key).update(data).digest()
  const h1 = hmac(m)
  const h2 = hmac(Buffer.concat([h1, m]))
  const h3 = hmac(h1)
  const h4 = hmac(Buffer.concat([h3, m]))
  return Buffer.concat([h2, h4.subarray(0, 4)])
}

export const MBI_HASH_MAGIC = 'WS-SecureConversationSESSION KEY HASH'
export const MBI_ENCRYPTION_MAGIC = 'WS-SecureConversationSESSION KEY ENCRYPTION'

/** spec §4.4: the base64 blob sent in `USR … SSO S <ticket> <blob> {guid}`. */
export function mbiResponse(secretBase64: string, nonce: string, iv: Uint8Array = randomBytes(8)): string {
  const secret = Buffer.from(secretBase64, 'base64')
  if (secret.length < 16) throw new ProtocolError('The Passport proof key was too short.')
  if (iv.length !== 8) throw new ProtocolError('The MBI IV must be 8 bytes.')
  const k2 = deriveMbiKey(secret, MBI_HASH_MAGIC)
  const k3 = deriveMbiKey(secret, MBI_ENCRYPTION_MAGIC)
  const plain = Buffer.from(nonce, 'latin1')
  const hash = createHmac('sha1', k2).update(plain).digest()
  const cipher = createCipheriv('des-ede3-cbc', k3, iv)
  const ct = Buffer.concat([cipher.update(plain), cipher.final()])
  const header = Buffer.alloc(28)
  ;[28, 1, 0x6603, 0x8004, 8, 20, ct.length].forEach((v, i) => header.writeUInt32LE(v, i * 4))
  return Buffer.concat([header, iv, hash, ct]).toString('base64')
}

/**
 * The Client-Message-ID for a Junction client id: decimal (spec §6.4), 63 bits of
 * SHA-256, so every retry of one draft carries the same id and the server drops the copy.
 */
export function clientMessageIdFor(clientId: string): string {
  const digest = createHash('sha256').update(`junction-skype-cmid:${clientId}`, 'utf8').digest()
  return (digest.readBigUInt64BE(0) & 0x7fffffffffffffffn).toString(10)
}

export function randomGuid(): string {
  const b = randomBytes(16)
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
