// Letter Sealing and e-mail login crypto against the vectors of spec §8.6, §4.2 and §10.1.

import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  decryptMedia,
  decryptV1,
  decryptV2,
  deviceSecret,
  encryptMedia,
  encryptV1,
  encryptV2,
  mediaKeys,
  sealAad,
  unwrapGroupKey,
  wrapGroupKey,
  x25519Public,
  x25519Shared
} from '../../../../../src/main/networks/line/crypto'
import { emailLoginSecret, rsaPasswordBlob, rsaPlaintext } from '../../../../../src/main/networks/line/login/email-crypto'
import { openKeychain, parseKeychain } from '../../../../../src/main/networks/line/keychain'
import { encodeStruct, KeychainSchema } from '../../../../../src/main/networks/line/thrift'
import { JunctionError } from '../../../../../src/shared/errors'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')
const range = (from: number, to: number): Uint8Array => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i)

// spec §8.6
const ALICE_PRIV = hex('0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20')
const ALICE_PUB = '07a37cbc142093c8b755dc1b10e86cb426374ad16aa853ed0bdfc0b2b86d1c7c'
const BOB_PRIV = hex('2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40')
const BOB_PUB = '5869aff450549732cbaaed5e5df9b30a6da31cb0e5742bad5ad4a1a768f1a67b'
const S = 'a84dc7c3c8f058b1b2dc4cd1e9b5dc0a7987f88b6a9564cde3391fc421159e77'
const FROM = 'ufedcba9876543210fedcba9876543210'
const TO = 'u0123456789abcdef0123456789abcdef'
const PAYLOAD = new TextEncoder().encode('{"text":"hi"}')
const params = { secret: hex(S), from: FROM, to: TO, senderKeyId: 1001, receiverKeyId: 2002, contentType: 0 }

describe('Letter Sealing: spec §8.6 vectors', () => {
  it('derives the public keys and the shared secret', () => {
    expect(toHex(x25519Public(ALICE_PRIV))).toBe(ALICE_PUB)
    expect(toHex(x25519Public(BOB_PRIV))).toBe(BOB_PUB)
    expect(b64(hex(ALICE_PUB))).toBe('B6N8vBQgk8i3VdwbEOhstCY3StFqqFPtC9/AsrhtHHw=')
    expect(toHex(x25519Shared(ALICE_PRIV, hex(BOB_PUB)))).toBe(S)
    expect(toHex(x25519Shared(BOB_PRIV, hex(ALICE_PUB)))).toBe(S)
  })

  it('builds the V2 additional data: to || from || ids || version || content type', () => {
    const aad = sealAad(params)
    expect(aad.length).toBe(82)
    expect(toHex(aad)).toBe(Buffer.from(TO + FROM).toString('hex') + '000003e9' + '000007d2' + '00000002' + '00000000')
  })

  it('encrypts V2 to the exact chunks', () => {
    const chunks = encryptV2(params, PAYLOAD, { salt: range(0xa0, 0xaf), nonce: hex('0000000000000001deadbeef') })
    expect(toHex(chunks[1]!)).toBe('79155ec4fcdf107a7a9fda3e3d76cd63fa8c3d5e82281af395572b5db0')
    expect(chunks.map(b64)).toEqual(['oKGio6SlpqeoqaqrrK2urw==', 'eRVexPzfEHp6n9o+PXbNY/qMPV6CKBrzlVcrXbA=', 'AAAAAAAAAAHerb7v', 'AAAD6Q==', 'AAAH0g=='])
  })

  it('decrypts the V2 vector and refuses a tampered one', () => {
    const chunks = ['oKGio6SlpqeoqaqrrK2urw==', 'eRVexPzfEHp6n9o+PXbNY/qMPV6CKBrzlVcrXbA=', 'AAAAAAAAAAHerb7v', 'AAAD6Q==', 'AAAH0g=='].map(
      (c) => new Uint8Array(Buffer.from(c, 'base64'))
    )
    expect(new TextDecoder().decode(decryptV2({ secret: hex(S), from: FROM, to: TO, contentType: 0 }, chunks))).toBe('{"text":"hi"}')
    // The AAD binds the sender: the same chunks "from" someone else do not verify.
    expect(() => decryptV2({ secret: hex(S), from: TO, to: FROM, contentType: 0 }, chunks)).toThrow(JunctionError)
    const tampered = chunks.map((c) => new Uint8Array(c))
    tampered[1]![0]! ^= 1
    expect(() => decryptV2({ secret: hex(S), from: FROM, to: TO, contentType: 0 }, tampered)).toThrow(/did not verify/)
  })

  it('encrypts and decrypts V1 to the exact chunks', () => {
    const chunks = encryptV1(params, PAYLOAD, { salt: hex('0102030405060708') })
    expect(toHex(chunks[1]!)).toBe('16638f7ebfda78b8748bd1140e1d620f')
    expect(toHex(chunks[2]!)).toBe('3dc27d2603803af886282b0431858935')
    expect(chunks.map(b64)).toEqual(['AQIDBAUGBwg=', 'FmOPfr/aeLh0i9EUDh1iDw==', 'PcJ9JgOAOviGKCsEMYWJNQ==', 'AAAD6Q==', 'AAAH0g=='])
    expect(new TextDecoder().decode(decryptV1(hex(S), chunks))).toBe('{"text":"hi"}')
  })

  it('wraps and unwraps a group key (creator alice → receiver bob)', () => {
    const groupPriv = range(0x41, 0x60)
    const wrapped = wrapGroupKey(ALICE_PRIV, hex(BOB_PUB), groupPriv)
    expect(b64(wrapped)).toBe('gh63sY6wt6cv4fu1zbkToKsSt2T3dQizjtSEmt3QgSS4VW+xfggeuoevbk8u94uc')
    expect(toHex(unwrapGroupKey(BOB_PRIV, hex(ALICE_PUB), wrapped))).toBe(toHex(groupPriv))
    expect(toHex(x25519Shared(groupPriv, hex(ALICE_PUB)))).toBe('26c2c17fdb82161cb21ad16e721315355b64d1763119b10bfc962530dc7cc163')
  })

  it('computes the deviceSecret of confirmE2EELogin', () => {
    expect(b64(deviceSecret(ALICE_PRIV, hex(BOB_PUB), range(0x00, 0x2f)))).toBe('LlUEQ8SI7pmEdGN0jdadtA==')
  })
})

