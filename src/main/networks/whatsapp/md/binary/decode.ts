// spec §3.7: the decoder. Every length is checked against the bytes that remain before
// anything is allocated, nesting is bounded, and inflating is capped, so hostile input
// costs linear time and bounded memory and fails only with a ProtocolError.

import { inflateSync } from 'node:zlib'
import { ProtocolError } from '../../../../../shared/errors'
import { renderWireJid } from './jid'
import { DOUBLE_BYTE_TOKENS, SINGLE_BYTE_TOKENS } from './tokens'
import { SINGLE_BYTE_MAX, TAG, type BinaryNode } from './types'

/** Far deeper than any real stanza (message → participants → to → enc is four). */
const MAX_DEPTH = 64
/** A frame is below 2^24 bytes (spec §1.1); its inflated form is allowed a generous multiple. */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024

const utf8 = new TextDecoder('utf-8')
const NIBBLE_CHARS = '0123456789-.'
const HEX_CHARS = '0123456789ABCDEF'

function fail(message: string): never {
  throw new ProtocolError(`Malformed WhatsApp node: ${message}.`)
}

class Reader {
  pos = 0
  constructor(readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.pos
  }

  byte(): number {
    if (this.pos >= this.bytes.length) fail('unexpected end of data')
    return this.bytes[this.pos++]!
  }

  u16(): number {
    return (this.byte() << 8) | this.byte()
  }

  take(n: number): Uint8Array {
    if (n > this.remaining) fail(`a length of ${n} runs past the end`)
    const out = this.bytes.slice(this.pos, this.pos + n)
    this.pos += n
    return out
  }

  text(n: number): string {
    if (n > this.remaining) fail(`a length of ${n} runs past the end`)
    const out = utf8.decode(this.bytes.subarray(this.pos, this.pos + n))
    this.pos += n
    return out
  }
}

function byteLength(r: Reader, tag: number): number {
  switch (tag) {
    case TAG.BINARY_8:
      return r.byte()
    case TAG.BINARY_20:
      return ((r.byte() & 0x0f) << 16) | (r.byte() << 8) | r.byte()
    default:
      return ((r.byte() << 24) >>> 0) + ((r.byte() << 16) | (r.byte() << 8) | r.byte())
  }
}

function listSize(r: Reader, tag: number): number {
  if (tag === TAG.LIST_EMPTY) return 0
  if (tag === TAG.LIST_8) return r.byte()
  if (tag === TAG.LIST_16) return r.u16()
  return fail(`tag ${tag} where a list was expected`)
}

function unpack(r: Reader, tag: number): string {
  const start = r.byte()
  const n = start & 0x7f
  if (n > r.remaining) fail('a packed string runs past the end')
  const alphabet = tag === TAG.HEX_8 ? HEX_CHARS : NIBBLE_CHARS
  // spec §3.6: an odd length drops the last nibble (the pad, 15 from every encoder).
  const length = n * 2 - (start & 0x80 ? 1 : 0)
  let out = ''
  for (let k = 0; k < length; k++) {
    const b = r.bytes[r.pos + (k >> 1)]!
    const nibble = k & 1 ? b & 0x0f : b >> 4
    const c = alphabet[nibble]
    if (c === undefined) fail(`nibble ${nibble} in a packed number`)
    out += c
  }
  r.pos += n
  return out
}

