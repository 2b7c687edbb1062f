// WebMessageInfo (spec §7): the V5 relay protobuf byte for byte, the V9 server messages, and
// how every message kind reads in Junction.

import { describe, expect, it } from 'vitest'
import { decodeNode, type WANode } from '../../../../../../src/main/networks/whatsapp/legacy/binary'
import { decodeMessageBytes, encodeOutgoingText, messageIdFor, toIncoming } from '../../../../../../src/main/networks/whatsapp/legacy/messages'
import { decodeWebMessageInfo, encodeWebMessageInfo, type WebMessageInfo } from '../../../../../../src/main/networks/whatsapp/legacy/proto'
import { outgoingText } from '../../../../../../src/main/networks/whatsapp/legacy/outbound'
import { ProtocolError } from '../../../../../../src/shared/errors'
import { V5_PROTO, V9 } from './spec-vectors'

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const SELF = '491234567890@c.us'
const ctx = { selfJid: SELF, clientIdOf: (id: string) => (id === '3EB0AAAABBBBCCCCDDDD' ? 'client-7' : undefined) }

function info(message: WebMessageInfo['message'], extra: Partial<WebMessageInfo> = {}): Uint8Array {
  return encodeWebMessageInfo({ key: { remoteJid: '15550101@s.whatsapp.net', fromMe: false, id: 'ABC' }, message, messageTimestamp: 1_700_000_000, ...extra })
}

