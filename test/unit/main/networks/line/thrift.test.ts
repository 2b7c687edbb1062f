// The legacy Thrift codec against the byte vectors of spec §9.4 (verified there with the
// npm `thrift` library) and the 2013 capture of seed 000/001.

import { describe, expect, it } from 'vitest'
import {
  decodeCall,
  decodeReply,
  decodeStruct,
  encodeCall,
  encodeFetchOperations,
  encodeReply,
  encodeSendMessage,
  encodeStruct,
  MessageSchema
} from '../../../../../src/main/networks/line/thrift'
import { ProtocolError } from '../../../../../src/shared/errors'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex')
const TO = 'u0123456789abcdef0123456789abcdef'
const FROM = 'ufedcba9876543210fedcba9876543210'

// spec §9.4, TBinary, 84 bytes.
const SEND_BINARY = hex(`
80 01 00 01 00 00 00 0b 73 65 6e 64 4d 65 73 73
61 67 65 00 00 00 00 08 00 01 00 00 00 00 0c 00
02 0b 00 02 00 00 00 21 75 30 31 32 33 34 35 36
37 38 39 61 62 63 64 65 66 30 31 32 33 34 35 36
37 38 39 61 62 63 64 65 66 0b 00 0a 00 00 00 02
68 69 00 00`)

// spec §9.4, TBinary, 46 bytes.
const FETCH_BINARY = hex(`
80 01 00 01 00 00 00 0f 66 65 74 63 68 4f 70 65
72 61 74 69 6f 6e 73 00 00 00 00 0a 00 02 00 00
00 00 00 00 00 f9 08 00 03 00 00 00 14 00`)

const SEND_COMPACT_A = hex(`82 21 00 0b 73 65 6e 64 4d 65 73 73 61 67 65 15 00 1c 28 21 ${ascii(TO)} 88 02 68 69 00 00`)
const SEND_COMPACT_B = hex(`82 21 00 0b 73 65 6e 64 4d 65 73 73 61 67 65 15 00 1c 28 21 ${ascii(TO)} 88 02 68 69 42 00 00`)
const FETCH_COMPACT = hex(`82 21 00 0f 66 65 74 63 68 4f 70 65 72 61 74 69 6f 6e 73 26 f2 03 15 28 00`)

const ID = '500000000000000001'
const REPLY_SEND_BINARY = hex(
  `80 01 00 02 00 00 00 0b ${ascii('sendMessage')} 00 00 00 00 0c 00 00 0b 00 01 00 00 00 21 ${ascii(FROM)} 0b 00 04 00 00 00 12 ${ascii(ID)} 0a 00 05 00 00 01 8b cf e5 68 00 00 00`
)
const REPLY_SEND_COMPACT = hex(`82 41 00 0b ${ascii('sendMessage')} 0c 00 18 21 ${ascii(FROM)} 38 12 ${ascii(ID)} 16 80 a0 ab fe f9 62 00 00`)
const REPLY_AUTH_BINARY = hex(
  `80 01 00 02 00 00 00 0b ${ascii('sendMessage')} 00 00 00 00 0c 00 01 08 00 01 00 00 00 01 0b 00 02 00 00 00 15 ${ascii('AUTHENTICATION_FAILED')} 00 00`
)
const REPLY_AUTH_COMPACT = hex(`82 41 00 0b ${ascii('sendMessage')} 1c 15 02 18 15 ${ascii('AUTHENTICATION_FAILED')} 00 00`)
const OP_ID = '600000000000000002'
const REPLY_FETCH_BINARY = hex(
  `80 01 00 02 00 00 00 0f ${ascii('fetchOperations')} 00 00 00 00 0f 00 00 0c 00 00 00 01
   0a 00 01 00 00 00 00 00 00 00 fa 0a 00 02 00 00 01 8b cf e5 68 00 08 00 03 00 00 00 1a
   0c 00 14 0b 00 01 00 00 00 21 ${ascii(FROM)} 0b 00 02 00 00 00 21 ${ascii(TO)} 08 00 03 00 00 00 00 0b 00 04 00 00 00 12 ${ascii(OP_ID)} 0b 00 0a 00 00 00 02 79 6f 08 00 0f 00 00 00 00 00
   00 00`
)
const REPLY_FETCH_COMPACT = hex(
  `82 41 00 0f ${ascii('fetchOperations')} 09 00 1c 16 f4 03 16 80 a0 ab fe f9 62 15 34 0c 28 18 21 ${ascii(FROM)} 18 21 ${ascii(TO)} 15 00 18 12 ${ascii(OP_ID)} 68 02 79 6f 55 00 00 00 00`
)

