// The reference server's own reading of LINE's crypto (spec §4.2, §8), written separately
// from the client's so that each checks the other: RSA decryption of the password blob,
// the e-mail login secret, keychain and group-key wrapping, V2 message sealing and the
// sealed-media blob. Only the keychain's TCompact encoding comes from the shared Thrift
// codec, which the spec §9.4 vectors pin.

import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  constants,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  privateDecrypt,
  randomBytes,
  type KeyObject
} from 'node:crypto'
import { encodeStruct, KeychainSchema } from '../../../src/main/networks/line/thrift'

export interface X25519Pair {
  priv: Buffer
  pub: Buffer
}

export function newX25519(): X25519Pair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519')
  return {
    priv: Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url'),
    pub: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
  }
}

function priv(raw: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), raw]), format: 'der', type: 'pkcs8' })
}

export function publicOf(raw: Buffer): Buffer {
  return Buffer.from(createPublicKey(priv(raw)).export({ format: 'jwk' }).x!, 'base64url')
}

export function shared(myPriv: Buffer, theirPub: Buffer): Buffer {
  return diffieHellman({
    privateKey: priv(myPriv),
    publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: theirPub.subarray(-32).toString('base64url') }, format: 'jwk' })
  })
}

const sha = (...parts: (Buffer | string)[]): Buffer => {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest()
}
const fold16 = (h: Buffer): Buffer => Buffer.from(h.subarray(0, 16).map((b, i) => b ^ h[16 + i]!))

function channel(secret: Buffer): { key: Buffer; iv: Buffer } {
  return { key: sha(secret, 'Key'), iv: fold16(sha(secret, 'IV')) }
}

function cbc(encrypt: boolean, key: Buffer, iv: Buffer, data: Buffer, pad = true): Buffer {
  const c = encrypt ? createCipheriv('aes-256-cbc', key, iv) : createDecipheriv('aes-256-cbc', key, iv)
  c.setAutoPadding(pad)
  return Buffer.concat([c.update(data), c.final()])
}

function ecb(key: Buffer, block: Buffer, encrypt = true): Buffer {
  const c = encrypt ? createCipheriv('aes-256-ecb', key, null) : createDecipheriv('aes-256-ecb', key, null)
  c.setAutoPadding(false)
  return Buffer.concat([c.update(block), c.final()])
}

// ---- e-mail login (spec §4.2) ---------------------------------------------------------------

export interface ServerRsaKey {
  keynm: string
  nvalue: string
  evalue: string
  sessionKey: string
  privateKey: KeyObject
}

export function newRsaKey(keynm: string): ServerRsaKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 65537 })
  const jwk = publicKey.export({ format: 'jwk' })
  return {
    keynm,
    nvalue: Buffer.from(jwk.n!, 'base64url').toString('hex'),
    evalue: Buffer.from(jwk.e!, 'base64url').toString('hex'),
    sessionKey: randomBytes(8).toString('hex'),
    privateKey
  }
}

/** Undoes the password blob: raw RSA, then the PKCS#1 v1.5 type-2 block by hand, then the length-prefixed fields. */
export function openPasswordBlob(key: ServerRsaKey, hex: string): { sessionKey: string; email: string; password: string } | null {
  if (!/^[0-9a-f]+$/.test(hex)) return null
  let block: Buffer
  try {
    block = privateDecrypt({ key: key.privateKey, padding: constants.RSA_NO_PADDING }, Buffer.from(hex, 'hex'))
  } catch {
    return null
  }
  if (block[0] !== 0 || block[1] !== 2) return null
  const sep = block.indexOf(0, 2)
  if (sep < 10) return null
  const text = block.subarray(sep + 1).toString('utf8')
  const fields: string[] = []
  let i = 0
  while (i < text.length && fields.length < 3) {
    const n = text.charCodeAt(i)
    fields.push(text.slice(i + 1, i + 1 + n))
    i += 1 + n
  }
  if (fields.length !== 3 || i !== text.length) return null
  return { sessionKey: fields[0]!, email: fields[1]!, password: fields[2]! }
}

/** spec §4.2 step 3, read backwards by the phone: the PC's public key from the secret and the typed PIN. */
export function publicKeyFromSecret(secretB64: string, pin: string): Buffer | null {
  const secret = Buffer.from(secretB64, 'base64')
  if (secret.length !== 32) return null
  return ecb(sha(pin), secret, false)
}

// ---- keychains and group keys (spec §8.3) -----------------------------------------------

export interface ServerKey {
  keyId: number
  priv: Buffer
  pub: Buffer
}

