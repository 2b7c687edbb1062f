// The IDL subset the legacy transport needs (spec §6.1, §6.3, §6.6, §9.2), keyed by
// field id and named with the gateway's JSON names, so a Thrift struct and its JSON
// form are the same object: i64 as decimal strings, binary as standard base64.

export type FieldType =
  | 'bool'
  | 'byte'
  | 'i16'
  | 'i32'
  | 'i64'
  | 'double'
  | 'string'
  | 'binary'
  | { struct: StructSchema }
  | { list: FieldType }
  | { set: FieldType }
  | { map: readonly [FieldType, FieldType] }

export interface FieldDef {
  id: number
  name: string
  type: FieldType
}

export interface StructSchema {
  name: string
  /** In field-id order: the order they are written in, as Apache-generated code does (spec §9.4). */
  fields: readonly FieldDef[]
}

function struct(name: string, fields: [number, string, FieldType][]): StructSchema {
  return { name, fields: fields.map(([id, n, type]) => ({ id, name: n, type })).sort((a, b) => a.id - b.id) }
}

export const LocationSchema = struct('Location', [
  [1, 'title', 'string'],
  [2, 'address', 'string'],
  [3, 'latitude', 'double'],
  [4, 'longitude', 'double'],
  [5, 'phone', 'string'],
  [6, 'categoryId', 'string'],
  [7, 'provider', 'i32'],
  [8, 'accuracy', 'double'],
  [9, 'altitudeMeters', 'double']
])

export const ReactionTypeSchema = struct('ReactionType', [[1, 'predefinedReactionType', 'i32']])

export const ReactionSchema = struct('Reaction', [
  [1, 'fromUserMid', 'string'],
  [2, 'atMillis', 'i64'],
  [3, 'reactionType', { struct: ReactionTypeSchema }]
])

/** spec §6.1. `contentPreview` is binary as in CHRLINE/purple-line (spec §10.3). */
export const MessageSchema = struct('Message', [
  [1, 'from', 'string'],
  [2, 'to', 'string'],
  [3, 'toType', 'i32'],
  [4, 'id', 'string'],
  [5, 'createdTime', 'i64'],
  [6, 'deliveredTime', 'i64'],
  [10, 'text', 'string'],
  [11, 'location', { struct: LocationSchema }],
  [14, 'hasContent', 'bool'],
  [15, 'contentType', 'i32'],
  [17, 'contentPreview', 'binary'],
  [18, 'contentMetadata', { map: ['string', 'string'] }],
  [19, 'sessionId', 'byte'],
  [20, 'chunks', { list: 'binary' }],
  [21, 'relatedMessageId', 'string'],
  [22, 'messageRelationType', 'i32'],
  [23, 'readCount', 'i32'],
  [24, 'relatedMessageServiceCode', 'i32'],
  [25, 'appExtensionType', 'i32'],
  [27, 'reactions', { list: { struct: ReactionSchema } }]
])

/** spec §6.3. */
export const OperationSchema = struct('Operation', [
  [1, 'revision', 'i64'],
  [2, 'createdTime', 'i64'],
  [3, 'type', 'i32'],
  [4, 'reqSeq', 'i32'],
  [5, 'checksum', 'string'],
  [7, 'status', 'i32'],
  [10, 'param1', 'string'],
  [11, 'param2', 'string'],
  [12, 'param3', 'string'],
  [20, 'message', { struct: MessageSchema }]
])

/** spec §6.6. */
export const TalkExceptionSchema = struct('TalkException', [
  [1, 'code', 'i32'],
  [2, 'reason', 'string'],
  [3, 'parameterMap', { map: ['string', 'string'] }]
])

/** spec §9.2: what an EXCEPTION-type message carries. */
export const ApplicationExceptionSchema = struct('TApplicationException', [
  [1, 'message', 'string'],
  [2, 'type', 'i32']
])

/** spec §6.6: the Letter Sealing keychain, after unwrapping (TCompact). */
export const KeychainKeySchema = struct('E2EEKey', [
  [1, 'version', 'i32'],
  [2, 'keyId', 'i32'],
  [4, 'publicKey', 'binary'],
  [5, 'privateKey', 'binary'],
  [6, 'createdTime', 'i64']
])
export const KeychainSchema = struct('E2EEKeyChain', [[1, 'keys', { list: { struct: KeychainKeySchema } }]])

export interface MethodSchema {
  args: StructSchema
  /** Field 0 of the result struct; absent for void methods. */
  success?: FieldType
  /** Declared exceptions of the result struct (TalkException at id 1). */
  exceptions: readonly FieldDef[]
}

const talkException: FieldDef = { id: 1, name: 'e', type: { struct: TalkExceptionSchema } }

/** The TalkService methods the legacy transport carries (spec §5, §9.4). */
export const METHODS: Record<string, MethodSchema> = {
  sendMessage: {
    args: struct('sendMessage_args', [
      [1, 'seq', 'i32'],
      [2, 'message', { struct: MessageSchema }]
    ]),
    success: { struct: MessageSchema },
    exceptions: [talkException]
  },
  // spec §9.4: the argument ids are 2 and 3, not 1 and 2.
  fetchOperations: {
    args: struct('fetchOperations_args', [
      [2, 'localRev', 'i64'],
      [3, 'count', 'i32']
    ]),
    success: { list: { struct: OperationSchema } },
    exceptions: [talkException]
  }
}
