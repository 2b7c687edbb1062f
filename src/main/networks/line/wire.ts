// Wire shapes of the gateway (spec §3–§6 and capture 002), as runtime schemas so that an
// unexpected shape from the network is a typed error instead of a crash deep inside.
// i64 values arrive as decimal strings (or numbers) and leave here as strings; unknown
// fields pass through, because LINE adds fields over time (spec §3).

import { z } from 'zod'
import { ProtocolError } from '../../../shared/errors'

const i64 = z.union([z.string().regex(/^-?\d{1,20}$/), z.number().int()]).transform((v) => String(v))
const int = z.number().int()
const text = z.string()
/** Values of contentMetadata/metaData are strings (spec §6.1); be lenient with the odd number. */
const stringMap = z.record(z.string(), z.unknown()).transform((m) =>
  Object.fromEntries(
    Object.entries(m)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, String(v)])
  )
)

export const MessageWire = z.looseObject({
  from: text.optional(),
  to: text.optional(),
  toType: int.optional(),
  id: text.optional(),
  createdTime: i64.optional(),
  deliveredTime: i64.optional(),
  text: text.nullish(),
  hasContent: z.boolean().optional(),
  contentType: int.optional(),
  contentMetadata: stringMap.nullish(),
  sessionId: int.optional(),
  chunks: z.array(text).nullish(),
  /** spec §6.1 fields 21, 22, 24: a reply is relation 3 (REPLY) to `relatedMessageId`. */
  relatedMessageId: text.nullish(),
  messageRelationType: int.nullish(),
  relatedMessageServiceCode: int.nullish(),
  /**
   * spec §6.1 field 27, server-filled: the full current set. Read leniently (reactions.ts):
   * a reaction of an unexpected shape is skipped, never the message it belongs to.
   */
  reactions: z.array(z.unknown()).nullish()
})
export type Message = z.infer<typeof MessageWire>

export const OperationWire = z.looseObject({
  /** Absent on END_OF_OPERATION (spec §6.5): such an op must not move localRev. */
  revision: i64.optional(),
  createdTime: i64.optional(),
  type: int,
  reqSeq: int.optional(),
  status: int.optional(),
  param1: text.nullish(),
  param2: text.nullish(),
  param3: text.nullish(),
  message: MessageWire.nullish()
})
export type Operation = z.infer<typeof OperationWire>

/**
 * Not an operation type of spec §6.4: what a transport hands on for an operation it could not
 * read — its revision, so localRev moves past it, and where it names one, its message's id and
 * parties, so the message can be read again another way (inbound.ts).
 */
export const UNREADABLE_OPERATION = -1

export const ProfileWire = z.looseObject({
  mid: text,
  displayName: text.optional(),
  statusMessage: text.nullish(),
  pictureStatus: text.nullish(),
  picturePath: text.nullish()
})
export type Profile = z.infer<typeof ProfileWire>

export const ContactWire = z.looseObject({
  mid: text,
  displayName: text.nullish(),
  displayNameOverridden: text.nullish(),
  status: int.optional(),
  relation: int.optional(),
  type: int.optional(),
  statusMessage: text.nullish(),
  /** spec §6.7: 24 pictureStatus, 37 picturePath (line/avatars.ts). */
  pictureStatus: text.nullish(),
  picturePath: text.nullish()
})
export type Contact = z.infer<typeof ContactWire>

export const ContactsV2Wire = z.looseObject({
  contacts: z.record(z.string(), z.looseObject({ contact: ContactWire.nullish(), userStatus: int.optional() })).default({})
})

const memberMids = z.union([z.record(z.string(), z.unknown()), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : Object.keys(v)))

export const ChatWire = z.looseObject({
  type: int.optional(),
  chatMid: text,
  chatName: text.nullish(),
  createdTime: i64.optional(),
  notificationDisabled: z.boolean().optional(),
  favoriteTimestamp: i64.optional(),
  /** spec §6.7: 7 picturePath (line/avatars.ts). */
  picturePath: text.nullish(),
  extra: z
    .looseObject({
      groupExtra: z.looseObject({ creator: text.nullish(), memberMids: memberMids.optional(), inviteeMids: memberMids.optional() }).nullish()
    })
    .nullish()
})
export type Chat = z.infer<typeof ChatWire>