describe('LINE legacy Thrift codec: spec §9.4 vectors', () => {
  it('encodes sendMessage in TBinary, 84 bytes', () => {
    const bytes = encodeSendMessage({ seqid: 0, reqSeq: 0, message: { to: TO, text: 'hi' } })
    expect(bytes.length).toBe(84)
    expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(SEND_BINARY).toString('hex'))
  })

  it('encodes the capture-shaped sendMessage with hasContent=false, 88 bytes', () => {
    const bytes = encodeSendMessage({ seqid: 0, reqSeq: 0, message: { to: TO, text: 'hi', hasContent: false } })
    const expected = Buffer.concat([SEND_BINARY.subarray(0, 80), hex('68 69 02 00 0e 00 00 00')])
    expect(bytes.length).toBe(88)
    expect(Buffer.from(bytes).toString('hex')).toBe(expected.toString('hex'))
  })

  it('encodes fetchOperations(249, 20) in TBinary with argument ids 2 and 3, 46 bytes', () => {
    const bytes = encodeFetchOperations({ seqid: 0, localRev: '249', count: 20 })
    expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(FETCH_BINARY).toString('hex'))
  })

  it('matches the 2013 capture of seed 001 for fetchOperations byte for byte', () => {
    // seed 000/001: '\x80\x01\x00\x01' '\x00\x00\x00\x0f' 'fetchOperations' '\x00\x00\x00\x00\x0a' '\x00\x02\x00...\xf9\x08\x00\x03\x00\x00\x00\x14\x00'
    const seed = Buffer.concat([
      Buffer.from('80010001', 'hex'),
      Buffer.from('0000000f', 'hex'),
      Buffer.from('fetchOperations', 'latin1'),
      Buffer.from('000000000a', 'hex'),
      Buffer.from('0002' + '00000000000000f9' + '0800030000001400', 'hex')
    ])
    expect(Buffer.from(encodeFetchOperations({ seqid: 0, localRev: 249, count: 20 })).equals(seed)).toBe(true)
  })

  it('encodes the compact equivalents (59, 60 and 25 bytes)', () => {
    const a = encodeSendMessage({ seqid: 0, reqSeq: 0, message: { to: TO, text: 'hi' } }, 'compact')
    const b = encodeSendMessage({ seqid: 0, reqSeq: 0, message: { to: TO, text: 'hi', hasContent: false } }, 'compact')
    const f = encodeFetchOperations({ seqid: 0, localRev: 249n, count: 20 }, 'compact')
    expect([a.length, b.length, f.length]).toEqual([59, 60, 25])
    expect(Buffer.from(a).toString('hex')).toBe(Buffer.from(SEND_COMPACT_A).toString('hex'))
    expect(Buffer.from(b).toString('hex')).toBe(Buffer.from(SEND_COMPACT_B).toString('hex'))
    expect(Buffer.from(f).toString('hex')).toBe(Buffer.from(FETCH_COMPACT).toString('hex'))
  })

  it('decodes the sendMessage success reply in both protocols', () => {
    for (const [bytes, protocol] of [
      [REPLY_SEND_BINARY, 'binary'],
      [REPLY_SEND_COMPACT, 'compact']
    ] as const) {
      expect(decodeReply(bytes, protocol)).toEqual({ method: 'sendMessage', seqid: 0, result: { from: FROM, id: ID, createdTime: '1700000000000' } })
    }
  })

  it('decodes the TalkException reply in both protocols', () => {
    for (const [bytes, protocol] of [
      [REPLY_AUTH_BINARY, 'binary'],
      [REPLY_AUTH_COMPACT, 'compact']
    ] as const) {
      expect(decodeReply(bytes, protocol)).toEqual({
        method: 'sendMessage',
        seqid: 0,
        exception: { name: 'TalkException', code: 1, reason: 'AUTHENTICATION_FAILED' }
      })
    }
  })

  it('decodes the fetchOperations reply into the JSON shape of spec §6 in both protocols', () => {
    const op = {
      revision: '250',
      createdTime: '1700000000000',
      type: 26,
      message: { from: FROM, to: TO, toType: 0, id: OP_ID, text: 'yo', contentType: 0 }
    }
    expect(decodeReply(REPLY_FETCH_BINARY, 'binary')).toEqual({ method: 'fetchOperations', seqid: 0, result: [op] })
    expect(decodeReply(REPLY_FETCH_COMPACT, 'compact')).toEqual({ method: 'fetchOperations', seqid: 0, result: [op] })
  })

  it('writes the replies of spec §9.4 byte for byte (the reference server uses this)', () => {
    const message = { from: FROM, id: ID, createdTime: '1700000000000' }
    expect(Buffer.from(encodeReply('sendMessage', 0, { result: message })).equals(Buffer.from(REPLY_SEND_BINARY))).toBe(true)
    expect(Buffer.from(encodeReply('sendMessage', 0, { result: message }, 'compact')).equals(Buffer.from(REPLY_SEND_COMPACT))).toBe(true)
    const e = { talkException: { code: 1, reason: 'AUTHENTICATION_FAILED' } }
    expect(Buffer.from(encodeReply('sendMessage', 0, e)).equals(Buffer.from(REPLY_AUTH_BINARY))).toBe(true)
    expect(Buffer.from(encodeReply('sendMessage', 0, e, 'compact')).equals(Buffer.from(REPLY_AUTH_COMPACT))).toBe(true)
    const op = { revision: '250', createdTime: '1700000000000', type: 26, message: { from: FROM, to: TO, toType: 0, id: OP_ID, text: 'yo', contentType: 0 } }
    expect(Buffer.from(encodeReply('fetchOperations', 0, { result: [op] })).equals(Buffer.from(REPLY_FETCH_BINARY))).toBe(true)
    expect(Buffer.from(encodeReply('fetchOperations', 0, { result: [op] }, 'compact')).equals(Buffer.from(REPLY_FETCH_COMPACT))).toBe(true)
  })
})

