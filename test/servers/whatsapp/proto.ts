// The reference server's own protobuf schema for WebMessageInfo (spec §7.1/§7.2), parsed
// from this inline text rather than the client's .proto file: a second reading of the field
// numbers, so a numbering mistake on either side shows up as a failing test.

import protobuf from 'protobufjs'

const SCHEMA = `
syntax = "proto2";
package phone;
message Key { optional string remoteJid = 1; optional bool fromMe = 2; optional string id = 3; optional string participant = 4; }
message Image {
  optional string url = 1; optional string mimetype = 2; optional string caption = 3; optional bytes fileSha256 = 4;
  optional uint64 fileLength = 5; optional uint32 height = 6; optional uint32 width = 7; optional bytes mediaKey = 8;
  optional bytes fileEncSha256 = 9; optional string directPath = 11; optional int64 mediaKeyTimestamp = 12;
  optional bytes jpegThumbnail = 16;
}
message Sticker {
  optional string url = 1; optional bytes fileSha256 = 2; optional bytes fileEncSha256 = 3; optional bytes mediaKey = 4;
  optional string mimetype = 5; optional uint32 height = 6; optional uint32 width = 7; optional string directPath = 8;
  optional uint64 fileLength = 9;
}
message Document {
  optional string url = 1; optional string mimetype = 2; optional string title = 3; optional bytes fileSha256 = 4;
  optional uint64 fileLength = 5; optional bytes mediaKey = 7; optional string fileName = 8; optional bytes fileEncSha256 = 9;
  optional string directPath = 10; optional int64 mediaKeyTimestamp = 11;
}
// spec §7.2 ContextInfo (a quoted reply): 1 stanzaId, 2 participant, 3 quotedMessage, 4 remoteJid.
message ContextInfo { optional string stanzaId = 1; optional string participant = 2; optional Content quotedMessage = 3; optional string remoteJid = 4; }
message ExtText { optional string text = 1; optional string matchedText = 2; optional string title = 6; optional ContextInfo contextInfo = 17; }
message Video {
  optional string url = 1; optional string mimetype = 2; optional bytes fileSha256 = 3; optional uint64 fileLength = 4; optional uint32 seconds = 5;
  optional bytes mediaKey = 6; optional string caption = 7; optional bool gifPlayback = 8; optional uint32 height = 9; optional uint32 width = 10;
  optional bytes fileEncSha256 = 11; optional string directPath = 13; optional int64 mediaKeyTimestamp = 14;
}
message Audio {
  optional string url = 1; optional string mimetype = 2; optional bytes fileSha256 = 3; optional uint64 fileLength = 4; optional uint32 seconds = 5;
  optional bool ptt = 6; optional bytes mediaKey = 7; optional bytes fileEncSha256 = 8; optional string directPath = 9; optional int64 mediaKeyTimestamp = 10;
}
message Location { optional double degreesLatitude = 1; optional double degreesLongitude = 2; optional string name = 3; }
message Revoke { optional Key key = 1; optional uint32 type = 2; }
message Content {
  optional string conversation = 1; optional Image imageMessage = 3; optional Location locationMessage = 5;
  optional ExtText extendedTextMessage = 6; optional Document documentMessage = 7; optional Audio audioMessage = 8; optional Video videoMessage = 9; optional Revoke protocolMessage = 12;
  optional Sticker stickerMessage = 26;
}
message Info {
  required Key key = 1; optional Content message = 2; optional uint64 messageTimestamp = 3; optional uint32 status = 4;
  optional string participant = 5; optional string pushName = 19; optional uint32 messageStubType = 24;
  repeated string messageStubParameters = 26;
}
`

const Info = protobuf.parse(SCHEMA).root.lookupType('phone.Info')

export interface PhoneMessageInfo {
  key: { remoteJid: string; fromMe: boolean; id: string; participant?: string }
  message?: Record<string, unknown>
  messageTimestamp?: number
  status?: number
  participant?: string
  pushName?: string
  messageStubType?: number
  messageStubParameters?: string[]
}

export function encodeInfo(info: PhoneMessageInfo): Uint8Array {
  const problem = Info.verify(info)
  if (problem) throw new Error(`bad message info: ${problem}`)
  return Info.encode(Info.fromObject(info)).finish()
}

export function decodeInfo(bytes: Uint8Array): PhoneMessageInfo {
  return Info.toObject(Info.decode(bytes), { longs: Number }) as PhoneMessageInfo
}
