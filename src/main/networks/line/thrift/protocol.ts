// The two Thrift wire protocols LINE's legacy endpoints speak (spec §9.1: the trailing
// digit of the path names it, 3 = TBinaryProtocol, 4 = TCompactProtocol), behind one
// reader and one writer interface so the schema-driven codec above them is shared.
//
// Speed (issue 14): both sides work on a Buffer, so strings are written and read in place
// (no intermediate byte arrays), binary fields go to and from base64 straight from the
// wire bytes, and i64 values travel as two 32-bit halves, so no BigInt is made unless a
// value is beyond 2^53.

import { ProtocolError } from '../../../../shared/errors'
import { CACHED_MAX, shortText, strictUtf8 } from './text'

export { decodeUtf8, encodeUtf8, utf8Length } from './text'

export type ThriftProtocol = 'binary' | 'compact'

/** Canonical type ids (the TBinaryProtocol numbering, spec §9.2); compact maps to and from them. */
export const T = {
  STOP: 0,
  BOOL: 2,
  BYTE: 3,
  DOUBLE: 4,
  I16: 6,
  I32: 8,
  I64: 10,
  STRING: 11,
  STRUCT: 12,
  MAP: 13,
  SET: 14,
  LIST: 15
} as const
export type TypeId = (typeof T)[keyof typeof T]

export const MessageType = { CALL: 1, REPLY: 2, EXCEPTION: 3, ONEWAY: 4 } as const

export interface MessageHeader {
  name: string
  type: number
  seqid: number
}

export interface ProtocolWriter {
  messageBegin(header: MessageHeader): void
  structBegin(): void
  structEnd(): void
  fieldBegin(type: TypeId, id: number): void
  /** Bools as struct fields: compact folds the value into the field header (spec §9.4). */
  boolField(id: number, value: boolean): void
  fieldStop(): void
  bool(value: boolean): void
  byte(value: number): void
  i16(value: number): void
  i32(value: number): void
  /** An i64 as its high (signed) and low (unsigned) 32-bit halves. */
  i64(hi: number, lo: number): void
  double(value: number): void
  binary(value: Uint8Array): void
  /** A STRING field's text, UTF-8 encoded in place. */
  string(value: string): void
  /** A BINARY field given as standard base64 (the gateway's JSON form), decoded in place. */
  base64(value: string): void
  listBegin(elemType: TypeId, size: number): void
  mapBegin(keyType: TypeId, valueType: TypeId, size: number): void
  finish(): Uint8Array
}

export interface ProtocolReader {
  readonly protocol: ThriftProtocol
  messageBegin(): MessageHeader
  structBegin(): void
  structEnd(): void
  /** Reads a field header: its type (T.STOP at the end of a struct); the id is then in `fieldId`. */
  fieldBegin(): TypeId
  readonly fieldId: number
  bool(): boolean
  byte(): number
  i16(): number
  i32(): number
  /** An i64 as a decimal string (the gateway's JSON form, spec §3). */
  i64(): string
  double(): number
  binary(): Uint8Array
  /** A STRING field as text: strict UTF-8, a ProtocolError otherwise. */
  string(): string
  /** A BINARY field as standard base64, read straight from the wire bytes. */
  base64(): string
  /** Reads a list or set header; the element type is then in `elemType`, the size is returned. */
  listBegin(): number
  /** Reads a map header; the types are then in `keyType` and `valueType`, the size is returned. */
  mapBegin(): number
  readonly elemType: TypeId
  readonly keyType: TypeId
  readonly valueType: TypeId
  /** Bytes not read yet: a bound for every length and count the peer claims. */
  remaining(): number
}

/** Bounds every decode: nesting depth and the size of a single string or container. */
export const LIMITS = { depth: 64, binary: 64 * 1024 * 1024 } as const

/** A scratch buffer larger than this after an encode is dropped rather than kept for the next. */
const KEEP_SCRATCH = 256 * 1024
const INITIAL_SCRATCH = 16 * 1024

let scratch: Buffer | null = null

/**
 * A growable byte buffer for the writers. Each encode borrows one module-wide scratch
 * buffer (encodes are synchronous and never nest, but a nested one would get its own), and
 * `result()` copies out exactly the bytes written.
 */
export class ByteSink {
  buf: Buffer
  length = 0

  constructor() {
    if (scratch !== null) {
      this.buf = scratch
      scratch = null
    } else this.buf = Buffer.allocUnsafe(INITIAL_SCRATCH)
  }

