// Fuzzing the decoders that read what the network sends: both Thrift protocols and the
// event stream, and (issue 11 §11) names of Object.prototype members wherever the wire
// supplies a name. Garbage must give a typed error (or a value), quickly, never a crash, a
// hang or a huge allocation. The inputs come from a seeded generator, so a failure repeats.

import { describe, expect, it } from 'vitest'
import { decodeCall, decodeReply, encodeCall, encodeReply, encodeSendMessage } from '../../../../../src/main/networks/line/thrift'
import { SseParser } from '../../../../../src/main/networks/line/sse'
import { decodeStreamEvent } from '../../../../../src/main/networks/line/stream-events'
import { JunctionError, ProtocolError } from '../../../../../src/shared/errors'

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32
}

const FROM = 'u' + 'ab'.repeat(16)
const OP = {
  revision: '250',
  createdTime: '1700000000000',
  type: 26,
  message: { from: FROM, to: FROM, toType: 0, id: '600000000000000002', text: 'yo', contentType: 0, contentMetadata: { a: 'b' }, chunks: ['AAAA'] }
}

function seeds(): Uint8Array[] {
  return (['binary', 'compact'] as const).flatMap((p) => [
    encodeReply('fetchOperations', 1, { result: [OP, OP] }, p),
    encodeReply('sendMessage', 2, { result: { from: FROM, id: '1', createdTime: '5' } }, p),
    encodeReply('sendMessage', 3, { talkException: { code: 1, reason: 'AUTHENTICATION_FAILED', parameterMap: { k: 'v' } } }, p),
    encodeReply('fetchOperations', 4, { applicationError: { message: 'x', type: 1 } }, p)
  ])
}

function mutate(input: Uint8Array, r: () => number): Uint8Array {
  const b = Uint8Array.from(input)
  const kind = Math.floor(r() * 5)
  if (kind === 0) return b.subarray(0, Math.floor(r() * b.length))
  if (kind === 1) {
    for (let i = 0; i < 1 + Math.floor(r() * 6); i++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256)
    return b
  }
  if (kind === 2) {
    // Large lengths and counts where the codec reads them.
    const at = Math.floor(r() * Math.max(1, b.length - 4))
    b.set([0x7f, 0xff, 0xff, 0xff].slice(0, b.length - at), at)
    return b
  }
  if (kind === 3) return Uint8Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256))
  const extra = Uint8Array.from({ length: Math.floor(r() * 16) }, () => Math.floor(r() * 256))
  return Uint8Array.from([...b.subarray(0, Math.floor(r() * b.length)), ...extra, ...b.subarray(Math.floor(r() * b.length))])
}

describe('fuzz: Thrift reply decoders', () => {
  for (const protocol of ['binary', 'compact'] as const) {
    it(`${protocol}: 20,000 mutated replies give values or typed errors`, () => {
      const r = rng(protocol === 'binary' ? 0xb1 : 0xc0)
      const base = seeds()
      let typed = 0
      for (let i = 0; i < 20_000; i++) {
        const input = mutate(base[i % base.length]!, r)
        try {
          decodeReply(input, protocol)
        } catch (error) {
          if (!(error instanceof JunctionError)) throw new Error(`untyped error on ${Buffer.from(input).toString('hex')}: ${String(error)}`)
          typed++
        }
      }
      expect(typed).toBeGreaterThan(1_000)
    })
  }

  it('refuses deep nesting instead of recursing without end', () => {
    // A list of lists of lists… in compact: each `19` is a one-element list of lists.
    const deep = Uint8Array.from([0x82, 0x41, 0x00, 0x0f, ...Buffer.from('fetchOperations'), 0x09, 0x00, ...Array(5000).fill(0x19)])
    expect(() => decodeReply(deep, 'compact')).toThrow(JunctionError)
  })

  it('refuses a claimed 2 GB string without allocating it', () => {
    const big = Uint8Array.from([0x80, 0x01, 0x00, 0x02, 0x7f, 0xff, 0xff, 0xff, 0x61])
    expect(() => decodeReply(big, 'binary')).toThrow(JunctionError)
  })
})

describe('fuzz: the event stream', () => {
  it('20,000 random and mutated chunks give events or typed errors, within bounds', () => {
    const r = rng(0x55e)
    const good = 'id: 1\ndata: ' + JSON.stringify(OP) + '\n\nevent: ping\ndata: null\n\n'
    const alphabet = ['\n', '\r', ':', ' ', 'data', 'event', 'id', '{', '}', '"', '\u00e9', '\uFEFF', 'x']
    let errors = 0
    let events = 0
    for (let i = 0; i < 20_000; i++) {
      const parser = new SseParser(
        (e) => {
          events++
          try {
            decodeStreamEvent(e)
          } catch (error) {
            if (!(error instanceof JunctionError)) throw error
            errors++
          }
        },
        { maxLineBytes: 256, maxEventBytes: 1024 }
      )
      let text = ''
      if (i % 2 === 0) text = good.slice(0, Math.floor(r() * good.length)) + good.slice(Math.floor(r() * good.length))
      else for (let k = 0; k < 40; k++) text += alphabet[Math.floor(r() * alphabet.length)]!
      if (i % 97 === 0) text += 'data: ' + 'z'.repeat(400)
      const bytes = Buffer.from(text)
      try {
        for (let at = 0; at < bytes.length;) {
          const n = 1 + Math.floor(r() * 9)
          parser.push(bytes.subarray(at, at + n))
          at += n
        }
        parser.end()
      } catch (error) {
        if (!(error instanceof JunctionError)) throw error
        errors++
      }
    }
    expect(events).toBeGreaterThan(1_000)
    expect(errors).toBeGreaterThan(100)
  })
})

