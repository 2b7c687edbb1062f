// The gate that judges a large Api message from its start while it arrives (issue 11 §10).
// Client frames are built here from RFC 6455 §5.2 (a second reading, not ws's encoder).

import { describe, expect, it } from 'vitest'
import { FrameGate, GATE_MIN_BYTES, type GateVerdict } from '../../../../src/main/host/frame-gate'

const MASK = [0x37, 0xfa, 0x21, 0x3d]

function clientFrame(payload: Uint8Array, { opcode = 0x1, fin = true }: { opcode?: number; fin?: boolean } = {}): Buffer {
  const n = payload.length
  const lengthBytes = n < 126 ? [n] : n < 65536 ? [126, n >> 8, n & 0xff] : [127, 0, 0, 0, 0, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]
  const header = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | lengthBytes[0]!, ...lengthBytes.slice(1), ...MASK])
  const body = Buffer.alloc(n)
  for (let i = 0; i < n; i++) body[i] = payload[i]! ^ MASK[i & 3]!
  return Buffer.concat([header, body])
}

const text = (s: string): Buffer => Buffer.from(s, 'utf8')
const big = (n: number, c = 'A'): string => c.repeat(n)

/** Feeds `stream` in chunks of the given sizes (cycled); the first verdict and the bytes it took. */
function feed(stream: Buffer, sizes: number[] = [stream.length]): { verdict: GateVerdict | null; at: number } {
  const gate = new FrameGate()
  let at = 0
  for (let k = 0; at < stream.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length]!)
    const verdict = gate.push(stream.subarray(at, at + size))
    at = Math.min(stream.length, at + size)
    if (verdict) return { verdict, at }
  }
  return { verdict: null, at }
}

const mediaFrame = (bytes: number): Buffer =>
  clientFrame(
    text(`{"id":1,"name":"sendMessage","arg":{"chatId":"1","clientId":"abcdefgh","draft":{"kind":"image","mime":"image/png","dataBase64":"${big(bytes)}"}}}`)
  )

describe('FrameGate', () => {
  it('lets ordinary traffic through, however it is cut into chunks', () => {
    const stream = Buffer.concat([
      clientFrame(text('{"id":1,"name":"getAppInfo"}')),
      clientFrame(Buffer.alloc(0), { opcode: 0x9 }), // a ping
      clientFrame(text(`{"id":2,"name":"updateChat","arg":{"chatId":"1","draft":"${big(70_000, 'é')}"}}`)),
      clientFrame(text(`{"id":3,"name":"getChat","arg":{"chatId":"${big(300)}"}}`))
    ])
    for (const sizes of [[stream.length], [1], [2, 3, 5, 7], [13], [4096]]) expect(feed(stream, sizes).verdict).toBeNull()
  })

  it('lets a large picture through whole', () => {
    const stream = mediaFrame(6 * 1024 * 1024)
    expect(feed(stream, [65536, 1, 1000]).verdict).toBeNull()
  })

  it('stops a large message above its request cap from its first bytes', () => {
    const stream = clientFrame(text(`{"id":4,"name":"listInbox","arg":"${big(2 * GATE_MIN_BYTES)}"}`))
    const { verdict, at } = feed(stream, [1024])
    expect(verdict).toEqual({ code: 1009, problem: 'too-large', reason: 'Request too large for its kind' })
    expect(at).toBeLessThanOrEqual(2048)
  })

  it('stops a large deeply nested message from its first bytes', () => {
    const stream = clientFrame(text(`{"id":5,"name":"sendMessage","arg":${big(GATE_MIN_BYTES, '[')}${big(GATE_MIN_BYTES, ']')}}`))
    const { verdict, at } = feed(stream, [3, 500])
    expect(verdict).toEqual({ code: 1008, problem: 'too-deep', reason: 'Request nests too deeply' })
    expect(at).toBeLessThan(2048)
  })

  it('stops a large message that does not name its request first', () => {
    const stream = clientFrame(text(`{"id":6,"arg":"${big(2 * GATE_MIN_BYTES)}","name":"sendMessage"}`))
    expect(feed(stream, [4096]).verdict).toMatchObject({ code: 1009, problem: 'too-large' })
  })

  it('leaves a message just under its own size to the full scan, for a typed reply', () => {
    const stream = clientFrame(text(`{"id":7,"name":"listInbox","arg":${big(1000, '[')}${big(1000, ']')}}`))
    expect(feed(stream).verdict).toBeNull()
    expect(feed(clientFrame(text(`{"id":7,"name":"listInbox","arg":"${big(GATE_MIN_BYTES - 100)}"}`))).verdict).toBeNull()
  })

  it('adds up the fragments of one message, with control frames between them', () => {
    const first = clientFrame(text('{"id":8,"name":"getChat","arg":"'), { fin: false })
    const middle = Array.from({ length: 5 }, () => [
      clientFrame(text(big(400_000)), { opcode: 0x0, fin: false }),
      clientFrame(text('hi'), { opcode: 0x9 })
    ]).flat()
    const last = clientFrame(text('"}'), { opcode: 0x0 })
    const { verdict, at } = feed(Buffer.concat([first, ...middle, last]), [100_000])
    expect(verdict).toMatchObject({ code: 1009, problem: 'too-large' })
    expect(at).toBeLessThan(1_300_000)
    // The same fragments under sendMessage's cap go through, and the gate is ready for the next message.
    const media = clientFrame(text('{"id":9,"name":"sendMessage","arg":"'), { fin: false })
    const stream = Buffer.concat([media, ...middle, last, clientFrame(text('{"id":10,"name":"getAppInfo"}'))])
    expect(feed(stream, [100_000]).verdict).toBeNull()
  })

  it('reads 64-bit lengths', () => {
    const stream = clientFrame(text(`{"id":11,"name":"getChat","arg":"${big(3 * GATE_MIN_BYTES)}"}`))
    expect(stream[1]! & 0x7f).toBe(127)
    expect(feed(stream, [10]).verdict).toMatchObject({ problem: 'too-large' })
  })

  it('gives the same verdict wherever the chunks are cut', () => {
    let seed = 3
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const stream = Buffer.concat([
      clientFrame(text('{"id":1,"name":"getAppInfo"}')),
      clientFrame(text(`{"id":2,"name":"search","arg":"${big(GATE_MIN_BYTES + 10)}"}`))
    ])
    for (let run = 0; run < 50; run++) {
      const sizes = Array.from({ length: 20 }, () => 1 + Math.floor(rand() * 300))
      expect(feed(stream, sizes).verdict).toMatchObject({ code: 1009, problem: 'too-large' })
    }
  })

  it('never throws on random bytes', () => {
    let seed = 11
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let run = 0; run < 200; run++) {
      const gate = new FrameGate()
      for (let k = 0; k < 20; k++) {
        const chunk = Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)))
        const verdict = gate.push(chunk)
        if (verdict) expect([1008, 1009]).toContain(verdict.code)
      }
    }
  })
})