  ensure(n: number): void {
    if (this.length + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.length + n) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.length)
    this.buf = next
  }

  u8(v: number): void {
    if (this.length >= this.buf.length) this.ensure(1)
    this.buf[this.length++] = v & 0xff
  }

  i16be(v: number): void {
    this.ensure(2)
    const p = this.length
    this.buf[p] = (v >> 8) & 0xff
    this.buf[p + 1] = v & 0xff
    this.length = p + 2
  }

  i32be(v: number): void {
    this.ensure(4)
    const b = this.buf
    const p = this.length
    b[p] = (v >>> 24) & 0xff
    b[p + 1] = (v >>> 16) & 0xff
    b[p + 2] = (v >>> 8) & 0xff
    b[p + 3] = v & 0xff
    this.length = p + 4
  }

  f64(v: number, littleEndian: boolean): void {
    this.ensure(8)
    if (littleEndian) this.buf.writeDoubleLE(v, this.length)
    else this.buf.writeDoubleBE(v, this.length)
    this.length += 8
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length)
    this.buf.set(b, this.length)
    this.length += b.length
  }

  /** Writes `s` as UTF-8 at the current position; the caller has written its length and reserved `byteLength` bytes. */
  text(s: string, byteLength: number): void {
    const b = this.buf
    let p = this.length
    if (byteLength === s.length && byteLength <= 64) {
      for (let i = 0; i < byteLength; i++) b[p++] = s.charCodeAt(i)
      this.length = p
    } else this.length += b.write(s, p, byteLength, 'utf8')
  }

  result(): Uint8Array {
    const out = new Uint8Array(this.length)
    out.set(this.buf.subarray(0, this.length))
    // Hand the scratch buffer back for the next encode, unless a large value grew it.
    if (this.buf.length <= KEEP_SCRATCH) scratch = this.buf
    this.length = 0
    return out
  }
}

/** A bounds-checked cursor over the bytes being decoded. */
export class ByteSource {
  pos = 0
  readonly buf: Buffer
  readonly view: DataView
  readonly end: number

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength)
    this.end = this.buf.length
  }

  remaining(): number {
    return this.end - this.pos
  }

  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new ProtocolError('The Thrift message ended early.', { detail: `need ${n} at ${this.pos}` })
  }

  u8(): number {
    if (this.pos >= this.end) this.need(1)
    return this.buf[this.pos++]!
  }

  i16be(): number {
    this.need(2)
    const b = this.buf
    const p = this.pos
    this.pos = p + 2
    return (((b[p]! << 8) | b[p + 1]!) << 16) >> 16
  }

  i32be(): number {
    this.need(4)
    const b = this.buf
    const p = this.pos
    this.pos = p + 4
    return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!
  }

  f64(littleEndian: boolean): number {
    this.need(8)
    const v = littleEndian ? this.buf.readDoubleLE(this.pos) : this.buf.readDoubleBE(this.pos)
    this.pos += 8
    return v
  }

  private span(n: number): number {
    if (n > LIMITS.binary) throw new ProtocolError('A Thrift string is too long.', { detail: String(n) })
    this.need(n)
    const start = this.pos
    this.pos = start + n
    return start
  }

  bytes(n: number): Uint8Array {
    const start = this.span(n)
    return new Uint8Array(this.buf.subarray(start, start + n))
  }

  /** `n` bytes of strict UTF-8 as text. */
  text(n: number): string {
    return this.textAt(this.span(n), n)
  }

  /** The `n` bytes at `start` (already bounds-checked and consumed by the caller) as strict UTF-8 text. */
  textAt(start: number, n: number): string {
    return n <= CACHED_MAX ? shortText(this.buf, this.view, start, n) : strictUtf8(this.buf, start, start + n)
  }

  base64(n: number): string {
    const start = this.span(n)
    return this.buf.toString('base64', start, start + n)
  }
}

/** A container claims `size` elements of at least one byte each: more than the bytes left is a lie. */
export function checkSize(size: number, remaining: number, minBytesEach = 1): void {
  if (!Number.isInteger(size) || size < 0 || size * minBytesEach > remaining) {
    throw new ProtocolError('A Thrift container claims more elements than the message holds.', { detail: `size ${size}, ${remaining} bytes left` })
  }
}

export function isTypeId(v: number): v is TypeId {
  return v === 0 || v === 2 || v === 3 || v === 4 || v === 6 || v === 8 || v === 10 || v === 11 || v === 12 || v === 13 || v === 14 || v === 15
}

// ---- i64 as two 32-bit halves ------------------------------------------------------------

const TWO_32 = 2 ** 32
/** |v| < 2^53 exactly when the high half is in [-2^21, 2^21). */
const SAFE_HI = 2 ** 21

/** The decimal string of the i64 `hi * 2^32 + lo` (hi signed, lo unsigned). */
export function i64ToString(hi: number, lo: number): string {
  if (hi >= -SAFE_HI && hi < SAFE_HI) return String(hi * TWO_32 + lo)
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString()
}

/** The halves of an i64 given as a JSON value; `out[0]` = hi, `out[1]` = lo. Null when it is not one. */
export function i64Halves(value: unknown, out: [number, number]): boolean {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return false
    const hi = Math.floor(value / TWO_32)
    out[0] = hi
    out[1] = value - hi * TWO_32
    return true
  }
  let big: bigint
  if (typeof value === 'string') {
    const n = value.length
    const digits = n > 0 && value.charCodeAt(0) === 0x2d ? n - 1 : n
    if (digits < 1 || digits > 20) return false
    for (let i = n - digits; i < n; i++) {
      const c = value.charCodeAt(i)
      if (c < 0x30 || c > 0x39) return false
    }
    if (digits <= 15) return i64Halves(Number(value), out)
    big = BigInt(value)
  } else if (typeof value === 'bigint') big = value
  else return false
  if (big < -(2n ** 63n) || big > 2n ** 63n - 1n) return false
  out[0] = Number(BigInt.asIntN(32, big >> 32n))
  out[1] = Number(BigInt.asUintN(32, big))
  return true
}
