// TCompactProtocol (spec §9.4): `82` protocol id, zig-zag varints, field-id deltas in the
// high nibble, bools folded into the field header, little-endian doubles. i64 varints are
// built from and read into two 32-bit halves, so no BigInt is made for them.

import { ProtocolError } from '../../../../shared/errors'
import {
  ByteSink,
  ByteSource,
  checkSize,
  i64ToString,
  T,
  utf8Length,
  type MessageHeader,
  type ProtocolReader,
  type ProtocolWriter,
  type TypeId
} from './protocol'

const PROTOCOL_ID = 0x82
const VERSION = 1

// Compact type nibbles (spec §9.4).
const C = { STOP: 0, TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12 } as const

const TO_COMPACT: Record<TypeId, number> = {
  [T.STOP]: C.STOP,
  [T.BOOL]: C.TRUE,
  [T.BYTE]: C.BYTE,
  [T.DOUBLE]: C.DOUBLE,
  [T.I16]: C.I16,
  [T.I32]: C.I32,
  [T.I64]: C.I64,
  [T.STRING]: C.BINARY,
  [T.STRUCT]: C.STRUCT,
  [T.MAP]: C.MAP,
  [T.SET]: C.SET,
  [T.LIST]: C.LIST
}

function fromCompact(c: number): TypeId {
  switch (c) {
    case C.STOP:
      return T.STOP
    case C.TRUE:
    case C.FALSE:
      return T.BOOL
    case C.BYTE:
      return T.BYTE
    case C.I16:
      return T.I16
    case C.I32:
      return T.I32
    case C.I64:
      return T.I64
    case C.DOUBLE:
      return T.DOUBLE
    case C.BINARY:
      return T.STRING
    case C.LIST:
      return T.LIST
    case C.SET:
      return T.SET
    case C.MAP:
      return T.MAP
    case C.STRUCT:
      return T.STRUCT
    default:
      throw new ProtocolError('Unknown Thrift type in a compact message.', { detail: String(c) })
  }
}

const zigzag32 = (n: number): number => ((n << 1) ^ (n >> 31)) >>> 0
const unzigzag32 = (n: number): number => (n >>> 1) ^ -(n & 1)

export class CompactWriter implements ProtocolWriter {
  private readonly out = new ByteSink()
  private lastField: number[] = []
  private last = 0

  private varint32(n: number): void {
    const out = this.out
    out.ensure(5)
    const b = out.buf
    let p = out.length
    let v = n >>> 0
    while (v > 0x7f) {
      b[p++] = (v & 0x7f) | 0x80
      v >>>= 7
    }
    b[p++] = v
    out.length = p
  }

  /** The unsigned 64-bit varint of `hi * 2^32 + lo` (both halves unsigned). */
  private varint64(hi: number, lo: number): void {
    const out = this.out
    out.ensure(10)
    const b = out.buf
    let p = out.length
    while (hi !== 0 || lo > 0x7f) {
      b[p++] = (lo & 0x7f) | 0x80
      lo = ((lo >>> 7) | (hi << 25)) >>> 0
      hi >>>= 7
    }
    b[p++] = lo
    out.length = p
  }

  messageBegin(h: MessageHeader): void {
    this.out.u8(PROTOCOL_ID)
    this.out.u8((h.type << 5) | VERSION)
    this.varint32(h.seqid)
    this.string(h.name)
  }

  structBegin(): void {
    this.lastField.push(this.last)
    this.last = 0
  }

  structEnd(): void {
    this.last = this.lastField.pop() ?? 0
  }

  private header(ctype: number, id: number): void {
    const delta = id - this.last
    if (delta > 0 && delta <= 15) this.out.u8((delta << 4) | ctype)
    else {
      this.out.u8(ctype)
      this.varint32(zigzag32(id))
    }
    this.last = id
  }

  fieldBegin(type: TypeId, id: number): void {
    this.header(TO_COMPACT[type], id)
  }

  boolField(id: number, value: boolean): void {
    this.header(value ? C.TRUE : C.FALSE, id)
  }

  fieldStop(): void {
    this.out.u8(C.STOP)
  }

  bool(value: boolean): void {
    this.out.u8(value ? C.TRUE : C.FALSE)
  }

  byte(value: number): void {
    this.out.u8(value)
  }

  i16(value: number): void {
    this.varint32(zigzag32(value))
  }

  i32(value: number): void {
    this.varint32(zigzag32(value))
  }

  i64(hi: number, lo: number): void {
    // zig-zag over 64 bits: (n << 1) ^ (n >> 63), a half at a time.
    const sign = hi >> 31
    this.varint64((((hi << 1) | (lo >>> 31)) ^ sign) >>> 0, ((lo << 1) ^ sign) >>> 0)
  }

  double(value: number): void {
    this.out.f64(value, true)
  }

  binary(value: Uint8Array): void {
    this.varint32(value.length)
    this.out.bytes(value)
  }

  string(value: string): void {
    const n = utf8Length(value)
    this.varint32(n)
    this.out.ensure(n)
    this.out.text(value, n)
  }

  base64(value: string): void {
    this.binary(Buffer.from(value, 'base64'))
  }

