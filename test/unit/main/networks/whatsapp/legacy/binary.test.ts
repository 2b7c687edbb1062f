// The node codec against every vector of spec §5.10 and §8, plus the decoder-only forms
// and the other encoders' variants (§5.9) that a decoder must accept.

import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../../../../../../src/shared/errors'
import { decodeNode, encodeNode, SINGLE_BYTE_TOKENS, type WANode } from '../../../../../../src/main/networks/whatsapp/legacy/binary'
import { V5_PROTO, V9 } from './spec-vectors'

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

const VECTORS: { name: string; node: WANode; bytes: string }[] = [
  { name: 'V1 simple query', node: ['query', { type: 'chat', epoch: '1' }, null], bytes: 'f8 05 44 5b 13 6b fc 01 31' },
  {
    name: 'V2 presence with a nibble-packed JID',
    node: ['action', { type: 'set', epoch: '3' }, [['presence', { type: 'composing', to: '491234567890@c.us' }, null]]],
    bytes: 'f8 06 09 5b 52 6b fc 01 33 f8 01 f8 05 41 5b 16 59 fa ff 06 49 12 34 56 78 90 50'
  },
  {
    name: 'V3 read receipt',
    node: ['action', { type: 'set', epoch: '4' }, [['read', { jid: '491234567890@c.us', index: '3EB0C0FFEE123456', owner: 'false', count: '1' }, null]]],
    bytes: 'f806095b526bfc0134f801f809462dfaff06491234567890502afc10334542304330464645453132333435363c2018fc0131'
  },
  {
    name: 'V4 bytes content',
    node: ['picture', { jid: '12345678@c.us', id: '1234' }, [['image', null, hex('01020304050607')]]],
    bytes: 'f8 06 3f 2d fa ff 04 12 34 56 78 50 27 fc 04 31 32 33 34 f8 01 f8 02 28 fc 07 01 02 03 04 05 06 07'
  },
  {
    name: 'V5 message relay',
    node: ['action', { type: 'relay', epoch: '0' }, [['message', null, hex(V5_PROTO)]]],
    bytes: 'f806095b4b6bfc0130f801f80234fc44' + V5_PROTO
  },
  {
    name: 'V6 group JID, odd nibble string',
    node: ['query', { type: 'group', jid: '491234567890-1509911919@g.us', epoch: '7' }, null],
    bytes: 'f8 07 44 5b 24 2d fa ff 8c 49 12 34 56 78 90 a1 50 99 11 91 9f 23 6b fc 01 37'
  },
  {
    name: 'V7 history query',
    node: ['query', { type: 'message', jid: '491234567890@c.us', kind: 'before', count: '50', index: '3EB0C0FFEE123456', owner: 'true', epoch: '8' }, null],
    bytes: 'f80f445b342dfaff06491234567890502e1018fc0235302afc10334542304330464645453132333435363c5a6bfc0138'
  },
  {
    name: 'V8 contacts response',
    node: ['response', { type: 'contacts' }, [['user', { jid: '491234567890@c.us', notify: 'Alice', name: 'Alice A.', short: 'Alice' }, null]]],
    bytes: 'f8044d5b17f801f8095f2dfaff06491234567890503afc05416c69636538fc08416c69636520412e67fc05416c696365'
  },
  // spec §8: JIDs whose user part does not pack.
  { name: '§8 status@broadcast', node: ['x', { jid: 'status@broadcast' }, null], bytes: 'f803' + 'fc0178' + '2d' + 'fa5412' },
  { name: '§8 raw user part', node: ['x', { jid: 'abc@c.us' }, null], bytes: 'f803fc01782d' + 'fafc0361626350' },
  { name: '§8 hex user part', node: ['x', { jid: 'ABCDEF@c.us' }, null], bytes: 'f803fc01782d' + 'fafb03abcdef50' }
]

describe('WhatsApp binary codec: spec vectors', () => {
  it('has the full 176-entry token table', () => {
    expect(SINGLE_BYTE_TOKENS).toHaveLength(176)
    expect(SINGLE_BYTE_TOKENS[80]).toBe('s.whatsapp.net')
    expect(SINGLE_BYTE_TOKENS[143]).toBe('verify')
    expect(SINGLE_BYTE_TOKENS[175]).toBe('recent')
  })

  for (const v of VECTORS) {
    it(`${v.name}: encodes byte for byte and decodes back`, () => {
      expect(toHex(encodeNode(v.node))).toBe(v.bytes.replace(/\s+/g, ''))
      expect(decodeNode(hex(v.bytes))).toEqual(v.node)
    })
  }

  it('V5 is 84 bytes and V9 is 444 bytes', () => {
    expect(hex(VECTORS[4]!.bytes)).toHaveLength(84)
    expect(hex(V9)).toHaveLength(444)
  })

  it('V9 (a real server node from Baileys) decodes and re-encodes identically', () => {
    const node = decodeNode(hex(V9))
    expect(node[0]).toBe('action')
    expect(node[1]).toEqual({ last: 'true', add: 'before' })
    const children = node[2] as WANode[]
    expect(children.map((c) => [c[0], c[1], (c[2] as Uint8Array).length])).toEqual([
      ['message', null, 108],
      ['message', null, 76],
      ['message', null, 147],
      ['message', null, 84]
    ])
    expect(toHex(encodeNode(node))).toBe(V9)
  })
})

