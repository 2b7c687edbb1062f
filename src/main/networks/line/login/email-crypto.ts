// The crypto of the e-mail login (spec §4.2): the RSA password blob and the E2EE login
// secret whose 6-digit code is the PIN the person confirms on the phone.

import { createCipheriv, constants, createPublicKey, publicEncrypt, randomInt } from 'node:crypto'
import { ProtocolError } from '../../../../shared/errors'
import { sha256 } from '../crypto'

export interface RsaKeyInfo {
  keynm: string
  /** Modulus, hex. */
  nvalue: string
  /** Exponent, hex. */
  evalue: string
  sessionKey: string
}

/**
 * spec §4.2 step 2: chr(len(sessionKey)) + sessionKey + chr(len(email)) + email +
 * chr(len(password)) + password, each length a UTF-16 unit count, the whole UTF-8 encoded.
 */
export function rsaPlaintext(sessionKey: string, email: string, password: string): Uint8Array {
  const part = (s: string): string => String.fromCharCode(s.length) + s
  return new Uint8Array(Buffer.from(part(sessionKey) + part(email) + part(password), 'utf8'))
}

function hexToBase64Url(hex: string, what: string): string {
  const clean = hex.trim().toLowerCase()
  if (!/^[0-9a-f]+$/.test(clean) || clean.length > 8192) throw new ProtocolError(`The RSA key's ${what} is not hex.`)
  return Buffer.from(clean.length % 2 ? `0${clean}` : clean, 'hex').toString('base64url')
}

/** RSA PKCS#1 v1.5 with the server's (n, e); lowercase hex, as loginV2's `password` expects. */
export function rsaPasswordBlob(key: RsaKeyInfo, email: string, password: string): string {
  let publicKey
  try {
    publicKey = createPublicKey({ key: { kty: 'RSA', n: hexToBase64Url(key.nvalue, 'modulus'), e: hexToBase64Url(key.evalue, 'exponent') }, format: 'jwk' })
  } catch (cause) {
    if (cause instanceof ProtocolError) throw cause
    throw new ProtocolError('The server sent an unusable RSA key.', { cause })
  }
  const plaintext = rsaPlaintext(key.sessionKey, email, password)
  try {
    return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, plaintext).toString('hex')
  } catch (cause) {
    throw new ProtocolError('The e-mail and password are too long for the server’s RSA key.', { cause })
  }
}

/** A random 6-digit code, leading zeros kept. */
export function randomPinCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0')
}

/** spec §4.2 step 3: base64(AES-256-ECB(SHA-256(code), publicKey)), two blocks, no padding. */
export function emailLoginSecret(code: string, publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new ProtocolError('The login public key must be 32 bytes.')
  const c = createCipheriv('aes-256-ecb', sha256(code), null)
  c.setAutoPadding(false)
  return Buffer.concat([c.update(publicKey), c.final()]).toString('base64')
}
