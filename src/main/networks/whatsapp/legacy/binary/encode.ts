// spec §5.9: the canonical encoder (WA Web's own packer, also go's): falsy attributes are
// dropped, JID user parts are nibble- then hex-packed, other strings are tokens or raw
// UTF-8 (no number packing), and LIST_16 carries a real two-byte size.
//
// Speed (issue 14): one scratch buffer is reused across calls (the result is one exact-size
// copy), space is reserved once per string rather than per byte, packable JID users are
// checked before anything is written (so a failed nibble attempt writes nothing, unlike
// go, without a scratch array), and the hot path reads only module-local constants.

import { ProtocolError } from '../../../../../shared/errors'
import { PACKED_MAX, TAG, TOKEN_INDEX, USER_SERVER, USER_SERVER_TOKEN } from './tokens'
import type { WANode } from './types'

const MAX_DEPTH = 64
const LIST_EMPTY = TAG.LIST_EMPTY
const LIST_8 = TAG.LIST_8
const LIST_16 = TAG.LIST_16
const JID_PAIR = TAG.JID_PAIR
const HEX_8 = TAG.HEX_8
const BINARY_8 = TAG.BINARY_8
const BINARY_20 = TAG.BINARY_20
const BINARY_32 = TAG.BINARY_32
const NIBBLE_8 = TAG.NIBBLE_8
const TOKENS: ReadonlyMap<string, number> = TOKEN_INDEX
/** No token is longer than this: longer strings (JIDs, ids, names) skip the token lookup. */
const LONGEST_TOKEN = Math.max(...[...TOKEN_INDEX.keys()].map((t) => t.length))
const C_US = USER_SERVER
const C_US_TOKEN = USER_SERVER_TOKEN
const MAX_PACKED = PACKED_MAX

/** A scratch buffer larger than this after an encode (a big media node) is not kept. */
const KEEP_SCRATCH = 256 * 1024

const utf8 = new TextEncoder()

function fail(message: string): never {
  throw new ProtocolError(`Cannot encode WhatsApp node: ${message}.`)
}

/**
 * spec §5.6: the nibble value of a character, or -1. NIBBLE_8 takes `0-9 - .`; HEX_8 takes
 * `0-9 A-F` (WA Web's packer takes only uppercase hex).
 */
function nibbleValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  if (code === 0x2d) return 10 // '-'
  if (code === 0x2e) return 11 // '.'
  return -1
}
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10
  return -1
}

