// Encrypt and decrypt one device's envelope through libsignal (spec §6.5, §6.6), with
// WhatsApp's padding: send 1–15, accept 1–16 and check the pad bytes (spec §14.2).

import { ProtocolAddress, SessionBuilder, SessionCipher } from 'libsignal'
import { JunctionError, ProtocolError } from '../../../../../shared/errors'
import { parseJid, signalAddressName } from '../binary'
import { randomBytesArray, signalPublic, xeddsaVerify } from '../crypto'
import type { SignalStore } from './store'

export interface Bundle {
  registrationId: number
  identity: Uint8Array
  signedPreKey: { id: number; public: Uint8Array; signature: Uint8Array }
  preKey?: { id: number; public: Uint8Array }
}

/** `name.device` for a device JID (spec §3.5). */
export function signalAddress(deviceJid: string): ProtocolAddress {
  const jid = parseJid(deviceJid)
  if (!jid) throw new ProtocolError('Not a WhatsApp device address.')
  return new ProtocolAddress(signalAddressName(jid), jid.device)
}

export function pad(bytes: Uint8Array): Uint8Array {
  const n = randomBytesArray(1)[0]! & 0x0f || 15
  const out = new Uint8Array(bytes.length + n)
  out.set(bytes)
  out.fill(n, bytes.length)
  return out
}

export function unpad(bytes: Uint8Array): Uint8Array {
  const n = bytes[bytes.length - 1] ?? 0
  if (n < 1 || n > 16 || n > bytes.length) throw new ProtocolError('A WhatsApp message has bad padding.')
  for (let i = bytes.length - n; i < bytes.length; i++) if (bytes[i] !== n) throw new ProtocolError('A WhatsApp message has bad padding.')
  return bytes.subarray(0, bytes.length - n)
}

/** spec §6.4: the signed pre-key signature is verified (libsignal-node skips it). */
export async function buildSession(store: SignalStore, deviceJid: string, bundle: Bundle): Promise<void> {
  if (!xeddsaVerify(bundle.identity, signalPublic(bundle.signedPreKey.public), bundle.signedPreKey.signature))
    throw new JunctionError('integrity', 'A contact’s signed pre-key does not verify.')
  await new SessionBuilder(store.libsignal() as never, signalAddress(deviceJid)).initOutgoing({
    registrationId: bundle.registrationId,
    identityKey: Buffer.from(signalPublic(bundle.identity)),
    signedPreKey: {
      keyId: bundle.signedPreKey.id,
      publicKey: Buffer.from(signalPublic(bundle.signedPreKey.public)),
      signature: Buffer.from(bundle.signedPreKey.signature)
    },
    ...(bundle.preKey ? { preKey: { keyId: bundle.preKey.id, publicKey: Buffer.from(signalPublic(bundle.preKey.public)) } } : {})
  } as never)
}

export async function encryptFor(store: SignalStore, deviceJid: string, plaintext: Uint8Array): Promise<{ type: 'pkmsg' | 'msg'; body: Uint8Array }> {
  const out = await new SessionCipher(store.libsignal() as never, signalAddress(deviceJid)).encrypt(Buffer.from(pad(plaintext)))
  return { type: out.type === 3 ? 'pkmsg' : 'msg', body: new Uint8Array(out.body as unknown as Uint8Array) }
}

export async function decryptFrom(store: SignalStore, deviceJid: string, type: string, body: Uint8Array): Promise<Uint8Array> {
  const cipher = new SessionCipher(store.libsignal() as never, signalAddress(deviceJid))
  let plain: Buffer
  try {
    if (type === 'pkmsg') plain = await cipher.decryptPreKeyWhisperMessage(Buffer.from(body))
    else if (type === 'msg') plain = await cipher.decryptWhisperMessage(Buffer.from(body))
    else throw new ProtocolError(`Unsupported WhatsApp envelope ${type}.`)
  } catch (cause) {
    if (cause instanceof JunctionError) throw cause
    throw new JunctionError('integrity', 'A WhatsApp message could not be decrypted.', { cause })
  }
  return unpad(new Uint8Array(plain))
}
