// spec §3.8: the encoder. Token lookups go through Maps (never a plain object: Baileys writes
// `constructor`, `toString`… as a bare 00, spec §3.8), empty attribute values are dropped,
// and the frame payload starts with the flags byte 0 (the encoder never compresses).

import { ProtocolError } from '../../../../../shared/errors'
import { wireJidOf, type WireJid } from './jid'
import { DOUBLE_BYTE_TOKENS, SINGLE_BYTE_TOKENS } from './tokens'
import { PACKED_MAX, TAG, type BinaryNode } from './types'

const SINGLE_INDEX: ReadonlyMap<string, number> = new Map(SINGLE_BYTE_TOKENS.map((t, i) => [t, i] as const).filter(([t, i]) => i > 0 && t !== ''))
const DOUBLE_INDEX: ReadonlyMap<string, readonly [dict: number, index: number]> = new Map(
  DOUBLE_BYTE_TOKENS.flatMap((dict, d) => dict.map((t, i) => [t, [d, i] as const] as const))
)
const NIBBLE = /^[0-9.-]+$/
const HEX = /^[0-9A-F]+$/
const MAX_LIST = 0xffff
const MAX_DEPTH = 64
const utf8 = new TextEncoder()

class Writer {
  private buf = new Uint8Array(256)
  length = 0

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.length + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.length))
    this.buf = next
  }

  byte(b: number): void {
    this.reserve(1)
    this.buf[this.length++] = b
  }

  u16(n: number): void {
    this.byte((n >> 8) & 0xff)
    this.byte(n & 0xff)
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length)
    this.buf.set(b, this.length)
    this.length += b.length
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length)
  }
}

function writeListStart(w: Writer, n: number): void {
  if (n === 0) w.byte(TAG.LIST_EMPTY)
  else if (n < 256) {
    w.byte(TAG.LIST_8)
    w.byte(n)
  } else if (n <= MAX_LIST) {
    w.byte(TAG.LIST_16)
    w.u16(n)
  } else throw new ProtocolError(`A WhatsApp node cannot hold ${n} entries.`)
}

function writeByteLength(w: Writer, n: number): void {
  // spec §3.4: BINARY_8 below 256, BINARY_20 below 2^20, BINARY_32 otherwise.
  if (n < 256) {
    w.byte(TAG.BINARY_8)
    w.byte(n)
  } else if (n < 1 << 20) {
    w.byte(TAG.BINARY_20)
    w.byte((n >> 16) & 0x0f)
    w.byte((n >> 8) & 0xff)
    w.byte(n & 0xff)
  } else {
    w.byte(TAG.BINARY_32)
    w.byte((n >>> 24) & 0xff)
    w.byte((n >> 16) & 0xff)
    w.byte((n >> 8) & 0xff)
    w.byte(n & 0xff)
  }
}

function packNibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  return c === 0x2d ? 10 : 11 // '-' : '.'
}

function packHex(c: number): number {
  return c <= 0x39 ? c - 0x30 : c - 0x41 + 10
}

function writePacked(w: Writer, tag: number, s: string, pack: (c: number) => number): void {
  w.byte(tag)
  const odd = s.length % 2
  w.byte((odd << 7) | Math.ceil(s.length / 2))
  for (let i = 0; i + 1 < s.length; i += 2) w.byte((pack(s.charCodeAt(i)) << 4) | pack(s.charCodeAt(i + 1)))
  // spec §3.6: an odd length ends with the pad nibble 15.
  if (odd) w.byte((pack(s.charCodeAt(s.length - 1)) << 4) | 0x0f)
}

function writeRaw(w: Writer, s: string): void {
  const bytes = utf8.encode(s)
  writeByteLength(w, bytes.length)
  w.bytes(bytes)
}

function writeJid(w: Writer, jid: WireJid): void {
  switch (jid.kind) {
    case 'pair':
      w.byte(TAG.JID_PAIR)
      if (jid.user === null) w.byte(TAG.LIST_EMPTY)
      else writeString(w, jid.user)
      writeString(w, jid.server)
      return
    case 'ad':
      w.byte(TAG.AD_JID)
      w.byte(jid.domain)
      w.byte(jid.device)
      writeString(w, jid.user)
      return
    case 'fb':
      w.byte(TAG.FB_JID)
      writeString(w, jid.user)
      w.u16(jid.device)
      writeString(w, jid.server)
      return
    case 'interop':
      w.byte(TAG.INTEROP_JID)
      writeString(w, jid.user)
      w.u16(jid.device)
      w.u16(jid.integrator)
      writeString(w, jid.server)
      return
  }
}

function writeString(w: Writer, s: string): void {
  const single = SINGLE_INDEX.get(s)
  if (single !== undefined) return w.byte(single)
  const double = DOUBLE_INDEX.get(s)
  if (double !== undefined) {
    w.byte(TAG.DICTIONARY_0 + double[0])
    w.byte(double[1])
    return
  }
  if (s.length > 0 && s.length <= PACKED_MAX) {
    if (NIBBLE.test(s)) return writePacked(w, TAG.NIBBLE_8, s, packNibble)
    if (HEX.test(s)) return writePacked(w, TAG.HEX_8, s, packHex)
  }
  const jid = s.includes('@') ? wireJidOf(s) : null
  if (jid) return writeJid(w, jid)
  writeRaw(w, s)
}

function writeNode(w: Writer, node: BinaryNode, depth: number): void {
  if (depth > MAX_DEPTH) throw new ProtocolError('A WhatsApp node is nested too deeply.')
  if (typeof node.tag !== 'string' || node.tag === '') throw new ProtocolError('A WhatsApp node needs a tag.')
  const attrs = Object.entries(node.attrs).filter(([key, value]) => key !== '' && typeof value === 'string' && value !== '')
  const content = node.content === '' ? undefined : node.content
  writeListStart(w, 1 + 2 * attrs.length + (content === undefined ? 0 : 1))
  writeString(w, node.tag)
  for (const [key, value] of attrs) {
    writeString(w, key)
    writeString(w, value)
  }
  if (content === undefined) return
  if (content instanceof Uint8Array) {
    writeByteLength(w, content.length)
    w.bytes(content)
  } else if (typeof content === 'string') {
    writeString(w, content)
  } else {
    writeListStart(w, content.length)
    for (const child of content) writeNode(w, child, depth + 1)
  }
}

/** `flags(0) || node` — the plaintext of one transport frame (spec §3.1, §3.8). */
export function encodeBinaryNode(node: BinaryNode): Uint8Array {
  const w = new Writer()
  w.byte(0)
  writeNode(w, node, 0)
  return w.result()
}
