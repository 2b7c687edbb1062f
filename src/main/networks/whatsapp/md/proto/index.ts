// The multi-device protobufs (proto/whatsapp-md.proto), loaded from the JSON descriptor pbjs
// generates, so no .proto parsing happens at run time. Decoding failures are ProtocolErrors.

import protobuf from 'protobufjs/light'
import { ProtocolError } from '../../../../../shared/errors'
import descriptor from './gen/whatsapp-md.json'

const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace)

export type ProtoName =
  | 'HandshakeMessage'
  | 'CertChain'
  | 'CertChain.NoiseCertificate.Details'
  | 'ClientPayload'
  | 'DeviceProps'
  | 'ADVSignedDeviceIdentityHMAC'
  | 'ADVSignedDeviceIdentity'
  | 'ADVDeviceIdentity'
  | 'Message'
  | 'HistorySync'
  | 'SyncdPatch'
  | 'SyncdSnapshot'
  | 'SyncdMutations'
  | 'SyncActionData'
  | 'ExternalBlobReference'
  | 'ServerErrorReceipt'
  | 'MediaRetryNotification'
  | 'WebMessageInfo'

const types = new Map<ProtoName, protobuf.Type>()
function typeOf(name: ProtoName): protobuf.Type {
  let type = types.get(name)
  if (!type) {
    type = root.lookupType(`junction.wamd.${name}`)
    types.set(name, type)
  }
  return type
}

/** Decodes to a plain object: bytes as Uint8Array, 64-bit integers as numbers, only fields present. */
export function decodeProto<T>(name: ProtoName, bytes: Uint8Array): T {
  try {
    const type = typeOf(name)
    return type.toObject(type.decode(bytes), { longs: Number, enums: Number }) as T
  } catch (cause) {
    throw new ProtocolError(`A WhatsApp ${name} could not be decoded.`, { cause })
  }
}

export function encodeProto(name: ProtoName, value: object): Uint8Array {
  const type = typeOf(name)
  const problem = type.verify(value)
  if (problem) throw new ProtocolError(`A WhatsApp ${name} could not be encoded: ${problem}.`)
  return type.encode(type.fromObject(value)).finish()
}

export interface HandshakeMessage {
  clientHello?: { ephemeral?: Uint8Array; static?: Uint8Array; payload?: Uint8Array }
  serverHello?: { ephemeral?: Uint8Array; static?: Uint8Array; payload?: Uint8Array }
  clientFinish?: { static?: Uint8Array; payload?: Uint8Array }
}

export interface NoiseCertificate {
  details?: Uint8Array
  signature?: Uint8Array
}

export interface CertChain {
  leaf?: NoiseCertificate
  intermediate?: NoiseCertificate
}

export interface CertDetails {
  serial?: number
  issuerSerial?: number
  key?: Uint8Array
  notBefore?: number
  notAfter?: number
}

export interface AppVersion {
  primary: number
  secondary: number
  tertiary: number
}

export interface ClientPayload {
  username?: number
  passive?: boolean
  userAgent?: {
    platform?: number
    appVersion?: AppVersion
    mcc?: string
    mnc?: string
    osVersion?: string
    device?: string
    osBuildNumber?: string
    releaseChannel?: number
    localeLanguageIso6391?: string
    localeCountryIso31661Alpha2?: string
  }
  webInfo?: { webSubPlatform?: number }
  pushName?: string
  connectType?: number
  connectReason?: number
  device?: number
  devicePairingData?: {
    eRegid?: Uint8Array
    eKeytype?: Uint8Array
    eIdent?: Uint8Array
    eSkeyId?: Uint8Array
    eSkeyVal?: Uint8Array
    eSkeySig?: Uint8Array
    buildHash?: Uint8Array
    deviceProps?: Uint8Array
  }
  lc?: number
  pull?: boolean
  lidDbMigrated?: boolean
}

export interface ADVSignedDeviceIdentityHMAC {
  details?: Uint8Array
  hmac?: Uint8Array
  accountType?: number
}

export interface ADVSignedDeviceIdentity {
  details?: Uint8Array
  accountSignatureKey?: Uint8Array
  accountSignature?: Uint8Array
  deviceSignature?: Uint8Array
}

