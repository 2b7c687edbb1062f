// spec whatsapp-md §8.2 known-answer vectors (Baileys getMediaKeys + node:crypto): the media
// key expansion per type, the "hello media" blob and hashes, and the ImageMessage that refers
// to it, decoded into what Junction shows and keeps for fetchMedia.

import { describe, expect, it } from 'vitest'
import { decryptMedia, encryptMedia, expandMediaKey } from '../../../../../../src/main/networks/whatsapp/media-crypto'
import { decodeBinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import { mediaBody, mediaConnRequest } from '../../../../../../src/main/networks/whatsapp/md/media'
import { mediaRetryKey, mediaRetryReceipt, openMediaRetry } from '../../../../../../src/main/networks/whatsapp/md/media-retry'
import { aesGcmSeal } from '../../../../../../src/main/networks/whatsapp/md/crypto'
import { encodeProto } from '../../../../../../src/main/networks/whatsapp/md/proto'
import { decodeProto, type WAMessage } from '../../../../../../src/main/networks/whatsapp/md/proto'
import { JunctionError } from '../../../../../../src/shared/errors'

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const MEDIA_KEY = hex('a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf')

describe('spec §8.2 media key expansion', () => {
  it.each([
    [
      'audio',
      'b04b77b0f254dfe379e3085cb5878eb4',
      'bcb5b8143f6d66b46d7c2f549273f9d00cb2d7c2e2da59bfd5d04436a416905b',
      'fa65ace5fcb22ea6d1c826a4e21f5ef37d78be5ae76d10b6baea2bbaa3b4e880'
    ],
    [
      'document',
      '198b45b5c3cb16fa5a4366e80b6b7be9',
      'ef1cfd9985eb5ee616619a0e39335403d43e09bb1a9d0a175d49632801cde4c0',
      '3c37c6bfee5ceb90900328a714e20916f02fb4899497748c0048af347139e32b'
    ],
    [
      'video',
      'f9b227ef62f782f38115c4b5a79d0acd',
      '5faf7c855723efb1afd6ba8f9955668406ff03ce99b1c1977a3887a7f785d864',
      '7841d05c2f883f310f913305e1a54554d81f7dda2153f81f43ec48fe7b1aa955'
    ],
    [
      'image',
      '8f64d3ce95c0efa913a507967284e04b',
      '904781cda05eeae2a5147a0be709c52242b80d716adc16e7b52f70924bb36162',
      'e441a4dece78135f1f0d88ab5b95baa0dca2e33449fc7e3dbc94b3876cefa282'
    ],
    [
      'sticker',
      '8f64d3ce95c0efa913a507967284e04b',
      '904781cda05eeae2a5147a0be709c52242b80d716adc16e7b52f70924bb36162',
      'e441a4dece78135f1f0d88ab5b95baa0dca2e33449fc7e3dbc94b3876cefa282'
    ],
    [
      'history',
      '92f257186ff7a12899f5d3da7f9f5b6a',
      '29486a62fdd5123563ad7a0078311e7494a304df4d22af1d023177500babf13a',
      'af2ef151ed2c8d7d379eef10255004b497f4805e330ecb94009ea84f804c0f7b'
    ],
    [
      'app-state',
      '3be18d4351b59b9c3cd9da634bfbcaeb',
      'b2e3048cc51b84313a552006c21571f312ef735c8fbd1a18ee28ddd222a3aac2',
      '2fab6cb6f78e3ee777231739b31b0e1830fec5d468a0c91fa53acab60c3596f2'
    ]
  ] as const)('%s', (type, iv, cipherKey, macKey) => {
    const k = expandMediaKey(MEDIA_KEY, type)
    expect([toHex(k.iv), toHex(k.cipherKey), toHex(k.macKey)]).toEqual([iv, cipherKey, macKey])
  })
})

describe('spec §8.2 "hello media" image', () => {
  const file = new TextEncoder().encode('hello media')
  const blob = hex('7e96447a03a0546264832ca89ccc24543965cb9d4207d3aa82b0')
  const fileSha256 = new Uint8Array(Buffer.from('0o0pVP+XrGgFLEvv+MhK0JYNFAhUD8SGJWzdfNaN0f4=', 'base64'))
  const fileEncSha256 = new Uint8Array(Buffer.from('Yvm24GZj6+ob/Q+6YqkKKuvt2B461EPfnASRsuwEilg=', 'base64'))

  it('encrypts to the vector blob and hashes', () => {
    const out = encryptMedia(file, MEDIA_KEY, 'image')
    expect(toHex(out.blob)).toBe(toHex(blob))
    expect(toHex(out.fileSha256)).toBe(toHex(fileSha256))
    expect(toHex(out.fileEncSha256)).toBe(toHex(fileEncSha256))
    expect(Buffer.from(out.fileEncSha256).toString('base64url')).toBe('Yvm24GZj6-ob_Q-6YqkKKuvt2B461EPfnASRsuwEilg')
  })

  it('decrypts the vector blob, verifying MAC and both hashes', () => {
    expect(new TextDecoder().decode(decryptMedia(blob, MEDIA_KEY, 'image', { fileSha256, fileEncSha256, fileLength: 11 }))).toBe('hello media')
  })

  it('refuses a flipped MAC byte, a wrong file hash and a wrong blob hash as integrity errors', () => {
    const badMac = blob.slice()
    badMac[badMac.length - 1]! ^= 1
    const attempts = [
      () => decryptMedia(badMac, MEDIA_KEY, 'image'),
      () => decryptMedia(blob, MEDIA_KEY, 'image', { fileSha256: fileEncSha256 }),
      () => decryptMedia(blob, MEDIA_KEY, 'image', { fileEncSha256: fileSha256 }),
      () => decryptMedia(blob, MEDIA_KEY, 'document')
    ]
    for (const attempt of attempts) {
      const error = (() => {
        try {
          attempt()
        } catch (e) {
          return e
        }
        return null
      })()
      expect(error).toBeInstanceOf(JunctionError)
      expect((error as JunctionError).code).toBe('integrity')
    }
  })

  it('decodes the vector Message{imageMessage} into an image with its stored reference', () => {
    const message = decodeProto<WAMessage>(
      'Message',
      hex(`1ad8020a7768747470733a2f2f6d6d672e77686174736170702e6e65742f762f
    7436322e373131382d32342f31313131313131315f3232323232323232323232
    32323232325f333333333333333333333333333333333333335f6e2e656e633f
    6363623d31312d34266f683d78266f653d79265f6e635f7369643d7a120a696d
    6167652f6a7065672220d28d2954ff97ac68052c4beff8c84ad0960d1408540f
    c486256cdd7cd68dd1fe280b300138014220a0a1a2a3a4a5a6a7a8a9aaabacad
    aeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf4a2062f9b6e06663ebea1bfd0fba
    62a90a2aebedd81e3ad443df9c0491b2ec048a585a5f2f762f7436322e373131
    382d32342f31313131313131315f323232323232323232323232323232325f33
    3333333333333333333333333333333333335f6e2e656e633f6363623d31312d
    34266f683d78266f653d79265f6e635f7369643d7a6080e2cfaa06`)
    )
    const body = mediaBody(message)
    expect(body).toMatchObject({ kind: 'image', text: '', media: { mime: 'image/jpeg', size: 11, width: 1, height: 1 } })
    expect(body?.ref).toEqual({
      type: 'image',
      mime: 'image/jpeg',
      mediaKey: Buffer.from(MEDIA_KEY).toString('base64'),
      directPath: '/v/t62.7118-24/11111111_2222222222222222_3333333333333333333_n.enc?ccb=11-4&oh=x&oe=y&_nc_sid=z',
      url: 'https://mmg.whatsapp.net/v/t62.7118-24/11111111_2222222222222222_3333333333333333333_n.enc?ccb=11-4&oh=x&oe=y&_nc_sid=z',
      fileSha256: '0o0pVP+XrGgFLEvv+MhK0JYNFAhUD8SGJWzdfNaN0f4=',
      fileEncSha256: 'Yvm24GZj6+ob/Q+6YqkKKuvt2B461EPfnASRsuwEilg=',
      fileLength: 11
    })
  })

  it('names a document by its file name only, never a path', () => {
    const body = mediaBody({ documentMessage: { mimetype: 'text/plain', fileName: '../../etc/passwd', mediaKey: MEDIA_KEY, directPath: '/v/x' } })
    expect(body?.media.name).toBe('passwd')
  })
})

describe('spec §8.1 media_conn', () => {
  it('is the vector iq but for the id the session adds', () => {
    const vector = decodeBinaryNode(hex('00f80a1908ff031b2a131103045a16c2f801f8013a'))
    const { id, ...attrs } = vector.attrs
    expect(id).toBe('1.2-13')
    expect(mediaConnRequest()).toEqual({ ...vector, attrs })
  })
})

describe('spec §8.5 media retry', () => {
  it('derives the vector retry key', () => {
    expect(toHex(mediaRetryKey(MEDIA_KEY))).toBe('c0b657ab7b6e23de340f60428ea8aa606195a6c3d2d96facc700380f77e3fe1e')
  })

  it('builds the server-error receipt and opens only a matching answer', () => {
    const iv = new Uint8Array(12).fill(3)
    const receipt = mediaRetryReceipt({ id: 'MSG1', chat: 'c@s.whatsapp.net', fromMe: false }, '1555@s.whatsapp.net', MEDIA_KEY, iv)
    expect(receipt.attrs).toEqual({ id: 'MSG1', to: '1555@s.whatsapp.net', type: 'server-error' })
    const answer = (id: string, result: number, aad = id) => ({
      tag: 'notification',
      attrs: { type: 'mediaretry', id },
      content: [
        {
          tag: 'encrypt',
          attrs: {},
          content: [
            {
              tag: 'enc_p',
              attrs: {},
              content: aesGcmSeal(
                mediaRetryKey(MEDIA_KEY),
                iv,
                encodeProto('MediaRetryNotification', { stanzaId: id, directPath: '/v/new', result }),
                new TextEncoder().encode(aad)
              )
            },
            { tag: 'enc_iv', attrs: {}, content: iv }
          ]
        }
      ]
    })
    expect(openMediaRetry(answer('MSG1', 1), 'MSG1', MEDIA_KEY)).toBe('/v/new')
    expect(() => openMediaRetry(answer('MSG1', 2), 'MSG1', MEDIA_KEY)).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => openMediaRetry(answer('MSG1', 1, 'OTHER'), 'MSG1', MEDIA_KEY)).toThrow(expect.objectContaining({ code: 'integrity' }))
  })
})
