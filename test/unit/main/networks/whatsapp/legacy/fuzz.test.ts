// Fuzzing: 100,000+ random and mutated inputs against decodeNode and against frame
// decryption. Every input must end in a node or a typed error — never an untyped throw, a
// hang or a huge allocation. Seeded, so a failure reproduces.

import { describe, expect, it } from 'vitest'
import { JunctionError, ProtocolError } from '../../../../../../src/shared/errors'
import { decodeNode, encodeNode, type WANode } from '../../../../../../src/main/networks/whatsapp/legacy/binary'
import { decryptFrame, encryptFrame } from '../../../../../../src/main/networks/whatsapp/legacy/crypto'
import { parseServerFrame } from '../../../../../../src/main/networks/whatsapp/legacy/frames'
import { parseJsonPush, parseNodePush } from '../../../../../../src/main/networks/whatsapp/legacy/pushes'
import { NodeGen, prng } from './node-gen'

const gen = new NodeGen(prng(0x5eed))

function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n)
  for (let i = 0; i < n; i++) b[i] = gen.int(256)
  return b
}

/** Small structural edits of a valid input: flips, replaced bytes, cuts, inserts, boundary values. */
function mutate(src: Uint8Array): Uint8Array {
  let b = src.slice()
  const edits = 1 + gen.int(4)
  for (let e = 0; e < edits; e++) {
    const i = b.length === 0 ? 0 : gen.int(b.length)
    switch (gen.int(7)) {
      case 0:
        if (b.length) b[i]! ^= 1 << gen.int(8)
        break
      case 1:
        if (b.length) b[i] = gen.int(256)
        break
      case 2:
        b = b.slice(0, i)
        break
      case 3: {
        const ins = randomBytes(1 + gen.int(4))
        const next = new Uint8Array(b.length + ins.length)
        next.set(b.subarray(0, i), 0)
        next.set(ins, i)
        next.set(b.subarray(i), i + ins.length)
        b = next
        break
      }
      case 4:
        if (b.length) b[i] = gen.pick([0x00, 0x02, 0xec, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff])
        break
      case 5:
        if (b.length) b[i] = gen.pick([0x00, 0x7f, 0x80, 0xff])
        break
      default:
        if (b.length) {
          const next = new Uint8Array(b.length - 1)
          next.set(b.subarray(0, i), 0)
          next.set(b.subarray(i + 1), i)
          b = next
        }
    }
  }
  return b
}

const corpus: Uint8Array[] = Array.from({ length: 200 }, () => encodeNode(gen.node()))

function expectTyped(run: () => unknown, onError: (e: unknown) => boolean): 'ok' | 'rejected' {
  try {
    run()
    return 'ok'
  } catch (error) {
    if (!onError(error)) throw error
    return 'rejected'
  }
}

describe('WhatsApp fuzzing', () => {
  it('decodeNode: 100,000 random and mutated inputs give a node or a ProtocolError', () => {
    const outcomes = { ok: 0, rejected: 0 }
    for (let i = 0; i < 100_000; i++) {
      let input: Uint8Array
      if (i % 3 === 0) {
        input = randomBytes(gen.int(64))
        // Bias toward a list start so that random input gets past the first byte.
        if (input.length > 1 && gen.int(2) === 0) input[0] = gen.pick([0xf8, 0xf9])
      } else {
        input = mutate(gen.pick(corpus))
      }
      outcomes[
        expectTyped(
          () => decodeNode(input),
          (e) => e instanceof ProtocolError
        )
      ]++
    }
    expect(outcomes.ok + outcomes.rejected).toBe(100_000)
    // The mutations are close enough to valid input to reach deep into the decoder.
    expect(outcomes.ok).toBeGreaterThan(1_000)
    expect(outcomes.rejected).toBeGreaterThan(50_000)
  })

  it('decryptFrame: 100,000 random and mutated frames give plaintext or a typed error', () => {
    const keys = { encKey: randomBytes(32), macKey: randomBytes(32) }
    const frames = corpus.slice(0, 50).map((node) => encryptFrame(keys, node))
    const outcomes = { ok: 0, rejected: 0 }
    for (let i = 0; i < 100_000; i++) {
      const input = i % 4 === 0 ? randomBytes(gen.int(160)) : mutate(gen.pick(frames))
      outcomes[
        expectTyped(
          () => decodeNode(decryptFrame(keys, input)),
          (e) => e instanceof JunctionError && (e.code === 'integrity' || e.code === 'protocol')
        )
      ]++
    }
    // A mutated frame never verifies; an untouched one (a cut at the very end) may.
    expect(outcomes.rejected).toBeGreaterThan(99_000)
  })

  it('authenticated garbage (a valid MAC around random bytes) still ends in a ProtocolError', () => {
    const keys = { encKey: randomBytes(32), macKey: randomBytes(32) }
    let rejected = 0
    for (let i = 0; i < 5_000; i++) {
      const plain = i % 2 === 0 ? randomBytes(gen.int(100)) : mutate(gen.pick(corpus))
      if (
        expectTyped(
          () => decodeNode(decryptFrame(keys, encryptFrame(keys, plain))),
          (e) => e instanceof ProtocolError
        ) === 'rejected'
      )
        rejected++
    }
    expect(rejected).toBeGreaterThan(2_500)
  })
})

// Issue 11 §11: every string of a node comes off the wire, so names of Object.prototype
// members as descriptions, attribute names and values, JID parts and text content must read
// as ordinary strings (own properties where they are keys) or give a ProtocolError.
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__']