describe('WhatsApp binary codec: decoder-only forms (spec §5.10)', () => {
  it('HEX_8 even and odd', () => {
    expect(decodeNode(hex('f8 03 2c 2a fb 03 3e b0 ab'))).toEqual(['item', { index: '3EB0AB' }, null])
    expect(decodeNode(hex('f8 03 2c 2a fb 83 3e b0 af'))).toEqual(['item', { index: '3EB0A' }, null])
  })

  it('a JID pair with an empty user reads as the server (WA Web)', () => {
    expect(decodeNode(hex('f8 03 5f 2d fa 00 50'))).toEqual(['user', { jid: 'c.us' }, null])
  })

  it('raw text content decodes as bytes', () => {
    expect(decodeNode(hex('f8 02 58 fc 05 68 65 6c 6c 6f'))).toEqual(['text', null, new Uint8Array(Buffer.from('hello'))])
  })

  it("accepts the other encoders' variants (spec §5.9)", () => {
    // V4b: Baileys 3/4.0 writes the JID user part raw.
    const v4b = hex('f8063f2dfafc0831323334353637385027fc0431323334f801f80228fc0701020304050607')
    expect(decodeNode(v4b)).toEqual(VECTORS[3]!.node)
    // V1, Baileys 4.x-legacy: "1" nibble-packed.
    expect(decodeNode(hex('f8 05 44 5b 13 6b ff 81 1f'))).toEqual(['query', { type: 'chat', epoch: '1' }, null])
    // A HEX_8 message id as Baileys 4.x-legacy writes it.
    expect(decodeNode(hex('f803 2c 2a fb 08 3e b0 c0 ff ee 12 34 56'))).toEqual(['item', { index: '3EB0C0FFEE123456' }, null])
  })

  it('reads BINARY_20 and BINARY_32 lengths and text', () => {
    const bytes = new Uint8Array(300).fill(7)
    const b20 = Buffer.concat([hex('f8 02 28 fd 00 01 2c'), bytes])
    expect(decodeNode(b20)).toEqual(['image', null, bytes])
    // Int20 uses only the low 4 bits of its first byte.
    const b20high = Buffer.concat([hex('f8 02 28 fd f0 01 2c'), bytes])
    expect(decodeNode(b20high)).toEqual(['image', null, bytes])
    const b32 = Buffer.concat([hex('f8 02 28 fe 00 00 01 2c'), bytes])
    expect(decodeNode(b32)).toEqual(['image', null, bytes])
    expect(decodeNode(hex('f8 03 2c 2a fd 00 00 02 68 69'))).toEqual(['item', { index: 'hi' }, null])
    expect(decodeNode(hex('f8 03 2c 2a fe 00 00 00 02 68 69'))).toEqual(['item', { index: 'hi' }, null])
  })

  it('LIST_16 carries a two-byte size, both ways', () => {
    const children: WANode[] = Array.from({ length: 300 }, (_, i) => ['item', { index: String(i) }, null])
    const bytes = encodeNode(['action', null, children])
    expect(toHex(bytes.subarray(0, 5))).toBe('f80209f901')
    expect(bytes[5]).toBe(0x2c) // 300 = 0x012c
    expect(decodeNode(bytes)).toEqual(['action', null, children])
    expect(decodeNode(hex('f9 00 01 09'))).toEqual(['action', null, null])
  })

  it('an empty list content is an empty child list', () => {
    expect(decodeNode(hex('f8 02 09 00'))).toEqual(['action', null, []])
    expect(toHex(encodeNode(['action', null, []]))).toBe('f8020900')
  })
})

