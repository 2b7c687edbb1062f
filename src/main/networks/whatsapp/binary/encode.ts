// spec §5.9: the canonical encoder (WA Web's own packer, also go's): falsy attributes are
// dropped, JID user parts are nibble- then hex-packed, other strings are tokens or raw
// UTF-8 (no number packing), and LIST_16 carries a real two-byte size.

import { ProtocolError } from '../../../../shared/errors'
import { PACKED_MAX, TAG, TOKEN_INDEX, USER_SERVER, USER_SERVER_TOKEN } from './tokens'
import type { WANode } from './types'

const MAX_DEPTH = 64
const utf8 = new TextEncoder()

function fail(message: string): never {
  throw new ProtocolError(`Cannot encode WhatsApp node: ${message}.`)
}

class Writer {
  private buf = new Uint8Array(256)
  private len = 0

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.len + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.len))
    this.buf = next
  }

  byte(b: number): void {
    this.reserve(1)
    this.buf[this.len++] = b
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length)
    this.buf.set(b, this.len)
    this.len += b.length
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.len)
  }

  listStart(n: number): void {
    if (n === 0) this.byte(TAG.LIST_EMPTY)
    else if (n < 256) {
      this.byte(TAG.LIST_8)
      this.byte(n)
    } else if (n < 65536) {
      this.byte(TAG.LIST_16)
      this.byte(n >> 8)
      this.byte(n & 0xff)
    } else fail(`a list of ${n} entries is too long`)
  }

  byteLength(n: number): void {
    if (n < 256) {
      this.byte(TAG.BINARY_8)
      this.byte(n)
    } else if (n < 1 << 20) {
      this.byte(TAG.BINARY_20)
      this.byte((n >> 16) & 0x0f)
      this.byte((n >> 8) & 0xff)
      this.byte(n & 0xff)
    } else if (n < 2 ** 32) {
      this.byte(TAG.BINARY_32)
      this.byte((n >>> 24) & 0xff)
      this.byte((n >> 16) & 0xff)
      this.byte((n >> 8) & 0xff)
      this.byte(n & 0xff)
    } else fail(`${n} bytes is too long`)
  }

  raw(s: string): void {
    // ASCII (most ids, numbers and names) is copied straight in; anything else goes through UTF-8.
    const n = s.length
    let ascii = true
    for (let i = 0; i < n && ascii; i++) ascii = s.charCodeAt(i) < 0x80
    if (ascii) {
      this.byteLength(n)
      this.reserve(n)
      for (let i = 0; i < n; i++) this.buf[this.len++] = s.charCodeAt(i)
      return
    }
    const encoded = utf8.encode(s)
    this.byteLength(encoded.length)
    this.bytes(encoded)
  }

  string(s: string, isContent: boolean): void {
    // spec §5.9 step 1: `c.us` is written as token 80 (s.whatsapp.net) outside content.
    if (s === USER_SERVER && !isContent) return this.byte(USER_SERVER_TOKEN)
    const token = TOKEN_INDEX.get(s)
    if (token !== undefined) return this.byte(token)
    const at = s.indexOf('@')
    if (at >= 1) return this.jid(s.slice(0, at), s.slice(at + 1))
    this.raw(s)
  }

  jid(user: string, server: string): void {
    this.byte(TAG.JID_PAIR)
    if (user.length === 0) this.byte(TAG.LIST_EMPTY)
    else if (!this.packed(user, TAG.NIBBLE_8) && !this.packed(user, TAG.HEX_8)) this.string(user, false)
    this.string(server, false)
  }

  /** spec §5.6: packs into a scratch array first, so a failed attempt writes nothing (go's bug). */
  packed(s: string, tag: typeof TAG.NIBBLE_8 | typeof TAG.HEX_8): boolean {
    if (s.length === 0 || s.length > PACKED_MAX) return false
    const values = new Uint8Array(s.length + 1)
    for (let i = 0; i < s.length; i++) {
      const v = packValue(s.charCodeAt(i), tag)
      if (v < 0) return false
      values[i] = v
    }
    const odd = s.length % 2
    values[s.length] = 15 // the pad nibble of an odd-length string
    const count = (s.length + odd) / 2
    this.byte(tag)
    this.byte((odd << 7) | count)
    for (let i = 0; i < count; i++) this.byte((values[2 * i]! << 4) | values[2 * i + 1]!)
    return true
  }

  node(node: WANode, depth: number): void {
    if (depth > MAX_DEPTH) fail('nodes nested too deeply')
    if (!Array.isArray(node) || node.length < 1 || node.length > 3) fail('a node must be [description, attributes, content]')
    const [description, attributes, content] = node
    if (typeof description !== 'string' || description.length === 0) fail('a node needs a description')
    const kept: [string, string][] = []
    if (attributes !== null && attributes !== undefined) {
      if (typeof attributes !== 'object') fail('attributes must be an object')
      for (const [k, v] of Object.entries(attributes)) {
        // spec §5.9: WA Web drops every falsy attribute value.
        if (typeof v === 'string' && v.length > 0) kept.push([k, v])
        else if (v !== undefined && v !== null && typeof v !== 'string') fail(`attribute ${k} is not a string`)
      }
    }
    const hasContent = (typeof content === 'string' && content.length > 0) || content instanceof Uint8Array || Array.isArray(content)
    if (!hasContent && content !== null && content !== undefined && content !== '') fail('content must be nodes, bytes or text')
    this.listStart(1 + 2 * kept.length + (hasContent ? 1 : 0))
    this.string(description, false)
    for (const [k, v] of kept) {
      this.string(k, false)
      this.string(v, false)
    }
    if (!hasContent) return
    if (typeof content === 'string') this.string(content, true)
    else if (content instanceof Uint8Array) {
      this.byteLength(content.length)
      this.bytes(content)
    } else {
      const children = content as WANode[]
      this.listStart(children.length)
      for (const child of children) this.node(child, depth + 1)
    }
  }
}

function packValue(code: number, tag: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  if (tag === TAG.NIBBLE_8) {
    if (code === 0x2d) return 10 // '-'
    if (code === 0x2e) return 11 // '.'
    return -1
  }
  // spec §5.6: WA Web's packer takes only uppercase hex.
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10
  return -1
}

export function encodeNode(node: WANode): Uint8Array {
  const writer = new Writer()
  writer.node(node, 0)
  return writer.result()
}
