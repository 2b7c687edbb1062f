// The base64-encoded ActiveSync query value (MS-ASHTTP 2.2.1.1.1.1; spec §14.2): protocol
// version, command code, locale, device id, policy key, device type and optional
// command parameters packed into one URL-safe-ish blob in place of `?Cmd=…&DeviceId=…`.

import { ProtocolError } from '../../../../shared/errors'

/** spec §14.2: command codes. */
export const ACTIVESYNC_COMMANDS = {
  Sync: 0,
  SendMail: 1,
  SmartForward: 2,
  SmartReply: 3,
  GetAttachment: 4,
  FolderSync: 9,
  FolderCreate: 10,
  FolderDelete: 11,
  FolderUpdate: 12,
  MoveItems: 13,
  GetItemEstimate: 14,
  MeetingResponse: 15,
  Search: 16,
  Settings: 17,
  Ping: 18,
  ItemOperations: 19,
  Provision: 20,
  ResolveRecipients: 21,
  ValidateCert: 22
} as const
export type ActiveSyncCommand = keyof typeof ACTIVESYNC_COMMANDS

export interface ActiveSyncQuery {
  /** 140 = ActiveSync 14.0 (121 = 12.1, 141 = 14.1, 160/161 = 16.x). */
  protocolVersion: number
  command: ActiveSyncCommand
  /** A Windows LCID, e.g. 0x0409 (en-US). */
  locale: number
  deviceId: string
  policyKey: number | null
  deviceType: string
  /** Command parameters: tag 0 AttachmentName, 1 CollectionId, 3 ItemId, 4 LongId, 6 Occurrence, 7 Options, 8 User. */
  parameters?: { tag: number; value: Uint8Array }[]
}

function shortString(value: string, what: string): Buffer {
  const bytes = Buffer.from(value, 'utf8')
  if (bytes.length > 255) throw new ProtocolError(`The ActiveSync ${what} is too long.`)
  return bytes
}

export function encodeActiveSyncQuery(q: ActiveSyncQuery): string {
  const out: number[] = [q.protocolVersion & 0xff, ACTIVESYNC_COMMANDS[q.command], q.locale & 0xff, (q.locale >> 8) & 0xff]
  const deviceId = shortString(q.deviceId, 'device id')
  out.push(deviceId.length, ...deviceId)
  if (q.policyKey === null) out.push(0)
  else out.push(4, q.policyKey & 0xff, (q.policyKey >>> 8) & 0xff, (q.policyKey >>> 16) & 0xff, (q.policyKey >>> 24) & 0xff)
  const deviceType = shortString(q.deviceType, 'device type')
  out.push(deviceType.length, ...deviceType)
  for (const p of q.parameters ?? []) {
    if (p.value.length > 255) throw new ProtocolError('An ActiveSync command parameter is too long.')
    out.push(p.tag, p.value.length, ...p.value)
  }
  return Buffer.from(out).toString('base64')
}

export function decodeActiveSyncQuery(base64: string): ActiveSyncQuery {
  if (!/^[A-Za-z0-9+/]{4,1400}={0,2}$/.test(base64)) throw new ProtocolError('Not an ActiveSync query value.')
  const b = Buffer.from(base64, 'base64')
  let pos = 0
  const byte = (): number => {
    if (pos >= b.length) throw new ProtocolError('An ActiveSync query value ended early.')
    return b[pos++]!
  }
  const bytes = (n: number): Buffer => {
    if (pos + n > b.length) throw new ProtocolError('An ActiveSync query value ended early.')
    const out = b.subarray(pos, pos + n)
    pos += n
    return out
  }
  const protocolVersion = byte()
  const code = byte()
  const command = (Object.keys(ACTIVESYNC_COMMANDS) as ActiveSyncCommand[]).find((k) => ACTIVESYNC_COMMANDS[k] === code)
  if (command === undefined) throw new ProtocolError('An ActiveSync query value named an unknown command.')
  const locale = byte() | (byte() << 8)
  const deviceId = bytes(byte()).toString('utf8')
  const keyLength = byte()
  if (keyLength !== 0 && keyLength !== 4) throw new ProtocolError('An ActiveSync policy key must be 0 or 4 bytes.')
  const policyKey = keyLength === 4 ? bytes(4).readUInt32LE(0) : null
  const deviceType = bytes(byte()).toString('utf8')
  const parameters: { tag: number; value: Uint8Array }[] = []
  while (pos < b.length) {
    const tag = byte()
    parameters.push({ tag, value: Uint8Array.from(bytes(byte())) })
  }
  return { protocolVersion, command, locale, deviceId, policyKey, deviceType, parameters }
}
