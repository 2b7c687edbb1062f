// Frozen copy of src/main/networks/whatsapp/legacy/binary (tokens.ts, types.ts, decode.ts, encode.ts)
// as of 2026-12-02, before the zero-copy rewrite: the bench reference for "today's"
// throughput (issue 14 point 3). Bench-only; do not edit. The four files are concatenated
// verbatim into one module so that, under tsx, the hot path does not read imported bindings
// through CommonJS export getters (which made whichever copy loaded second ~1.7x slower).

import { ProtocolError } from '../../../src/shared/errors'

// spec §5.2–§5.4: the legacy (pre multi-device) tag bytes and token table. The table is the
// spec's copy-paste literal (176 entries, identical in reveng, go and Baileys); the
// double-byte table is empty in every legacy source, so tags 236–239 never decode.

const TAG = {
  LIST_EMPTY: 0,
  STREAM_END: 2,
  DICTIONARY_0: 236,
  DICTIONARY_3: 239,
  LIST_8: 248,
  LIST_16: 249,
  JID_PAIR: 250,
  HEX_8: 251,
  BINARY_8: 252,
  BINARY_20: 253,
  BINARY_32: 254,
  NIBBLE_8: 255
} as const

/** spec §5.2: the most characters a packed (NIBBLE_8 / HEX_8) string may hold. */
const PACKED_MAX = 254

const SINGLE_BYTE_TOKENS: readonly (string | null)[] = [
  null, null, null, '200', '400', '404', '500', '501', '502', 'action', 'add', 'after', 'archive',
  'author', 'available', 'battery', 'before', 'body', 'broadcast', 'chat', 'clear', 'code',
  'composing', 'contacts', 'count', 'create', 'debug', 'delete', 'demote', 'duplicate', 'encoding',
  'error', 'false', 'filehash', 'from', 'g.us', 'group', 'groups_v2', 'height', 'id', 'image', 'in',
  'index', 'invis', 'item', 'jid', 'kind', 'last', 'leave', 'live', 'log', 'media', 'message',
  'mimetype', 'missing', 'modify', 'name', 'notification', 'notify', 'out', 'owner', 'participant',
  'paused', 'picture', 'played', 'presence', 'preview', 'promote', 'query', 'raw', 'read', 'receipt',
  'received', 'recipient', 'recording', 'relay', 'remove', 'response', 'resume', 'retry',
  's.whatsapp.net', 'seconds', 'set', 'size', 'status', 'subject', 'subscribe', 't', 'text', 'to',
  'true', 'type', 'unarchive', 'unavailable', 'url', 'user', 'value', 'web', 'width', 'mute',
  'read_only', 'admin', 'creator', 'short', 'update', 'powersave', 'checksum', 'epoch', 'block',
  'previous', '409', 'replaced', 'reason', 'spam', 'modify_tag', 'message_info', 'delivery', 'emoji',
  'title', 'description', 'canonical-url', 'matched-text', 'star', 'unstar', 'media_key', 'filename',
  'identity', 'unread', 'page', 'page_count', 'search', 'media_message', 'security', 'call_log',
  'profile', 'ciphertext', 'invite', 'gif', 'vcard', 'frequent', 'privacy', 'blacklist', 'whitelist',
  'verify', 'location', 'document', 'elapsed', 'revoke_invite', 'expiration', 'unsubscribe',
  'disable', 'vname', 'old_jid', 'new_jid', 'announcement', 'locked', 'prop', 'label', 'color',
  'call', 'offer', 'call-id', 'quick_reply', 'sticker', 'pay_t', 'accept', 'reject', 'sticker_pack',
  'invalid', 'canceled', 'missed', 'connected', 'result', 'audio', 'video', 'recent',
]

/** spec §5.3: token 80 (`s.whatsapp.net`) reads as `c.us`, as WA Web, reveng and go do (§12). */
const USER_SERVER_TOKEN = 80
const USER_SERVER = 'c.us'

