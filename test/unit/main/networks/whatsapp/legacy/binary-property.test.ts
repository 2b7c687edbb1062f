// Property tests: random nodes survive encode → decode as the model says, and re-encoding a
// decoded node gives the same bytes.

import { describe, expect, it } from 'vitest'
import { decodeNode, encodeNode } from '../../../../../../src/main/networks/whatsapp/legacy/binary'
import { expectedReadBack, NodeGen, prng } from './node-gen'

describe('WhatsApp binary codec: properties', () => {
  it('decode(encode(node)) is the node as the wire reads it back (3,000 random nodes)', () => {
    const gen = new NodeGen(prng(0xc0ffee))
    for (let i = 0; i < 3_000; i++) {
      const node = gen.node()
      expect(decodeNode(encodeNode(node)), JSON.stringify(node).slice(0, 500)).toEqual(expectedReadBack(node))
    }
  })

  it('encode(decode(bytes)) gives the same bytes back (3,000 random nodes)', () => {
    const gen = new NodeGen(prng(42))
    for (let i = 0; i < 3_000; i++) {
      const bytes = encodeNode(gen.node(0, false))
      expect(Buffer.from(encodeNode(decodeNode(bytes))).equals(Buffer.from(bytes))).toBe(true)
    }
  })

  it('JID-looking strings of every kind round-trip exactly as attribute values', () => {
    const gen = new NodeGen(prng(7))
    for (let i = 0; i < 2_000; i++) {
      const user = gen.chars('0123456789-.ABCDEFabc', 1, 260)
      const jid = `${user}@${gen.pick(['c.us', 'g.us', 'broadcast', 'example.org'])}`
      expect(decodeNode(encodeNode(['x', { jid }, null]))).toEqual(['x', { jid }, null])
    }
  })
})
