// spec §5.7: the normative decoder. It accepts every encoder variant of §5.9 (canonical,
// reveng, Baileys 3/4.0 and Baileys 4.x-legacy) and rejects anything else with a
// ProtocolError. Every length is checked against the bytes that remain before anything is
// allocated, and nesting is bounded, so hostile input costs at most linear time.
//
// Speed (issue 14): binary content is returned as a view of the input (no copy; the input
// is the freshly decrypted frame, which nothing else holds), packed strings unpack a byte at
// a time through precomputed two-character tables, short ASCII text skips TextDecoder, and
// the hot path reads only module-local constants.

import { ProtocolError } from '../../../../../shared/errors'
import { DECODED_TOKENS, TAG } from './tokens'
import type { WANode } from './types'

/** Deeper than any real node (the deepest real ones are action → message → bytes). */
const MAX_DEPTH = 64
/** JID pairs nest only through a user part that is itself `x@y`; real JIDs never nest. */
const MAX_JID_NESTING = 16

const LIST_EMPTY = TAG.LIST_EMPTY
const STREAM_END = TAG.STREAM_END
const LIST_8 = TAG.LIST_8
const LIST_16 = TAG.LIST_16
const JID_PAIR = TAG.JID_PAIR
const HEX_8 = TAG.HEX_8
const BINARY_8 = TAG.BINARY_8
const BINARY_20 = TAG.BINARY_20
const BINARY_32 = TAG.BINARY_32
const NIBBLE_8 = TAG.NIBBLE_8
const DICTIONARY_0 = TAG.DICTIONARY_0
const DICTIONARY_3 = TAG.DICTIONARY_3

/** Index = tag byte; null where the tag is not a token (spec §5.3: only 3..175 are). */
const TOKENS: (string | null)[] = Array.from({ length: 256 }, (_, i) => (i >= 3 && i <= 235 ? (DECODED_TOKENS[i] ?? null) : null))

const utf8 = new TextDecoder('utf-8')

/**
 * spec §5.6: every packed byte as the two characters it stands for, or null when a nibble
 * is outside the alphabet (NIBBLE_8: 12–14 are invalid, 15 only as the odd pad). The
 * `…_FIRST` tables give the high nibble alone, for the last byte of an odd-length string.
 */
function pairTable(alphabet: string): { pairs: (string | null)[]; first: (string | null)[] } {
  const pairs: (string | null)[] = []
  const first: (string | null)[] = []
  for (let b = 0; b < 256; b++) {
    const hi = alphabet[b >> 4]
    const lo = alphabet[b & 0x0f]
    pairs.push(hi !== undefined && lo !== undefined ? hi + lo : null)
    first.push(hi !== undefined ? hi : null)
  }
  return { pairs, first }
}
const NIBBLE = pairTable('0123456789-.')
const HEX = pairTable('0123456789ABCDEF')

/**
 * Recently read JIDs by their bytes (a nibble-packed user and a server token, the form every
 * encoder uses for phone-number JIDs): chats, senders and receipts repeat the same few, so a
 * repeat costs a compare of about eight bytes instead of unpacking and joining strings.
 */
const JID_CACHED_MAX = 16
const JID_SLOTS = 1024
const jidKeys: (Uint8Array | undefined)[] = Array.from({ length: JID_SLOTS }, () => undefined)
const jidValues: (string | undefined)[] = Array.from({ length: JID_SLOTS }, () => undefined)

/** Index = byte: the one-character string of each ASCII byte, so one-byte texts (counts, flags) are a lookup. */
const ONE_CHAR: string[] = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c))
/** Index = length: a scratch array of that many char codes for String.fromCharCode. */
const CODES: number[][] = Array.from({ length: 25 }, (_, n) => Array.from({ length: n }, () => 0))

function fail(message: string): never {
  throw new ProtocolError(`Malformed WhatsApp node: ${message}.`)
}

class Reader {
  pos = 0
  readonly end: number

  constructor(private readonly bytes: Uint8Array) {
    this.end = bytes.length
  }

  byte(): number {
    if (this.pos >= this.end) fail('unexpected end of data')
    return this.bytes[this.pos++]!
  }

