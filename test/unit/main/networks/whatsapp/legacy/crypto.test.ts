// Every crypto vector of the spec (§2.6, §2.7, §2.8, §4, §7.3), copied from the spec text.

import { createCipheriv } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { JunctionError, ProtocolError } from '../../../../../../src/shared/errors'
import {
  challengeAnswer,
  decryptFrame,
  decryptMedia,
  deriveSessionKeys,
  encryptFrame,
  encryptMedia,
  expandMediaKey,
  generateKeyPair,
  hkdf,
  hmacSha256,
  keyPairFromPrivate,
  logoutToken,
  sharedSecret
} from '../../../../../../src/main/networks/whatsapp/legacy/crypto'

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')

// spec §2.6
const clientPriv = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f')
const clientPub = '8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f'
const serverPriv = hex('202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f')
const serverPub = '358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254'
const shared = '9663aa1da97e848a914a436d04163dfbb89178f107f1b5b77ed3854203382854'
const PRK = '7e7b144533a125d6203e1c4146ffd8c8325d7f5e78343b6ed1ad30191b03a536'
const sse =
  '3efba6340f128deb8fdd001e4a89c5a7503769198a2d2900794f0c48f01c664f' +
  '02b1f42b851a7f94be0a295ca808d2ee4b1013848e3d8491e8d38dcaea179ac8' +
  'd56dc055c63da6483f6c4392f08b0704'
const encKey = '404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f'
const macKey = '606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f'
const ct =
  'a5fa3c30b605e1c4db1a3597b8718b9d418d4b26b9c423e76fccd650a744bb38' +
  '92e6d4d0ce6da84aae08bbdad46f9841e87b563a31ae0480cc55e601f1ee2567' +
  '4669e11822ccb0e58be9ba5d0ffddf31'
const mac = '085eadf7c56814766c9423675f1d1dab822b53a85d0e34afafa41ef91fd8e3ab'
const secretB64 =
  'NYBy1jZYgNGu6jKa35EhODhR7SGijjt16WXQ0s0WYlQIXq33xWgUdmyUI2dfHR2rgitTqF0ONK+vpB75H9jjq6X6PDC2BeHE2xo1l7hxi51BjUsmucQj52/M1lCnRLs4kubU0M5tqEquCLva1G+YQeh7VjoxrgSAzFXmAfHuJWdGaeEYIsyw5Yvpul0P/d8x'
const keys = { encKey: hex(encKey), macKey: hex(macKey) }

describe('WhatsApp crypto: pairing (spec §2.5/§2.6)', () => {
  it('derives the public keys from the private keys', () => {
    expect(toHex(keyPairFromPrivate(clientPriv).publicKey)).toBe(clientPub)
    expect(b64(keyPairFromPrivate(clientPriv).publicKey)).toBe('j0DFrbaPJWJK5bIU6nZ6bslNgp09e14a0bpvPiE4KF8=')
    expect(toHex(keyPairFromPrivate(serverPriv).publicKey)).toBe(serverPub)
  })

  it('computes the same shared secret from both sides', () => {
    expect(toHex(sharedSecret(clientPriv, hex(serverPub)))).toBe(shared)
    expect(toHex(sharedSecret(serverPriv, hex(clientPub)))).toBe(shared)
  })

  it('expands the shared secret with RFC 5869 HKDF (zero salt, empty info)', () => {
    expect(toHex(hmacSha256(new Uint8Array(32), hex(shared)))).toBe(PRK)
    expect(toHex(hkdf(hex(shared), 80))).toBe(sse)
  })

  it('the secret is serverPub ‖ mac ‖ ct as the vector says', () => {
    expect(Buffer.from(secretB64, 'base64').toString('hex')).toBe(serverPub + mac + ct)
  })

  it('deriveSessionKeys recovers encKey and macKey from Conn.secret', () => {
    const derived = deriveSessionKeys(clientPriv, Buffer.from(secretB64, 'base64'))
    expect(toHex(derived.encKey)).toBe(encKey)
    expect(toHex(derived.macKey)).toBe(macKey)
  })

  it('refuses a secret whose HMAC does not verify, or of the wrong size', () => {
    const tampered = Buffer.from(secretB64, 'base64')
    tampered[40]! ^= 1
    expect(() => deriveSessionKeys(clientPriv, tampered)).toThrowError(expect.objectContaining({ code: 'integrity' }))
    const blob = Buffer.from(secretB64, 'base64')
    blob[100]! ^= 1
    expect(() => deriveSessionKeys(clientPriv, blob)).toThrowError(expect.objectContaining({ code: 'integrity' }))
    expect(() => deriveSessionKeys(clientPriv, new Uint8Array(143))).toThrow(ProtocolError)
    // The right secret with someone else's private key fails the check too.
    expect(() => deriveSessionKeys(serverPriv, Buffer.from(secretB64, 'base64'))).toThrow(JunctionError)
  })

  it('generates fresh key pairs whose shared secrets agree', () => {
    const a = generateKeyPair()
    const b = generateKeyPair()
    expect(a.publicKey).toHaveLength(32)
    expect(toHex(sharedSecret(a.privateKey, b.publicKey))).toBe(toHex(sharedSecret(b.privateKey, a.publicKey)))
  })
})

