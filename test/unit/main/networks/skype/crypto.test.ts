// Known-answer vectors of spec §4.4 (MBI), §4.5 (CHL/QRY) and §11.2 (LockAndKey),
// copied from the spec; and the trap the spec warns about.

import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  challengeResponse,
  clientMessageIdFor,
  deriveMbiKey,
  MBI_ENCRYPTION_MAGIC,
  MBI_HASH_MAGIC,
  mbiResponse,
  MSNP21_PRODUCT,
  MSNP24_PRODUCT
} from '../../../../../src/main/networks/skype/crypto'
import { ProtocolError } from '../../../../../src/shared/errors'

describe('CHL/QRY (spec §4.5)', () => {
  it('matches the published vectors', () => {
    expect(challengeResponse('22210219642164014968', { id: 'PROD0090YUAUV{2B', key: 'YMM8C_H7KCQ2S_KL' })).toBe('85ecb0db8f32113df79ce0892b9a102c')
    expect(challengeResponse('11533365622852247127', { id: 'PROD0113H11T8$X_', key: 'RG@XY*28Q5QHS%Q5' })).toBe('f086d1ded067186deca8dba2231602cf')
    expect(challengeResponse('237191752526424888127371168', { id: 'PROD0113H11T8$X_', key: 'RG@XY*28Q5QHS%Q5' })).toBe('65b6b623c649c25629af048d34066040')
    expect(challengeResponse('1663122458434562624782678054', { id: 'PROD0120PW!CCV9@', key: 'C1BX{V4W}Q3*10SM' })).toBe('f379e91748f9722568da550eccefec47')
  })

  it('uses the product pairs the spec names for each dialect', () => {
    expect(MSNP24_PRODUCT).toEqual({ id: 'PROD0090YUAUV{2B', key: 'YMM8C_H7KCQ2S_KL' })
    expect(MSNP21_PRODUCT).toEqual({ id: 'PROD0120PW!CCV9@', key: 'C1BX{V4W}Q3*10SM' })
  })

  it('XORs with the unmasked MD5 words, unlike Escargot\u2019s known-wrong variant', () => {
    // The first vector's MD5 has words with the top bit set; masking them first (Escargot)
    // changes the answer, which is how the spec's warning shows up.
    const md5 = createHash('md5').update('22210219642164014968YMM8C_H7KCQ2S_KL').digest()
    const words = [0, 1, 2, 3].map((i) => md5.readUInt32LE(i * 4))
    expect(words.some((w) => w >= 0x80000000)).toBe(true)
    const ours = Buffer.from(challengeResponse('22210219642164014968', MSNP24_PRODUCT), 'hex')
    const masked = words.map((w, i) => (ours.readUInt32LE(i * 4) ^ w ^ (w & 0x7fffffff)) >>> 0)
    expect(masked.some((m, i) => m !== ours.readUInt32LE(i * 4))).toBe(true)
  })

  it('rejects a challenge that is not printable ASCII', () => {
    expect(() => challengeResponse('12 34', MSNP24_PRODUCT)).toThrow(ProtocolError)
    expect(() => challengeResponse('', MSNP24_PRODUCT)).toThrow(ProtocolError)
  })
})

describe('LockAndKey (spec §11.2, the same algorithm with SHA-256)', () => {
  it('matches SkPy\u2019s vector', () => {
    expect(challengeResponse('1415097600', { id: 'msmsgs@msnmsgr.com', key: 'Q1P7W2E4J9R8U3S5' }, 'sha256')).toBe('db64100664aac6787399e21b4e338247')
  })
})

describe('MBI_KEY_OLD blob (spec §4.4)', () => {
  const secret = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYX'
  const nonce = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  const iv = Buffer.from('0102030405060708', 'hex')

  it('derives k2 and k3 as in the vector', () => {
    const key = Buffer.from(secret, 'base64')
    expect(deriveMbiKey(key, MBI_HASH_MAGIC).toString('hex')).toBe('06af2ac1f46df3fde6e65fef60a13bd21eabb69f09a542c0')
    expect(deriveMbiKey(key, MBI_ENCRYPTION_MAGIC).toString('hex')).toBe('2dd0114b936beb17cc1d7fa10191010bb4b7b487404c43e3')
  })

  it('produces the vector\u2019s blob, hash and ciphertext', () => {
    const blob = mbiResponse(secret, nonce, iv)
    expect(blob).toBe(
      'HAAAAAEAAAADZgAABIAAAAgAAAAUAAAASAAAAAECAwQFBgcImNn0dn15EzGfmEkAMMgyPo7b7AuEmkKT/2VUldtYXfGCNzSMJSK2lQF3r3/Kbhes3Q1s/XGfQ0zK7PXSV0xAYS1LkO5Pfd1ZRy40DK6Ck07Nrz8+KHhL/t1R3/I='
    )
    const raw = Buffer.from(blob, 'base64')
    expect(raw.subarray(36, 56).toString('hex')).toBe('98d9f4767d7913319f98490030c8323e8edbec0b')
    expect(raw.subarray(56).toString('hex')).toBe(
      '849a4293ff655495db585df18237348c2522b6950177af7fca6e17acdd0d6cfd719f434ccaecf5d2574c40612d4b90ee4f7ddd59472e340cae82934ecdaf3f3e28784bfedd51dff2'
    )
  })

  it('is 172 base64 characters starting with the fixed header, whatever the IV', () => {
    const blob = mbiResponse(secret, nonce)
    expect(blob).toHaveLength(172)
    expect(blob.startsWith('HAAAAAEAAAADZgAABIAAAAgAAAAUAAAASAAAA')).toBe(true)
  })
})

describe('Client-Message-ID from the client id', () => {
  it('is decimal, stable for one client id and different for another', () => {
    const a = clientMessageIdFor('d6c2f0e1a9b84c7d9e0f1a2b3c4d5e6f')
    expect(a).toMatch(/^\d{1,19}$/)
    expect(clientMessageIdFor('d6c2f0e1a9b84c7d9e0f1a2b3c4d5e6f')).toBe(a)
    expect(clientMessageIdFor('d6c2f0e1a9b84c7d9e0f1a2b3c4d5e60')).not.toBe(a)
  })
})
