// Schema-driven Thrift values over either protocol. Structs read and write the JSON
// shapes of the gateway (spec §3): i64 as decimal strings, binary as base64, maps as
// objects. Unknown fields are skipped (Message gained fields over time, spec §3), and
// every count and length is bounded by the bytes that are actually there.
//
// Speed (issue 14): each schema is compiled once into a plan (a numeric kind per type,
// fields indexed by id in an array), so reading and writing never re-inspects the schema
// objects, allocates nothing per field, and dispatches on small integers.
// Safety (issue 11 §11): wire strings become own properties (map keys are defined, never
// assigned, so `__proto__` stays data), and no wire string is looked up in an object.

import { ProtocolError } from '../../../../shared/errors'
import { BinaryReader, BinaryWriter } from './binary'
import { CompactReader, CompactWriter } from './compact'
import { i64Halves, LIMITS, T, type ProtocolReader, type ProtocolWriter, type ThriftProtocol, type TypeId } from './protocol'
import { K, planOf, structPlan, type Plan, type StructPlan } from './plan'
import { containerReader, structReader, type ReadHelpers } from './reader-gen'
import type { FieldType, StructSchema } from './schema'

export type JsonStruct = Record<string, unknown>

export function writerFor(protocol: ThriftProtocol): ProtocolWriter {
  return protocol === 'compact' ? new CompactWriter() : new BinaryWriter()
}

export function readerFor(protocol: ThriftProtocol, bytes: Uint8Array): ProtocolReader {
  return protocol === 'compact' ? new CompactReader(bytes) : new BinaryReader(bytes)
}

export function typeIdOf(type: FieldType): TypeId {
  return planOf(type).typeId
}

// ---- writing -----------------------------------------------------------------------------

function bad(what: string, value: unknown): ProtocolError {
  return new ProtocolError(`A ${what} value does not fit its Thrift type.`, { detail: typeof value })
}

function toInt(value: unknown, bits: 8 | 16 | 32): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw bad(`i${bits}`, value)
  const max = 2 ** (bits - 1)
  if (value < -max || value >= max) throw bad(`i${bits}`, value)
  return value
}

const halves: [number, number] = [0, 0]

export function writeStruct(w: ProtocolWriter, schema: StructSchema, value: JsonStruct): void {
  writePlannedStruct(w, structPlan(schema), value)
}

function writePlannedStruct(w: ProtocolWriter, plan: StructPlan, value: JsonStruct): void {
  w.structBegin()
  const fields = plan.fields
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!
    const v = value[field.name]
    if (v === undefined || v === null) continue
    if (field.plan.kind === K.BOOL) {
      if (typeof v !== 'boolean') throw bad(field.name, v)
      w.boolField(field.id, v)
      continue
    }
    w.fieldBegin(field.plan.typeId, field.id)
    writePlanned(w, field.plan, v)
  }
  w.fieldStop()
  w.structEnd()
}

export function writeValue(w: ProtocolWriter, type: FieldType, v: unknown): void {
  writePlanned(w, planOf(type), v)
}