describe('WhatsApp crypto: challenge and logout token (spec §2.7/§2.8)', () => {
  it('answers the challenge with a bare HMAC', () => {
    expect(challengeAnswer(hex(macKey), 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=')).toBe('MdfeFMVwkttO/oi31NJ0/qjvRQjD3YwGIH6f52Jy/9I=')
  })

  it('computes the logout token', () => {
    expect(logoutToken(keys)).toBe('aI6xF+8uvq3s8UcIqRFw4Hm7PyR3AOMMu+4i3lFPpgE=')
  })
})

describe('WhatsApp crypto: frames (spec §3/§4)', () => {
  const iv = hex('808182838485868788898a8b8c8d8e8f')
  const plain = hex('f805445b136bfc0131')
  const frameMac = 'c929546316604958d240721244ede011cb5392cd29734fb3f0291bc23b80759e'
  const body = '808182838485868788898a8b8c8d8e8f6512414b129ba4a2ead56c76f3a1f616'

  it('encrypts the V1 node to the vector', () => {
    expect(toHex(encryptFrame(keys, plain, iv))).toBe(frameMac + body)
  })

  it('verifies and decrypts the vector', () => {
    expect(toHex(decryptFrame(keys, hex(frameMac + body)))).toBe('f805445b136bfc0131')
  })

  it('rejects a flipped bit anywhere with an integrity error', () => {
    const frame = hex(frameMac + body)
    for (let i = 0; i < frame.length; i++) {
      const bad = frame.slice()
      bad[i]! ^= 0x01
      expect(() => decryptFrame(keys, bad)).toThrowError(expect.objectContaining({ code: 'integrity' }))
    }
  })

  it('rejects impossible lengths as protocol errors', () => {
    for (const n of [0, 1, 32, 48, 63, 65, 79]) expect(() => decryptFrame(keys, new Uint8Array(n))).toThrow(ProtocolError)
  })

  it('rejects an authenticated frame whose padding is wrong with a ProtocolError (the pad is checked by hand now)', () => {
    // Valid MAC around ciphertext whose last plaintext block has pad 0, pad 17 or uneven pad bytes.
    const lastBlocks = [new Uint8Array(16), new Uint8Array(16).fill(17), Uint8Array.from([...new Uint8Array(12), 4, 4, 3, 4])]
    for (const block of lastBlocks) {
      const cipher = createCipheriv('aes-256-cbc', keys.encKey, iv).setAutoPadding(false)
      const ct = Buffer.concat([cipher.update(Buffer.concat([Buffer.alloc(16, 1), block])), cipher.final()])
      const sealed = Buffer.concat([iv, ct])
      const frame = Buffer.concat([hmacSha256(keys.macKey, sealed), sealed])
      expect(() => decryptFrame(keys, frame)).toThrow(ProtocolError)
    }
  })

  it('round-trips every pad length, from a whole padding block to one byte', () => {
    for (let n = 0; n <= 48; n++) {
      const p = new Uint8Array(n).map((_, i) => 255 - i)
      const out = decryptFrame(keys, encryptFrame(keys, p))
      expect(out.length).toBe(n)
      expect(toHex(out)).toBe(toHex(p))
    }
  })

  it('round-trips random plaintexts with random IVs', () => {
    for (const n of [0, 1, 15, 16, 17, 1000]) {
      const p = new Uint8Array(n).map((_, i) => i * 7)
      expect(toHex(decryptFrame(keys, encryptFrame(keys, p)))).toBe(toHex(p))
    }
  })
})

describe('WhatsApp crypto: media (spec §7.3)', () => {
  const mediaKey = new Uint8Array(32).map((_, i) => 0xa0 + i)

  it('expands the media key with the image info string', () => {
    const k = expandMediaKey(mediaKey, 'image')
    expect(toHex(k.iv)).toBe('8f64d3ce95c0efa913a507967284e04b')
    expect(toHex(k.cipherKey)).toBe('904781cda05eeae2a5147a0be709c52242b80d716adc16e7b52f70924bb36162')
    expect(toHex(k.macKey)).toBe('e441a4dece78135f1f0d88ab5b95baa0dca2e33449fc7e3dbc94b3876cefa282')
    expect(toHex(k.refKey)).toBe('5ae3e7d8b77f7489d3cee6a45cc58fa45c1f15e9393f68159acd269a12b9053e')
    expect(toHex(expandMediaKey(mediaKey, 'sticker').iv)).toBe('8f64d3ce95c0efa913a507967284e04b')
  })

  it('uses the per-type info strings for video, audio and document', () => {
    expect(toHex(expandMediaKey(mediaKey, 'video').iv)).toBe('f9b227ef62f782f38115c4b5a79d0acd')
    expect(toHex(expandMediaKey(mediaKey, 'audio').iv)).toBe('b04b77b0f254dfe379e3085cb5878eb4')
    expect(toHex(expandMediaKey(mediaKey, 'document').iv)).toBe('198b45b5c3cb16fa5a4366e80b6b7be9')
  })

  const blob = hex('7e96447a03a0546264832ca89ccc24543965cb9d4207d3aa82b0')

  it('encrypts "hello media" to the uploaded blob and hashes', () => {
    const out = encryptMedia(Buffer.from('hello media'), mediaKey, 'image')
    expect(toHex(out.blob)).toBe('7e96447a03a0546264832ca89ccc24543965cb9d4207d3aa82b0')
    expect(b64(out.fileSha256)).toBe('0o0pVP+XrGgFLEvv+MhK0JYNFAhUD8SGJWzdfNaN0f4=')
    expect(b64(out.fileEncSha256)).toBe('Yvm24GZj6+ob/Q+6YqkKKuvt2B461EPfnASRsuwEilg=')
    expect(Buffer.from(out.fileEncSha256).toString('base64url')).toBe('Yvm24GZj6-ob_Q-6YqkKKuvt2B461EPfnASRsuwEilg')
  })

  it('decrypts the blob with every check on', () => {
    const file = decryptMedia(blob, mediaKey, 'image', {
      fileSha256: Buffer.from('0o0pVP+XrGgFLEvv+MhK0JYNFAhUD8SGJWzdfNaN0f4=', 'base64'),
      fileEncSha256: Buffer.from('Yvm24GZj6+ob/Q+6YqkKKuvt2B461EPfnASRsuwEilg=', 'base64'),
      fileLength: 11
    })
    expect(Buffer.from(file).toString()).toBe('hello media')
  })

  it('fails the MAC with the wrong info string or a flipped byte', () => {
    expect(() => decryptMedia(blob, mediaKey, 'video')).toThrowError(expect.objectContaining({ code: 'integrity' }))
    const bad = blob.slice()
    bad[3]! ^= 0x80
    expect(() => decryptMedia(bad, mediaKey, 'image')).toThrowError(expect.objectContaining({ code: 'integrity' }))
    expect(() => decryptMedia(blob, mediaKey, 'image', { fileLength: 12 })).toThrowError(expect.objectContaining({ code: 'integrity' }))
    expect(() => decryptMedia(blob.subarray(0, 20), mediaKey, 'image')).toThrow(ProtocolError)
  })
})
