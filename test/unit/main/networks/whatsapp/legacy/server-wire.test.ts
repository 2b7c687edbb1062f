// The reference server's own crypto (test/servers/whatsapp/wire.ts) against the spec
// vectors, so that the server is pinned independently of the client's crypto.ts.

import { describe, expect, it } from 'vitest'
import {
  buildSecret,
  decryptMediaFile,
  encryptMediaFile,
  expectedChallengeAnswer,
  openSealed,
  parseClientFrame,
  seal
} from '../../../../../servers/whatsapp/wire'
import { decodeInfo, encodeInfo } from '../../../../../servers/whatsapp/proto'

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex')
const keys = {
  encKey: hex('404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f'),
  macKey: hex('606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f')
}

describe('reference server wire', () => {
  it('builds the §2.6 secret from the vector keys', () => {
    const secret = buildSecret(
      hex('8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f'),
      keys,
      hex('202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f')
    )
    expect(secret.toString('base64')).toBe(
      'NYBy1jZYgNGu6jKa35EhODhR7SGijjt16WXQ0s0WYlQIXq33xWgUdmyUI2dfHR2rgitTqF0ONK+vpB75H9jjq6X6PDC2BeHE2xo1l7hxi51BjUsmucQj52/M1lCnRLs4kubU0M5tqEquCLva1G+YQeh7VjoxrgSAzFXmAfHuJWdGaeEYIsyw5Yvpul0P/d8x'
    )
  })

  it('seals the §4 server frame body and opens the client frame', () => {
    const sealed = seal(keys, hex('f805445b136bfc0131'), hex('808182838485868788898a8b8c8d8e8f'))
    expect(sealed.toString('hex')).toBe(
      'c929546316604958d240721244ede011cb5392cd29734fb3f0291bc23b80759e808182838485868788898a8b8c8d8e8f6512414b129ba4a2ead56c76f3a1f616'
    )
    const frame = parseClientFrame(Buffer.concat([Buffer.from('1600000000.--1,'), hex('0580'), sealed]), true)
    expect(frame).toMatchObject({ kind: 'binary', tag: '1600000000.--1', metric: 5, flag: 0x80 })
    expect(openSealed(keys, (frame as { sealed: Buffer }).sealed).toString('hex')).toBe('f805445b136bfc0131')
    const bad = Buffer.from(sealed)
    bad[50]! ^= 1
    expect(() => openSealed(keys, bad)).toThrow()
  })

  it('expects the §2.7 challenge answer', () => {
    expect(expectedChallengeAnswer(keys.macKey, Buffer.from('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=', 'base64'))).toBe(
      'MdfeFMVwkttO/oi31NJ0/qjvRQjD3YwGIH6f52Jy/9I='
    )
  })

  it('encrypts media as the §7.3 vector', () => {
    const out = encryptMediaFile(Buffer.from('hello media'), Buffer.from(Array.from({ length: 32 }, (_, i) => 0xa0 + i)))
    expect(out.blob.toString('hex')).toBe('7e96447a03a0546264832ca89ccc24543965cb9d4207d3aa82b0')
    expect(out.fileEncSha256.toString('base64')).toBe('Yvm24GZj6+ob/Q+6YqkKKuvt2B461EPfnASRsuwEilg=')
  })

  it('opens the §7.3 vector blob as the phone does, and refuses a wrong MAC, hash or length', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => 0xa0 + i))
    const blob = hex('7e96447a03a0546264832ca89ccc24543965cb9d4207d3aa82b0')
    const fileSha256 = Buffer.from('0o0pVP+XrGgFLEvv+MhK0JYNFAhUD8SGJWzdfNaN0f4=', 'base64')
    const opened = decryptMediaFile(blob, key, 'WhatsApp Image Keys', { fileSha256, fileLength: 11 })
    expect('file' in opened && opened.file.toString()).toBe('hello media')
    const bad = Buffer.from(blob)
    bad[bad.length - 1]! ^= 1
    expect(decryptMediaFile(bad, key, 'WhatsApp Image Keys', {})).toEqual({ problem: 'MAC mismatch' })
    expect(decryptMediaFile(blob, key, 'WhatsApp Document Keys', {})).toEqual({ problem: 'MAC mismatch' })
    expect(decryptMediaFile(blob, key, 'WhatsApp Image Keys', { fileLength: 12 })).toEqual({ problem: 'fileLength mismatch' })
    expect(decryptMediaFile(blob, key, 'WhatsApp Image Keys', { fileSha256: Buffer.alloc(32) })).toEqual({ problem: 'fileSha256 mismatch' })
  })

  it('its schema reads directPath on video, audio and document messages at the §7.2 field numbers', () => {
    // Hand-encoded: field 2 message { 9 video { 13 "/v" }, 8 audio { 9 "/a" }, 7 document { 10 "/d" } } (issue 15 §10).
    const key = hex('0a0a 0a0478406733 1a0241 41'.replace(/ /g, ''))
    const content = hex('4a04 6a022f76 4204 4a022f61 3a04 52022f64')
    const bytes = Buffer.concat([key, Buffer.from([0x12, content.length]), content])
    const info = decodeInfo(bytes)
    expect(info.message).toMatchObject({
      videoMessage: { directPath: '/v' },
      audioMessage: { directPath: '/a' },
      documentMessage: { directPath: '/d' }
    })
  })

  it('parses keep-alives and both JSON command forms', () => {
    expect(parseClientFrame(Buffer.from('?,,'), false)).toEqual({ kind: 'keepalive' })
    expect(parseClientFrame(Buffer.from('goodbye,,["admin","Conn","disconnect"]'), false)).toEqual({
      kind: 'json',
      tag: 'goodbye',
      value: ['admin', 'Conn', 'disconnect'],
      doubleComma: true
    })
  })

  it('its own protobuf schema encodes the V5 message byte for byte', () => {
    const bytes = encodeInfo({
      key: { remoteJid: '491234567890@s.whatsapp.net', fromMe: true, id: '3EB0C0FFEE123456' },
      message: { conversation: 'Hello' },
      messageTimestamp: 1600000000,
      status: 1
    })
    expect(Buffer.from(bytes).toString('hex')).toBe(
      '0a310a1b34393132333435363738393040732e77686174736170702e6e657410011a103345423043304646454531323334353612070a0548656c6c6f1880a0f8fa052001'
    )
    expect(decodeInfo(bytes)).toMatchObject({ key: { id: '3EB0C0FFEE123456' }, messageTimestamp: 1600000000 })
  })
})
