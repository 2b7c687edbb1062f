// The WebMessageInfo protobuf (spec §7), loaded from the JSON descriptor that pbjs generates
// from proto/whatsapp.proto (see the command in that file), so that no .proto parsing
// happens at run time and the bundler inlines the schema.

import protobuf from 'protobufjs/light'
import { ProtocolError } from '../../../../../shared/errors'
import descriptor from './gen/whatsapp.json'

const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace)
const WebMessageInfoType = root.lookupType('junction.whatsapp.WebMessageInfo')

export interface WAMessageKey {
  remoteJid?: string
  fromMe?: boolean
  id?: string
  participant?: string
}

export interface WAMediaFields {
  url?: string
  directPath?: string
  mimetype?: string
  caption?: string
  mediaKey?: Uint8Array
  fileSha256?: Uint8Array
  fileEncSha256?: Uint8Array
  fileLength?: number
  width?: number
  height?: number
  seconds?: number
  ptt?: boolean
  fileName?: string
  title?: string
  isAnimated?: boolean
  mediaKeyTimestamp?: number
  jpegThumbnail?: Uint8Array
  /** spec §7.2: field 17 of every media message, as on extendedTextMessage. */
  contextInfo?: WAContextInfo
}

/** spec §7.2 ContextInfo: what a quoted reply names (the quoted message's id, author and content). */
export interface WAContextInfo {
  stanzaId?: string
  participant?: string
  quotedMessage?: WAMessageContent
  remoteJid?: string
}

export interface WAMessageContent {
  conversation?: string
  extendedTextMessage?: { text?: string; contextInfo?: WAContextInfo }
  imageMessage?: WAMediaFields
  stickerMessage?: WAMediaFields
  videoMessage?: WAMediaFields & { gifPlayback?: boolean }
  audioMessage?: WAMediaFields
  documentMessage?: WAMediaFields
  contactMessage?: { displayName?: string }
  contactsArrayMessage?: { displayName?: string; contacts?: { displayName?: string }[] }
  locationMessage?: { degreesLatitude?: number; degreesLongitude?: number; name?: string; address?: string }
  liveLocationMessage?: { caption?: string }
  protocolMessage?: { key?: WAMessageKey; type?: number }
  groupInviteMessage?: { groupName?: string }
  call?: object
  chat?: { displayName?: string }
  viewOnceMessage?: { message?: WAMessageContent }
  ephemeralMessage?: { message?: WAMessageContent }
}

export interface WebMessageInfo {
  key: WAMessageKey
  message?: WAMessageContent
  messageTimestamp?: number
  status?: number
  participant?: string
  pushName?: string
  messageStubType?: number
  messageStubParameters?: string[]
  broadcast?: boolean
}

export const STATUS = { ERROR: 0, PENDING: 1, SERVER_ACK: 2, DELIVERY_ACK: 3, READ: 4, PLAYED: 5 } as const

export function decodeWebMessageInfo(bytes: Uint8Array): WebMessageInfo {
  try {
    const decoded = WebMessageInfoType.decode(bytes)
    // Plain object with only the fields present; uint64 as numbers (seconds and sizes fit).
    return WebMessageInfoType.toObject(decoded, { longs: Number, enums: Number }) as WebMessageInfo
  } catch (cause) {
    throw new ProtocolError('A WhatsApp message could not be decoded.', { cause })
  }
}

export function encodeWebMessageInfo(info: WebMessageInfo): Uint8Array {
  const problem = WebMessageInfoType.verify(info)
  if (problem) throw new ProtocolError(`A WhatsApp message could not be encoded: ${problem}.`)
  return WebMessageInfoType.encode(WebMessageInfoType.fromObject(info)).finish()
}