function writePlanned(w: ProtocolWriter, plan: Plan, v: unknown): void {
  switch (plan.kind) {
    case K.BOOL:
      if (typeof v !== 'boolean') throw bad('bool', v)
      return w.bool(v)
    case K.BYTE:
      return w.byte(toInt(v, 8))
    case K.I16:
      return w.i16(toInt(v, 16))
    case K.I32:
      return w.i32(toInt(v, 32))
    case K.I64:
      if (!i64Halves(v, halves)) throw bad('i64', v)
      return w.i64(halves[0], halves[1])
    case K.DOUBLE:
      if (typeof v !== 'number') throw bad('double', v)
      return w.double(v)
    case K.STRING:
      if (typeof v !== 'string') throw bad('string', v)
      return w.string(v)
    case K.BINARY:
      if (v instanceof Uint8Array) return w.binary(v)
      if (typeof v === 'string') return w.base64(v)
      throw bad('binary', v)
    case K.STRUCT:
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(plan.struct!.name, v)
      return writePlannedStruct(w, plan.struct!, v as JsonStruct)
    case K.LIST: {
      if (!Array.isArray(v)) throw bad('list', v)
      const elem = plan.elem!
      w.listBegin(elem.typeId, v.length)
      for (let i = 0; i < v.length; i++) writePlanned(w, elem, v[i])
      return
    }
    case K.MAP: {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('map', v)
      const key = plan.key!
      const value = plan.elem!
      const keys = Object.keys(v)
      w.mapBegin(key.typeId, value.typeId, keys.length)
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!
        // Maps keyed by integers travel as objects with decimal-string keys (spec §3).
        writePlanned(w, key, key.kind === K.STRING || key.kind === K.BINARY || key.kind === K.I64 ? k : Number(k))
        writePlanned(w, value, (v as Record<string, unknown>)[k])
      }
    }
  }
}

// ---- reading -----------------------------------------------------------------------------

function depthCheck(depth: number): void {
  if (depth > LIMITS.depth) throw new ProtocolError('A Thrift value is nested too deeply.')
}

/** Sets `key` on `target` as an own data property: `__proto__` from the wire must not set the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}

const READ_HELPERS: ReadHelpers = {
  depthCheck,
  readGeneric,
  setOwn,
  listError: (elemType) => {
    throw new ProtocolError('A Thrift list holds the wrong element type.', { detail: String(elemType) })
  },
  mapError: () => {
    throw new ProtocolError('A Thrift map holds the wrong types.')
  }
}

export function readStruct(r: ProtocolReader, schema: StructSchema, depth = 0): JsonStruct {
  return readPlannedStruct(r, structPlan(schema), depth)
}

function readPlannedStruct(r: ProtocolReader, plan: StructPlan, depth: number): JsonStruct {
  return structReader(plan, r.protocol, READ_HELPERS)(r, depth)
}

export function readValue(r: ProtocolReader, type: FieldType, depth: number): unknown {
  return readPlanned(r, planOf(type), depth)
}

function readPlanned(r: ProtocolReader, plan: Plan, depth: number): unknown {
  switch (plan.kind) {
    case K.BOOL:
      return r.bool()
    case K.BYTE:
      return r.byte()
    case K.I16:
      return r.i16()
    case K.I32:
      return r.i32()
    case K.I64:
      return r.i64()
    case K.DOUBLE:
      return r.double()
    case K.STRING:
      return r.string()
    case K.BINARY:
      return r.base64()
    case K.STRUCT:
      return readPlannedStruct(r, plan.struct!, depth)
    case K.LIST:
    case K.MAP:
      return containerReader(plan, r.protocol, READ_HELPERS)(r, depth)
  }
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
      return r.i64()
    case T.DOUBLE:
      return r.double()
    case T.STRING:
      return r.base64()
    case T.STRUCT: {
      const out: Record<string, unknown> = {}
      r.structBegin()
      for (;;) {
        const t = r.fieldBegin()
        if (t === T.STOP) break
        out[String(r.fieldId)] = readGeneric(r, t, depth + 1)
      }
      r.structEnd()
      return out
    }
    case T.LIST:
    case T.SET: {
      const size = r.listBegin()
      const elemType = r.elemType
      const out: unknown[] = []
      for (let i = 0; i < size; i++) out.push(readGeneric(r, elemType, depth + 1))
      return out
    }
    case T.MAP: {
      const size = r.mapBegin()
      const keyType = r.keyType
      const valueType = r.valueType
      const out: Record<string, unknown> = {}
      for (let i = 0; i < size; i++) {
        const k = String(readGeneric(r, keyType, depth + 1))
        setOwn(out, k, readGeneric(r, valueType, depth + 1))
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