export interface ADVDeviceIdentity {
  rawId?: number
  timestamp?: number
  keyIndex?: number
  accountType?: number
  deviceType?: number
}

export interface MessageKey {
  remoteJid?: string
  fromMe?: boolean
  id?: string
  participant?: string
}

export interface WAMessage {
  conversation?: string
  senderKeyDistributionMessage?: { groupId?: string; axolotlSenderKeyDistributionMessage?: Uint8Array }
  extendedTextMessage?: { text?: string; contextInfo?: { stanzaId?: string; participant?: string; quotedMessage?: WAMessage } }
  protocolMessage?: {
    key?: MessageKey
    type?: number
    historySyncNotification?: HistorySyncNotification
    appStateSyncKeyShare?: { keys?: AppStateSyncKey[] }
    editedMessage?: WAMessage
    timestampMs?: number
  }
  imageMessage?: WAMediaMessage & { caption?: string; height?: number; width?: number; jpegThumbnail?: Uint8Array }
  videoMessage?: WAMediaMessage & { caption?: string; seconds?: number; gifPlayback?: boolean; height?: number; width?: number; jpegThumbnail?: Uint8Array }
  ptvMessage?: WAMediaMessage & { caption?: string; seconds?: number; height?: number; width?: number; jpegThumbnail?: Uint8Array }
  audioMessage?: WAMediaMessage & { seconds?: number; ptt?: boolean }
  documentMessage?: WAMediaMessage & { title?: string; fileName?: string; pageCount?: number; caption?: string; jpegThumbnail?: Uint8Array }
  stickerMessage?: WAMediaMessage & { height?: number; width?: number; isAnimated?: boolean; pngThumbnail?: Uint8Array }
  deviceSentMessage?: { destinationJid?: string; message?: WAMessage; phash?: string }
  messageContextInfo?: { messageSecret?: Uint8Array }
  reactionMessage?: { key?: MessageKey; text?: string; senderTimestampMs?: number }
  viewOnceMessage?: { message?: WAMessage }
  ephemeralMessage?: { message?: WAMessage }
  documentWithCaptionMessage?: { message?: WAMessage }
  viewOnceMessageV2?: { message?: WAMessage }
  editedMessage?: { message?: WAMessage }
}

/** spec §7.8: the fields every media message has (numbers differ per kind; the .proto has them). */
export interface WAMediaMessage {
  url?: string
  mimetype?: string
  fileSha256?: Uint8Array
  fileLength?: number
  mediaKey?: Uint8Array
  fileEncSha256?: Uint8Array
  directPath?: string
  mediaKeyTimestamp?: number
  contextInfo?: { stanzaId?: string; participant?: string; quotedMessage?: WAMessage }
}

/** spec §9.1 */
export interface AppStateSyncKey {
  keyId?: { keyId?: Uint8Array }
  keyData?: { keyData?: Uint8Array; timestamp?: number }
}

/** spec §10.1 */
export interface HistorySyncNotification {
  fileSha256?: Uint8Array
  fileLength?: number
  mediaKey?: Uint8Array
  fileEncSha256?: Uint8Array
  directPath?: string
  syncType?: number
  chunkOrder?: number
  originalMessageId?: string
  progress?: number
  oldestMsgInChunkTimestampSec?: number
  initialHistBootstrapInlinePayload?: Uint8Array
}

/** spec §10.2: the stored form of a message. */
export interface WebMessageInfo {
  key?: MessageKey
  message?: WAMessage
  messageTimestamp?: number
  status?: number
  participant?: string
  pushName?: string
}

export interface HistoryConversation {
  id?: string
  messages?: Array<{ message?: WebMessageInfo; msgOrderId?: number }>
  lastMsgTimestamp?: number
  unreadCount?: number
  conversationTimestamp?: number
  name?: string
  archived?: boolean
  pinned?: number
  muteEndTime?: number
  displayName?: string
  pnJid?: string
  lidJid?: string
}

/** spec §10.2 */
export interface HistorySync {
  syncType?: number
  conversations?: HistoryConversation[]
  chunkOrder?: number
  progress?: number
  pushnames?: Array<{ id?: string; pushname?: string }>
  phoneNumberToLidMappings?: Array<{ pnJid?: string; lidJid?: string }>
}