export const AllChatMidsWire = z.looseObject({
  memberChatMids: z.array(text).default([]),
  invitedChatMids: z.array(text).default([])
})

export const ChatsWire = z.looseObject({ chats: z.array(ChatWire).default([]) })

export const MessageBoxWire = z.looseObject({
  id: text,
  midType: int.optional(),
  unreadCount: z.union([int, i64]).optional(),
  lastDeliveredMessageId: z.looseObject({ deliveredTime: i64.optional(), messageId: i64.optional() }).nullish(),
  lastMessages: z.array(MessageWire).nullish()
})
export const MessageBoxesWire = z.looseObject({ messageBoxes: z.array(MessageBoxWire).default([]), hasNext: z.boolean().optional() })

export const MessageListWire = z.array(MessageWire)

export const RetryPolicyWire = z.looseObject({
  initialDelayInMillis: i64.optional(),
  maxDelayInMillis: i64.optional(),
  multiplier: z.number().optional(),
  jitterRate: z.number().optional()
})

export const TokenV3Wire = z.looseObject({
  accessToken: text.min(1),
  refreshToken: text.optional(),
  durationUntilRefreshInSec: i64.optional(),
  refreshApiRetryPolicy: RetryPolicyWire.nullish(),
  loginSessionId: text.optional(),
  tokenIssueTimeEpochSec: i64.optional()
})
export type TokenV3 = z.infer<typeof TokenV3Wire>

export const QrCodeLoginV2Wire = z.looseObject({
  certificate: text.nullish(),
  tokenV3IssueResult: TokenV3Wire,
  mid: text,
  lastBindTimestamp: i64.optional(),
  metaData: stringMap.nullish()
})

export const LoginResultWire = z.looseObject({
  type: int,
  certificate: text.nullish(),
  verifier: text.nullish(),
  pinCode: text.nullish(),
  displayMessage: text.nullish(),
  tokenV3IssueResult: TokenV3Wire.nullish(),
  mid: text.nullish(),
  lastPrimaryBindTime: i64.optional()
})

export const RsaKeyWire = z.looseObject({ keynm: text, nvalue: text, evalue: text, sessionKey: text })

export const E2EEPublicKeyWire = z.looseObject({
  version: int.optional(),
  keyId: int,
  keyData: text,
  createdTime: i64.optional()
})
export type E2EEPublicKey = z.infer<typeof E2EEPublicKeyWire>

export const NegotiationWire = z.looseObject({
  allowedTypes: z.array(int).default([]),
  publicKey: E2EEPublicKeyWire.nullish(),
  specVersion: int.optional()
})

export const PublicKeyMapWire = z.record(z.string(), E2EEPublicKeyWire)

export const GroupSharedKeyWire = z.looseObject({
  keyVersion: int.optional(),
  groupKeyId: int,
  creator: text,
  creatorKeyId: int,
  receiver: text.optional(),
  receiverKeyId: int,
  encryptedSharedKey: text,
  allowedTypes: z.array(int).nullish(),
  specVersion: int.optional()
})
export type GroupSharedKey = z.infer<typeof GroupSharedKeyWire>

export const MediaFlowWire = z.looseObject({ flowMap: z.record(z.string(), int).default({}) })

/** The error envelope's `data` (spec §1.3; capture 002 adds `name` and `message`). */
export const ErrorDataWire = z.looseObject({
  name: text.optional(),
  code: int.optional(),
  reason: text.nullish(),
  alertMessage: text.nullish(),
  statusCode: int.optional(),
  parameterMap: z.record(z.string(), z.unknown()).nullish()
})

/** JQ/LF1 long-poll answers (spec §4.2, capture 002 step 3). */
export const LongPollResultWire = z.looseObject({
  result: z
    .looseObject({
      verifier: text.nullish(),
      authPhase: text.nullish(),
      metadata: stringMap.nullish()
    })
    .nullish(),
  timestamp: i64.optional()
})

export function parseWire<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  throw new ProtocolError(`LINE sent ${what} in an unexpected shape.`, { detail: issue ? `${issue.path.join('.')}: ${issue.message}` : undefined })
}