// Issue 11 §11: the wire decides method names and map keys, so names of Object.prototype
// members must read as ordinary (unknown) names: a typed error or a value, never an untyped
// TypeError from finding `constructor` or `toString` on a plain object.
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__']

/** The same message with another method name in its header (seqid and name length below 128). */
function renamed(bytes: Uint8Array, protocol: 'binary' | 'compact', name: string): Uint8Array {
  const b = Buffer.from(bytes)
  const n = Buffer.from(name)
  if (protocol === 'binary') {
    const oldLength = b.readInt32BE(4)
    const length = Buffer.alloc(4)
    length.writeInt32BE(n.length)
    return Buffer.concat([b.subarray(0, 4), length, n, b.subarray(8 + oldLength)])
  }
  // compact: 82, type|version, varint seqid (one byte here), varint name length (one byte), name
  return Buffer.concat([b.subarray(0, 3), Buffer.from([n.length]), n, b.subarray(4 + b[3]!)])
}

function typedOrValue(run: () => unknown): 'ok' | 'rejected' {
  try {
    run()
    return 'ok'
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw new Error(`untyped error: ${String(error)}`)
    return 'rejected'
  }
}

describe('fuzz: prototype-member names on the wire (issue 11 §11)', () => {
  for (const protocol of ['binary', 'compact'] as const) {
    it(`${protocol}: replies and calls named after Object.prototype members give values or ProtocolErrors`, () => {
      const replies = [
        encodeReply('sendMessage', 3, { talkException: { code: 1, reason: 'AUTHENTICATION_FAILED', parameterMap: { k: 'v' } } }, protocol),
        encodeReply('fetchOperations', 1, { result: [OP] }, protocol),
        encodeReply('sendMessage', 2, { result: { from: FROM, id: '1', createdTime: '5' } }, protocol)
      ]
      const call = encodeSendMessage({ seqid: 5, reqSeq: 1, message: { to: FROM, text: 'hi' } }, protocol)
      for (const name of PROTOTYPE_NAMES) {
        for (const reply of replies) {
          const decoded = decodeReply(renamed(reply, protocol, name), protocol)
          // An unknown method's reply is still read, generically, with its method name kept.
          expect(decoded.method).toBe(name)
        }
        // An exception field of an unknown method is kept as read, not looked up on Object.prototype.
        expect(decodeReply(renamed(replies[0]!, protocol, name), protocol).exception).toMatchObject({ name: 'UnknownException', fieldId: 1 })
        expect(() => decodeCall(renamed(call, protocol, name), protocol)).toThrow(ProtocolError)
        expect(() => encodeCall(name, 0, {}, protocol)).toThrow(ProtocolError)
        expect(() => encodeReply(name, 0, { result: [] }, protocol)).toThrow(ProtocolError)
      }
    })

    it(`${protocol}: map keys named after Object.prototype members are own properties and leave the prototype alone`, () => {
      const metadata: Record<string, string> = {}
      for (const name of PROTOTYPE_NAMES) Object.defineProperty(metadata, name, { value: `v-${name}`, enumerable: true, writable: true, configurable: true })
      const reply = encodeReply('fetchOperations', 1, { result: [{ ...OP, message: { ...OP.message, contentMetadata: metadata } }] }, protocol)
      const result = decodeReply(reply, protocol).result as { message: { contentMetadata: Record<string, string> } }[]
      const decoded = result[0]!.message.contentMetadata
      expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype)
      expect(Object.keys(decoded)).toEqual(PROTOTYPE_NAMES)
      for (const name of PROTOTYPE_NAMES) expect(Object.getOwnPropertyDescriptor(decoded, name)?.value).toBe(`v-${name}`)
    })

    it(`${protocol}: 20,000 mutations of prototype-named messages give values or ProtocolErrors only`, () => {
      const r = rng(protocol === 'binary' ? 0x9707 : 0x9708)
      const base = PROTOTYPE_NAMES.flatMap((name) => [
        renamed(encodeReply('sendMessage', 3, { talkException: { code: 1, reason: name, parameterMap: { [name]: name } } }, protocol), protocol, name),
        renamed(encodeReply('fetchOperations', 1, { result: [OP] }, protocol), protocol, name),
        renamed(encodeSendMessage({ seqid: 5, reqSeq: 1, message: { to: FROM, text: name } }, protocol), protocol, name)
      ])
      const outcomes = { ok: 0, rejected: 0 }
      for (let i = 0; i < 20_000; i++) {
        const input = mutate(base[i % base.length]!, r)
        outcomes[typedOrValue(() => decodeReply(input, protocol))]++
        typedOrValue(() => decodeCall(input, protocol))
      }
      expect(outcomes.ok).toBeGreaterThan(500)
      expect(outcomes.rejected).toBeGreaterThan(1_000)
    })
  }

  it('ignores own properties named after Object.prototype members in the values it encodes', () => {
    const message: Record<string, unknown> = { to: FROM, text: 'hi' }
    for (const name of PROTOTYPE_NAMES) Object.defineProperty(message, name, { value: 'x', enumerable: true, writable: true, configurable: true })
    for (const protocol of ['binary', 'compact'] as const) {
      const plain = encodeSendMessage({ seqid: 1, reqSeq: 1, message: { to: FROM, text: 'hi' } }, protocol)
      expect(Buffer.from(encodeSendMessage({ seqid: 1, reqSeq: 1, message }, protocol)).equals(Buffer.from(plain))).toBe(true)
    }
  })
})
