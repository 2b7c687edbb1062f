// Every binary-node vector of the spec (§3.3 fingerprints, §3.9 B1–B15, and the stanza
// vectors of §4–§9), each encoded and decoded.

import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../../../../../../src/shared/errors'
import { decodeBinaryNode, encodeBinaryNode, type BinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import { DOUBLE_BYTE_TOKENS, SINGLE_BYTE_TOKENS } from '../../../../../../src/main/networks/whatsapp/md/binary/tokens'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const n = (tag: string, attrs: Record<string, string> = {}, content?: BinaryNode['content']): BinaryNode =>
  content === undefined ? { tag, attrs } : { tag, attrs, content }
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)
const range = (len: number, f: (i: number) => number): Uint8Array => Uint8Array.from({ length: len }, (_, i) => f(i))

/** Plain-object view for comparisons (the decoder's attrs have no prototype). */
function plain(node: BinaryNode): unknown {
  const content = Array.isArray(node.content) ? node.content.map(plain) : node.content instanceof Uint8Array ? toHex(node.content) : node.content
  return { tag: node.tag, attrs: { ...node.attrs }, ...(content === undefined ? {} : { content }) }
}

// [name, node, bytes] — the node as it decodes (raw text content decodes as bytes, spec §3.7).
const VECTORS: Array<[string, BinaryNode, string]> = [
  ['B1 ping iq', n('iq', { id: '1.2-1', to: 's.whatsapp.net', type: 'get', xmlns: 'w:p' }, [n('ping')]), '00f80a1908ff831b2a1f110304291657f801f80156'],
  ['B2 empty node', n('success'), '00f8014c'],
  [
    'B3 message with JID_PAIR and HEX_8 id',
    n('message', { to: '15551234567@s.whatsapp.net', id: '3EB0A1B2C3D4E5F60718293A', type: 'text' }, [n('enc', { v: '2', type: 'msg' }, hex('330a21'))]),
    '00f8081311faff8615551234567f0308fb0c3eb0a1b2c3d4e5f60718293a0438f801f8061d5145044dfc03330a21'
  ],
  ['B4 AD_JID device 3', n('to', { jid: '15551234567:3@s.whatsapp.net' }), '00f803110cf70003ff8615551234567f'],
  [
    'B5 LID device and LID pair',
    n('receipt', { id: 'ABCDEF0123', to: '123456789012345:12@lid', participant: '987654321098765@lid' }),
    '00f8070708fb05abcdef012311f7010cff88123456789012345f05faff88987654321098765f76'
  ],
  ['B6 hosted device 99', n('to', { jid: '15551234567:99@hosted' }), '00f803110cf78063ff8615551234567f'],
  [
    'B7 double-byte tokens',
    n('receipt', { type: 'read-self', to: '120363000000000001@g.us', xmlns: 'w:g2' }),
    '00f8070704ec0011faff091203630000000000011c16ed33'
  ],
  [
    'B8 JID_PAIR with empty user',
    n('iq', { to: '@g.us', type: 'set', xmlns: 'w:g2' }, [n('create', { subject: 'Hello group', key: '3eb0abc' })]),
    '00f8081911fa001c045a16ed33f801f805ef4cec7ffc0b48656c6c6f2067726f75709efc0733656230616263'
  ],
  [
    'B9 text content',
    n('body', {}, [n('text', {}, utf8('hello world')), n('count', {}, 'true'), n('value', {}, '812')]),
    '00f802ed75f803f80238fc0b68656c6c6f20776f726c64f802419bf8026cee44'
  ],
  [
    'B10 BINARY_20 content',
    n(
      'value',
      {},
      range(256, (i) => i)
    ),
    '00f8026cfd000100' + toHex(range(256, (i) => i))
  ],
  [
    'B11 list of 3',
    n('presence', { type: 'available', name: 'Alice' }, [n('a'), n('b'), n('c')]),
    '00f8061f048889fc05416c696365f803f801fc0161f801fc0162f801ee25'
  ],
  ['§4.6 515', n('stream:error', { code: '515' }), '00f8039d70ff82515f'],
  ['§4.6 replaced', n('stream:error', {}, [n('conflict', { type: 'replaced' })]), '00f8029df801f803ec0e04ec11'],
  ['§4.6 failure 405', n('failure', { reason: '405', location: 'frc' }), '00f805ee3cec2eff82405f3dfc03667263'],
  ['§4.6 offline ib', n('ib', { from: 's.whatsapp.net' }, [n('offline', { count: '0' })]), '00f804fc0269620603f801f80312412d'],
  ['§5.2 pair-device reply', n('iq', { to: 's.whatsapp.net', type: 'result', id: '1234567890' }), '00f807191103041408ff051234567890'],
  ['§6.1 count query', n('iq', { id: '1.2-5', to: 's.whatsapp.net', xmlns: 'encrypt', type: 'get' }, [n('count')]), ''],
  ['§7.6 chatstate', n('chatstate', { to: '15557654321@s.whatsapp.net' }, [n('composing')]), '00f8042e11faff8615557654321f03f801f80134'],
  ['§7.6 presence', n('presence', { type: 'available', name: 'Alice' }), '00f8051f048889fc05416c696365'],
  [
    '§7.3 receipt',
    n('receipt', { id: '3EB0C0FFEE00112233445566', to: '15557654321@s.whatsapp.net' }),
    '00f8050708fb0c3eb0c0ffee0011223344556611faff8615557654321f03'
  ],
  [
    '§7.3 ack',
    n('ack', { id: '3EB0C0FFEE00112233445566', to: '15557654321@s.whatsapp.net', class: 'receipt', type: 'read' }),
    '00f8091b08fb0c3eb0c0ffee0011223344556611faff8615557654321f031507042a'
  ],
  [
    '§7.3 message ack with phash',
    n('ack', { class: 'message', id: '3EB0C0FFEE00112233445566', to: 's.whatsapp.net', t: '1700000000', phash: '2:AbCdEfGh' }),
    '00f80b1b151308fb0c3eb0c0ffee0011223344556611031aff051700000000ec5ffc0a323a4162436445664768'
  ],
  [
    '§7.4 retry receipt',
    n('receipt', { id: 'A1B2C3D4E5F60718293A4B5C6D7E8F90', type: 'retry', to: '15557654321@s.whatsapp.net' }, [
      n('retry', { count: '1', id: 'A1B2C3D4E5F60718293A4B5C6D7E8F90', t: '1700000000', v: '1' }),
      n('registration', {}, hex('00001234'))
    ]),
    '00f8080708fb10a1b2c3d4e5f60718293a4b5c6d7e8f9004ec0b11faff8615557654321f03f802f809ec0b415508fb10a1b2c3d4e5f60718293a4b5c6d7e8f901aff0517000000005155f802adfc0400001234'
  ],
  [
    '§6.8 usync query',
    n('iq', { id: '1.2-11', to: 's.whatsapp.net', type: 'get', xmlns: 'usync' }, [
      n('usync', { context: 'message', mode: 'query', sid: '1.2-10', last: 'true', index: '0' }, [
        n('query', {}, [n('devices', { version: '2' }), n('lid')]),
        n('list', {}, [n('user', { jid: '15557654321@s.whatsapp.net' })])
      ])
    ]),
    '00f80a1908ff031b2a11110304291679f801f80c797d136a6dfc03736964ff031b2a10619b8f2df802f8026df802f8030f5445f80176f80271f801f8030e0cfaff8615557654321f03'
  ],
  [
    '§8.1 media_conn',
    n('iq', { id: '1.2-13', to: 's.whatsapp.net', type: 'set', xmlns: 'w:m' }, [n('media_conn')]),
    '00f80a1908ff031b2a131103045a16c2f801f8013a'
  ],
  [
    '§9.3 app-state sync',
    n('iq', { to: 's.whatsapp.net', xmlns: 'w:sync:app:state', type: 'set' }, [
      n('sync', {}, [n('collection', { name: 'regular_high', version: '0', return_snapshot: 'true' })])
    ]),
    ''
  ],
  [
    '§11.1 group query',
    n('iq', { id: '1.2-12', to: '120363000000000001@g.us', type: 'get', xmlns: 'w:g2' }, [n('query', { request: 'interactive' })]),
    '00f80a1908ff031b2a1211faff091203630000000000011c042916ed33f801f8036dedc7e5'
  ]
].filter(([, , bytes]) => bytes !== '') as Array<[string, BinaryNode, string]>

