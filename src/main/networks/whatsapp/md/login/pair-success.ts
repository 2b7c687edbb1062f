// spec §5.4: what the companion does with pair-success — HMAC over the signed identity with
// the adv secret (constant time), the phone's account signature over our identity key
// (checked: Baileys's verifier ignored the result, spec §2.4), our device signature, reply.

import { JunctionError } from '../../../../../shared/errors'
import type { BinaryNode } from '../binary'
import { concat, constantTimeEqual, hmacSha256, xeddsaSign, xeddsaVerify } from '../crypto'
import type { MdCredentials } from '../credentials'
import { decodeProto, encodeProto, type ADVDeviceIdentity, type ADVSignedDeviceIdentity, type ADVSignedDeviceIdentityHMAC } from '../proto'
import { bytesOf, childOf, node, S_WHATSAPP_NET } from '../stanza'

const HOSTED = 1
const prefix = (a: number, b: number): Uint8Array => Uint8Array.of(a, b)

export interface Paired {
  credentials: MdCredentials
  reply: BinaryNode
}

export class PairingRefused extends JunctionError {
  constructor(
    readonly code401Text: 'hmac-mismatch' | 'signature-mismatch',
    message: string
  ) {
    super('integrity', message, { reason: { code: 'protocol-error', params: { detail: code401Text } } })
  }
}

export function pairErrorReply(id: string, code: string, text: string): BinaryNode {
  return node('iq', { to: S_WHATSAPP_NET, type: 'error', id }, [node('error', { code, text })])
}

/** Verifies a pair-success iq and returns the completed credentials and the reply to send. */
export function completePairing(iq: BinaryNode, creds: MdCredentials): Paired {
  const success = childOf(iq, 'pair-success')
  const container = bytesOf(childOf(success, 'device-identity'))
  const device = childOf(success, 'device')
  if (!container || !device?.attrs.jid) throw new JunctionError('protocol', 'The pair-success is incomplete.')
  const hmac = decodeProto<ADVSignedDeviceIdentityHMAC>('ADVSignedDeviceIdentityHMAC', container)
  if (!hmac.details || !hmac.hmac) throw new JunctionError('protocol', 'The pair-success identity is incomplete.')
  const hosted = hmac.accountType === HOSTED
  const expected = hmacSha256(creds.advSecret, hosted ? concat(prefix(6, 5), hmac.details) : hmac.details)
  if (!constantTimeEqual(expected, hmac.hmac)) throw new PairingRefused('hmac-mismatch', 'The phone’s pairing answer does not match this QR code.')
  const signed = decodeProto<ADVSignedDeviceIdentity>('ADVSignedDeviceIdentity', hmac.details)
  const { details, accountSignatureKey, accountSignature } = signed
  if (!details || accountSignatureKey?.length !== 32 || accountSignature?.length !== 64)
    throw new PairingRefused('signature-mismatch', 'The phone’s signature is missing.')
  const identity = decodeProto<ADVDeviceIdentity>('ADVDeviceIdentity', details)
  const accountPrefix = identity.deviceType === HOSTED ? prefix(6, 5) : prefix(6, 0)
  if (!xeddsaVerify(accountSignatureKey, concat(accountPrefix, details, creds.identityKey.public), accountSignature))
    throw new PairingRefused('signature-mismatch', 'The phone’s signature over this device does not verify.')
  const deviceSignature = xeddsaSign(creds.identityKey.private, concat(prefix(6, 1), details, creds.identityKey.public, accountSignatureKey))
  const account = encodeProto('ADVSignedDeviceIdentity', { details, accountSignatureKey, accountSignature, deviceSignature })
  const platform = childOf(success, 'platform')?.attrs.name
  const name = childOf(success, 'biz')?.attrs.name
  const credentials: MdCredentials = {
    ...creds,
    me: { jid: device.attrs.jid, ...(device.attrs.lid ? { lid: device.attrs.lid } : {}), ...(name ? { name } : {}) },
    account,
    ...(platform ? { platform } : {})
  }
  // spec §5.4 step 5: the reply carries no accountSignatureKey.
  const replyIdentity = encodeProto('ADVSignedDeviceIdentity', { details, accountSignature, deviceSignature })
  const reply = node('iq', { to: S_WHATSAPP_NET, type: 'result', id: iq.attrs.id ?? '' }, [
    node('pair-device-sign', {}, [node('device-identity', { 'key-index': String(identity.keyIndex ?? 0) }, replyIdentity)])
  ])
  return { credentials, reply }
}
