// The two Thrift wire protocols LINE's legacy endpoints speak (spec §9.1: the trailing
// digit of the path names it, 3 = TBinaryProtocol, 4 = TCompactProtocol), behind one
// reader and one writer interface so the schema-driven codec above them is shared.

import { ProtocolError } from '../../../../shared/errors'

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
  i64(value: bigint): void
  double(value: number): void
  binary(value: Uint8Array): void
  listBegin(elemType: TypeId, size: number): void
  mapBegin(keyType: TypeId, valueType: TypeId, size: number): void
  finish(): Uint8Array
}

export interface ProtocolReader {
  messageBegin(): MessageHeader
  structBegin(): void
  structEnd(): void
  /** `type` is T.STOP at the end of a struct. */
  fieldBegin(): { type: TypeId; id: number }
  bool(): boolean
  byte(): number
  i16(): number
  i32(): number
  i64(): bigint
  double(): number
  binary(): Uint8Array
  listBegin(): { elemType: TypeId; size: number }
  mapBegin(): { keyType: TypeId; valueType: TypeId; size: number }
  /** Bytes not read yet: a bound for every length and count the peer claims. */
  remaining(): number
}

/** Bounds every decode: nesting depth and the size of a single string or container. */
export const LIMITS = { depth: 64, binary: 64 * 1024 * 1024 } as const

/** A growable byte buffer for the writers. */
export class ByteSink {
  private buf = new Uint8Array(256)
  private view = new DataView(this.buf.buffer)
  length = 0

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.length + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.length))
    this.buf = next
    this.view = new DataView(next.buffer)
  }

  u8(v: number): void {
    this.ensure(1)
    this.buf[this.length++] = v & 0xff
  }

  i16be(v: number): void {
    this.ensure(2)
    this.view.setInt16(this.length, v)
    this.length += 2
  }

  i32be(v: number): void {
    this.ensure(4)
    this.view.setInt32(this.length, v)
    this.length += 4
  }

  i64be(v: bigint): void {
    this.ensure(8)
    this.view.setBigInt64(this.length, v)
    this.length += 8
  }

  f64(v: number, littleEndian: boolean): void {
    this.ensure(8)
    this.view.setFloat64(this.length, v, littleEndian)
    this.length += 8
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length)
    this.buf.set(b, this.length)
    this.length += b.length
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length)
  }
}

/** A bounds-checked cursor over the bytes being decoded. */
export class ByteSource {
  private pos = 0
  private readonly view: DataView

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  }

  remaining(): number {
    return this.buf.length - this.pos
  }

  need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) throw new ProtocolError('The Thrift message ended early.', { detail: `need ${n} at ${this.pos}` })
  }

  u8(): number {
    this.need(1)
    return this.buf[this.pos++]!
  }

  i16be(): number {
    this.need(2)
    const v = this.view.getInt16(this.pos)
    this.pos += 2
    return v
  }

  i32be(): number {
    this.need(4)
    const v = this.view.getInt32(this.pos)
    this.pos += 4
    return v
  }

  i64be(): bigint {
    this.need(8)
    const v = this.view.getBigInt64(this.pos)
    this.pos += 8
    return v
  }

  f64(littleEndian: boolean): number {
    this.need(8)
    const v = this.view.getFloat64(this.pos, littleEndian)
    this.pos += 8
    return v
  }

  bytes(n: number): Uint8Array {
    if (n > LIMITS.binary) throw new ProtocolError('A Thrift string is too long.', { detail: String(n) })
    this.need(n)
    const out = this.buf.slice(this.pos, this.pos + n)
    this.pos += n
    return out
  }
}

const utf8 = new TextEncoder()
const utf8Strict = new TextDecoder('utf-8', { fatal: true })

export function encodeUtf8(s: string): Uint8Array {
  return utf8.encode(s)
}

export function decodeUtf8(b: Uint8Array): string {
  try {
    return utf8Strict.decode(b)
  } catch (cause) {
    throw new ProtocolError('A Thrift string is not valid UTF-8.', { cause })
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