describe('binary nodes v2: token tables (spec §3.3)', () => {
  const fingerprint = (tokens: readonly string[]): string => createHash('sha256').update(tokens.join('\n')).digest('hex')
  it('match the spec fingerprints', () => {
    expect([SINGLE_BYTE_TOKENS.length, fingerprint(SINGLE_BYTE_TOKENS)]).toEqual([236, '1e8302d2aba0d8c40d09fd79fc9c70347350cb00926dd0e3565683b347be35a5'])
    expect(DOUBLE_BYTE_TOKENS.map((d) => [d.length, fingerprint(d)])).toEqual([
      [256, 'c19c763b07f7684fc58490eb838873edeec498d59bf4d56bbb33d8e7af4cb112'],
      [256, 'e8894a798e1d92bc5f5f5cd1c2ffeef43a5c03acb1775b34d121ffe0a19b8f6a'],
      [256, '8f4081781e324d9ab95574b01ff37a44753403cebd0d1feeeb985661cc86cae8'],
      [256, '8e397aec42a6a503621910cf3d7a8f9e287e94192031265b6e55519e0e19fadc']
    ])
  })
})

describe('binary nodes v2: spec vectors', () => {
  for (const [name, node, bytes] of VECTORS) {
    it(`${name} encodes and decodes`, () => {
      // Encode from the text form where the vector wrote raw text (B9), bytes otherwise.
      expect(toHex(encodeBinaryNode(node))).toBe(bytes)
      expect(plain(decodeBinaryNode(hex(bytes)))).toEqual(plain(node))
    })
  }

  it('B9 encodes text content written as a string identically', () => {
    const node = n('body', {}, [n('text', {}, 'hello world'), n('count', {}, 'true'), n('value', {}, '812')])
    expect(toHex(encodeBinaryNode(node))).toBe('00f802ed75f803f80238fc0b68656c6c6f20776f726c64f802419bf8026cee44')
  })

  it('B12 LIST_16 with 256 children', () => {
    const node = n(
      'list',
      {},
      Array.from({ length: 256 }, () => n('item'))
    )
    const bytes = encodeBinaryNode(node)
    expect(toHex(bytes.subarray(0, 12))).toBe('00f80271f90100f8013ff801')
    expect(bytes.length).toBe(775)
    expect(createHash('sha256').update(bytes).digest('hex')).toBe('8142e2a41ebb77bef9c9f74c77ee4be32d0f26c0be3dfa061d69eb8302d33ea2')
    expect((decodeBinaryNode(bytes).content as BinaryNode[]).length).toBe(256)
  })

  it('B13 inflates a compressed frame', () => {
    const compressed = hex('0278dafbc121ccf6eb7f9b68a89049583d33c76fe6d567df4bfd671567606060f8c1f883e90f67414e62665e496a45c91f87440a010018f02a10')
    const expected = n('message', { from: '15551234567@s.whatsapp.net', id: 'ABCDEF', t: '1700000000' }, [n('plaintext', {}, new Uint8Array(64).fill(0x61))])
    expect(plain(decodeBinaryNode(compressed))).toEqual(plain(expected))
    expect(toHex(encodeBinaryNode(expected).subarray(1))).toBe(
      'f8081306faff8615551234567f0308fb03abcdef1aff051700000000f801f802fc09706c61696e74657874fc40' + '61'.repeat(64)
    )
  })

  it('B14 decodes an FB_JID and re-encodes it', () => {
    expect(plain(decodeBinaryNode(hex('00f803110cf6ff031000010002cc')))).toEqual({ tag: 'to', attrs: { jid: '100001:2@msgr' } })
    expect(toHex(encodeBinaryNode(n('to', { jid: '100001:2@msgr' })))).toBe('00f803110cf6ff031000010002cc')
  })

  it('B15 decodes an INTEROP_JID (Baileys string form) and re-encodes it', () => {
    const bytes = '00f803110cf5ff02123400010005fc07696e7465726f70'
    expect(plain(decodeBinaryNode(hex(bytes)))).toEqual({ tag: 'to', attrs: { jid: '5-1234:1@interop' } })
    expect(toHex(encodeBinaryNode(n('to', { jid: '5-1234:1@interop' })))).toBe(bytes)
  })

  it('§3.8 prototype member names are strings, not tokens', () => {
    const node = n('constructor', { k: 'constructor', toString: 'hasOwnProperty', __proto__x: 'valueOf' })
    expect(plain(decodeBinaryNode(encodeBinaryNode(node)))).toEqual(plain(node))
    // Baileys's bytes for <x k="constructor"/> (value written as 00) decode to <x/>.
    expect(plain(decodeBinaryNode(hex('00f803fc0178fc016b00')))).toEqual({ tag: 'x', attrs: {} })
  })

  it('§3.8 empty strings: attributes dropped on encode, FC 00 and FF 00 both decode to ""', () => {
    expect(toHex(encodeBinaryNode(n('x', { a: '', b: '1' })))).toBe(toHex(encodeBinaryNode(n('x', { b: '1' }))))
    expect(decodeBinaryNode(hex('00f803fc0178fc0161fc00')).attrs.a).toBe('')
    expect(decodeBinaryNode(hex('00f803fc0178fc0161ff00')).attrs.a).toBe('')
  })

  it('rejects trailing bytes, unknown tags and truncation with ProtocolError', () => {
    for (const bad of ['00f8014c00', '00f801f0', '00f8024cfc05aa', '', '00', '00f800', '00f8024cfe7fffffff00']) {
      expect(() => decodeBinaryNode(hex(bad)), bad).toThrow(ProtocolError)
    }
  })
})