/** BINARY_8 raw text, as every encoder writes a string that is not a token. */
function raw(s: string): number[] {
  const b = [...Buffer.from(s)]
  return [0xfc, b.length, ...b]
}

/** A node whose every string is `name`: `[name, {name: name, jid: name@name}, [[name, null, name-as-content]]]`. */
function prototypeNode(name: string): Uint8Array {
  const child = [0xf8, 0x02, ...raw(name), ...raw(name)]
  return Uint8Array.from([0xf8, 0x06, ...raw(name), ...raw(name), ...raw(name), ...raw('jid'), 0xfa, ...raw(name), ...raw(name), 0xf8, 0x01, ...child])
}

describe('WhatsApp: prototype-member names on the wire (issue 11 §11)', () => {
  it('decodes them as ordinary strings and own attributes, leaving every prototype alone', () => {
    for (const name of PROTOTYPE_NAMES) {
      const node = decodeNode(prototypeNode(name))
      expect(node[0]).toBe(name)
      const attributes = node[1]!
      expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype)
      expect(Object.keys(attributes)).toEqual([name, 'jid'])
      expect(Object.getOwnPropertyDescriptor(attributes, name)?.value).toBe(name)
      expect(attributes.jid).toBe(`${name}@${name}`)
      const child = (node[2] as WANode[])[0]!
      expect(child[0]).toBe(name)
      expect(Buffer.from(child[2] as Uint8Array).toString()).toBe(name)
    }
  })

  it('encodes own attributes with those names and reads them back byte for byte', () => {
    for (const name of PROTOTYPE_NAMES) {
      const attributes: Record<string, string> = {}
      Object.defineProperty(attributes, name, { value: name, enumerable: true, writable: true, configurable: true })
      const bytes = encodeNode([name, attributes, name])
      const back = decodeNode(bytes)
      expect(Object.getOwnPropertyDescriptor(back[1]!, name)?.value).toBe(name)
      expect(Buffer.from(encodeNode(back)).equals(Buffer.from(bytes))).toBe(true)
    }
  })

  it('20,000 mutations of prototype-named nodes give a node or a ProtocolError', () => {
    const seeds = PROTOTYPE_NAMES.map(prototypeNode)
    const outcomes = { ok: 0, rejected: 0 }
    for (let i = 0; i < 20_000; i++) {
      const input = mutate(seeds[i % seeds.length]!)
      outcomes[
        expectTyped(
          () => decodeNode(input),
          (e) => e instanceof ProtocolError
        )
      ]++
    }
    expect(outcomes.ok).toBeGreaterThan(200)
    expect(outcomes.rejected).toBeGreaterThan(5_000)
  })

  it('parses frames whose tags are prototype-member names', () => {
    for (const name of PROTOTYPE_NAMES) {
      expect(parseServerFrame(Buffer.from(`${name},{"${name}":1}`), false)).toEqual({ kind: 'json', tag: name, value: JSON.parse(`{"${name}":1}`) })
      expect(parseServerFrame(Buffer.from(`${name},`), true)).toEqual({ kind: 'empty', tag: name })
    }
  })
})

describe('WhatsApp pushes: prototype-member names as wire strings (issue 11 §11)', () => {
  it('a receipt whose type is a prototype member is no receipt, and never carries a non-number ack', () => {
    for (const name of PROTOTYPE_NAMES) {
      const node: WANode = ['action', { add: 'relay' }, [['received', { jid: '15550101@c.us', index: '3EB0AA', owner: 'true', type: name }, null]]]
      const pushes = parseNodePush('tag', node)
      expect(pushes.filter((p) => p.type === 'receipt')).toEqual([])
    }
    // The known types still map (spec §6.5 ack numbers).
    const read = parseNodePush('tag', [
      'action',
      { add: 'relay' },
      [['received', { jid: '15550101@c.us', index: '3EB0AA', owner: 'true', type: 'read' }, null]]
    ])
    expect(read).toEqual([{ type: 'receipt', receipt: { chat: '15550101@c.us', ids: ['3EB0AA'], ack: 3 } }])
  })

  it('JSON pushes named after prototype members are ignored', () => {
    for (const name of PROTOTYPE_NAMES) {
      expect(parseJsonPush([name, { cmd: 'ack', id: 'x', ack: 3 }])).toEqual([])
      expect(parseJsonPush(['Msg', { cmd: name, id: 'x', ack: 3 }])).toEqual([])
    }
  })

  it('20,000 random pushes with prototype-member names parse to typed pushes without throwing', () => {
    const names = [...PROTOTYPE_NAMES, 'received', 'read', 'message', 'chat', 'user', 'action', 'response']
    for (let i = 0; i < 20_000; i++) {
      const attrs: Record<string, string> = {}
      for (let k = 0; k < 1 + gen.int(4); k++) {
        Object.defineProperty(attrs, gen.pick([...names, 'jid', 'index', 'type', 'owner', 'add']), {
          value: gen.pick([...names, '15550101@c.us', 'true']),
          enumerable: true,
          writable: true,
          configurable: true
        })
      }
      const node: WANode = [gen.pick(names), attrs, [[gen.pick(names), attrs, null]]]
      for (const push of parseNodePush(gen.pick(names), node)) {
        expect(typeof push.type).toBe('string')
        if (push.type === 'receipt') expect(typeof push.receipt.ack).toBe('number')
      }
    }
  })
})