describe('WhatsApp binary codec: the canonical encoder rules (spec §5.9)', () => {
  it('drops empty attributes, writes no content for null or ""', () => {
    expect(toHex(encodeNode(['query', { type: 'chat', epoch: '' }, null]))).toBe('f803445b13')
    expect(toHex(encodeNode(['query', { type: 'chat' }, '']))).toBe('f803445b13')
  })

  it('writes empty bytes as content', () => {
    expect(toHex(encodeNode(['image', null, new Uint8Array(0)]))).toBe('f80228fc00')
  })

  it('writes c.us as token 80 except as content', () => {
    expect(toHex(encodeNode(['user', { jid: 'c.us' }, null]))).toBe('f8035f2d50')
    expect(toHex(encodeNode(['user', null, 'c.us']))).toBe('f8025ffc04632e7573')
  })

  it('uses BINARY_20 and BINARY_32 for long byte strings', () => {
    expect(toHex(encodeNode(['image', null, new Uint8Array(300)]).subarray(0, 6))).toBe('f80228fd0001')
    expect(toHex(encodeNode(['image', null, new Uint8Array(1 << 20)]).subarray(0, 8))).toBe('f80228fe00100000')
  })

  it('falls back from nibble to hex to raw for JID users, and never packs other strings', () => {
    expect(toHex(encodeNode(['x', { jid: '3EB0@c.us' }, null]))).toBe('f803fc01782dfafb023eb050')
    expect(toHex(encodeNode(['x', { jid: '3eb0@c.us' }, null]))).toBe('f803fc01782dfafc0433656230' + '50')
    expect(toHex(encodeNode(['x', { index: '12345' }, null]))).toBe('f803fc01782afc053132333435')
  })

  it('refuses what it cannot encode, with a ProtocolError', () => {
    expect(() => encodeNode(['', null, null])).toThrow(ProtocolError)
    expect(() => encodeNode(['x', null, 5 as never])).toThrow(ProtocolError)
    expect(() => encodeNode(['x', { a: 5 as never }, null])).toThrow(ProtocolError)
    let deep: WANode = ['x', null, null]
    for (let i = 0; i < 100; i++) deep = ['x', null, [deep]]
    expect(() => encodeNode(deep)).toThrow(ProtocolError)
  })
})

describe('WhatsApp binary codec: malformed input', () => {
  const bad: [string, string][] = [
    ['empty input', ''],
    ['an empty node', '00'],
    ['a non-list start', '09'],
    ['stream end as description', 'f8 01 02'],
    ['an unknown token', 'f8 01 b0'],
    ['a double-byte token', 'f8 01 ec 01'],
    ['a double-byte token without its byte', 'f8 01 ec'],
    ['an unused tag', 'f8 01 f0'],
    ['a truncated list', 'f8 03 09 5b'],
    ['trailing bytes', 'f8 01 09 00'],
    ['a length past the end', 'f8 02 09 fc 05 01'],
    ['a BINARY_32 length of 4 GB', 'f8 02 09 fe ff ff ff ff'],
    ['a null description', 'f8 01 00'],
    ['a JID without server', 'f8 02 09 fa 00 00'],
    ['an invalid nibble', 'f8 02 09 ff 01 c0'],
    ['an odd empty packed string', 'f8 02 09 ff 80'],
    ['a packed count past the end', 'f8 02 09 ff 7f 11'],
    ['an attribute without a name', 'f8 03 09 00 5b'],
    ['a LIST_16 child count past the end', 'f8 02 09 f9 ff ff'],
    ['stream end as content', 'f8 02 09 02']
  ]
  for (const [name, bytes] of bad) {
    it(`rejects ${name}`, () => {
      expect(() => decodeNode(hex(bytes))).toThrow(ProtocolError)
    })
  }

  it('rejects deep nesting without blowing the stack', () => {
    const deep = new Uint8Array(20_000)
    for (let i = 0; i < deep.length; i += 4) deep.set([0xf8, 0x02, 0x09, 0xf8], i)
    expect(() => decodeNode(deep)).toThrow(ProtocolError)
    const jids = new Uint8Array(10_000).fill(0xfa)
    expect(() => decodeNode(Buffer.concat([hex('f8 02 09'), jids]))).toThrow(ProtocolError)
  })

  it('keeps __proto__ an ordinary attribute', () => {
    const node = decodeNode(Buffer.concat([hex('f8 03 09 fc 09'), Buffer.from('__proto__'), hex('fc 01 78')]))
    expect(Object.getPrototypeOf(node[1])).toBe(Object.prototype)
    expect(Object.keys(node[1]!)).toEqual(['__proto__'])
  })
})

describe('WhatsApp binary codec: binary content as views (issue 14)', () => {
  it('returns bytes content as a plain Uint8Array view into the input, for Buffers and Uint8Arrays alike', () => {
    const payload = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff)
    const encoded = encodeNode([
      'action',
      null,
      [
        ['message', null, payload],
        ['message', null, payload.subarray(0, 5)]
      ]
    ])
    const offset = new Uint8Array(new ArrayBuffer(encoded.length + 7), 7)
    offset.set(encoded)
    for (const input of [encoded, Buffer.from(encoded), offset]) {
      const [first, second] = decodeNode(input)[2] as WANode[]
      for (const [node, expected] of [
        [first!, payload],
        [second!, payload.subarray(0, 5)]
      ] as const) {
        const content = node[2] as Uint8Array
        expect(Object.getPrototypeOf(content)).toBe(Uint8Array.prototype)
        expect(content.buffer).toBe(input.buffer)
        expect(content).toEqual(expected)
      }
    }
  })

  it('reuses its scratch buffer without leaking one result into the next', () => {
    const big = encodeNode(['image', null, new Uint8Array(300_000).fill(9)])
    const small = encodeNode(['x', { a: 'b' }, null])
    expect(big.buffer).not.toBe(small.buffer)
    expect(toHex(small)).toBe('f803fc0178fc0161fc0162')
    expect(big.length).toBe(300_000 + 2 + 1 + 4)
  })
})