// ---- the hot operation shape, by hand ------------------------------------------------------
// Every operation of the SSE stream went through zod (about 7 µs each, issue 14). The common,
// well-formed shape is checked and copied here with exactly zod's output (shape keys first in
// shape order, then unknown keys in input order); anything this does not recognise as plainly
// valid goes to zod, so a bad operation gets the same typed error as before.

type Plain = Record<string, unknown>

const I64 = /^-?\d{1,20}$/
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v)
/** Fast-path field readers: the value as zod would output it, or NO when zod must decide. */
const NO = Symbol('no')
type Read = (v: unknown) => unknown

const optional =
  (read: Read): Read =>
  (v) =>
    v === undefined ? undefined : read(v)
const nullish =
  (read: Read): Read =>
  (v) =>
    v === undefined || v === null ? v : read(v)
const readI64: Read = (v) => (typeof v === 'string' ? (I64.test(v) ? v : NO) : Number.isSafeInteger(v) ? String(v) : NO)
const readInt: Read = (v) => (Number.isSafeInteger(v) ? v : NO)
const readText: Read = (v) => (typeof v === 'string' ? v : NO)
const readBoolean: Read = (v) => (typeof v === 'boolean' ? v : NO)
const readTexts: Read = (v) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? v.slice() : NO)
const readArray: Read = (v) => (Array.isArray(v) ? v.slice() : NO)
const readStringMap: Read = (v) => {
  if (!isPlain(v)) return NO
  const out: Record<string, string> = {}
  for (const k in v) {
    if (k === '__proto__' || !Object.hasOwn(v, k)) return NO
    const x = v[k]
    if (x !== null && x !== undefined) out[k] = String(x)
  }
  return out
}

function looseReader(shape: Record<string, Read>): Read {
  const keys = Object.keys(shape)
  return (v) => {
    if (!isPlain(v)) return NO
    const out: Plain = {}
    for (const k of keys) {
      const present = k in v
      const value = shape[k]!(v[k])
      if (value === NO) return NO
      if (value !== undefined || present) out[k] = value
    }
    for (const k in v) {
      if (k === '__proto__' || !Object.hasOwn(v, k)) return NO
      if (!Object.hasOwn(shape, k)) out[k] = v[k]
    }
    return out
  }
}

const readMessage = looseReader({
  from: optional(readText),
  to: optional(readText),
  toType: optional(readInt),
  id: optional(readText),
  createdTime: optional(readI64),
  deliveredTime: optional(readI64),
  text: nullish(readText),
  hasContent: optional(readBoolean),
  contentType: optional(readInt),
  contentMetadata: nullish(readStringMap),
  sessionId: optional(readInt),
  chunks: nullish(readTexts),
  relatedMessageId: nullish(readText),
  messageRelationType: nullish(readInt),
  relatedMessageServiceCode: nullish(readInt),
  reactions: nullish(readArray)
})

const readOperation = looseReader({
  revision: optional(readI64),
  createdTime: optional(readI64),
  type: readInt,
  reqSeq: optional(readInt),
  status: optional(readInt),
  param1: nullish(readText),
  param2: nullish(readText),
  param3: nullish(readText),
  message: nullish(readMessage)
})

/** `parseWire(OperationWire, value, what)`, with the common shape read without zod. */
export function parseOperation(value: unknown, what: string): Operation {
  const fast = readOperation(value)
  return fast === NO ? parseWire(OperationWire, value, what) : (fast as Operation)
}

/**
 * `parseOperation`, except that an operation in a shape we cannot read but with a readable
 * revision becomes an UNREADABLE_OPERATION (with its message's id and parties where they are
 * plain strings): asking for it again brings the same shape, and until localRev moves past
 * it every poll or stream would stop at it. Without a revision it throws as before.
 */
export function parseOperationOrPassOver(value: unknown, what: string): Operation {
  try {
    return parseOperation(value, what)
  } catch (error) {
    const raw = (value as { revision?: unknown } | null)?.revision
    const revision = typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 ? String(raw) : raw
    if (typeof revision !== 'string' || !/^\d{1,20}$/.test(revision)) throw error
    const { id, from, to } = (isPlain((value as Plain).message) ? (value as Plain).message : {}) as Plain
    const hint = typeof id === 'string' && typeof from === 'string' && typeof to === 'string' ? { message: { id, from, to } } : {}
    return { revision, type: UNREADABLE_OPERATION, ...hint }
  }
}
