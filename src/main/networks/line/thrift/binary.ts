// TBinaryProtocol, strict (spec §9.2): big-endian integers, i32-length strings,
// `80 01 00 <type>` message headers. The old non-strict header is read too.

import { ProtocolError } from '../../../../shared/errors'
import {
  ByteSink,
  ByteSource,
  checkSize,
  i64ToString,
  isTypeId,
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

  fieldBegin(): TypeId {
    const type = typeId(this.src.u8())
    if (type !== STOP) this.fieldId = this.src.i16be()
    return type
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
    const hi = this.src.i32be()
    return i64ToString(hi, this.src.i32be() >>> 0)
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
    return this.src.text(this.length())
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
