// Schema-driven Thrift values over either protocol. Structs read and write the JSON
// shapes of the gateway (spec §3): i64 as decimal strings, binary as base64, maps as
// objects. Unknown fields are skipped (Message gained fields over time, spec §3), and
// every count and length is bounded by the bytes that are actually there.

import { ProtocolError } from '../../../../shared/errors'
import { BinaryReader, BinaryWriter } from './binary'
import { CompactReader, CompactWriter } from './compact'
import { decodeUtf8, encodeUtf8, LIMITS, T, type ProtocolReader, type ProtocolWriter, type ThriftProtocol, type TypeId } from './protocol'
import type { FieldType, StructSchema } from './schema'

export type JsonStruct = Record<string, unknown>

export function writerFor(protocol: ThriftProtocol): ProtocolWriter {
  return protocol === 'compact' ? new CompactWriter() : new BinaryWriter()
}

export function readerFor(protocol: ThriftProtocol, bytes: Uint8Array): ProtocolReader {
  return protocol === 'compact' ? new CompactReader(bytes) : new BinaryReader(bytes)
}

export function typeIdOf(type: FieldType): TypeId {
  if (typeof type === 'string') {
    switch (type) {
      case 'bool':
        return T.BOOL
      case 'byte':
        return T.BYTE
      case 'i16':
        return T.I16
      case 'i32':
        return T.I32
      case 'i64':
        return T.I64
      case 'double':
        return T.DOUBLE
      case 'string':
      case 'binary':
        return T.STRING
    }
  }
  if ('struct' in type) return T.STRUCT
  if ('list' in type) return T.LIST
  if ('set' in type) return T.SET
  return T.MAP
}

// ---- writing -----------------------------------------------------------------------------

const I64_MIN = -(2n ** 63n)
const I64_MAX = 2n ** 63n - 1n

function bad(what: string, value: unknown): ProtocolError {
  return new ProtocolError(`A ${what} value does not fit its Thrift type.`, { detail: typeof value })
}

function toI64(value: unknown): bigint {
  let v: bigint
  if (typeof value === 'bigint') v = value
  else if (typeof value === 'number' && Number.isSafeInteger(value)) v = BigInt(value)
  else if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) v = BigInt(value)
  else throw bad('i64', value)
  if (v < I64_MIN || v > I64_MAX) throw bad('i64', value)
  return v
}

function toInt(value: unknown, bits: 8 | 16 | 32): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw bad(`i${bits}`, value)
  const max = 2 ** (bits - 1)
  if (value < -max || value >= max) throw bad(`i${bits}`, value)
  return value
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value
  if (typeof value === 'string') return Buffer.from(value, 'base64')
  throw bad('binary', value)
}

export function writeStruct(w: ProtocolWriter, schema: StructSchema, value: JsonStruct): void {
  w.structBegin()
  for (const field of schema.fields) {
    const v = value[field.name]
    if (v === undefined || v === null) continue
    if (field.type === 'bool') {
      if (typeof v !== 'boolean') throw bad(field.name, v)
      w.boolField(field.id, v)
      continue
    }
    w.fieldBegin(typeIdOf(field.type), field.id)
    writeValue(w, field.type, v)
  }
  w.fieldStop()
  w.structEnd()
}

export function writeValue(w: ProtocolWriter, type: FieldType, v: unknown): void {
  if (typeof type === 'string') {
    switch (type) {
      case 'bool':
        if (typeof v !== 'boolean') throw bad('bool', v)
        return w.bool(v)
      case 'byte':
        return w.byte(toInt(v, 8))
      case 'i16':
        return w.i16(toInt(v, 16))
      case 'i32':
        return w.i32(toInt(v, 32))
      case 'i64':
        return w.i64(toI64(v))
      case 'double':
        if (typeof v !== 'number') throw bad('double', v)
        return w.double(v)
      case 'string':
        if (typeof v !== 'string') throw bad('string', v)
        return w.binary(encodeUtf8(v))
      case 'binary':
        return w.binary(toBytes(v))
    }
  }
  if ('struct' in type) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(type.struct.name, v)
    return writeStruct(w, type.struct, v as JsonStruct)
  }
  if ('list' in type || 'set' in type) {
    const elem = 'list' in type ? type.list : type.set
    if (!Array.isArray(v)) throw bad('list', v)
    w.listBegin(typeIdOf(elem), v.length)
    for (const item of v) writeValue(w, elem, item)
    return
  }
  const [kt, vt] = type.map
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('map', v)
  const entries = Object.entries(v as Record<string, unknown>)
  w.mapBegin(typeIdOf(kt), typeIdOf(vt), entries.length)
  for (const [k, item] of entries) {
    // Maps keyed by integers travel as objects with decimal-string keys (spec §3).
    writeValue(w, kt, kt === 'string' || kt === 'binary' ? k : kt === 'i64' ? k : Number(k))
    writeValue(w, vt, item)
  }
}