/** What each single-byte tag reads as: the table with token 80 mapped to `c.us`. */
const DECODED_TOKENS: readonly (string | null)[] = SINGLE_BYTE_TOKENS.map((t, i) => (i === USER_SERVER_TOKEN ? USER_SERVER : t))

/** string → token byte, for the encoder. */
const TOKEN_INDEX: ReadonlyMap<string, number> = new Map(
  SINGLE_BYTE_TOKENS.flatMap((t, i) => (t === null ? [] : [[t, i] as [string, number]]))
)

/**
 * spec §5.1: a node is `[description, attributes, content]`. Content is child nodes, bytes
 * (BINARY_8/20/32 on the wire) or text (a token, a packed string or a JID pair).
 */
type WANode = [description: string, attributes: Record<string, string> | null, content: WANode[] | Uint8Array | string | null]

// spec §5.7: the normative decoder. It accepts every encoder variant of §5.9 (canonical,
// reveng, Baileys 3/4.0 and Baileys 4.x-legacy) and rejects anything else with a
// ProtocolError. Every length is checked against the bytes that remain before anything is
// allocated, and nesting is bounded, so hostile input costs at most linear time.


/** Deeper than any real node (the deepest real ones are action → message → bytes). */
const MAX_DECODE_DEPTH = 64
/** JID pairs nest only through a user part that is itself `x@y`; real JIDs never nest. */
const MAX_JID_NESTING = 16

const utf8Decoder = new TextDecoder('utf-8')
const NIBBLE_CHARS = '0123456789-.'
const HEX_CHARS = '0123456789ABCDEF'

function failDecode(message: string): never {
  throw new ProtocolError(`Malformed WhatsApp node: ${message}.`)
}

class Reader {
  pos = 0
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.pos
  }

  byte(): number {
    if (this.pos >= this.bytes.length) failDecode('unexpected end of data')
    return this.bytes[this.pos++]!
  }

  take(n: number): Uint8Array {
    if (n > this.remaining) failDecode(`a length of ${n} runs past the end`)
    // A copy as a plain Uint8Array, even when the input is a Buffer (whose slice is a view).
    const out = new Uint8Array(this.bytes.subarray(this.pos, this.pos + n))
    this.pos += n
    return out
  }

  text(n: number): string {
    if (n > this.remaining) failDecode(`a length of ${n} runs past the end`)
    const start = this.pos
    this.pos += n
    // Most strings are short ASCII (ids, names, numbers): skip TextDecoder's per-call cost for them.
    if (n <= 32) {
      let out = ''
      for (let i = start; i < start + n; i++) {
        const c = this.bytes[i]!
        if (c >= 0x80) return utf8Decoder.decode(this.bytes.subarray(start, start + n))
        out += String.fromCharCode(c)
      }
      return out
    }
    return utf8Decoder.decode(this.bytes.subarray(start, start + n))
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
        return failDecode(`tag ${tag} is not a list`)
    }
  }

  /** spec §5.6: START = oddFlag << 7 | packed byte count; two characters per byte, high nibble first. */
  packed(tag: typeof TAG.NIBBLE_8 | typeof TAG.HEX_8): string {
    const start = this.byte()
    const count = start & 0x7f
    if (count > this.remaining) failDecode('a packed string runs past the end')
    const odd = (start & 0x80) !== 0
    if (odd && count === 0) failDecode('an empty packed string marked odd')
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
      if (token === undefined || token === null) failDecode(`unknown token ${tag}`)
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
        if (jidNesting >= MAX_JID_NESTING) failDecode('JID pairs nested too deeply')
        const user = this.string(this.byte(), jidNesting + 1)
        const server = this.string(this.byte(), jidNesting + 1)
        if (server === null) failDecode('a JID pair without a server')
        // spec §5.7/§12: an empty user part reads as the bare server, as WA Web does.
        return user === null ? server : `${user}@${server}`
      }
      case TAG.NIBBLE_8:
      case TAG.HEX_8:
        return this.packed(tag)
      case TAG.STREAM_END:
        return failDecode('unexpected stream end')
    }
    if (tag >= TAG.DICTIONARY_0 && tag <= TAG.DICTIONARY_3) {
      // spec §5.4: the double-byte table is empty in legacy: read its index byte, then refuse.
      this.byte()
      failDecode('invalid double byte token')
    }
    return failDecode(`invalid string tag ${tag}`)
  }

  node(depth: number): WANode {
    if (depth > MAX_DECODE_DEPTH) failDecode('nodes nested too deeply')
    const size = this.listSize(this.byte())
    if (size === 0) failDecode('an empty node')
    const descTag = this.byte()
    if (descTag === TAG.STREAM_END) failDecode('unexpected stream end')
    const description = this.string(descTag)
    if (!description) failDecode('a node without a description')
    const attributeCount = (size - 1) >> 1
    let attributes: Record<string, string> | null = null
    if (attributeCount > 0) {
      // Two bytes at least per attribute: a bound on hostile counts before the loop runs.
      if (attributeCount * 2 > this.remaining) failDecode('more attributes than bytes')
      attributes = {}
      for (let i = 0; i < attributeCount; i++) {
        const key = this.string(this.byte())
        const value = this.string(this.byte())
        if (key === null || key === '') failDecode('an attribute without a name')
        // A null value (LIST_EMPTY) means "absent". defineProperty keeps `__proto__` an ordinary key.
        if (value !== null) Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true })
      }
    }
    if (size % 2 === 1) return [description, attributes, null]
    const tag = this.byte()
    let content: WANode[] | Uint8Array | string | null
    if (tag === TAG.LIST_EMPTY || tag === TAG.LIST_8 || tag === TAG.LIST_16) {
      const count = this.listSize(tag)
      if (count * 2 > this.remaining) failDecode('more child nodes than bytes')
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
  if (ch === undefined) failDecode(`invalid packed value ${value}`)
  return ch
}