/** A string in attribute (or tag) position, or null for LIST_EMPTY ("no string"). */
function readString(r: Reader, tag: number): string | null {
  if (tag === TAG.LIST_EMPTY) return null
  if (tag <= SINGLE_BYTE_MAX) return SINGLE_BYTE_TOKENS[tag]!
  if (tag >= TAG.DICTIONARY_0 && tag <= TAG.DICTIONARY_3) return DOUBLE_BYTE_TOKENS[tag - TAG.DICTIONARY_0]![r.byte()]!
  switch (tag) {
    case TAG.BINARY_8:
    case TAG.BINARY_20:
    case TAG.BINARY_32:
      return r.text(byteLength(r, tag))
    case TAG.NIBBLE_8:
    case TAG.HEX_8:
      return unpack(r, tag)
    case TAG.JID_PAIR: {
      const user = readString(r, r.byte())
      const server = requiredString(r, 'JID server')
      return renderWireJid({ kind: 'pair', user: user || null, server })
    }
    case TAG.AD_JID: {
      const domain = r.byte()
      const device = r.byte()
      return renderWireJid({ kind: 'ad', user: requiredString(r, 'JID user'), domain, device })
    }
    case TAG.FB_JID: {
      const user = requiredString(r, 'JID user')
      const device = r.u16()
      const server = requiredString(r, 'JID server')
      if (server !== 'msgr') fail('a Messenger JID on another server')
      return renderWireJid({ kind: 'fb', user, device, server })
    }
    case TAG.INTEROP_JID: {
      const user = requiredString(r, 'JID user')
      const device = r.u16()
      const integrator = r.u16()
      const server = requiredString(r, 'JID server')
      if (server !== 'interop') fail('an interop JID on another server')
      return renderWireJid({ kind: 'interop', user, device, integrator, server })
    }
    default:
      return fail(`invalid string tag ${tag}`)
  }
}

function requiredString(r: Reader, what: string): string {
  const s = readString(r, r.byte())
  if (!s) fail(`missing ${what}`)
  return s
}

function readNode(r: Reader, depth: number): BinaryNode {
  if (depth > MAX_DEPTH) fail('nested too deeply')
  const size = listSize(r, r.byte())
  if (size === 0) fail('an empty node')
  const tag = readString(r, r.byte())
  if (!tag) fail('a node without a tag')
  // A prototype-less map: a hostile `__proto__` attribute is then just a key.
  const attrs = Object.create(null) as Record<string, string>
  for (let i = 0; i < (size - 1) >> 1; i++) {
    const key = readString(r, r.byte())
    if (!key) fail('an attribute without a name')
    const value = readString(r, r.byte())
    // An absent value (Baileys's prototype-name bug writes 00, spec §3.8) means no attribute.
    if (value !== null) attrs[key] = value
  }
  if (size % 2 === 1) return { tag, attrs }
  const t = r.byte()
  if (t === TAG.LIST_EMPTY || t === TAG.LIST_8 || t === TAG.LIST_16) {
    const count = listSize(r, t)
    // Every child takes at least two bytes: refuse a count the input cannot hold.
    if (count * 2 > r.remaining) fail(`${count} children in ${r.remaining} bytes`)
    const children: BinaryNode[] = []
    for (let i = 0; i < count; i++) children.push(readNode(r, depth + 1))
    return { tag, attrs, content: children }
  }
  // spec §3.7: a BINARY_x content is bytes; every other content is text.
  if (t === TAG.BINARY_8 || t === TAG.BINARY_20 || t === TAG.BINARY_32) return { tag, attrs, content: r.take(byteLength(r, t)) }
  const text = readString(r, t)
  return text === null ? { tag, attrs } : { tag, attrs, content: text }
}

/** Decodes one node from its bytes (no flags byte). */
export function decodeNodeBytes(bytes: Uint8Array): BinaryNode {
  const r = new Reader(bytes)
  const node = readNode(r, 0)
  if (r.remaining !== 0) fail(`${r.remaining} bytes after the node`)
  return node
}

/** `flags || node` — the plaintext of one transport frame (spec §3.1); flags & 2 = zlib-deflated. */
export function decodeBinaryNode(frame: Uint8Array): BinaryNode {
  if (frame.length < 1) fail('an empty frame')
  const flags = frame[0]!
  let body = frame.subarray(1)
  if (flags & 0x02) {
    try {
      body = inflateSync(body, { maxOutputLength: MAX_INFLATED_BYTES })
    } catch (cause) {
      throw new ProtocolError('Malformed WhatsApp node: the compressed frame could not be inflated.', { cause })
    }
  }
  return decodeNodeBytes(body)
}
