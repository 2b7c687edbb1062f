// Frame layout (spec §1.2, §4 vector) and the client's frame-parsing rules.

import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../../../../../../src/shared/errors'
import { encryptFrame } from '../../../../../../src/main/networks/whatsapp/legacy/crypto'
import { binaryFrame, FLAG, jsonFrame, METRIC, parseServerFrame } from '../../../../../../src/main/networks/whatsapp/legacy/frames'

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const text = (s: string): Uint8Array => new Uint8Array(Buffer.from(s))
const keys = {
  encKey: hex('404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f'),
  macKey: hex('606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f')
}

// spec §4
const CLIENT_FRAME =
  '313630303030303030302e2d2d312c 05 80' +
  'c929546316604958d240721244ede011cb5392cd29734fb3f0291bc23b80759e' +
  '808182838485868788898a8b8c8d8e8f6512414b129ba4a2ead56c76f3a1f616'

describe('WhatsApp frames', () => {
  it('builds the §4 client frame (81 bytes) with metric 5 and flag 0x80', () => {
    const sealed = encryptFrame(keys, hex('f805445b136bfc0131'), hex('808182838485868788898a8b8c8d8e8f'))
    const frame = binaryFrame('1600000000.--1', METRIC.QUERY_CHAT, FLAG.IGNORE, sealed)
    expect(frame).toHaveLength(81)
    expect(toHex(frame)).toBe(CLIENT_FRAME.replace(/\s+/g, ''))
  })

  it('parses the §4 server frame (79 bytes: no metric/flag) as encrypted', () => {
    const server = hex(CLIENT_FRAME.replace(/\s+/g, '').replace('2c0580', '2c'))
    expect(server).toHaveLength(79)
    const f = parseServerFrame(server, true)
    expect(f).toMatchObject({ kind: 'encrypted', tag: '1600000000.--1' })
    expect(toHex((f as { data: Uint8Array }).data).slice(0, 8)).toBe('c9295463')
  })

  it('writes JSON commands, in both the single and the double comma form', () => {
    expect(jsonFrame('1600000000.--0', ['admin', 'init', [2, 2147, 14], ['a', 'b', 'c'], 'id', true])).toBe(
      '1600000000.--0,["admin","init",[2,2147,14],["a","b","c"],"id",true]'
    )
    expect(jsonFrame('goodbye', ['admin', 'Conn', 'disconnect'], true)).toBe('goodbye,,["admin","Conn","disconnect"]')
    expect(() => jsonFrame('a,b', [])).toThrow(ProtocolError)
  })

  it('parses JSON replies, pushes, empty acknowledgements and pongs', () => {
    expect(parseServerFrame(text('s1,["Conn",{"wid":"1@c.us"}]'), false)).toEqual({ kind: 'json', tag: 's1', value: ['Conn', { wid: '1@c.us' }] })
    expect(parseServerFrame(text('371.--6,,{"status":200}'), false)).toEqual({ kind: 'json', tag: '371.--6', value: { status: 200 } })
    expect(parseServerFrame(text('3EB06792C2106FE24217,'), false)).toEqual({ kind: 'empty', tag: '3EB06792C2106FE24217' })
    expect(parseServerFrame(text('!1481799299025'), false)).toEqual({ kind: 'pong', serverTime: 1481799299025 })
    // A JSON status in a binary frame (replies to binary requests) is JSON, by content.
    expect(parseServerFrame(text('3EB0,{"status":200,"t":1}'), true)).toEqual({ kind: 'json', tag: '3EB0', value: { status: 200, t: 1 } })
  })

  it('never skips a comma right after the first in a binary frame: it is the first MAC byte', () => {
    const data = new Uint8Array([...text('t1,'), 0x2c, ...new Uint8Array(63).fill(1)])
    const f = parseServerFrame(data, true) as { kind: string; data: Uint8Array }
    expect(f.kind).toBe('encrypted')
    expect(f.data).toHaveLength(64)
    expect(f.data[0]).toBe(0x2c)
  })

  it('treats binary data that only looks like JSON as encrypted', () => {
    const data = new Uint8Array([...text('t2,{'), ...new Uint8Array(63).fill(0xff)])
    expect(parseServerFrame(data, true).kind).toBe('encrypted')
  })

  it('rejects text that is not JSON and frames without a tag', () => {
    expect(() => parseServerFrame(text('s1,{nope'), false)).toThrow(ProtocolError)
    expect(() => parseServerFrame(text('no comma'), false)).toThrow(ProtocolError)
    expect(() => parseServerFrame(text(',{}'), false)).toThrow(ProtocolError)
    expect(() => parseServerFrame(text('!abc'), false)).toThrow(ProtocolError)
  })
})
