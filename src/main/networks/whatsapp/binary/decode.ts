// spec §5.7: the normative decoder. It accepts every encoder variant of §5.9 (canonical,
// reveng, Baileys 3/4.0 and Baileys 4.x-legacy) and rejects anything else with a
// ProtocolError. Every length is checked against the bytes that remain before anything is
// allocated, and nesting is bounded, so hostile input costs at most linear time.

import { ProtocolError } from '../../../../shared/errors'
import { DECODED_TOKENS, TAG } from './tokens'
import type { WANode } from './types'

/** Deeper than any real node (the deepest real ones are action → message → bytes). */
const MAX_DEPTH = 64
/** JID pairs nest only through a user part that is itself `x@y`; real JIDs never nest. */
const MAX_JID_NESTING = 16

const utf8 = new TextDecoder('utf-8')
const NIBBLE_CHARS = '0123456789-.'
const HEX_CHARS = '0123456789ABCDEF'

function fail(message: string): never {
  throw new ProtocolError(`Malformed WhatsApp node: ${message}.`)
}

class Reader {
  pos = 0
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.pos
  }

  byte(): number {
    if (this.pos >= this.bytes.length) fail('unexpected end of data')
    return this.bytes[this.pos++]!
  }

  take(n: number): Uint8Array {
    if (n > this.remaining) fail(`a length of ${n} runs past the end`)
    // A copy as a plain Uint8Array, even when the input is a Buffer (whose slice is a view).
    const out = new Uint8Array(this.bytes.subarray(this.pos, this.pos + n))
    this.pos += n
    return out
  }

  text(n: number): string {
    if (n > this.remaining) fail(`a length of ${n} runs past the end`)
    const start = this.pos
    this.pos += n
    // Most strings are short ASCII (ids, names, numbers): skip TextDecoder's per-call cost for them.
    if (n <= 32) {
      let out = ''
      for (let i = start; i < start + n; i++) {
        const c = this.bytes[i]!
        if (c >= 0x80) return utf8.decode(this.bytes.subarray(start, start + n))
        out += String.fromCharCode(c)
      }
      return out
    }
    return utf8.decode(this.bytes.subarray(start, start + n))
  }

  /** spec §5.5: Int20 uses only the low 4 bits of its first byte. */
  int20(): number {
    const b0 = this.byte()
    const b1 = this.byte()
    const b2 = this.byte()
    return ((b0 & 0x0f) << 16) | (b1 << 8) | b2
  }

  int16(): number {
    return (this.byte() << 8) | this.byte()
  }

  int32(): number {
    return ((this.byte() << 24) >>> 0) + ((this.byte() << 16) | (this.byte() << 8) | this.byte())
  }

  listSize(tag: number): number {
    switch (tag) {
      case TAG.LIST_EMPTY:
        return 0
      case TAG.LIST_8:
        return this.byte()
      case TAG.LIST_16:
        return this.int16()
      default:
        return fail(`tag ${tag} is not a list`)
    }
  }

  /** spec §5.6: START = oddFlag << 7 | packed byte count; two characters per byte, high nibble first. */
  packed(tag: typeof TAG.NIBBLE_8 | typeof TAG.HEX_8): string {
    const start = this.byte()
    const count = start & 0x7f
    if (count > this.remaining) fail('a packed string runs past the end')
    const odd = (start & 0x80) !== 0
    if (odd && count === 0) fail('an empty packed string marked odd')
    const alphabet = tag === TAG.NIBBLE_8 ? NIBBLE_CHARS : HEX_CHARS
    let out = ''
    for (let i = 0; i < count; i++) {
      const b = this.bytes[this.pos++]!
      const last = i === count - 1
      out += unpackNibble(b >> 4, alphabet)
      // The final low nibble of an odd-length string is padding (15 in NIBBLE_8) and is dropped.
      if (!(last && odd)) out += unpackNibble(b & 0x0f, alphabet)
    }
    return out
  }

  string(tag: number, jidNesting = 0): string | null {
    if (tag >= 3 && tag <= 235) {
      const token = DECODED_TOKENS[tag]
      if (token === undefined || token === null) fail(`unknown token ${tag}`)
      return token
    }
    switch (tag) {
      case TAG.LIST_EMPTY:
        return null
      case TAG.BINARY_8:
        return this.text(this.byte())
      case TAG.BINARY_20:
        return this.text(this.int20())
      case TAG.BINARY_32:
        return this.text(this.int32())
      case TAG.JID_PAIR: {
        if (jidNesting >= MAX_JID_NESTING) fail('JID pairs nested too deeply')
        const user = this.string(this.byte(), jidNesting + 1)
        const server = this.string(this.byte(), jidNesting + 1)
        if (server === null) fail('a JID pair without a server')
        // spec §5.7/§12: an empty user part reads as the bare server, as WA Web does.
        return user === null ? server : `${user}@${server}`
      }
      case TAG.NIBBLE_8:
      case TAG.HEX_8:
        return this.packed(tag)
      case TAG.STREAM_END:
        return fail('unexpected stream end')
    }
    if (tag >= TAG.DICTIONARY_0 && tag <= TAG.DICTIONARY_3) {
      // spec §5.4: the double-byte table is empty in legacy: read its index byte, then refuse.
      this.byte()
      fail('invalid double byte token')
    }
    return fail(`invalid string tag ${tag}`)
  }

  node(depth: number): WANode {
    if (depth > MAX_DEPTH) fail('nodes nested too deeply')
    const size = this.listSize(this.byte())
    if (size === 0) fail('an empty node')
    const descTag = this.byte()
    if (descTag === TAG.STREAM_END) fail('unexpected stream end')
    const description = this.string(descTag)
    if (!description) fail('a node without a description')
    const attributeCount = (size - 1) >> 1
    let attributes: Record<string, string> | null = null
    if (attributeCount > 0) {
      // Two bytes at least per attribute: a bound on hostile counts before the loop runs.
      if (attributeCount * 2 > this.remaining) fail('more attributes than bytes')
      attributes = {}
      for (let i = 0; i < attributeCount; i++) {
        const key = this.string(this.byte())
        const value = this.string(this.byte())
        if (key === null || key === '') fail('an attribute without a name')
        // A null value (LIST_EMPTY) means "absent". defineProperty keeps `__proto__` an ordinary key.
        if (value !== null) Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true })
      }
    }
    if (size % 2 === 1) return [description, attributes, null]
    const tag = this.byte()
    let content: WANode[] | Uint8Array | string | null
    if (tag === TAG.LIST_EMPTY || tag === TAG.LIST_8 || tag === TAG.LIST_16) {
      const count = this.listSize(tag)
      if (count * 2 > this.remaining) fail('more child nodes than bytes')
      const children: WANode[] = []
      for (let i = 0; i < count; i++) children.push(this.node(depth + 1))
      content = children
    } else if (tag === TAG.BINARY_8) {
      content = this.take(this.byte())
    } else if (tag === TAG.BINARY_20) {
      content = this.take(this.int20())
    } else if (tag === TAG.BINARY_32) {
      content = this.take(this.int32())
    } else {
      content = this.string(tag)
    }
    return [description, attributes, content]
  }
}

function unpackNibble(value: number, alphabet: string): string {
  const ch = alphabet[value]
  if (ch === undefined) fail(`invalid packed value ${value}`)
  return ch
}

/** Decodes one node that must span all of `bytes` (spec §5.7: reject trailing bytes). */
export function decodeNode(bytes: Uint8Array): WANode {
  if (!(bytes instanceof Uint8Array)) throw new ProtocolError('Malformed WhatsApp node: not bytes.')
  const reader = new Reader(bytes)
  const node = reader.node(0)
  if (reader.remaining !== 0) fail(`${reader.remaining} trailing bytes`)
  return node
}

