// The records the simulated LINE service keeps (world.ts): operations, users, chats,
// messages and reactions, group keys, tokens and the requests it recorded.

import type { ServerKey } from './server-crypto'

export interface WireOp {
  revision: string
  createdTime: string
  type: number
  reqSeq: number
  param1?: string
  param2?: string
  param3?: string
  message?: Record<string, unknown>
}

export interface WorldUser {
  mid: string
  displayName: string
  email: string | null
  password: string | null
  /** Letter Sealing on (the LINE app setting). */
  sealing: boolean
  keys: ServerKey[]
  activeKeyId: number
  contacts: string[]
  certificates: Set<string>
  revision: bigint
  ops: WireOp[]
  /** spec §6.7: the profile picture's path, when the user has one (profile-pictures.ts). */
  picturePath?: string
}

export interface WorldChat {
  mid: string
  name: string
  creator: string
  members: string[]
  createdTime: number
  /** spec §6.7: the group picture's path, when it has one. */
  picturePath?: string
}

export interface StoredMessage {
  from: string
  to: string
  toType: number
  id: string
  createdTime: number
  text?: string
  hasContent: boolean
  contentType: number
  contentMetadata: Record<string, string>
  chunks?: string[]
  /** spec §6.1 fields 21, 22, 24: a reply (relation 3) or forward (0) of another message. */
  relatedMessageId?: string
  messageRelationType?: number
  relatedMessageServiceCode?: number
  /** spec §6.1 field 27: one predefined reaction per person, server-filled. */
  reactions?: WorldReaction[]
  /** Unsent (spec §5 unsendMessage): gone from history; the ops 64/65 tell the devices. */
  unsent?: boolean
}

export interface WorldReaction {
  fromUserMid: string
  atMillis: number
  predefinedReactionType: number
}

/** spec §5: `messageUnsendPeriodMillis` — unsendMessage answers 71 after this. */
export const UNSEND_PERIOD_MS = 86_400_000

export interface GroupKeyRecord {
  groupKeyId: number
  creator: string
  creatorKeyId: number
  entries: Map<string, { keyId: number; encryptedSharedKey: string }>
}

export interface TokenRecord {
  mid: string
  accessToken: string
  refreshToken: string
  expiresAtMs: number
  revoked: boolean
  loginSessionId: string
}

export interface RecordedRequest {
  method: string
  path: string
  headers: Record<string, string>
  body: string
  status: number
  response: string
  responseHeaders: Record<string, string | string[]>
}