/** Wraps an account's keychain for a login key: what qrCodeLoginV2's metaData and LF1 carry. */
export function wrapKeychain(loginPub: Buffer, keys: ServerKey[], activeKeyId: number): Record<string, string> & { _ephemeralPriv?: string } {
  const eph = newX25519()
  const plain = Buffer.from(
    encodeStruct(
      KeychainSchema,
      {
        keys: keys.map((k) => ({
          version: 1,
          keyId: k.keyId,
          publicKey: k.pub.toString('base64'),
          privateKey: k.priv.toString('base64'),
          createdTime: '1700000000000'
        }))
      },
      'compact'
    )
  )
  const { key, iv } = channel(shared(eph.priv, loginPub))
  const encrypted = cbc(true, key, iv, plain)
  return {
    errorCode: 'SUCCESS',
    keyId: String(activeKeyId),
    publicKey: eph.pub.toString('base64'),
    encryptedKeyChain: encrypted.toString('base64'),
    e2eeVersion: '1',
    _ephemeralPriv: eph.priv.toString('base64')
  }
}

/** spec §8.3: what confirmE2EELogin must prove. */
export function expectedDeviceSecret(ephemeralPriv: Buffer, loginPub: Buffer, encryptedKeyChain: Buffer): Buffer {
  const { key } = channel(shared(ephemeralPriv, loginPub))
  return ecb(key, fold16(sha(encryptedKeyChain)))
}

export function wrapGroupKeyFor(creatorPriv: Buffer, memberPub: Buffer, groupPriv: Buffer): Buffer {
  const { key, iv } = channel(shared(creatorPriv, memberPub))
  return cbc(true, key, iv, groupPriv)
}

export function unwrapGroupKeyWith(memberPriv: Buffer, creatorPub: Buffer, wrapped: Buffer): Buffer {
  const { key, iv } = channel(shared(memberPriv, creatorPub))
  return cbc(false, key, iv, wrapped)
}

// ---- messages (spec §8.4) -----------------------------------------------------------------

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}

export function sealV2(secret: Buffer, from: string, to: string, senderKeyId: number, receiverKeyId: number, contentType: number, payload: object): string[] {
  const salt = randomBytes(16)
  const nonce = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', sha(secret, salt, 'Key'), nonce)
  c.setAAD(Buffer.concat([Buffer.from(to), Buffer.from(from), u32(senderKeyId), u32(receiverKeyId), u32(2), u32(contentType)]))
  const ct = Buffer.concat([c.update(JSON.stringify(payload)), c.final(), c.getAuthTag()])
  return [salt, ct, nonce, u32(senderKeyId), u32(receiverKeyId)].map((b) => b.toString('base64'))
}

export function openV2(secret: Buffer, from: string, to: string, contentType: number, chunksB64: string[]): Record<string, unknown> {
  const [salt, ct, nonce, sid, rid] = chunksB64.map((c) => Buffer.from(c, 'base64')) as [Buffer, Buffer, Buffer, Buffer, Buffer]
  const d = createDecipheriv('aes-256-gcm', sha(secret, salt, 'Key'), nonce)
  d.setAAD(Buffer.concat([Buffer.from(to), Buffer.from(from), sid, rid, u32(2), u32(contentType)]))
  d.setAuthTag(ct.subarray(ct.length - 16))
  return JSON.parse(Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]).toString('utf8')) as Record<string, unknown>
}

export function keyIdsOf(chunksB64: string[]): { senderKeyId: number; receiverKeyId: number } {
  return { senderKeyId: Buffer.from(chunksB64[3]!, 'base64').readUInt32BE(0), receiverKeyId: Buffer.from(chunksB64[4]!, 'base64').readUInt32BE(0) }
}

/** spec §10.1: opens a sealed picture blob with its key material. */
export function openMediaBlob(keyMaterial: Buffer, blob: Buffer): Buffer {
  const okm = Buffer.from(hkdfSync('sha256', keyMaterial, Buffer.alloc(0), 'FileEncryption', 76))
  const ct = blob.subarray(0, blob.length - 32)
  const mac = createHmac('sha256', okm.subarray(32, 64)).update(ct).digest()
  if (!mac.equals(blob.subarray(blob.length - 32))) throw new Error('media MAC mismatch')
  const d = createDecipheriv('aes-256-ctr', okm.subarray(0, 32), Buffer.concat([okm.subarray(64, 76), Buffer.alloc(4)]))
  return Buffer.concat([d.update(ct), d.final()])
}