  listBegin(elemType: TypeId, size: number): void {
    const ct = TO_COMPACT[elemType]
    if (size <= 14) this.out.u8((size << 4) | ct)
    else {
      this.out.u8(0xf0 | ct)
      this.varint32(size)
    }
  }

  mapBegin(keyType: TypeId, valueType: TypeId, size: number): void {
    if (size === 0) return this.out.u8(0)
    this.varint32(size)
    this.out.u8((TO_COMPACT[keyType] << 4) | TO_COMPACT[valueType])
  }

  finish(): Uint8Array {
    return this.out.result()
  }
}

export class CompactReader implements ProtocolReader {
  readonly protocol = 'compact'
  private readonly src: ByteSource
  private lastField: number[] = []
  private last = 0
  /** The value of a bool field, carried in its header. */
  private pendingBool: boolean | null = null
  fieldId = 0
  elemType: TypeId = T.STOP
  keyType: TypeId = T.STOP
  valueType: TypeId = T.STOP

  constructor(bytes: Uint8Array) {
    this.src = new ByteSource(bytes)
  }

  remaining(): number {
    return this.src.remaining()
  }

  private varint32(): number {
    const src = this.src
    let result = 0
    for (let shift = 0; shift < 35; shift += 7) {
      const b = src.u8()
      result |= (b & 0x7f) << shift
      if ((b & 0x80) === 0) return result >>> 0
    }
    throw new ProtocolError('A compact varint is too long.')
  }

  /** A zig-zag i64 varint, as a decimal string. */
  private zigzag64(): string {
    const src = this.src
    let lo = 0
    let hi = 0
    for (let shift = 0; shift < 70; shift += 7) {
      const b = src.u8() & 0xff
      const bits = b & 0x7f
      if (shift < 28) lo |= bits << shift
      else if (shift === 28) {
        lo |= bits << 28
        hi |= bits >>> 4
      } else hi |= bits << (shift - 32)
      if ((b & 0x80) === 0) {
        // (n >>> 1) ^ -(n & 1), a half at a time.
        const sign = -(lo & 1)
        const nlo = (((lo >>> 1) | (hi << 31)) ^ sign) >>> 0
        const nhi = ((hi >>> 1) ^ sign) | 0
        return i64ToString(nhi, nlo)
      }
    }
    throw new ProtocolError('A compact varint is too long.')
  }

  messageBegin(): MessageHeader {
    if (this.src.u8() !== PROTOCOL_ID) throw new ProtocolError('Not a Thrift compact message.')
    const vt = this.src.u8()
    if ((vt & 0x1f) !== VERSION) throw new ProtocolError('Bad Thrift compact protocol version.', { detail: String(vt & 0x1f) })
    const seqid = this.varint32() | 0
    return { name: this.string(), type: (vt >> 5) & 0x07, seqid }
  }

  structBegin(): void {
    this.lastField.push(this.last)
    this.last = 0
  }

  structEnd(): void {
    this.last = this.lastField.pop() ?? 0
  }

  fieldBegin(): TypeId {
    const b = this.src.u8()
    const ctype = b & 0x0f
    if (ctype === C.STOP) return T.STOP
    const delta = b >> 4
    const id = delta === 0 ? unzigzag32(this.varint32()) : this.last + delta
    if (id < -32768 || id > 32767) throw new ProtocolError('A compact field id is out of range.', { detail: String(id) })
    this.last = id
    this.fieldId = id
    const type = fromCompact(ctype)
    if (type === T.BOOL) this.pendingBool = ctype === C.TRUE
    return type
  }

  bool(): boolean {
    if (this.pendingBool !== null) {
      const v = this.pendingBool
      this.pendingBool = null
      return v
    }
    return this.src.u8() === C.TRUE
  }

  byte(): number {
    const v = this.src.u8()
    return v > 127 ? v - 256 : v
  }

  i16(): number {
    const v = unzigzag32(this.varint32())
    if (v < -32768 || v > 32767) throw new ProtocolError('A compact i16 is out of range.')
    return v
  }

  i32(): number {
    return unzigzag32(this.varint32())
  }

  i64(): string {
    return this.zigzag64()
  }

  double(): number {
    return this.src.f64(true)
  }

  private length(): number {
    const n = this.varint32()
    checkSize(n, this.src.remaining())
    return n
  }

  binary(): Uint8Array {
    return this.src.bytes(this.length())
  }

  string(): string {
    return this.src.text(this.length())
  }

  base64(): string {
    return this.src.base64(this.length())
  }

  listBegin(): number {
    const b = this.src.u8()
    let size = b >> 4
    if (size === 15) size = this.varint32()
    checkSize(size, this.src.remaining())
    this.elemType = fromCompact(b & 0x0f)
    return size
  }

  mapBegin(): number {
    const size = this.varint32()
    if (size === 0) {
      this.keyType = T.STRING
      this.valueType = T.STRING
      return 0
    }
    checkSize(size, this.src.remaining(), 2)
    const kv = this.src.u8()
    this.keyType = fromCompact(kv >> 4)
    this.valueType = fromCompact(kv & 0x0f)
    return size
  }
}