describe('LINE legacy Thrift codec: round trips and rejections', () => {
  it('round-trips a full message with metadata, chunks, location and reactions in both protocols', () => {
    const message = {
      from: FROM,
      to: TO,
      toType: 0,
      id: 'local-7',
      createdTime: '9007199254740993',
      text: 'テスト',
      location: { title: 'Kyoto', latitude: 35.0116, longitude: 135.7681 },
      hasContent: true,
      contentType: 7,
      contentMetadata: { STKID: '13', STKPKGID: '1', STKVER: '100' },
      sessionId: 0,
      chunks: ['oKGio6SlpqeoqaqrrK2urw==', 'AAAD6Q=='],
      reactions: [{ fromUserMid: TO, atMillis: '-5', reactionType: { predefinedReactionType: 3 } }]
    }
    for (const protocol of ['binary', 'compact'] as const) {
      const call = decodeCall(encodeSendMessage({ seqid: 77, reqSeq: -123456, message }, protocol), protocol)
      expect(call).toEqual({ method: 'sendMessage', seqid: 77, args: { seq: -123456, message } })
    }
  })

  it('keeps i64 values exact beyond 2^53', () => {
    const big = '9223372036854775807'
    const call = decodeCall(encodeCall('fetchOperations', 1, { localRev: big, count: 50 }, 'compact'), 'compact')
    expect(call.args.localRev).toBe(big)
  })

  it('rejects values that do not fit their type with a typed error', () => {
    expect(() => encodeFetchOperations({ seqid: 0, localRev: 'abc', count: 1 })).toThrow(ProtocolError)
    expect(() => encodeSendMessage({ seqid: 0, reqSeq: 2 ** 31, message: {} })).toThrow(ProtocolError)
    expect(() => encodeCall('noSuchMethod', 0, {})).toThrow(ProtocolError)
  })

  it('rejects truncated and padded replies with a typed error', () => {
    expect(() => decodeReply(REPLY_SEND_BINARY.subarray(0, REPLY_SEND_BINARY.length - 3))).toThrow(ProtocolError)
    expect(() => decodeReply(Buffer.concat([REPLY_SEND_COMPACT, hex('00')]), 'compact')).toThrow(ProtocolError)
    expect(() => decodeReply(SEND_BINARY)).toThrow(ProtocolError) // a call is not a reply
  })

  it('decodes a TApplicationException message', () => {
    const bytes = encodeReply('fetchOperations', 3, { applicationError: { message: 'Invalid method name', type: 1 } }, 'compact')
    expect(decodeReply(bytes, 'compact')).toEqual({
      method: 'fetchOperations',
      seqid: 3,
      exception: { name: 'TApplicationException', message: 'Invalid method name', type: 1 }
    })
  })
})