  /** spec §5.5: Int20 uses only the low 4 bits of its first byte. */
  int20(): number {
    const p = this.pos
    if (p + 3 > this.end) fail('unexpected end of data')
    const b = this.bytes
    this.pos = p + 3
    return ((b[p]! & 0x0f) << 16) | (b[p + 1]! << 8) | b[p + 2]!
  }

  int16(): number {
    const p = this.pos
    if (p + 2 > this.end) fail('unexpected end of data')
    this.pos = p + 2
    return (this.bytes[p]! << 8) | this.bytes[p + 1]!
  }

  int32(): number {
    const p = this.pos
    if (p + 4 > this.end) fail('unexpected end of data')
    const b = this.bytes
    this.pos = p + 4
    return b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!)
  }

  /** A view of the next `n` bytes: a plain Uint8Array even when the input is a Buffer. */
  take(n: number): Uint8Array {
    const p = this.pos
    if (n > this.end - p) fail(`a length of ${n} runs past the end`)
    this.pos = p + n
    const b = this.bytes
    return new Uint8Array(b.buffer, b.byteOffset + p, n)
  }

  text(n: number): string {
    const start = this.pos
    if (n > this.end - start) fail(`a length of ${n} runs past the end`)
    this.pos = start + n
    const b = this.bytes
    // Most strings are short ASCII (ids, names, numbers): TextDecoder's per-call cost
    // dominates them, so they are built from char codes.
    if (n === 1 && b[start]! < 0x80) return ONE_CHAR[b[start]!]!
    if (n <= 24) {
      // One fromCharCode over a reused array of exactly n codes: a flat string in one step.
      const codes = CODES[n]!
      for (let i = 0; i < n; i++) {
        const c = b[start + i]!
        if (c >= 0x80) return utf8.decode(b.subarray(start, start + n))
        codes[i] = c
      }
      return String.fromCharCode.apply(null, codes)
    }
    return utf8.decode(b.subarray(start, start + n))
  }

  listSize(tag: number): number {
    if (tag === LIST_8) return this.byte()
    if (tag === LIST_16) return this.int16()
    if (tag === LIST_EMPTY) return 0
    return fail(`tag ${tag} is not a list`)
  }

  /** spec §5.6: START = oddFlag << 7 | packed byte count; two characters per byte, high nibble first. */
  packed(table: typeof NIBBLE): string {
    const start = this.byte()
    const count = start & 0x7f
    const p = this.pos
    if (count > this.end - p) fail('a packed string runs past the end')
    const odd = (start & 0x80) !== 0
    if (odd && count === 0) fail('an empty packed string marked odd')
    const b = this.bytes
    const pairs = table.pairs
    // The final low nibble of an odd-length string is padding (15 in NIBBLE_8) and is dropped.
    const whole = odd ? count - 1 : count
    let out = ''
    for (let i = p; i < p + whole; i++) {
      const s = pairs[b[i]!]!
      if (s === null) fail(`invalid packed byte ${b[i]!}`)
      out += s
    }
    if (odd) {
      const s = table.first[b[p + whole]!]!
      if (s === null) fail(`invalid packed byte ${b[p + whole]!}`)
      out += s
    }
    this.pos = p + count
    return out
  }

  /**
   * A JID the common way round (a nibble-packed user, a token server) that was read
   * before: the same bytes give the same string, so it is looked up instead of rebuilt.
   * Null when the bytes are not of that shape; then the JID is read, and remembered.
   */
  cachedJid(): string | null {
    const b = this.bytes
    const p = this.pos
    // NIBBLE_8, START, count packed bytes, server token
    if (p + 2 >= this.end || b[p] !== NIBBLE_8) return null
    const count = b[p + 1]! & 0x7f
    const last = p + 2 + count
    if (count === 0 || count > JID_CACHED_MAX || last >= this.end) return null
    const server = TOKENS[b[last]!]
    if (server === null || server === undefined) return null
    const length = last + 1 - p
    const hash = (b[last - 1]! * 0x01000193 + b[last - 2]! * 0x9e3779b1 + b[last]! * 0x2f + length) | 0
    const slot = (hash ^ (hash >>> 11)) & (JID_SLOTS - 1)
    const key = jidKeys[slot]
    if (key !== undefined && key.length === length) {
      let i = 0
      while (i < length && key[i] === b[p + i]) i++
      if (i === length) {
        this.pos = last + 1
        return jidValues[slot]!
      }
    }
    // Read it the normal way (which validates every nibble), then remember it.
    this.pos = p + 1
    const user = this.packed(NIBBLE)
    this.pos = last + 1
    const jid = user + '@' + server
    const copy = new Uint8Array(length)
    for (let i = 0; i < length; i++) copy[i] = b[p + i]!
    jidKeys[slot] = copy
    jidValues[slot] = jid
    return jid
  }

  string(tag: number, jidNesting: number): string | null {
    const token = TOKENS[tag]
    if (token !== null && token !== undefined) return token
    switch (tag) {
      case LIST_EMPTY:
        return null
      case BINARY_8:
        return this.text(this.byte())
      case BINARY_20:
        return this.text(this.int20())
      case BINARY_32:
        return this.text(this.int32())
      case JID_PAIR: {
        if (jidNesting >= MAX_JID_NESTING) fail('JID pairs nested too deeply')
        const cached = this.cachedJid()
        if (cached !== null) return cached
        const user = this.string(this.byte(), jidNesting + 1)
        const server = this.string(this.byte(), jidNesting + 1)
        if (server === null) fail('a JID pair without a server')
        // spec §5.7/§12: an empty user part reads as the bare server, as WA Web does.
        return user === null ? server : user + '@' + server
      }
      case NIBBLE_8:
        return this.packed(NIBBLE)
      case HEX_8:
        return this.packed(HEX)
      case STREAM_END:
        return fail('unexpected stream end')
    }
    if (tag >= 3 && tag <= 235) fail(`unknown token ${tag}`)
    if (tag >= DICTIONARY_0 && tag <= DICTIONARY_3) {
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
    if (descTag === STREAM_END) fail('unexpected stream end')
    const description = this.string(descTag, 0)
    if (!description) fail('a node without a description')
    const attributeCount = (size - 1) >> 1
    let attributes: Record<string, string> | null = null
    if (attributeCount > 0) {
      // Two bytes at least per attribute: a bound on hostile counts before the loop runs.
      if (attributeCount * 2 > this.end - this.pos) fail('more attributes than bytes')
      attributes = {}
      for (let i = 0; i < attributeCount; i++) {
        const key = this.string(this.byte(), 0)
        const value = this.string(this.byte(), 0)
        if (key === null || key === '') fail('an attribute without a name')
        // A null value (LIST_EMPTY) means "absent". Every wire key becomes an own property:
        // `__proto__` alone would instead set the prototype, so it is defined, not assigned.
        if (value === null) continue
        if (key === '__proto__') Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true })
        else attributes[key] = value
      }
    }
    if ((size & 1) === 1) return [description, attributes, null]
    const tag = this.byte()
    let content: WANode[] | Uint8Array | string | null
    if (tag === LIST_8 || tag === LIST_EMPTY || tag === LIST_16) {
      const count = this.listSize(tag)
      if (count * 2 > this.end - this.pos) fail('more child nodes than bytes')
      const children: WANode[] = []
      for (let i = 0; i < count; i++) children.push(this.node(depth + 1))
      content = children
    } else if (tag === BINARY_8) {
      content = this.take(this.byte())
    } else if (tag === BINARY_20) {
      content = this.take(this.int20())
    } else if (tag === BINARY_32) {
      content = this.take(this.int32())
    } else {
      content = this.string(tag, 0)
    }
    return [description, attributes, content]
  }
}

/**
 * Decodes one node that must span all of `bytes` (spec §5.7: reject trailing bytes).
 * Binary content is a view into `bytes`: the caller hands over the buffer (a decrypted
 * frame) and must not reuse it while the node is alive.
 */
export function decodeNode(bytes: Uint8Array): WANode {
  if (!(bytes instanceof Uint8Array)) throw new ProtocolError('Malformed WhatsApp node: not bytes.')
  const reader = new Reader(bytes)
  const node = reader.node(0)
  if (reader.pos !== reader.end) fail(`${reader.end - reader.pos} trailing bytes`)
  return node
}
