// spec whatsapp-md §5.6 known-answer vectors (Baileys bytesToCrockford, derivePairingCodeKey,
// aesEncryptCTR, Curve.sharedKey, hkdf, aesEncryptGCM with fixed randoms; PBKDF2 and HKDF
// re-checked there with node:crypto).

import { describe, expect, it } from 'vitest'
import { keyPairFromPrivate } from '../../../../../../src/main/networks/whatsapp/md/crypto'
import { decodeBinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import {
  bytesToCrockford,
  companionHello,
  displayCode,
  keyBundle,
  normalizePhone,
  pairingKey,
  unwrapEphemeral,
  wrapEphemeral
} from '../../../../../../src/main/networks/whatsapp/md/login/pairing-code'

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

const CODE = '15JMBSWA'
const COMPANION_EPHEMERAL = keyPairFromPrivate(hex('e84650179ff2cd8ea7828328768bb9549e7eff5b429c47d591a8ac8e88ff1551'))
const PHONE_EPHEMERAL_PUB = hex('81671107cee755675168b37ac53c537fdb1eef96a4f30e5e4a17c004e2bf9877')
const COMPANION_IDENTITY = keyPairFromPrivate(hex('002fd9d93334ccecc8454f2beb682a5a82393399006fa2b1b3b4375a05e3ac4b'))
const PHONE_IDENTITY_PUB = hex('41f94f793d1f32989b669134038d41cc9622bcf1a53888416b978699f030e31d')
const SALT = hex('5d22b4a42ddb850d82bbb3851cfe96e1066600e702588a0271489e8f793827fb')
const IV = hex('75c03325787b7044cd03a8765b1f8c59')

describe('spec §5.6 pairing-code vectors', () => {
  it('encodes 01 23 45 67 89 as the code', () => {
    expect(bytesToCrockford(hex('0123456789'))).toBe(CODE)
    expect(displayCode(CODE)).toBe('15JM-BSWA')
  })

  it('derives the PBKDF2 key and wraps the companion ephemeral', async () => {
    expect(toHex(COMPANION_EPHEMERAL.public)).toBe('d8abde26b87a3dbe332bdcc487eeba59e50b892e6e16e557eb66876c39f88c15')
    expect(toHex(await pairingKey(CODE, SALT))).toBe('530181d9b9f65536c1d1265c04621e0ab117b6d48db5699d6c2c7e97bd3392f6')
    expect(toHex(await wrapEphemeral(CODE, COMPANION_EPHEMERAL.public, SALT, IV))).toBe(
      '5d22b4a42ddb850d82bbb3851cfe96e1066600e702588a0271489e8f793827fb' +
        '75c03325787b7044cd03a8765b1f8c5943a1f53fc0be88cca14e0550974578f3' +
        '00a1bfa263160ddc96dee1d3caead329'
    )
  })

  it('unwraps the phone’s ephemeral', async () => {
    const wrapped = hex(`b6f7cce850158829584110753c683f4107db97f143417829e0cbc21bb9773f20
    16daca8a99cc6da8ab6374a02ad82a49b31be69d7c561a304d98c71e460ee427
    41602f88effe61beabb790dc3e01d051`)
    expect(toHex(await unwrapEphemeral(CODE, wrapped))).toBe(toHex(PHONE_EPHEMERAL_PUB))
  })

  it('builds the key bundle and the new adv secret', () => {
    const random = {
      salt: hex('28e713ab8e053f7345cdc77e309577dfa6e031ce1a02a517a7fe0cc7cbe888a0'),
      iv: hex('91fefb98a97c44dd003d988a'),
      r: hex('5748c597905e28664302d74fe7d0ad974ff6f030f3567bae847a788af6929908')
    }
    const { bundle, advSecret } = keyBundle(COMPANION_EPHEMERAL, COMPANION_IDENTITY, PHONE_EPHEMERAL_PUB, PHONE_IDENTITY_PUB, random)
    expect(toHex(bundle)).toBe(
      '28e713ab8e053f7345cdc77e309577dfa6e031ce1a02a517a7fe0cc7cbe888a0' +
        '91fefb98a97c44dd003d988aff309d8e5787bcd8c17e4205ce336ce2a179f273' +
        '45ab24628d59d6537b28293e6e72f361561d15315d2e18a0ef93e11239b0bc33' +
        '7c6e5a7e0710441f3e8290cd8372c50f5b292df3d6629e8e64b360b76f63f8c9' +
        'b588b0e955bcca1de6b74fcc80dbd363fb27015244435aa046240e9c'
    )
    expect(toHex(advSecret)).toBe('92b61c78cbf6b7e0eda6c4c6a9d0f62569a9de011c395212a66fdba28b659420')
  })

  it('takes a phone number in the usual spellings and refuses what cannot be one', () => {
    expect(normalizePhone('+1 (555) 123-4567')).toBe('15551234567')
    expect(normalizePhone('49 151 2345 6789')).toBe('4915123456789')
    for (const bad of ['', '12345', '0123456789', '+1 555 abc', '1234567890123456']) expect(normalizePhone(bad)).toBeNull()
  })
})

describe('spec §5.6 companion_hello', () => {
  it('is the vector iq (Baileys shape) but for the id the session adds', async () => {
    const vector = decodeBinaryNode(
      hex(`00f80a191103045a08ff831b2a7f16fc026d64f801f808fc176c696e6b5f636f
    64655f636f6d70616e696f6e5f7265670cfaff8615551234567f03ec8bfc0f63
    6f6d70616e696f6e5f68656c6c6ffc1d73686f756c645f73686f775f70757368
    5f6e6f74696669636174696f6e9bf805f802fc316c696e6b5f636f64655f7061
    6972696e675f777261707065645f636f6d70616e696f6e5f657068656d657261
    6c5f707562fc505d22b4a42ddb850d82bbb3851cfe96e1066600e702588a0271
    489e8f793827fb75c03325787b7044cd03a8765b1f8c5943a1f53fc0be88cca1
    4e0550974578f300a1bfa263160ddc96dee1d3caead329f802fc1d636f6d7061
    6e696f6e5f7365727665725f617574685f6b65795f707562fc2091f4a17599cd
    a3b6b8af2a4135df37acf3ac898d1766c4040cc149f6e22d0c72f802fc15636f
    6d70616e696f6e5f706c6174666f726d5f696455f802fc1a636f6d70616e696f
    6e5f706c6174666f726d5f646973706c6179fc0f4368726f6d6520284d616320
    4f5329f802fc176c696e6b5f636f64655f70616972696e675f6e6f6e63652d`)
    )
    const wrapped = await wrapEphemeral(CODE, COMPANION_EPHEMERAL.public, SALT, IV)
    const noise = hex('91f4a17599cda3b6b8af2a4135df37acf3ac898d1766c4040cc149f6e22d0c72')
    const ours = companionHello('15551234567', wrapped, noise, { platformId: '1', platformDisplay: 'Chrome (Mac OS)' })
    const { id, ...vectorAttrs } = vector.attrs
    expect(id).toBe('1.2-7')
    expect(ours.attrs).toEqual(vectorAttrs)
    // The decoder gives raw text content as bytes; compare content as bytes.
    const flat = (n: typeof ours): unknown => ({
      tag: n.tag,
      attrs: n.attrs,
      content: Array.isArray(n.content)
        ? n.content.map(flat)
        : typeof n.content === 'string'
          ? toHex(new TextEncoder().encode(n.content))
          : n.content
            ? toHex(n.content)
            : undefined
    })
    expect(flat(ours)).toEqual(flat({ ...vector, attrs: vectorAttrs }))
  })
})
