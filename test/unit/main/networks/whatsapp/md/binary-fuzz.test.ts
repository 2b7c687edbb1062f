// ≥ 100,000 hostile inputs for the node decoder: random bytes, mutations of valid frames
// (compressed ones too), and prototype member names as tags and attributes. Each must end in
// a node or a ProtocolError — never another error, a hang or a huge allocation. Seeded.

import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../../../../../../src/shared/errors'
import { decodeBinaryNode, encodeBinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import { Gen, PROTOTYPE_NAMES, prng } from './node-gen'

function decodeOrProtocolError(input: Uint8Array): 'ok' | 'error' {
  try {
    const node = decodeBinaryNode(input)
    if (typeof node.tag !== 'string') throw new Error('decoded a node without a string tag')
    return 'ok'
  } catch (error) {
    if (error instanceof ProtocolError) return 'error'
    throw error
  }
}

describe('binary nodes v2: fuzz', () => {
  it('100,000+ random and mutated frames give a node or a ProtocolError', () => {
    const gen = new Gen(prng(0xf022))
    const seeds = Array.from({ length: 200 }, () => encodeBinaryNode(gen.node(0, true)))
    seeds.push(...seeds.slice(0, 40).map((s) => Buffer.concat([Buffer.from([2]), deflateSync(s.subarray(1))])))
    const counts = { ok: 0, error: 0 }
    const started = Date.now()
    let heapPeak = 0
    for (let i = 0; i < 110_000; i++) {
      const input = i % 3 === 0 ? gen.bytes(gen.int(64)) : gen.mutate(gen.pick(seeds))
      counts[decodeOrProtocolError(input)]++
      if (i % 10_000 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
    }
    expect(counts.ok + counts.error).toBe(110_000)
    expect(counts.error).toBeGreaterThan(10_000)
    expect(counts.ok).toBeGreaterThan(1_000)
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(heapPeak).toBeLessThan(1024 * 1024 * 1024)
  }, 180_000)

  it('prototype member names as tags, keys and values decode as plain strings', () => {
    for (const name of PROTOTYPE_NAMES) {
      const node = decodeBinaryNode(encodeBinaryNode({ tag: name, attrs: { [name]: name, x: name }, content: name }))
      expect(node.tag).toBe(name)
      expect(Object.getOwnPropertyDescriptor(node.attrs, name)?.value).toBe(name)
      expect(node.attrs.x).toBe(name)
    }
    // A hand-written __proto__ attribute does not reach Object.prototype.
    const raw = Uint8Array.from([0, 0xf8, 0x03, 0xfc, 1, 0x78, 0xfc, 9, ...Buffer.from('__proto__'), 0xfc, 1, 0x79])
    const node = decodeBinaryNode(raw)
    expect(Object.getOwnPropertyDescriptor(node.attrs, '__proto__')?.value).toBe('y')
    expect(({} as Record<string, unknown>).y).toBeUndefined()
  })

  it('bounds declared lengths, list sizes, depth and inflated size', () => {
    const huge = [
      [0, 0xf8, 0x02, 0x4c, 0xfe, 0xff, 0xff, 0xff, 0xff], // BINARY_32 of 4 GiB
      [0, 0xf8, 0x02, 0x4c, 0xf9, 0xff, 0xff], // 65,535 children in no bytes
      [0, 0xf8, 0x02, 0x4c, 0xfd, 0x0f, 0xff, 0xff] // BINARY_20 past the end
    ]
    for (const input of huge) expect(() => decodeBinaryNode(Uint8Array.from(input))).toThrow(ProtocolError)
    const deep: number[] = [0]
    for (let i = 0; i < 1_000; i++) deep.push(0xf8, 0x02, 0x4c, 0xf8, 0x01)
    deep.push(0xf8, 0x01, 0x4c)
    expect(() => decodeBinaryNode(Uint8Array.from(deep))).toThrow(ProtocolError)
    // A zip bomb: 256 MiB of zeros compresses to ~260 kB and must stop at the cap.
    const bomb = Buffer.concat([Buffer.from([2]), deflateSync(new Uint8Array(256 * 1024 * 1024), { level: 9 })])
    expect(() => decodeBinaryNode(bomb)).toThrow(ProtocolError)
  })
})