/** Decodes one node that must span all of `bytes` (spec §5.7: reject trailing bytes). */
export function decodeNode(bytes: Uint8Array): WANode {
  if (!(bytes instanceof Uint8Array)) throw new ProtocolError('Malformed WhatsApp node: not bytes.')
  const reader = new Reader(bytes)
  const node = reader.node(0)
  if (reader.remaining !== 0) failDecode(`${reader.remaining} trailing bytes`)
  return node
}


// spec §5.9: the canonical encoder (WA Web's own packer, also go's): falsy attributes are
// dropped, JID user parts are nibble- then hex-packed, other strings are tokens or raw
// UTF-8 (no number packing), and LIST_16 carries a real two-byte size.


const MAX_DEPTH = 64
const utf8Encoder = new TextEncoder()

function failEncode(message: string): never {
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
    } else failEncode(`a list of ${n} entries is too long`)
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
    } else failEncode(`${n} bytes is too long`)
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
    const encoded = utf8Encoder.encode(s)
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
    if (depth > MAX_DEPTH) failEncode('nodes nested too deeply')
    if (!Array.isArray(node) || node.length < 1 || node.length > 3) failEncode('a node must be [description, attributes, content]')
    const [description, attributes, content] = node
    if (typeof description !== 'string' || description.length === 0) failEncode('a node needs a description')
    const kept: [string, string][] = []
    if (attributes !== null && attributes !== undefined) {
      if (typeof attributes !== 'object') failEncode('attributes must be an object')
      for (const [k, v] of Object.entries(attributes)) {
        // spec §5.9: WA Web drops every falsy attribute value.
        if (typeof v === 'string' && v.length > 0) kept.push([k, v])
        else if (v !== undefined && v !== null && typeof v !== 'string') failEncode(`attribute ${k} is not a string`)
      }
    }
    const hasContent = (typeof content === 'string' && content.length > 0) || content instanceof Uint8Array || Array.isArray(content)
    if (!hasContent && content !== null && content !== undefined && content !== '') failEncode('content must be nodes, bytes or text')
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
