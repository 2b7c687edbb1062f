// spec §5.6: linking with a phone number instead of a QR. On a registration connection (after
// pair-device) the companion sends its pairing ephemeral key wrapped with a key derived from
// an 8-character code, shows the code, and waits for the phone's wrapped ephemeral key; the
// key bundle it answers with replaces the adv secret, and pairing ends as for a QR (§5.4).

import { createCipheriv, createDecipheriv, pbkdf2 } from 'node:crypto'
import { JunctionError } from '../../../../../shared/errors'
import type { LoginIO } from '../../../connector'
import type { BinaryNode } from '../binary'
import type { MdCredentials } from '../credentials'
import { aesGcmSeal, concat, generateKeyPair, hkdf, randomBytesArray, x25519Shared, type KeyPair } from '../crypto'
import type { MdSession } from '../session'
import { bytesOf, childOf, node, S_WHATSAPP_NET, textOf } from '../stanza'
import { completePairing, pairErrorReply, PairingRefused } from './pair-success'

/** spec §5.6 step 1 (Baileys `bytesToCrockford`). */
const CROCKFORD = '123456789ABCDEFGHJKLMNPQRSTVWXYZ'
const PBKDF2_ROUNDS = 2 << 16
/** How long the code is shown before the login gives up (the phone's own prompt expires sooner). */
export const PAIRING_CODE_TTL_MS = 180_000

export function bytesToCrockford(bytes: Uint8Array): string {
  let value = 0
  let bits = 0
  let out = ''
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += CROCKFORD[(value << (5 - bits)) & 31]
  return out
}

export function pairingKey(code: string, salt: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    pbkdf2(code, salt, PBKDF2_ROUNDS, 32, 'sha256', (error, key) => (error ? reject(error) : resolve(new Uint8Array(key))))
  )
}

function ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-256-ctr', key, iv)
  return concat(c.update(data), c.final())
}

/** salt(32) ‖ iv(16) ‖ AES-256-CTR(PBKDF2(code, salt), iv, pub) — 80 bytes. */
export async function wrapEphemeral(code: string, pub: Uint8Array, salt = randomBytesArray(32), iv = randomBytesArray(16)): Promise<Uint8Array> {
  return concat(salt, iv, ctr(await pairingKey(code, salt), iv, pub))
}

export async function unwrapEphemeral(code: string, wrapped: Uint8Array): Promise<Uint8Array> {
  if (wrapped.length !== 80) throw new JunctionError('protocol', 'The phone’s pairing key has the wrong length.')
  const key = await pairingKey(code, wrapped.subarray(0, 32))
  const d = createDecipheriv('aes-256-ctr', key, wrapped.subarray(32, 48))
  return concat(d.update(wrapped.subarray(48)), d.final())
}

/** spec §5.6 step 4: the key bundle for the phone and the adv secret that replaces ours. */
export function keyBundle(
  ephemeral: KeyPair,
  identity: KeyPair,
  primaryEphemeral: Uint8Array,
  primaryIdentity: Uint8Array,
  random = { salt: randomBytesArray(32), iv: randomBytesArray(12), r: randomBytesArray(32) }
): { bundle: Uint8Array; advSecret: Uint8Array } {
  const shared = x25519Shared(ephemeral.private, primaryEphemeral)
  const bundleKey = hkdf(shared, 32, random.salt, 'link_code_pairing_key_bundle_encryption_key')
  const sealed = aesGcmSeal(bundleKey, random.iv, concat(identity.public, primaryIdentity, random.r), new Uint8Array(0))
  const idShared = x25519Shared(identity.private, primaryIdentity)
  const advSecret = hkdf(concat(shared, idShared, random.r), 32, null, 'adv_secret')
  return { bundle: concat(random.salt, random.iv, sealed), advSecret }
}