describe('WhatsApp messages', () => {
  it('encodes the V5 relay protobuf byte for byte (68 bytes)', () => {
    const bytes = encodeOutgoingText({ chatJid: '491234567890@c.us', selfJid: SELF, id: '3EB0C0FFEE123456', text: 'Hello', timestampSeconds: 1600000000 })
    expect(Buffer.from(bytes).toString('hex')).toBe(V5_PROTO)
    expect(bytes).toHaveLength(68)
  })

  it('puts our own JID as participant in group relays, with @s.whatsapp.net', () => {
    const bytes = encodeOutgoingText({ chatJid: '1-2@g.us', selfJid: SELF, id: 'X', text: 'hi', timestampSeconds: 1 })
    expect(decodeMessageBytes(bytes, { ...ctx, selfJid: 'nobody@c.us' })!.message).toMatchObject({ chatRemoteId: '1-2@g.us', fromMe: true })
    expect(Buffer.from(bytes).toString('latin1')).toContain('491234567890@s.whatsapp.net')
  })

  it('derives WA Web style message ids from client ids, the same every time', () => {
    expect(messageIdFor('abc')).toMatch(/^3EB0[0-9A-F]{16}$/)
    expect(messageIdFor('abc')).toBe(messageIdFor('abc'))
    expect(messageIdFor('abd')).not.toBe(messageIdFor('abc'))
  })

  it('reads the four V9 messages: texts, and a revoked one as deleted', () => {
    const children = decodeNode(hex(V9))[2] as WANode[]
    const out = children.map((c) => decodeMessageBytes(c[2] as Uint8Array, ctx)!.message)
    expect(out.map((m) => [m.remoteId, m.fromMe, m.deleted ?? false, m.text])).toEqual([
      ['3EB009675E7ED37AABF2', true, false, '*piano room timings are:*\n 6:00AM-12:00AM'],
      ['0FCEC5330F64929C6E9A2CFFD2BC8EAD', false, true, ''],
      ['3EB003C7B539AFD09753', true, false, "Sorry fren, I couldn't understand 'Libra'. Type 'help' to know what all I can do"],
      ['A1230B8D6B0A1D793EC2AE2EA0C168D8', false, false, 'library']
    ])
    expect(out[0]).toMatchObject({ chatRemoteId: '917529871117@c.us', senderId: SELF, timestamp: 1584004403000, status: 'delivered' })
    expect(out[3]).toMatchObject({ senderId: '917529871117@c.us', timestamp: 1584004418000 })
  })

  it('reads text, extended text, pictures and stickers with their media info', () => {
    const mediaKey = new Uint8Array(32).fill(1)
    expect(decodeMessageBytes(info({ extendedTextMessage: { text: 'see https://x.org' } }), ctx)!.message).toMatchObject({
      kind: 'text',
      text: 'see https://x.org'
    })
    const image = decodeMessageBytes(
      info({
        imageMessage: { url: 'https://mmg.whatsapp.net/d/f/a.enc', mimetype: 'image/jpeg', caption: 'cap', mediaKey, width: 640, height: 480, fileLength: 1234 }
      }),
      ctx
    )!
    expect(image.message).toMatchObject({ kind: 'image', text: 'cap', media: { mime: 'image/jpeg', width: 640, height: 480, size: 1234 } })
    expect(image.media).toMatchObject({ type: 'image', url: 'https://mmg.whatsapp.net/d/f/a.enc', mime: 'image/jpeg', fileLength: 1234, owner: false })
    const sticker = decodeMessageBytes(info({ stickerMessage: { url: 'https://mmg.whatsapp.net/d/f/s.enc', mediaKey, width: 512, height: 512 } }), ctx)!
    expect(sticker.message).toMatchObject({ kind: 'sticker', text: '', media: { mime: 'image/webp', width: 512, height: 512 } })
    expect(sticker.media?.type).toBe('sticker')
  })

  it('keeps a picture’s JPEG preview (§7.2 field 16) and drops one that is not a JPEG', () => {
    const mediaKey = new Uint8Array(32).fill(1)
    const preview = new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00, 0xff, 0xd9])
    const url = 'https://mmg.whatsapp.net/d/f/a.enc'
    const withPreview = decodeMessageBytes(info({ imageMessage: { url, mimetype: 'image/jpeg', mediaKey, jpegThumbnail: preview } }), ctx)!
    expect(withPreview.message.media?.thumbnail).toBe(Buffer.from(preview).toString('base64'))
    const gif = new Uint8Array(Buffer.from('GIF89a....'))
    const notJpeg = decodeMessageBytes(info({ imageMessage: { url, mimetype: 'image/jpeg', mediaKey, jpegThumbnail: gif } }), ctx)!
    expect(notJpeg.message.media?.thumbnail).toBeUndefined()
  })

  it('gives every other kind a readable fallback text', () => {
    const cases: [WebMessageInfo['message'], string][] = [
      [{ videoMessage: { caption: 'fun' } }, '[Video] fun'],
      [{ videoMessage: { gifPlayback: true } }, '[GIF]'],
      [{ audioMessage: { ptt: true } }, '[Voice message]'],
      [{ audioMessage: {} }, '[Audio]'],
      [{ documentMessage: { fileName: 'a.pdf' } }, '[Document] a.pdf'],
      [{ contactMessage: { displayName: 'Eve' } }, '[Contact] Eve'],
      [{ locationMessage: { name: 'Cafe' } }, '[Location] Cafe'],
      [{ liveLocationMessage: {} }, '[Live location]'],
      [{ groupInviteMessage: { groupName: 'Club' } }, '[Group invite] Club'],
      [{ ephemeralMessage: { message: { conversation: 'wrapped' } } }, 'wrapped'],
      [{}, '[Unsupported message]']
    ]
    for (const [message, text] of cases) expect(decodeMessageBytes(info(message), ctx)!.message.text).toBe(text)
  })

  it('turns a revoke into "deleted" on its target, and group stubs into system lines', () => {
    const revoke = decodeMessageBytes(info({ protocolMessage: { type: 0, key: { remoteJid: '15550101@s.whatsapp.net', fromMe: true, id: 'TARGET' } } }), ctx)!
    expect(revoke.message).toMatchObject({ remoteId: 'TARGET', deleted: true, fromMe: true, senderId: SELF })
    const stub = decodeMessageBytes(
      info(undefined, { key: { remoteJid: '1-2@g.us', fromMe: false, id: 'S' }, messageStubType: 27, messageStubParameters: ['15550103@s.whatsapp.net'] }),
      ctx
    )!
    // A number as people write it where no contact name is known; the name where it is; the account as "you".
    expect(stub.message).toMatchObject({ kind: 'system', text: 'Added +15550103' })
    const named = decodeMessageBytes(
      info(undefined, {
        key: { remoteJid: '1-2@g.us', fromMe: false, id: 'S2' },
        messageStubType: 27,
        messageStubParameters: ['15550103@s.whatsapp.net', SELF.replace('@c.us', '@s.whatsapp.net')]
      }),
      { ...ctx, nameOf: (jid) => (jid === '15550103@c.us' ? 'Carol Singer' : undefined) }
    )!
    expect(named.message.text).toBe('Added Carol Singer, you')
  })

  it('carries the client id back on echoes of our own messages', () => {
    const echo = decodeMessageBytes(
      encodeWebMessageInfo({
        key: { remoteJid: '15550101@s.whatsapp.net', fromMe: true, id: '3EB0AAAABBBBCCCCDDDD' },
        message: { conversation: 'x' },
        status: 4
      }),
      ctx
    )!
    expect(echo.message).toMatchObject({ clientId: 'client-7', status: 'read', fromMe: true })
  })

  it('uses the participant as the sender in groups, with the push name', () => {
    const m = toIncoming(
      { key: { remoteJid: '1-2@g.us', fromMe: false, id: 'G' }, participant: '15550102@s.whatsapp.net', pushName: 'Carol', message: { conversation: 'x' } },
      ctx
    )!
    expect(m.message).toMatchObject({ chatRemoteId: '1-2@g.us', senderId: '15550102@c.us', senderName: 'Carol' })
  })

  it('keeps stories (status@broadcast) out of the chats', () => {
    expect(
      decodeMessageBytes(encodeWebMessageInfo({ key: { remoteJid: 'status@broadcast', fromMe: false, id: 'ST' }, message: { conversation: 'story' } }), ctx)
    ).toBeNull()
  })

  it('rejects bytes that are not a WebMessageInfo, and keys without an id', () => {
    expect(() => decodeMessageBytes(hex('ffffffff'), ctx)).toThrow(ProtocolError)
    expect(() => decodeMessageBytes(encodeWebMessageInfo({ key: { remoteJid: 'a@c.us' } }), ctx)).toThrow(ProtocolError)
  })

  it('reads directPath on video (13), audio (9) and document (10) messages, as spec §7.2 numbers them', () => {
    // Hand-built protobuf from the spec's field numbers, not from our own schema.
    const field = (no: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([(no << 3) | 2, body.length]), body])
    const path = Buffer.from('/v/t62.7161-24/x.enc')
    const info = (messageField: number, pathField: number): Uint8Array =>
      new Uint8Array(
        Buffer.concat([
          field(1, Buffer.concat([field(1, Buffer.from('1@s.whatsapp.net')), field(3, Buffer.from('ID'))])),
          field(2, field(messageField, field(pathField, path)))
        ])
      )
    expect(decodeWebMessageInfo(info(9, 13)).message?.videoMessage?.directPath).toBe(path.toString())
    expect(decodeWebMessageInfo(info(8, 9)).message?.audioMessage?.directPath).toBe(path.toString())
    expect(decodeWebMessageInfo(info(7, 10)).message?.documentMessage?.directPath).toBe(path.toString())
  })

  it('writes an emote as the text Junction shows for it, since WhatsApp has none', () => {
    expect(outgoingText({ kind: 'emote', text: 'waves' }, 'Alice')).toBe('* Alice waves')
    expect(outgoingText({ kind: 'text', text: '/me is not special in a text' }, 'Alice')).toBe('/me is not special in a text')
  })

  it('sends and reads quoted replies as extendedTextMessage.contextInfo (spec §7.2)', () => {
    const ctx = { selfJid: SELF, clientIdOf: () => undefined }
    const replyTo = { remoteId: '3EB0AAAA', senderId: '15550101@c.us', fromMe: false, text: 'lunch?', timestamp: 0 }
    const bytes = encodeOutgoingText({ chatJid: '15550101@c.us', selfJid: SELF, id: 'R1', text: 'yes!', timestampSeconds: 1, replyTo })
    const info = decodeWebMessageInfo(bytes)
    expect(info.message).toEqual({
      extendedTextMessage: {
        text: 'yes!',
        contextInfo: { stanzaId: '3EB0AAAA', participant: '15550101@s.whatsapp.net', quotedMessage: { conversation: 'lunch?' } }
      }
    })
    expect(decodeMessageBytes(bytes, ctx)?.message).toMatchObject({
      text: 'yes!',
      replyTo: { remoteId: '3EB0AAAA', senderId: '15550101@c.us', text: 'lunch?' }
    })
    // Quoting one's own message names the account as the author.
    const own = encodeOutgoingText({
      chatJid: '15550101@c.us',
      selfJid: SELF,
      id: 'R2',
      text: 'again',
      timestampSeconds: 1,
      replyTo: { ...replyTo, fromMe: true }
    })
    expect(decodeMessageBytes(own, ctx)?.message.replyTo?.senderId).toBe(SELF)
    // A plain text has no quote.
    expect(
      decodeMessageBytes(encodeOutgoingText({ chatJid: '15550101@c.us', selfJid: SELF, id: 'R3', text: 'x', timestampSeconds: 1 }), ctx)?.message.replyTo
    ).toBeUndefined()
  })
})
