// spec §5.2 QR text and §5.4 pair-success vectors: the companion's checks, device signature,
// reply and saved account; forged HMACs and signatures are refused.

import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decodeBinaryNode, encodeBinaryNode, type BinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import { keyPairFromPrivate } from '../../../../../../src/main/networks/whatsapp/md/crypto'
import { createCredentials, parseCredentials, toSaved, type MdCredentials } from '../../../../../../src/main/networks/whatsapp/md/credentials'
import { completePairing, PairingRefused } from '../../../../../../src/main/networks/whatsapp/md/login/pair-success'
import { qrText } from '../../../../../../src/main/networks/whatsapp/md/login/qr'
import { decodeProto, encodeProto, type ADVSignedDeviceIdentityHMAC } from '../../../../../../src/main/networks/whatsapp/md/proto'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

const PAIR_SUCCESS =
  '00f80c190603045a08ff05123456789116fc026d641aff051700000001f801f802fc0c706169722d73756363657373f803f802e6fc980a740a0e08b1d1f9d6031080e2cfaa061803122041f94f793d1f32989b669134038d41cc9622bcf1a53888416b978699f030e31d1a40214d45f12d3ea7e437d800deecba2c6244604515d3dad7aa5b8706fa30cc1ce73e3e4b2d1e5602704bc21b0e42627ea175550a34720364978eb23afda6ef11011220b019b23d7dbbcdc3d18adf045db53f6e6b169c19c52b087332a8ad7958121dcbf8034a89e4f8053b0cf7000cff8615551234567f76f7010cff88123456789012345f'
const REPLY_IDENTITY =
  '0a0e08b1d1f9d6031080e2cfaa0618031a40214d45f12d3ea7e437d800deecba2c6244604515d3dad7aa5b8706fa30cc1ce73e3e4b2d1e5602704bc21b0e42627ea175550a34720364978eb23afda6ef11012240e523ba4a5cae14b9f7992318e3c42b65dcbe978c097c06b40f33929a3996696ad4b3d964b73458794ffbb8b214d143ce885dd53d1d6bed833b2cb80c33acc00f'
const ACCOUNT =
  '0a0e08b1d1f9d6031080e2cfaa061803122041f94f793d1f32989b669134038d41cc9622bcf1a53888416b978699f030e31d1a40214d45f12d3ea7e437d800deecba2c6244604515d3dad7aa5b8706fa30cc1ce73e3e4b2d1e5602704bc21b0e42627ea175550a34720364978eb23afda6ef11012240e523ba4a5cae14b9f7992318e3c42b65dcbe978c097c06b40f33929a3996696ad4b3d964b73458794ffbb8b214d143ce885dd53d1d6bed833b2cb80c33acc00f'

function companion(): MdCredentials {
  return {
    ...createCredentials(),
    noiseKey: keyPairFromPrivate(hex('f03526cfb73a6234e9d2dfb1de12e9ae008bd992e923198093edb382015c6070')),
    identityKey: keyPairFromPrivate(hex('002fd9d93334ccecc8454f2beb682a5a82393399006fa2b1b3b4375a05e3ac4b')),
    advSecret: hex('56f6c7b07647cbdf63b297eca5c941ae907a49d35f7a61edc3b1665bcf5c595c')
  }
}

describe('QR text (spec §5.2)', () => {
  it('matches the vector', () => {
    expect(qrText('2@Y2FmZWJhYmUtdGVzdC1yZWYtMDAxVGVzdFJlZlN1ZmZpeA==', companion(), '1')).toBe(
      'https://wa.me/settings/linked_devices#2@Y2FmZWJhYmUtdGVzdC1yZWYtMDAxVGVzdFJlZlN1ZmZpeA==,kfShdZnNo7a4rypBNd83rPOsiY0XZsQEDMFJ9uItDHI=,dyuR5tV4tjIHhmv6DAbnxJhy7YMYRN04nyzsb/DkM2I=,VvbHsHZHy99jspfspclBrpB6SdNfemHtw7FmW89cWVw=,1'
    )
  })
})

describe('pair-success (spec §5.4)', () => {
  it('produces the vector device signature, reply and account', () => {
    const { credentials, reply } = completePairing(decodeBinaryNode(hex(PAIR_SUCCESS)), companion())
    expect(credentials.me).toEqual({ jid: '15551234567:12@s.whatsapp.net', lid: '123456789012345:12@lid' })
    expect(credentials.platform).toBe('android')
    expect(toHex(credentials.account!)).toBe(ACCOUNT)
    const sign = (reply.content as BinaryNode[])[0]!
    const identity = (sign.content as BinaryNode[])[0]!
    expect([reply.attrs.type, reply.attrs.id, sign.tag, identity.attrs['key-index']]).toEqual(['result', '1234567891', 'pair-device-sign', '3'])
    expect(toHex(identity.content as Uint8Array)).toBe(REPLY_IDENTITY)
    // The credentials survive a save/parse round trip.
    expect(toHex(parseCredentials(toSaved(credentials)).account!)).toBe(ACCOUNT)
    expect(encodeBinaryNode(reply).length).toBeGreaterThan(100)
  })

  const tampered = (edit: (c: ADVSignedDeviceIdentityHMAC) => ADVSignedDeviceIdentityHMAC): BinaryNode => {
    const iq = decodeBinaryNode(hex(PAIR_SUCCESS))
    const identity = ((iq.content as BinaryNode[])[0]!.content as BinaryNode[])[0]!
    identity.content = encodeProto(
      'ADVSignedDeviceIdentityHMAC',
      edit(decodeProto<ADVSignedDeviceIdentityHMAC>('ADVSignedDeviceIdentityHMAC', identity.content as Uint8Array))
    )
    return iq
  }

  it('refuses a wrong adv secret (hmac-mismatch)', () => {
    const creds = { ...companion(), advSecret: new Uint8Array(32).fill(9) }
    expect(() => completePairing(decodeBinaryNode(hex(PAIR_SUCCESS)), creds)).toThrow(PairingRefused)
  })

  it('refuses an all-0x07 account signature with a correct HMAC (the Baileys defect)', () => {
    const creds = companion()
    const iq = tampered((c) => {
      const signed = decodeProto<{ details: Uint8Array; accountSignatureKey: Uint8Array }>('ADVSignedDeviceIdentity', c.details!)
      const forged = encodeProto('ADVSignedDeviceIdentity', { ...signed, accountSignature: new Uint8Array(64).fill(7) })
      return { details: forged, hmac: new Uint8Array(createHmac('sha256', creds.advSecret).update(forged).digest()) }
    })
    expect(() => completePairing(iq, creds)).toThrow(/signature/)
  })
})
