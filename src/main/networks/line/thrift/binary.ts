// TBinaryProtocol, strict (spec §9.2): big-endian integers, i32-length strings,
// `80 01 00 <type>` message headers. The old non-strict header is read too.

import { ProtocolError } from '../../../../shared/errors'
import {
  ByteSink,
  ByteSource,
  checkSize,
  decodeUtf8,
  encodeUtf8,
  isTypeId,
  T,
  type MessageHeader,
  type ProtocolReader,
  type ProtocolWriter,
  type TypeId
} from './protocol'

const VERSION_1 = 0x80010000 | 0
const VERSION_MASK = 0xffff0000 | 0

export class BinaryWriter implements ProtocolWriter {
  private readonly out = new ByteSink()

  messageBegin(h: MessageHeader): void {
    this.out.i32be(VERSION_1 | h.type)
    const name = encodeUtf8(h.name)
    this.out.i32be(name.length)
    this.out.bytes(name)
    this.out.i32be(h.seqid)
  }

  structBegin(): void {}
  structEnd(): void {}

  fieldBegin(type: TypeId, id: number): void {
    this.out.u8(type)
    this.out.i16be(id)
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

  i64(value: bigint): void {
    this.out.i64be(value)
  }

  double(value: number): void {
    this.out.f64(value, false)
  }

  binary(value: Uint8Array): void {
    this.out.i32be(value.length)
    this.out.bytes(value)
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

function typeId(v: number): TypeId {
  if (!isTypeId(v)) throw new ProtocolError('Unknown Thrift type in a binary message.', { detail: String(v) })
  return v
}

export class BinaryReader implements ProtocolReader {
  private readonly src: ByteSource

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
    const name = decodeUtf8(this.src.bytes(first))
    const type = this.src.u8()
    return { name, type, seqid: this.src.i32be() }
  }

  private string(): string {
    return decodeUtf8(this.binary())
  }

  structBegin(): void {}
  structEnd(): void {}

  fieldBegin(): { type: TypeId; id: number } {
    const type = typeId(this.src.u8())
    if (type === T.STOP) return { type, id: 0 }
    return { type, id: this.src.i16be() }
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

  i64(): bigint {
    return this.src.i64be()
  }

  double(): number {
    return this.src.f64(false)
  }

  binary(): Uint8Array {
    const n = this.src.i32be()
    checkSize(n, this.src.remaining())
    return this.src.bytes(n)
  }

  listBegin(): { elemType: TypeId; size: number } {
    const elemType = typeId(this.src.u8())
    const size = this.src.i32be()
    checkSize(size, this.src.remaining())
    return { elemType, size }
  }

  mapBegin(): { keyType: TypeId; valueType: TypeId; size: number } {
    const keyType = typeId(this.src.u8())
    const valueType = typeId(this.src.u8())
    const size = this.src.i32be()
    checkSize(size, this.src.remaining(), 2)
    return { keyType, valueType, size }
  }
}
