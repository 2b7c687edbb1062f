// TBinaryProtocol, strict (spec §9.2): big-endian integers, i32-length strings,
// `80 01 00 <type>` message headers. The old non-strict header is read too.

import { ProtocolError } from '../../../../shared/errors'
import {
  ByteSink,
  ByteSource,
  checkSize,
  i64ToString,
  isTypeId,
  LIMITS,
  T,
  utf8Length,
  type MessageHeader,
  type ProtocolReader,
  type ProtocolWriter,
  type TypeId
} from './protocol'

const VERSION_1 = 0x80010000 | 0
const VERSION_MASK = 0xffff0000 | 0
const STOP = T.STOP

export class BinaryWriter implements ProtocolWriter {
  private readonly out = new ByteSink()

  messageBegin(h: MessageHeader): void {
    this.out.i32be(VERSION_1 | h.type)
    this.string(h.name)
    this.out.i32be(h.seqid)
  }

  structBegin(): void {}
  structEnd(): void {}

  fieldBegin(type: TypeId, id: number): void {
    const out = this.out
    out.ensure(3)
    const b = out.buf
    const p = out.length
    b[p] = type
    b[p + 1] = (id >> 8) & 0xff
    b[p + 2] = id & 0xff
    out.length = p + 3
  }

  boolField(id: number, value: boolean): void {
    this.fieldBegin(T.BOOL, id)
    this.bool(value)
  }

  fieldStop(): void {
    this.out.u8(T.STOP)
  }

  bool(value: boolean): void {
    this.out.u8(value ? 1 : 0)
  }

  byte(value: number): void {
    this.out.u8(value)
  }

  i16(value: number): void {
    this.out.i16be(value)
  }

  i32(value: number): void {
    this.out.i32be(value)
  }

  i64(hi: number, lo: number): void {
    this.out.i32be(hi)
    this.out.i32be(lo)
  }

  double(value: number): void {
    this.out.f64(value, false)
  }

  binary(value: Uint8Array): void {
    this.out.i32be(value.length)
    this.out.bytes(value)
  }

  string(value: string): void {
    const n = utf8Length(value)
    const out = this.out
    out.ensure(4 + n)
    out.i32be(n)
    out.text(value, n)
  }

  base64(value: string): void {
    const bytes = Buffer.from(value, 'base64')
    this.binary(bytes)
  }

  listBegin(elemType: TypeId, size: number): void {
    this.out.u8(elemType)
    this.out.i32be(size)
  }

  mapBegin(keyType: TypeId, valueType: TypeId, size: number): void {
    this.out.u8(keyType)
    this.out.u8(valueType)
    this.out.i32be(size)
  }

  finish(): Uint8Array {
    return this.out.result()
  }
}

/** index = byte; 1 where it is a type id (a table: this runs for every field). */
const TYPE_IDS = Uint8Array.from({ length: 256 }, (_, v) => (isTypeId(v) ? 1 : 0))

function typeId(v: number): TypeId {
  if (TYPE_IDS[v] !== 1) throw new ProtocolError('Unknown Thrift type in a binary message.', { detail: String(v) })
  return v as TypeId
}

export class BinaryReader implements ProtocolReader {
  readonly protocol = 'binary'
  private readonly src: ByteSource
  fieldId = 0
  elemType: TypeId = STOP
  keyType: TypeId = STOP
  valueType: TypeId = STOP

  constructor(bytes: Uint8Array) {
    this.src = new ByteSource(bytes)
  }

  remaining(): number {
    return this.src.remaining()
  }

  messageBegin(): MessageHeader {
    const first = this.src.i32be()
    if (first < 0) {
      if ((first & VERSION_MASK) !== VERSION_1) throw new ProtocolError('Bad Thrift binary protocol version.', { detail: (first >>> 0).toString(16) })
      const name = this.string()
      return { name, type: first & 0xff, seqid: this.src.i32be() }
    }
    // Non-strict: the first i32 is the name's length.
    checkSize(first, this.src.remaining())
    const name = this.src.text(first)
    const type = this.src.u8()
    return { name, type, seqid: this.src.i32be() }
  }

  structBegin(): void {}
  structEnd(): void {}

  // The reads that run for every field (header, i32, i64, string) take the bytes straight
  // from the buffer with one bounds check each, rather than one per byte source call: they
  // are most of a decode that is not making strings (issue 14, Thrift binary decode).

  fieldBegin(): TypeId {
    const src = this.src
    const b = src.buf
    const p = src.pos
    if (p >= src.end) src.need(1)
    const type = b[p]!
    if (type === STOP) {
      src.pos = p + 1
      return STOP
    }
    if (TYPE_IDS[type] !== 1) typeId(type)
    if (p + 3 > src.end) src.need(3)
    this.fieldId = (((b[p + 1]! << 8) | b[p + 2]!) << 16) >> 16
    src.pos = p + 3
    return type as TypeId
  }

  bool(): boolean {
    return this.src.u8() !== 0
  }

  byte(): number {
    const v = this.src.u8()
    return v > 127 ? v - 256 : v
  }

  i16(): number {
    return this.src.i16be()
  }

  i32(): number {
    return this.src.i32be()
  }

  i64(): string {
    const src = this.src
    const b = src.buf
    const p = src.pos
    if (p + 8 > src.end) src.need(8)
    src.pos = p + 8
    const hi = (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!
    return i64ToString(hi, ((b[p + 4]! << 24) | (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!) >>> 0)
  }

  double(): number {
    return this.src.f64(false)
  }

  private length(): number {
    const n = this.src.i32be()
    if (n < 0 || n > this.src.remaining()) checkSize(n, this.src.remaining())
    return n
  }

  binary(): Uint8Array {
    return this.src.bytes(this.length())
  }

  string(): string {
    const src = this.src
    const b = src.buf
    const p = src.pos
    if (p + 4 > src.end) src.need(4)
    const n = (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!
    const start = p + 4
    // The same checks, in the same order, as length() and ByteSource.text().
    if (n < 0 || n > src.end - start) checkSize(n, src.end - start)
    if (n > LIMITS.binary) throw new ProtocolError('A Thrift string is too long.', { detail: String(n) })
    src.pos = start + n
    return src.textAt(start, n)
  }

  base64(): string {
    return this.src.base64(this.length())
  }

  listBegin(): number {
    this.elemType = typeId(this.src.u8())
    const size = this.src.i32be()
    checkSize(size, this.src.remaining())
    return size
  }

  mapBegin(): number {
    this.keyType = typeId(this.src.u8())
    this.valueType = typeId(this.src.u8())
    const size = this.src.i32be()
    checkSize(size, this.src.remaining(), 2)
    return size
  }
}