/** The code as the phone's prompt shows it (whatsmeow's XXXX-XXXX). */
export function displayCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`
}

/** A phone number as digits only (country code first), or null when it cannot be one (E.164: up to 15 digits). */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/[\s().+-]/g, '')
  return /^[1-9]\d{5,14}$/.test(digits) ? digits : null
}

export interface PairingCodeOptions {
  platformId: string
  platformDisplay: string
}

const reg = (phone: string, stage: string, attrs: Record<string, string>, content: BinaryNode[]): BinaryNode =>
  node('iq', { to: S_WHATSAPP_NET, type: 'set', xmlns: 'md' }, [node('link_code_companion_reg', { jid: `${phone}@s.whatsapp.net`, stage, ...attrs }, content)])

/** spec §5.6 step 3: the companion_hello iq (Baileys's shape; the nonce as the text "0"). */
export function companionHello(phone: string, wrapped: Uint8Array, noisePublic: Uint8Array, o: PairingCodeOptions): BinaryNode {
  return reg(phone, 'companion_hello', { should_show_push_notification: 'true' }, [
    node('link_code_pairing_wrapped_companion_ephemeral_pub', {}, wrapped),
    node('companion_server_auth_key_pub', {}, noisePublic),
    node('companion_platform_id', {}, o.platformId),
    node('companion_platform_display', {}, o.platformDisplay),
    node('link_code_pairing_nonce', {}, '0')
  ])
}

/**
 * Runs §5.6 on one registration connection: waits for pair-device, sends companion_hello,
 * shows the code (a `pin` step), answers the phone with companion_finish and resolves with
 * the credentials pair-success gives (the server then sends 515, as for a QR).
 */
export function pairByCode(session: MdSession, creds: MdCredentials, io: LoginIO, phone: string, o: PairingCodeOptions): Promise<MdCredentials> {
  return new Promise<MdCredentials>((resolve, reject) => {
    const code = bytesToCrockford(randomBytesArray(5))
    const ephemeral = generateKeyPair()
    let ref: string | null = null
    let advCreds: MdCredentials | null = null
    let done = false
    const timer = setTimeout(
      () => finish(null, new JunctionError('timeout', 'The pairing code was not entered on the phone in time.', { reason: { code: 'timeout' } })),
      PAIRING_CODE_TTL_MS
    )
    const finish = (value: MdCredentials | null, error?: unknown): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      io.signal.removeEventListener('abort', onAbort)
      if (error || !value) reject(error)
      else resolve(value)
    }
    const onAbort = (): void => finish(null, new JunctionError('cancelled', 'The login was cancelled.'))
    io.signal.addEventListener('abort', onAbort)
    void session.ended.then((why) => finish(null, why ?? new JunctionError('network', 'The WhatsApp connection closed during pairing.')))

    const hello = async (): Promise<void> => {
      const wrapped = await wrapEphemeral(code, ephemeral.public)
      const reply = await session.query(companionHello(phone, wrapped, creds.noiseKey.public, o))
      ref = textOf(childOf(childOf(reply, 'link_code_companion_reg'), 'link_code_pairing_ref')) ?? null
      if (!ref) throw new JunctionError('protocol', 'WhatsApp did not answer the pairing-code request with a reference.')
      io.step({ kind: 'pin', pin: displayCode(code), expiresAt: Date.now() + PAIRING_CODE_TTL_MS })
    }

    const primaryReady = async (n: BinaryNode): Promise<void> => {
      const r = childOf(n, 'link_code_companion_reg')
      if (textOf(childOf(r, 'link_code_pairing_ref')) !== ref) throw new JunctionError('protocol', 'The phone answered a different pairing request.')
      const wrapped = bytesOf(childOf(r, 'link_code_pairing_wrapped_primary_ephemeral_pub'))
      const primaryIdentity = bytesOf(childOf(r, 'primary_identity_pub'))
      if (!wrapped || primaryIdentity?.length !== 32) throw new JunctionError('protocol', 'The phone’s pairing answer is incomplete.')
      const primaryEphemeral = await unwrapEphemeral(code, wrapped)
      const { bundle, advSecret } = keyBundle(ephemeral, creds.identityKey, primaryEphemeral, primaryIdentity)
      advCreds = { ...creds, advSecret }
      await session
        .query(
          reg(phone, 'companion_finish', {}, [
            node('link_code_pairing_wrapped_key_bundle', {}, bundle),
            node('companion_identity_public', {}, creds.identityKey.public),
            node('link_code_pairing_ref', {}, ref!)
          ])
        )
        .catch((cause: unknown) => {
          // The phone could not open our key bundle: the code typed there was not the one shown.
          throw new JunctionError('auth-failed', 'The phone did not accept the pairing code.', { cause, reason: { code: 'credentials-refused' } })
        })
      io.step({ kind: 'progress', stage: 'verifying' })
    }

    session.onStanza((n: BinaryNode) => {
      if (n.tag === 'notification' && n.attrs.type === 'link_code_companion_reg') {
        session.send(node('ack', { class: 'notification', id: n.attrs.id ?? '', to: n.attrs.from ?? S_WHATSAPP_NET, type: 'link_code_companion_reg' }))
        return void primaryReady(n).catch((error: unknown) => finish(null, error))
      }
      if (n.tag !== 'iq' || n.attrs.xmlns !== 'md' || n.attrs.type !== 'set') return
      const id = n.attrs.id ?? ''
      if (childOf(n, 'pair-device')) {
        session.send(node('iq', { to: S_WHATSAPP_NET, type: 'result', id }))
        // spec §5.6: the refs are for a QR; a renewal does not restart the code.
        if (ref === null) void hello().catch((error: unknown) => finish(null, error))
        return
      }
      if (childOf(n, 'pair-success')) {
        // spec §5.6 step 5: pair-success is checked with the adv secret the bundle made.
        if (!advCreds) {
          session.send(pairErrorReply(id, '401', 'not-authorized'))
          return finish(null, new JunctionError('protocol', 'WhatsApp finished pairing before the phone confirmed the code.'))
        }
        try {
          const paired = completePairing(n, advCreds)
          session.send(paired.reply)
          finish(paired.credentials)
        } catch (error) {
          const text = error instanceof PairingRefused ? error.code401Text : 'internal-error'
          session.send(pairErrorReply(id, error instanceof PairingRefused ? '401' : '500', text))
          finish(null, error)
        }
      }
    })
  })
}

/** The login method that links with a code instead of a QR (whatsapp/connector.ts offers it). */
export const PHONE_CODE_METHOD = 'phone-code'

/** The first step of a phone-code login: the account's phone number, asked again until it can be one. */
export async function askPhone(io: LoginIO, given: string | undefined): Promise<string> {
  const first = given === undefined ? null : normalizePhone(given)
  if (first) return first
  let error = given !== undefined
  for (;;) {
    io.step({
      kind: 'input',
      fields: [{ name: 'phone', kind: 'phone', label: 'Phone number', hint: 'With the country code, as on the phone: +1 555 123 4567' }],
      ...(error ? { error: { code: 'credentials-refused' as const } } : {})
    })
    const phone = normalizePhone((await io.waitForInput()).phone ?? '')
    if (phone) return phone
    error = true
  }
}