// ---- reading -----------------------------------------------------------------------------

function depthCheck(depth: number): void {
  if (depth > LIMITS.depth) throw new ProtocolError('A Thrift value is nested too deeply.')
}

/** Field lookup by id, built once per schema. */
const byId = new WeakMap<StructSchema, Map<number, StructSchema['fields'][number]>>()

function fieldsById(schema: StructSchema): Map<number, StructSchema['fields'][number]> {
  let map = byId.get(schema)
  if (!map) byId.set(schema, (map = new Map(schema.fields.map((f) => [f.id, f]))))
  return map
}

export function readStruct(r: ProtocolReader, schema: StructSchema, depth = 0): JsonStruct {
  depthCheck(depth)
  const out: JsonStruct = {}
  const fields = fieldsById(schema)
  r.structBegin()
  for (;;) {
    const { type, id } = r.fieldBegin()
    if (type === T.STOP) break
    const field = fields.get(id)
    if (field && typeIdOf(field.type) === type) out[field.name] = readValue(r, field.type, depth + 1)
    else skip(r, type, depth + 1)
  }
  r.structEnd()
  return out
}

export function readValue(r: ProtocolReader, type: FieldType, depth: number): unknown {
  depthCheck(depth)
  if (typeof type === 'string') {
    switch (type) {
      case 'bool':
        return r.bool()
      case 'byte':
        return r.byte()
      case 'i16':
        return r.i16()
      case 'i32':
        return r.i32()
      case 'i64':
        return r.i64().toString()
      case 'double':
        return r.double()
      case 'string':
        return decodeUtf8(r.binary())
      case 'binary':
        return Buffer.from(r.binary()).toString('base64')
    }
  }
  if ('struct' in type) return readStruct(r, type.struct, depth)
  if ('list' in type || 'set' in type) {
    const elem = 'list' in type ? type.list : type.set
    const { elemType, size } = r.listBegin()
    if (size > 0 && elemType !== typeIdOf(elem)) throw new ProtocolError('A Thrift list holds the wrong element type.', { detail: String(elemType) })
    const out: unknown[] = []
    for (let i = 0; i < size; i++) out.push(readValue(r, elem, depth + 1))
    return out
  }
  const [kt, vt] = type.map
  const { keyType, valueType, size } = r.mapBegin()
  if (size > 0 && (keyType !== typeIdOf(kt) || valueType !== typeIdOf(vt))) throw new ProtocolError('A Thrift map holds the wrong types.')
  const out: Record<string, unknown> = {}
  for (let i = 0; i < size; i++) {
    const k = readValue(r, kt, depth + 1)
    out[String(k)] = readValue(r, vt, depth + 1)
  }
  return out
}

/** Reads any value without a schema: structs become objects keyed by field id. */
export function readGeneric(r: ProtocolReader, type: TypeId, depth: number): unknown {
  depthCheck(depth)
  switch (type) {
    case T.BOOL:
      return r.bool()
    case T.BYTE:
      return r.byte()
    case T.I16:
      return r.i16()
    case T.I32:
      return r.i32()
    case T.I64:
      return r.i64().toString()
    case T.DOUBLE:
      return r.double()
    case T.STRING:
      return Buffer.from(r.binary()).toString('base64')
    case T.STRUCT: {
      const out: Record<string, unknown> = {}
      r.structBegin()
      for (;;) {
        const f = r.fieldBegin()
        if (f.type === T.STOP) break
        out[String(f.id)] = readGeneric(r, f.type, depth + 1)
      }
      r.structEnd()
      return out
    }
    case T.LIST:
    case T.SET: {
      const { elemType, size } = r.listBegin()
      const out: unknown[] = []
      for (let i = 0; i < size; i++) out.push(readGeneric(r, elemType, depth + 1))
      return out
    }
    case T.MAP: {
      const { keyType, valueType, size } = r.mapBegin()
      const out: Record<string, unknown> = {}
      for (let i = 0; i < size; i++) {
        const k = readGeneric(r, keyType, depth + 1)
        out[String(k)] = readGeneric(r, valueType, depth + 1)
      }
      return out
    }
    case T.STOP:
      throw new ProtocolError('A Thrift value has no type.')
  }
}

export function skip(r: ProtocolReader, type: TypeId, depth: number): void {
  readGeneric(r, type, depth)
}

/** Encodes one struct on its own (the keychain, X-Talk-Meta's Message). */
export function encodeStruct(schema: StructSchema, value: JsonStruct, protocol: ThriftProtocol): Uint8Array {
  const w = writerFor(protocol)
  writeStruct(w, schema, value)
  return w.finish()
}

export function decodeStruct(schema: StructSchema, bytes: Uint8Array, protocol: ThriftProtocol): JsonStruct {
  return readStruct(readerFor(protocol, bytes), schema)
}
