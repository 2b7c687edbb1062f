// Compiled schema plans (issue 14): each FieldType and StructSchema is turned once into a
// plan with a numeric kind per type and the fields of a struct indexed by id, so the codec
// never re-inspects schema objects per value.

import { T, type TypeId } from './protocol'
import type { FieldType, StructSchema } from './schema'

export const K = { BOOL: 0, BYTE: 1, I16: 2, I32: 3, I64: 4, DOUBLE: 5, STRING: 6, BINARY: 7, STRUCT: 8, LIST: 9, MAP: 10 } as const
export type Kind = (typeof K)[keyof typeof K]

export interface Plan {
  kind: Kind
  typeId: TypeId
  struct: StructPlan | null
  /** list/set element, or map value */
  elem: Plan | null
  /** map key */
  key: Plan | null
}

export interface FieldPlan {
  id: number
  name: string
  plan: Plan
}

export interface StructPlan {
  name: string
  fields: FieldPlan[]
  /** index = field id (ids are small and dense in the IDL); undefined for unknown ids */
  byId: (FieldPlan | undefined)[]
}

const scalar = (kind: Kind, typeId: TypeId): Plan => ({ kind, typeId, struct: null, elem: null, key: null })
const SCALARS: Record<Extract<FieldType, string>, Plan> = {
  bool: scalar(K.BOOL, T.BOOL),
  byte: scalar(K.BYTE, T.BYTE),
  i16: scalar(K.I16, T.I16),
  i32: scalar(K.I32, T.I32),
  i64: scalar(K.I64, T.I64),
  double: scalar(K.DOUBLE, T.DOUBLE),
  string: scalar(K.STRING, T.STRING),
  binary: scalar(K.BINARY, T.STRING)
}

const structPlans = new WeakMap<StructSchema, StructPlan>()
const typePlans = new WeakMap<object, Plan>()

export function planOf(type: FieldType): Plan {
  if (typeof type === 'string') return SCALARS[type]
  let plan = typePlans.get(type)
  if (plan) return plan
  if ('struct' in type) plan = { kind: K.STRUCT, typeId: T.STRUCT, struct: structPlan(type.struct), elem: null, key: null }
  else if ('list' in type) plan = { kind: K.LIST, typeId: T.LIST, struct: null, elem: planOf(type.list), key: null }
  else if ('set' in type) plan = { kind: K.LIST, typeId: T.SET, struct: null, elem: planOf(type.set), key: null }
  else plan = { kind: K.MAP, typeId: T.MAP, struct: null, elem: planOf(type.map[1]), key: planOf(type.map[0]) }
  typePlans.set(type, plan)
  return plan
}

export function structPlan(schema: StructSchema): StructPlan {
  let plan = structPlans.get(schema)
  if (plan) return plan
  // Registered before its fields are planned, so a struct that contains itself terminates.
  const maxId = Math.max(0, ...schema.fields.map((f) => f.id))
  plan = { name: schema.name, fields: [], byId: Array.from({ length: Math.min(maxId, 1023) + 1 }, () => undefined) }
  structPlans.set(schema, plan)
  for (const f of schema.fields) {
    const field: FieldPlan = { id: f.id, name: f.name, plan: planOf(f.type) }
    plan.fields.push(field)
    if (f.id >= 0 && f.id < plan.byId.length) plan.byId[f.id] = field
  }
  return plan
}
