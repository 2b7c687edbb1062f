// encode → decode on random nodes of every shape (tokens, packed strings, every JID kind,
// prototype member names, LIST_16, BINARY_20): the decoded node is the encoded one, except
// that raw text content comes back as its UTF-8 bytes (spec §3.7) and empty values are dropped.

import { describe, expect, it } from 'vitest'
import { decodeBinaryNode, encodeBinaryNode, type BinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import { Gen, prng } from './node-gen'

const utf8 = new TextEncoder()

function expectSame(decoded: BinaryNode, original: BinaryNode, path: string): void {
  expect(decoded.tag, path).toBe(original.tag)
  const kept = Object.entries(original.attrs).filter(([, v]) => v !== '')
  expect(Object.entries(decoded.attrs).sort(), path).toEqual(Object.fromEntries(kept) && [...new Map(kept)].sort())
  const content = original.content === '' ? undefined : original.content
  if (content === undefined) return expect(decoded.content, path).toBeUndefined()
  if (typeof content === 'string') {
    if (typeof decoded.content === 'string') return expect(decoded.content, path).toBe(content)
    return expect(decoded.content, path).toEqual(utf8.encode(content))
  }
  if (content instanceof Uint8Array) return expect(decoded.content, path).toEqual(content)
  expect(Array.isArray(decoded.content), path).toBe(true)
  const children = decoded.content as BinaryNode[]
  expect(children.length, path).toBe(content.length)
  content.forEach((child, i) => expectSame(children[i]!, child, `${path}/${i}`))
}

describe('binary nodes v2: encode → decode', () => {
  it('round-trips 3,000 random nodes', () => {
    const gen = new Gen(prng(0xb1a7))
    for (let i = 0; i < 3_000; i++) {
      const node = gen.node()
      expectSame(decodeBinaryNode(encodeBinaryNode(node)), node, `#${i}`)
    }
  })

  it('is stable: decode → encode → decode gives the same bytes the second time', () => {
    const gen = new Gen(prng(0x57ab))
    for (let i = 0; i < 1_000; i++) {
      const once = encodeBinaryNode(decodeBinaryNode(encodeBinaryNode(gen.node())))
      expect(encodeBinaryNode(decodeBinaryNode(once))).toEqual(once)
    }
  })
})