describe('Letter Sealing keychain', () => {
  it('parses a wrapped keychain and keeps only entries whose private key matches', () => {
    const keys = [
      { version: 1, keyId: 7, publicKey: b64(hex(BOB_PUB)), privateKey: b64(ALICE_PRIV), createdTime: '1' }, // mismatched pair
      { version: 1, keyId: 9, publicKey: b64(hex(ALICE_PUB)), privateKey: b64(ALICE_PRIV), createdTime: '2' }
    ]
    const plain = encodeStruct(KeychainSchema, { keys }, 'compact')
    const padded = Buffer.concat([plain, Buffer.alloc(16 - (plain.length % 16))])
    const chain = parseKeychain(padded, 9)
    expect(chain).toEqual({ activeKeyId: 9, keys: [{ keyId: 9, version: 1, publicKey: b64(hex(ALICE_PUB)), privateKey: b64(ALICE_PRIV) }] })
  })

  it('treats a delivery without keys or with an error code as Letter Sealing off', () => {
    expect(openKeychain(ALICE_PRIV, undefined)).toBeNull()
    expect(openKeychain(ALICE_PRIV, { errorCode: 'NOT_SUPPORTED', publicKey: 'AA==', encryptedKeyChain: 'AA==' })).toBeNull()
  })

  it('fails with a typed integrity error on garbage', () => {
    expect(() => openKeychain(ALICE_PRIV, { publicKey: BOB_PUB, encryptedKeyChain: b64(range(0, 31)), keyId: '1' })).toThrow(JunctionError)
  })
})

describe('e-mail login crypto (spec §4.2)', () => {
  it('builds the RSA plaintext with one-character length prefixes', () => {
    expect(toHex(rsaPlaintext('abcd', 'a@b.c', 'pw'))).toBe('04616263640561406' + '22e63027077')
  })

  it('encodes a length of 128 or more as two UTF-8 bytes', () => {
    const long = 'x'.repeat(130)
    expect(toHex(rsaPlaintext('k', 'e', long).subarray(0, 6))).toBe('016b0165c282')
  })

  it('makes a PKCS#1 v1.5 type-2 blob in lowercase hex that decrypts to the plaintext', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 65537 })
    const jwk = publicKey.export({ format: 'jwk' })
    const key = {
      keynm: '15327',
      nvalue: Buffer.from(jwk.n!, 'base64url').toString('hex'),
      evalue: Buffer.from(jwk.e!, 'base64url').toString('hex'),
      sessionKey: 'abcd'
    }
    const blob = rsaPasswordBlob(key, 'a@b.c', 'pw')
    expect(blob).toMatch(/^[0-9a-f]{256}$/)
    // Raw RSA (no padding) shows the block: 00 02 <non-zero random> 00 <plaintext>.
    const block = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, Buffer.from(blob, 'hex'))
    expect(block[0]).toBe(0x00)
    expect(block[1]).toBe(0x02)
    const sep = block.indexOf(0, 2)
    expect(sep).toBeGreaterThanOrEqual(10)
    expect(block.subarray(sep + 1).toString('hex')).toBe('0461626364056140622e63027077')
    // Random padding: the same input never gives the same blob twice.
    expect(rsaPasswordBlob(key, 'a@b.c', 'pw')).not.toBe(blob)
  })

  it('computes the E2EE login secret of spec §8.6', () => {
    expect(emailLoginSecret('123456', hex(ALICE_PUB))).toBe('mEqCsHClUDNCgV+jJY5pkLB/heIgYBVLfmo/J6FAtqk=')
  })
})

describe('sealed media (spec §10.1)', () => {
  it('derives the media keys and the blob of the vector', () => {
    const km = range(0x00, 0x1f)
    const keys = mediaKeys(km)
    expect(toHex(keys.encKey)).toBe('54480d998f8e329e5a0a33fdc64f6aee8d9b0edb7a2792f8e52c33d59b1b72e0')
    expect(toHex(keys.macKey)).toBe('682c748ebd8593d84ae2974fe79b5448cc7dbf05c419f4b554d14d3f26e25536')
    expect(toHex(keys.nonce)).toBe('70679ffec9e08b4e8f569eb1')
    const blob = encryptMedia(km, new TextEncoder().encode('hello'))
    expect(toHex(blob)).toBe('3d056abfc4' + '152fff6ee0b1d2c43c563799d6a352340f82ec822edafc1fb4f274fc148743c2')
    expect(new TextDecoder().decode(decryptMedia(km, blob))).toBe('hello')
    blob[0]! ^= 1
    expect(() => decryptMedia(km, blob)).toThrow(JunctionError)
  })
})