class Writer {
  buf = new Uint8Array(16 * 1024)
  len = 0
  busy = false

  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.len + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.len))
    this.buf = next
  }

  listStart(n: number): void {
    this.reserve(3)
    const b = this.buf
    if (n === 0) b[this.len++] = LIST_EMPTY
    else if (n < 256) {
      b[this.len++] = LIST_8
      b[this.len++] = n
    } else if (n < 65536) {
      b[this.len++] = LIST_16
      b[this.len++] = n >> 8
      b[this.len++] = n & 0xff
    } else fail(`a list of ${n} entries is too long`)
  }

  /** The BINARY_8/20/32 header; the caller has reserved 5 bytes. */
  byteLength(n: number): void {
    const b = this.buf
    let p = this.len
    if (n < 256) {
      b[p++] = BINARY_8
      b[p++] = n
    } else if (n < 1 << 20) {
      b[p++] = BINARY_20
      b[p++] = (n >> 16) & 0x0f
      b[p++] = (n >> 8) & 0xff
      b[p++] = n & 0xff
    } else if (n < 2 ** 32) {
      b[p++] = BINARY_32
      b[p++] = (n >>> 24) & 0xff
      b[p++] = (n >> 16) & 0xff
      b[p++] = (n >> 8) & 0xff
      b[p++] = n & 0xff
    } else fail(`${n} bytes is too long`)
    this.len = p
  }

  bytes(content: Uint8Array): void {
    this.reserve(5 + content.length)
    this.byteLength(content.length)
    this.buf.set(content, this.len)
    this.len += content.length
  }

  raw(s: string): void {
    const n = s.length
    this.reserve(5 + 3 * n)
    const start = this.len
    // ASCII (most ids, numbers and names) is copied straight in after its header; the
    // first other character undoes that and the string goes through UTF-8 instead.
    this.byteLength(n)
    const b = this.buf
    let p = this.len
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i)
      if (c >= 0x80) {
        this.len = start
        return this.utf8(s)
      }
      b[p++] = c
    }
    this.len = p
  }

  private utf8(s: string): void {
    const size = Buffer.byteLength(s, 'utf8')
    this.reserve(5 + size)
    this.byteLength(size)
    utf8.encodeInto(s, this.buf.subarray(this.len, this.len + size))
    this.len += size
  }

  string(s: string, isContent: boolean): void {
    // spec §5.9 step 1: `c.us` is written as token 80 (s.whatsapp.net) outside content.
    if (!isContent && s === C_US) return this.token(C_US_TOKEN)
    if (s.length <= LONGEST_TOKEN) {
      const token = TOKENS.get(s)
      if (token !== undefined) return this.token(token)
    }
    const at = s.indexOf('@')
    if (at >= 1) return this.jid(s, at)
    this.raw(s)
  }

  token(t: number): void {
    this.reserve(1)
    this.buf[this.len++] = t
  }

  jid(s: string, at: number): void {
    this.token(JID_PAIR)
    const user = s.slice(0, at)
    if (!this.packed(user, NIBBLE_8) && !this.packed(user, HEX_8)) this.string(user, false)
    this.string(s.slice(at + 1), false)
  }

  /** spec §5.6: writes nothing unless every character packs. */
  packed(s: string, tag: typeof NIBBLE_8 | typeof HEX_8): boolean {
    const n = s.length
    if (n === 0 || n > MAX_PACKED) return false
    const value = tag === NIBBLE_8 ? nibbleValue : hexValue
    for (let i = 0; i < n; i++) if (value(s.charCodeAt(i)) < 0) return false
    const odd = n & 1
    const count = (n + odd) >> 1
    this.reserve(2 + count)
    const b = this.buf
    let p = this.len
    b[p++] = tag
    b[p++] = (odd << 7) | count
    for (let i = 0; i + 1 < n; i += 2) b[p++] = (value(s.charCodeAt(i)) << 4) | value(s.charCodeAt(i + 1))
    // The pad nibble of an odd-length string is 15.
    if (odd) b[p++] = (value(s.charCodeAt(n - 1)) << 4) | 15
    this.len = p
    return true
  }

  node(node: WANode, depth: number): void {
    if (depth > MAX_DEPTH) fail('nodes nested too deeply')
    if (!Array.isArray(node) || node.length < 1 || node.length > 3) fail('a node must be [description, attributes, content]')
    const description = node[0]
    const attributes = node[1]
    const content = node[2]
    if (typeof description !== 'string' || description.length === 0) fail('a node needs a description')
    let keys: string[] | null = null
    let kept = 0
    if (attributes !== null && attributes !== undefined) {
      if (typeof attributes !== 'object') fail('attributes must be an object')
      keys = Object.keys(attributes)
      for (let i = 0; i < keys.length; i++) {
        const v = (attributes as Record<string, unknown>)[keys[i]!]
        // spec §5.9: WA Web drops every falsy attribute value.
        if (typeof v === 'string') {
          if (v.length > 0) kept++
        } else if (v !== undefined && v !== null) fail(`attribute ${keys[i]!} is not a string`)
      }
    }
    const hasContent = (typeof content === 'string' && content.length > 0) || content instanceof Uint8Array || Array.isArray(content)
    if (!hasContent && content !== null && content !== undefined && content !== '') fail('content must be nodes, bytes or text')
    this.listStart(1 + 2 * kept + (hasContent ? 1 : 0))
    this.string(description, false)
    if (kept > 0) {
      for (let i = 0; i < keys!.length; i++) {
        const k = keys![i]!
        const v = (attributes as Record<string, unknown>)[k]
        if (typeof v === 'string' && v.length > 0) {
          this.string(k, false)
          this.string(v, false)
        }
      }
    }
    if (!hasContent) return
    if (typeof content === 'string') this.string(content, true)
    else if (content instanceof Uint8Array) this.bytes(content)
    else {
      const children = content as WANode[]
      this.listStart(children.length)
      for (let i = 0; i < children.length; i++) this.node(children[i]!, depth + 1)
    }
  }
}

const shared = new Writer()

/**
 * Small results are carved out of a shared slab, as Node's Buffer pool does, instead of
 * each getting a backing store of its own (issue 14: that allocation was a sixth of the
 * encode time). A retained small node keeps at most one slab alive.
 */
const SLAB_SIZE = 16 * 1024
const POOLED_MAX = 2 * 1024
let slab = new ArrayBuffer(SLAB_SIZE)
let slabUsed = 0

function output(buf: Uint8Array, length: number): Uint8Array {
  if (length > POOLED_MAX) return buf.slice(0, length)
  if (slabUsed + length > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE)
    slabUsed = 0
  }
  const out = new Uint8Array(slab, slabUsed, length)
  out.set(buf.subarray(0, length))
  // Keep each result 8-byte aligned, as the pool does.
  slabUsed += (length + 7) & ~7
  return out
}

export function encodeNode(node: WANode): Uint8Array {
  // The shared writer is free unless an encode is somehow under way already (a getter on
  // a node calling back in): then that nested call gets a writer of its own.
  const writer = shared.busy ? new Writer() : shared
  writer.busy = true
  writer.len = 0
  try {
    writer.node(node, 0)
    return output(writer.buf, writer.len)
  } finally {
    writer.busy = false
    if (writer.buf.length > KEEP_SCRATCH) writer.buf = new Uint8Array(16 * 1024)
  }
}
