// The reference server's own reading of the WhatsApp Web frame format and session crypto
// (spec §1.2, §2.6, §2.7, §3, §4, §7.3), written on node:crypto independently of the
// client's legacy/crypto.ts. It shares only the node codec (src/main/networks/whatsapp/legacy/binary),
// whose bytes the spec's §5.10 vectors pin; tests pin this file to the §2.6/§4/§7.3 vectors.

import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  randomBytes,
  timingSafeEqual
} from 'node:crypto'

export interface ServerKeys {
  encKey: Buffer
  macKey: Buffer
}

export type ClientFrame =
  | { kind: 'keepalive' }
  | { kind: 'json'; tag: string; value: unknown; doubleComma: boolean }
  | { kind: 'binary'; tag: string; metric: number; flag: number; sealed: Buffer }

/** spec §1.2: split at the first comma; text frames may use `tag,,json`; binary frames carry METRIC FLAG after the comma. */
export function parseClientFrame(data: Buffer, isBinary: boolean): ClientFrame {
  if (!isBinary && data.toString('latin1') === '?,,') return { kind: 'keepalive' }
  const comma = data.indexOf(0x2c)
  if (comma < 1) throw new Error('frame without a tag')
  const tag = data.subarray(0, comma).toString('latin1')
  if (isBinary) {
    if (data.length < comma + 3) throw new Error('binary frame too short')
    return { kind: 'binary', tag, metric: data[comma + 1]!, flag: data[comma + 2]!, sealed: data.subarray(comma + 3) }
  }
  let rest = data.subarray(comma + 1).toString('utf8')
  const doubleComma = rest.startsWith(',')
  if (doubleComma) rest = rest.slice(1)
  return { kind: 'json', tag, value: JSON.parse(rest) as unknown, doubleComma }
}

export function hmac(key: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac('sha256', key)
  for (const p of parts) h.update(p)
  return h.digest()
}

/** spec §4 from the receiving side: verify HMAC(macKey, iv ‖ ct), then AES-256-CBC decrypt. */
export function openSealed(keys: ServerKeys, sealed: Buffer): Buffer {
  if (sealed.length < 64) throw new Error('sealed frame too short')
  const mac = sealed.subarray(0, 32)
  const body = sealed.subarray(32)
  const expected = hmac(keys.macKey, body)
  if (!timingSafeEqual(mac, expected)) throw new Error('bad frame hmac')
  const d = createDecipheriv('aes-256-cbc', keys.encKey, body.subarray(0, 16))
  return Buffer.concat([d.update(body.subarray(16)), d.final()])
}

/** spec §3 from the sending side: HMAC32 ‖ IV16 ‖ CT (a server frame has no metric/flag bytes). */
export function seal(keys: ServerKeys, plain: Uint8Array, iv: Buffer = randomBytes(16)): Buffer {
  const c = createCipheriv('aes-256-cbc', keys.encKey, iv)
  const body = Buffer.concat([iv, c.update(plain), c.final()])
  return Buffer.concat([hmac(keys.macKey, body), body])
}

const PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex')
const SPKI = Buffer.from('302a300506032b656e032100', 'hex')

/**
 * spec §2.6: the server side of pairing. A fresh X25519 key pair per pairing (or the one
 * given, for the vector); `secret = serverPub ‖ HMAC ‖ AES(encKey ‖ macKey)`.
 */
export function buildSecret(clientPublic: Buffer, keys: ServerKeys, serverPrivate: Buffer = randomBytes(32)): Buffer {
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8, serverPrivate]), format: 'der', type: 'pkcs8' })
  const serverPublic = createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(-32)
  const pub = createPublicKey({ key: Buffer.concat([SPKI, clientPublic]), format: 'der', type: 'spki' })
  const shared = diffieHellman({ privateKey: priv, publicKey: pub })
  const sse = Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(32), Buffer.alloc(0), 80))
  const c = createCipheriv('aes-256-cbc', sse.subarray(0, 32), sse.subarray(64, 80))
  const ct = Buffer.concat([c.update(Buffer.concat([keys.encKey, keys.macKey])), c.final()])
  return Buffer.concat([serverPublic, hmac(sse.subarray(32, 64), serverPublic, ct), ct])
}

/** spec §2.7: the expected answer to a challenge is HMAC-SHA256(macKey, challenge bytes), base64. */
export function expectedChallengeAnswer(macKey: Buffer, challenge: Buffer): string {
  return hmac(macKey, challenge).toString('base64')
}

/** spec §7.3: what the phone does before uploading a picture. */
export function encryptMediaFile(file: Buffer, mediaKey: Buffer, info = 'WhatsApp Image Keys'): { blob: Buffer; fileSha256: Buffer; fileEncSha256: Buffer } {
  const x = Buffer.from(hkdfSync('sha256', mediaKey, Buffer.alloc(32), Buffer.from(info), 112))
  const iv = x.subarray(0, 16)
  const c = createCipheriv('aes-256-cbc', x.subarray(16, 48), iv)
  const enc = Buffer.concat([c.update(file), c.final()])
  const mac = hmac(x.subarray(48, 80), iv, enc).subarray(0, 10)
  const blob = Buffer.concat([enc, mac])
  return { blob, fileSha256: createHash('sha256').update(file).digest(), fileEncSha256: createHash('sha256').update(blob).digest() }
}

/**
 * spec §7.3, read by the phone that receives a file: the 10-byte MAC over iv ‖ enc first,
 * then AES-CBC, then the plain file's SHA-256 and length against what the message says.
 */
export function decryptMediaFile(
  blob: Buffer,
  mediaKey: Buffer,
  info: string,
  expect: { fileSha256?: Buffer; fileLength?: number }
): { file: Buffer } | { problem: string } {
  if (mediaKey.length !== 32) return { problem: 'media key is not 32 bytes' }
  if (blob.length < 26 || (blob.length - 10) % 16 !== 0) return { problem: 'impossible blob length' }
  const x = Buffer.from(hkdfSync('sha256', mediaKey, Buffer.alloc(32), Buffer.from(info), 112))
  const iv = x.subarray(0, 16)
  const enc = blob.subarray(0, blob.length - 10)
  if (
    !hmac(x.subarray(48, 80), iv, enc)
      .subarray(0, 10)
      .equals(blob.subarray(blob.length - 10))
  )
    return { problem: 'MAC mismatch' }
  let file: Buffer
  try {
    const d = createDecipheriv('aes-256-cbc', x.subarray(16, 48), iv)
    file = Buffer.concat([d.update(enc), d.final()])
  } catch {
    return { problem: 'bad padding' }
  }
  if (expect.fileLength !== undefined && file.length !== expect.fileLength) return { problem: 'fileLength mismatch' }
  if (expect.fileSha256 && !createHash('sha256').update(file).digest().equals(expect.fileSha256)) return { problem: 'fileSha256 mismatch' }
  return { file }
}