describe('LINE legacy Thrift codec: the fast paths read back exactly (issue 14)', () => {
  it('keeps i64 values exact at every boundary of the two-halves arithmetic, in both protocols', () => {
    const values = [
      '0',
      '-1',
      '1',
      '4294967295',
      '4294967296',
      '-4294967296',
      '-4294967297',
      '9007199254740991',
      '9007199254740992',
      '-9007199254740993',
      '9223372036854775807',
      '-9223372036854775808',
      '1773638915000'
    ]
    for (const protocol of ['binary', 'compact'] as const) {
      for (const v of values) {
        const call = decodeCall(encodeCall('fetchOperations', 1, { localRev: v, count: 1 }, protocol), protocol)
        expect(call.args.localRev).toBe(v)
        // Numbers and bigints give the same bytes as their decimal strings.
        const asBigint = encodeCall('fetchOperations', 1, { localRev: BigInt(v), count: 1 }, protocol)
        expect(Buffer.from(asBigint).equals(Buffer.from(encodeCall('fetchOperations', 1, { localRev: v, count: 1 }, protocol)))).toBe(true)
        if (Number.isSafeInteger(Number(v)))
          expect(Buffer.from(encodeCall('fetchOperations', 1, { localRev: Number(v), count: 1 }, protocol)).equals(Buffer.from(asBigint))).toBe(true)
      }
      for (const bad of ['9223372036854775808', '-9223372036854775809', '1e3', '', '-', ' 1', 2 ** 53]) {
        expect(() => encodeCall('fetchOperations', 1, { localRev: bad, count: 1 }, protocol)).toThrow(ProtocolError)
      }
    }
  })

  it('reads back 3,000 messages of random short and repeated strings exactly (the string cache never confuses two)', () => {
    let seed = 7
    const random = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32
    const pool = Array.from({ length: 40 }, (_, i) => 'u' + i.toString(16).padStart(32, '0'))
    const text = (): string =>
      Array.from({ length: Math.floor(random() * 50) }, () => String.fromCharCode(0x20 + Math.floor(random() * (random() < 0.05 ? 0x3000 : 0x5e)))).join('')
    for (let i = 0; i < 3_000; i++) {
      const protocol = i % 2 === 0 ? 'binary' : 'compact'
      const message = {
        from: pool[Math.floor(random() * pool.length)]!,
        to: pool[Math.floor(random() * 3)]!,
        id: String(i),
        text: text(),
        contentMetadata: { [text() || 'k']: text(), e2eeMark: String(i % 3) }
      }
      expect(decodeCall(encodeSendMessage({ seqid: 1, reqSeq: i, message }, protocol), protocol).args).toEqual({ seq: i, message })
    }
  })

  it('tells apart cached strings that differ only in their last one to three bytes, inside a buffer and at its very end', () => {
    // The cache compares the tail as one masked word where four bytes can be read, byte by byte at the end of the bytes.
    for (const protocol of ['binary', 'compact'] as const) {
      for (let length = 1; length <= 48; length++) {
        const base = 'm'.repeat(length)
        const variants = [base, ...[1, 2, 3].filter((k) => k <= length).map((k) => base.slice(0, length - k) + 'z' + base.slice(length - k + 1))]
        for (let round = 0; round < 2; round++) {
          for (const id of variants) {
            // `id` (field 4) is followed by `text` inside the struct, and is its last field alone.
            expect(decodeStruct(MessageSchema, encodeStruct(MessageSchema, { id, text: 'after' }, protocol), protocol)).toEqual({ id, text: 'after' })
            const alone = encodeStruct(MessageSchema, { id }, protocol)
            const padded = new Uint8Array(alone.length + 8).fill(0x6d)
            padded.set(alone, 4)
            expect(decodeStruct(MessageSchema, padded.subarray(4, 4 + alone.length), protocol)).toEqual({ id })
          }
        }
      }
    }
  })

  it('rejects invalid UTF-8 in strings of every length, and keeps a real U+FFFD', () => {
    for (const protocol of ['binary', 'compact'] as const) {
      for (const length of [1, 5, 40, 200]) {
        const text = 'a'.repeat(length - 1) + '\uFFFD'
        expect(decodeCall(encodeSendMessage({ seqid: 1, reqSeq: 1, message: { text } }, protocol), protocol).args).toEqual({ seq: 1, message: { text } })
        const bytes = Buffer.from(encodeSendMessage({ seqid: 1, reqSeq: 1, message: { text: 'a'.repeat(length) } }, protocol))
        // The text is the last field: replace its final byte with a lone continuation byte.
        bytes[bytes.length - 3] = 0x80
        expect(() => decodeCall(bytes, protocol)).toThrow(ProtocolError)
      }
    }
  })
})
