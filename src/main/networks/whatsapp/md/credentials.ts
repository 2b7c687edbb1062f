// The saved credentials (spec §5.1, §5.4): created before the first connection, completed by
// pair-success. Sealed by Core's Vault; validated on restore. Ratchet state is not here: it
// lives in the key store (signal/store.ts) and commits with the messages it decrypted.

import { z } from 'zod'
import { JunctionError } from '../../../../shared/errors'
import type { Credentials } from '../../connector'
import { generateKeyPair, randomBytesArray, signalPublic, xeddsaSign, type KeyPair } from './crypto'

/** The `protocol` saved credentials carry, so a restore picks the multi-device protocol (../connector.ts). */
export const MD_PROTOCOL = 'md'

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/)
const pair = z.object({ public: b64, private: b64 })

const schema = z.object({
  noiseKey: pair,
  identityKey: pair,
  registrationId: z.number().int().min(0).max(0xffffffff),
  signedPreKey: z.object({ id: z.number().int().min(1).max(0xffffff), public: b64, private: b64, signature: b64 }),
  advSecret: b64,
  /** Set by pair-success. */
  me: z.object({ jid: z.string().min(3), lid: z.string().optional(), name: z.string().optional() }).optional(),
  /** ADVSignedDeviceIdentity with all four fields (spec §5.4), sent with every pkmsg. */
  account: b64.optional(),
  platform: z.string().optional(),
  routingInfo: b64.optional()
})

export type SavedCredentials = z.infer<typeof schema>

export interface MdCredentials {
  noiseKey: KeyPair
  identityKey: KeyPair
  registrationId: number
  signedPreKey: { id: number; keyPair: KeyPair; signature: Uint8Array }
  advSecret: Uint8Array
  me?: { jid: string; lid?: string; name?: string }
  account?: Uint8Array
  platform?: string
  routingInfo?: Uint8Array
}

const enc = (b: Uint8Array): string => Buffer.from(b).toString('base64')
const dec = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'))
const encPair = (k: KeyPair): { public: string; private: string } => ({ public: enc(k.public), private: enc(k.private) })
const decPair = (k: { public: string; private: string }): KeyPair => ({ public: dec(k.public), private: dec(k.private) })

/** spec §5.1: fresh keys; the registration id is 14 bits (fits both libraries, spec §14.2). */
export function createCredentials(): MdCredentials {
  const identityKey = generateKeyPair()
  const spk = generateKeyPair()
  return {
    noiseKey: generateKeyPair(),
    identityKey,
    registrationId: ((randomBytesArray(2)[0]! << 8) | randomBytesArray(1)[0]!) & 0x3fff,
    signedPreKey: { id: 1, keyPair: spk, signature: xeddsaSign(identityKey.private, signalPublic(spk.public)) },
    advSecret: randomBytesArray(32)
  }
}

export function toSaved(c: MdCredentials): Credentials {
  const saved: SavedCredentials = {
    noiseKey: encPair(c.noiseKey),
    identityKey: encPair(c.identityKey),
    registrationId: c.registrationId,
    signedPreKey: { id: c.signedPreKey.id, ...encPair(c.signedPreKey.keyPair), signature: enc(c.signedPreKey.signature) },
    advSecret: enc(c.advSecret),
    ...(c.me ? { me: c.me } : {}),
    ...(c.account ? { account: enc(c.account) } : {}),
    ...(c.platform ? { platform: c.platform } : {}),
    ...(c.routingInfo ? { routingInfo: enc(c.routingInfo) } : {})
  }
  return { protocol: MD_PROTOCOL, ...saved }
}

export function parseCredentials(raw: Credentials): MdCredentials {
  const result = schema.safeParse(raw)
  if (!result.success) throw new JunctionError('auth-failed', 'The saved WhatsApp session could not be read.', { reason: { code: 'credentials-damaged' } })
  const s = result.data
  return {
    noiseKey: decPair(s.noiseKey),
    identityKey: decPair(s.identityKey),
    registrationId: s.registrationId,
    signedPreKey: { id: s.signedPreKey.id, keyPair: decPair(s.signedPreKey), signature: dec(s.signedPreKey.signature) },
    advSecret: dec(s.advSecret),
    ...(s.me ? { me: s.me } : {}),
    ...(s.account ? { account: dec(s.account) } : {}),
    ...(s.platform ? { platform: s.platform } : {}),
    ...(s.routingInfo ? { routingInfo: dec(s.routingInfo) } : {})
  }
}
