// Generated readers (issue 14): each struct, list and map plan is compiled once per
// protocol into a function written the way the Thrift compiler's own output is: a switch
// over field ids that stores each field under its constant name, and loops with the
// element reads inlined. V8 turns those into fixed-shape stores and direct calls; the
// interpreted loop over the schema paid a megamorphic keyed store per field instead, which
// was the largest cost of decoding. One function per protocol keeps every call site
// monomorphic on its reader class.
//
// The source is built only from our own schema, never from the wire: field ids are checked
// integers, names go in as JSON string literals, type ids are numbers, and everything else
// (nested plans, helpers) is passed in as values, not as text.

import { ProtocolError } from '../../../../shared/errors'
import { K, type Plan, type StructPlan } from './plan'
import { T, type ProtocolReader, type ThriftProtocol, type TypeId } from './protocol'

type JsonStruct = Record<string, unknown>
export type StructReader = (r: ProtocolReader, depth: number) => JsonStruct
type ValueReader = (r: ProtocolReader, depth: number) => unknown

export interface ReadHelpers {
  depthCheck(depth: number): void
  readGeneric(r: ProtocolReader, type: TypeId, depth: number): unknown
  setOwn(target: Record<string, unknown>, key: string, value: unknown): void
  listError(elemType: TypeId): never
  mapError(): never
}

const structReaders: Record<ThriftProtocol, WeakMap<StructPlan, StructReader>> = { binary: new WeakMap(), compact: new WeakMap() }
/** Struct plans whose reader is being generated right now (for self-referencing structs). */
const compiling = new Set<StructPlan>()
const containerReaders: Record<ThriftProtocol, WeakMap<Plan, ValueReader>> = { binary: new WeakMap(), compact: new WeakMap() }

/** Values the generated source refers to by index (`c[3]`), never by text. */
class Constants {
  readonly values: unknown[] = []
  add(value: unknown): number {
    this.values.push(value)
    return this.values.length - 1
  }
}

function expression(plan: Plan, depth: string, protocol: ThriftProtocol, helpers: ReadHelpers, c: Constants): string {
  switch (plan.kind) {
    case K.BOOL:
      return 'r.bool()'
    case K.BYTE:
      return 'r.byte()'
    case K.I16:
      return 'r.i16()'
    case K.I32:
      return 'r.i32()'
    case K.I64:
      return 'r.i64()'
    case K.DOUBLE:
      return 'r.double()'
    case K.STRING:
      return 'r.string()'
    case K.BINARY:
      return 'r.base64()'
    case K.STRUCT: {
      const struct = plan.struct!
      if (!compiling.has(struct)) return `c[${c.add(structReader(struct, protocol, helpers))}](r, ${depth})`
      // A struct that contains itself: its reader is looked up when first called.
      let resolved: StructReader | null = null
      const at = c.add((r: ProtocolReader, d: number) => (resolved ??= structReader(struct, protocol, helpers))(r, d))
      return `c[${at}](r, ${depth})`
    }
    default:
      return `c[${c.add(containerReader(plan, protocol, helpers))}](r, ${depth})`
  }
}

function build<F>(source: string, helpers: ReadHelpers, c: Constants): F {
  return new Function('h', 'c', source)(helpers, c.values) as F
}

/** The generated reader of a list, set or map plan. */
export function containerReader(plan: Plan, protocol: ThriftProtocol, helpers: ReadHelpers): ValueReader {
  const cache = containerReaders[protocol]
  const known = cache.get(plan)
  if (known) return known
  const c = new Constants()
  let source: string
  if (plan.kind === K.LIST) {
    const elem = plan.elem!
    source = `return function readList(r, depth) {
  h.depthCheck(depth)
  const size = r.listBegin()
  if (size > 0 && r.elemType !== ${elem.typeId}) h.listError(r.elemType)
  const out = []
  for (let i = 0; i < size; i++) out.push(${expression(elem, 'depth + 1', protocol, helpers, c)})
  return out
}`
  } else if (plan.kind === K.MAP) {
    const key = plan.key!
    const value = plan.elem!
    source = `return function readMap(r, depth) {
  h.depthCheck(depth)
  const size = r.mapBegin()
  if (size > 0 && (r.keyType !== ${key.typeId} || r.valueType !== ${value.typeId})) h.mapError()
  const out = {}
  for (let i = 0; i < size; i++) {
    const k = String(${expression(key, 'depth + 1', protocol, helpers, c)})
    const v = ${expression(value, 'depth + 1', protocol, helpers, c)}
    // setOwn's own test, inlined: every other key is a plain store (issue 11 §11).
    if (k === '__proto__') h.setOwn(out, k, v)
    else out[k] = v
  }
  return out
}`
  } else throw new ProtocolError('Only lists, sets and maps are containers.')
  const reader = build<ValueReader>(source, helpers, c)
  cache.set(plan, reader)
  return reader
}

export function structReader(plan: StructPlan, protocol: ThriftProtocol, helpers: ReadHelpers): StructReader {
  const cache = structReaders[protocol]
  const known = cache.get(plan)
  if (known) return known
  const c = new Constants()
  compiling.add(plan)
  let cases: string[]
  try {
    cases = plan.fields.map((field) => {
      if (!Number.isInteger(field.id) || field.id < -32768 || field.id > 32767)
        throw new ProtocolError('A Thrift schema has an invalid field id.', { detail: plan.name })
      const read = expression(field.plan, 'depth + 1', protocol, helpers, c)
      return `case ${field.id}: if (type === ${field.plan.typeId}) { out[${JSON.stringify(field.name)}] = ${read}; continue } break`
    })
  } finally {
    compiling.delete(plan)
  }
  const source = `return function read(r, depth) {
  h.depthCheck(depth)
  const out = {}
  r.structBegin()
  for (;;) {
    const type = r.fieldBegin()
    if (type === ${T.STOP}) break
    switch (r.fieldId) {
      ${cases.join('\n      ')}
    }
    h.readGeneric(r, type, depth + 1)
  }
  r.structEnd()
  return out
}`
  const reader = build<StructReader>(source, helpers, c)
  cache.set(plan, reader)
  return reader
}
