// The legacy Thrift codec (seeds 000/001, spec §9): calls and replies of TalkService in
// TBinaryProtocol (/S3) or TCompactProtocol (/S4, /P4). Operations and messages use the
// JSON field names of spec §6 with i64 as decimal strings, so they are the same objects
// the gateway carries.

import { ProtocolError } from '../../../../shared/errors'
import { readerFor, readGeneric, readStruct, readValue, skip, writerFor, writeStruct, typeIdOf, writeValue, type JsonStruct } from './codec'
import { MessageType, T, type ThriftProtocol } from './protocol'
import { ApplicationExceptionSchema, METHODS, type MethodSchema } from './schema'

export type { ThriftProtocol } from './protocol'
export { encodeStruct, decodeStruct, type JsonStruct } from './codec'
export { KeychainSchema, MessageSchema, OperationSchema, TalkExceptionSchema, METHODS } from './schema'

export type ThriftException =
  | { name: 'TalkException'; code: number; reason: string; parameterMap?: Record<string, string> }
  | { name: 'TApplicationException'; message: string; type: number }
  /** A declared exception other than TalkException (by field id), kept as read. */
  | { name: 'UnknownException'; fieldId: number; value: unknown }

export interface ThriftReply {
  method: string
  seqid: number
  result?: unknown
  exception?: ThriftException
}

export interface ThriftCall {
  method: string
  seqid: number
  args: JsonStruct
}

/**
 * The schema of a method by name, or undefined. Own properties only (issue 11 §11): the
 * name comes off the wire, and `constructor`, `__proto__` or `toString` must read as
 * unknown methods, not as members of Object.prototype.
 */
function lookupMethod(method: string): MethodSchema | undefined {
  return Object.hasOwn(METHODS, method) ? METHODS[method] : undefined
}

function methodSchema(method: string): MethodSchema {
  const schema = lookupMethod(method)
  if (!schema) throw new ProtocolError('This Thrift method is not known to the codec.', { detail: method })
  return schema
}

/** Any known method's call: `args` keyed by the argument names of the IDL. */
export function encodeCall(method: string, seqid: number, args: JsonStruct, protocol: ThriftProtocol = 'binary'): Uint8Array {
  const schema = methodSchema(method)
  const w = writerFor(protocol)
  w.messageBegin({ name: method, type: MessageType.CALL, seqid })
  writeStruct(w, schema.args, args)
  return w.finish()
}

/** spec §9.3/§9.4: `sendMessage(1: i32 seq, 2: Message message)`. */
export function encodeSendMessage(input: { seqid: number; reqSeq: number; message: JsonStruct }, protocol: ThriftProtocol = 'binary'): Uint8Array {
  return encodeCall('sendMessage', input.seqid, { seq: input.reqSeq, message: input.message }, protocol)
}

/** spec §9.4: `fetchOperations(2: i64 localRev, 3: i32 count)`. */
export function encodeFetchOperations(
  input: { seqid: number; localRev: string | number | bigint; count: number },
  protocol: ThriftProtocol = 'binary'
): Uint8Array {
  return encodeCall('fetchOperations', input.seqid, { localRev: input.localRev, count: input.count }, protocol)
}

function ensureConsumed(remaining: number): void {
  if (remaining !== 0) throw new ProtocolError('Bytes follow the end of a Thrift message.', { detail: String(remaining) })
}

export function decodeCall(bytes: Uint8Array, protocol: ThriftProtocol = 'binary'): ThriftCall {
  const r = readerFor(protocol, bytes)
  const header = r.messageBegin()
  if (header.type !== MessageType.CALL && header.type !== MessageType.ONEWAY)
    throw new ProtocolError('Expected a Thrift call.', { detail: String(header.type) })
  const args = readStruct(r, methodSchema(header.name).args)
  ensureConsumed(r.remaining())
  return { method: header.name, seqid: header.seqid, args }
}

export function decodeReply(bytes: Uint8Array, protocol: ThriftProtocol = 'binary'): ThriftReply {
  const r = readerFor(protocol, bytes)
  const header = r.messageBegin()
  const out: ThriftReply = { method: header.name, seqid: header.seqid }
  if (header.type === MessageType.EXCEPTION) {
    const e = readStruct(r, ApplicationExceptionSchema)
    out.exception = { name: 'TApplicationException', message: String(e.message ?? ''), type: Number(e.type ?? 0) }
  } else if (header.type === MessageType.REPLY) {
    const schema = lookupMethod(header.name)
    r.structBegin()
    for (;;) {
      const type = r.fieldBegin()
      if (type === T.STOP) break
      const id = r.fieldId
      if (id === 0) {
        out.result = schema?.success && typeIdOf(schema.success) === type ? readValue(r, schema.success, 1) : readGeneric(r, type, 1)
        continue
      }
      const declared = schema?.exceptions.find((e) => e.id === id)
      if (declared && typeof declared.type !== 'string' && 'struct' in declared.type && type === T.STRUCT) {
        const e = readStruct(r, declared.type.struct, 1)
        if (declared.type.struct.name === 'TalkException') {
          const talk: ThriftException = { name: 'TalkException', code: Number(e.code ?? 0), reason: String(e.reason ?? '') }
          if (e.parameterMap) talk.parameterMap = e.parameterMap as Record<string, string>
          out.exception = talk
        } else out.exception = { name: 'UnknownException', fieldId: id, value: e }
      } else if (type === T.STRUCT) {
        out.exception = { name: 'UnknownException', fieldId: id, value: readGeneric(r, type, 1) }
      } else skip(r, type, 1)
    }
    r.structEnd()
  } else {
    throw new ProtocolError('Expected a Thrift reply.', { detail: String(header.type) })
  }
  ensureConsumed(r.remaining())
  return out
}

/** The server side of a reply (the reference server's legacy endpoints; spec §9.4 pins the bytes). */
export function encodeReply(
  method: string,
  seqid: number,
  outcome:
    | { result: unknown }
    | { talkException: { code: number; reason: string; parameterMap?: Record<string, string> } }
    | { applicationError: { message: string; type: number } },
  protocol: ThriftProtocol = 'binary'
): Uint8Array {
  const w = writerFor(protocol)
  if ('applicationError' in outcome) {
    w.messageBegin({ name: method, type: MessageType.EXCEPTION, seqid })
    writeStruct(w, ApplicationExceptionSchema, outcome.applicationError)
    return w.finish()
  }
  const schema = methodSchema(method)
  w.messageBegin({ name: method, type: MessageType.REPLY, seqid })
  w.structBegin()
  if ('result' in outcome) {
    if (schema.success && outcome.result !== undefined && outcome.result !== null) {
      w.fieldBegin(typeIdOf(schema.success), 0)
      writeValue(w, schema.success, outcome.result)
    }
  } else {
    const field = schema.exceptions[0]!
    w.fieldBegin(T.STRUCT, field.id)
    writeValue(w, field.type, outcome.talkException)
  }
  w.fieldStop()
  w.structEnd()
  return w.finish()
}
