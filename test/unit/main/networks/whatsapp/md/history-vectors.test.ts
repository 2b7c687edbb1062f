// History sync (spec §10.4 vector, computed with Baileys): the zlib blob inflates to the
// HistorySync protobuf, which yields the chat, contact and message Baileys found; the
// notification decodes with its fields; damaged or oversized blobs are typed errors.

import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../../../../../../src/shared/errors'
import { decodeHistoryBlob, historyChunk, HISTORY_SYNC_NOTIFICATION } from '../../../../../../src/main/networks/whatsapp/md/history'
import { decodeProto, type WAMessage } from '../../../../../../src/main/networks/whatsapp/md/proto'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'))

const HISTORY_SYNC = hex(`08001286010a1a313535353736353433323140732e77686174736170702e6e65
    74125b0a570a400a1a313535353736353433323140732e77686174736170702e
    6e657410001a2041314232433344344535463630373138323933413442354336
    44374538463930120d0a0b6f6c64206d6573736167651880e2cfaa0610013001
    6080e2cfaa066a03426f62280130643a210a1a31353535373635343332314073
    2e77686174736170702e6e65741203426f62`)
const BLOB = hex(`78dae360106a63e49232343535353733353136327428d62bcf482c294e2c28d0
    cb4b2d118ae60ae772c0a74280414ac1d1d0c9c8d9d8c5c4d5d4cdccc0dcd0c2
    c8d2d8d1c4c9d4d9ccc5dcd5c2cdd24088978b3b3f27452137b5b838313d55a2
    e1d1f9556c028c068c09605616b3537e9206a3418a95225eb7809401000cee30
    56`)
const NOTIFICATION = hex(`62970110053292010a20ffd2c65edd7d8c0aa76b69ad10682381adf616213826
    ea10e3e1ba05a72750d21081011a204b18a8cfbcbf8f4bf2e0101f866ffb63f4
    b4f0acfd1bb4eb1eab09e3400f58712220cf92c47e51583f6ad855876012be2e
    0e93091b14af8014184611dadd8f9d14ba2a212f762f7436322e31353537352d
    32342f686973742e656e633f6363623d31312d34300038014864`)
const OWN = '15551234567@s.whatsapp.net'
const BOB = '15557654321@s.whatsapp.net'

describe('WhatsApp multi-device history sync (spec §10.4)', () => {
  it('inflates the blob to the HistorySync protobuf of the vector', () => {
    const sync = decodeHistoryBlob(BLOB)
    expect(sync).toEqual(decodeProto('HistorySync', HISTORY_SYNC))
    expect(sync.conversations?.[0]?.id).toBe(BOB)
  })

  it('yields the chat, contact and message Baileys found', () => {
    const chunk = historyChunk({ initialHistBootstrapInlinePayload: BLOB, progress: 100 }, OWN, Date.now())!
    expect(chunk.progress).toBe(100)
    const chats = chunk.events.flatMap((e) => (e.type === 'chat' ? [e.chat] : []))
    const contacts = chunk.events.flatMap((e) => (e.type === 'contact' ? [e.contact] : []))
    const messages = chunk.events.flatMap((e) => (e.type === 'message' ? [e.message] : []))
    expect(chats).toMatchObject([{ remoteId: BOB, kind: 'direct', title: 'Bob', unread: 1 }])
    expect(contacts).toEqual([{ remoteId: BOB, name: 'Bob' }])
    expect(messages).toMatchObject([{ chatRemoteId: BOB, remoteId: 'A1B2C3D4E5F60718293A4B5C6D7E8F90', text: 'old message', fromMe: false, senderId: BOB }])
  })

  it('decodes the notification: type, media key and path (the downloaded form)', () => {
    const message = decodeProto<WAMessage>('Message', NOTIFICATION)
    const p = message.protocolMessage!
    expect(p.type).toBe(HISTORY_SYNC_NOTIFICATION)
    const n = p.historySyncNotification!
    expect(Buffer.from(n.mediaKey!).toString('hex')).toBe('4b18a8cfbcbf8f4bf2e0101f866ffb63f4b4f0acfd1bb4eb1eab09e3400f5871')
    expect(n.directPath).toMatch(/hist\.enc/)
    // Not inline: downloading it is not supported yet, so there are no events to give.
    expect(historyChunk(n, OWN, Date.now())).toBeNull()
  })

  it('refuses a damaged or oversized blob with a ProtocolError', () => {
    expect(() => decodeHistoryBlob(BLOB.subarray(0, 40))).toThrow(ProtocolError)
    expect(() => decodeHistoryBlob(Uint8Array.of(1, 2, 3))).toThrow(ProtocolError)
    const bomb = deflateSync(Buffer.alloc(65 * 1024 * 1024))
    expect(() => decodeHistoryBlob(bomb)).toThrow(ProtocolError)
  })
})
