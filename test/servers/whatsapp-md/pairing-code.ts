// The simulated phone's side of phone-number pairing (spec §5.6), a second reading: accept
// companion_hello on a registration connection (either nonce form), and when the person
// types the code on the phone, unwrap the companion's ephemeral key with it, send our own
// wrapped ephemeral and identity, open the key bundle of companion_finish, derive the new adv
// secret and continue exactly as a QR scan (§5.3, pairing.ts) with it.

import { createCipheriv, createDecipheriv, hkdfSync, pbkdf2Sync, randomBytes } from 'node:crypto'
import type { BinaryNode } from '../../../src/main/networks/whatsapp/md/binary'
import type { ServerConnection } from './connection'
import type { Hub, PendingRegistration } from './hub'
import { b64, dh, randomPair, type Pair } from './keys'
import { scanQr } from './pairing'
import { bytesOf, child, node, SERVER } from './stanzas'

const ROUNDS = 2 << 16

interface PendingCode {
  conn: ServerConnection
  reg: PendingRegistration
  phone: string
  ref: string
  wrapped: Uint8Array
  /** Set once the code was entered on the phone. */
  entered?: { phoneEphemeral: Pair; companionEphemeral: Uint8Array; finish: (result: { jid: string } | Error) => void }
}

function ctr(code: string, salt: Uint8Array, iv: Uint8Array, data: Uint8Array, decrypt: boolean): Buffer {
  const key = pbkdf2Sync(code, salt, ROUNDS, 32, 'sha256')
  const c = decrypt ? createDecipheriv('aes-256-ctr', key, iv) : createCipheriv('aes-256-ctr', key, iv)
  return Buffer.concat([c.update(data), c.final()])
}

export class PairingCodeServer {
  private readonly pending = new Map<string, PendingCode>()
  /** The nonce forms companions sent (Baileys "0" text, whatsmeow one 00 byte; spec §5.6 step 3). */
  readonly nonces: string[] = []

  constructor(private readonly hub: Hub) {}

  /** `<iq xmlns="md"><link_code_companion_reg stage=…>` from a connection that has not logged in. */
  iq(conn: ServerConnection, iq: BinaryNode): void {
    const reg = child(iq, 'link_code_companion_reg')
    const answer = (content?: BinaryNode[]): void => conn.send(node('iq', { type: 'result', id: iq.attrs.id ?? '', from: SERVER }, content))
    const refuse = (code: string, text: string): void =>
      conn.send(node('iq', { type: 'error', id: iq.attrs.id ?? '', from: SERVER }, [node('error', { code, text })]))
    const phone = (reg?.attrs.jid ?? '').split('@')[0] ?? ''
    if (reg?.attrs.stage === 'companion_hello') {
      const registration = [...this.hub.registrations.values()].find((r) => r.conn === conn)
      const wrapped = bytesOf(child(reg, 'link_code_pairing_wrapped_companion_ephemeral_pub'))
      const authKey = bytesOf(child(reg, 'companion_server_auth_key_pub'))
      const nonce = child(reg, 'link_code_pairing_nonce')
      if (!registration || wrapped?.length !== 80 || !authKey || b64(authKey) !== b64(registration.noiseKey) || !/^\d{6,15}$/.test(phone))
        return refuse('400', 'bad-request')
      this.nonces.push(typeof nonce?.content === 'string' ? `text:${nonce.content}` : `bytes:${Buffer.from(bytesOf(nonce) ?? []).toString('hex')}`)
      const ref = randomBytes(16).toString('base64')
      this.pending.set(phone, { conn, reg: registration, phone, ref, wrapped })
      return answer([node('link_code_companion_reg', {}, [node('link_code_pairing_ref', {}, ref)])])
    }
    if (reg?.attrs.stage === 'companion_finish') {
      const p = this.pending.get(phone)
      const ref = bytesOf(child(reg, 'link_code_pairing_ref'))
      if (!p?.entered || !ref || Buffer.from(ref).toString() !== p.ref) return refuse('404', 'item-not-found')
      const bundle = bytesOf(child(reg, 'link_code_pairing_wrapped_key_bundle')) ?? new Uint8Array()
      const companionIdentity = bytesOf(child(reg, 'companion_identity_public')) ?? new Uint8Array()
      const { phoneEphemeral, companionEphemeral, finish } = p.entered
      this.pending.delete(phone)
      let advSecret: Buffer
      try {
        const shared = dh(phoneEphemeral.priv, companionEphemeral)
        const bundleKey = Buffer.from(hkdfSync('sha256', shared, bundle.subarray(0, 32), 'link_code_pairing_key_bundle_encryption_key', 32))
        const d = createDecipheriv('aes-256-gcm', bundleKey, bundle.subarray(32, 44))
        d.setAuthTag(bundle.subarray(bundle.length - 16))
        const plain = Buffer.concat([d.update(bundle.subarray(44, bundle.length - 16)), d.final()])
        const phoneIdentity = this.hub.world.phones.get(phone)!.identity
        if (b64(plain.subarray(0, 32)) !== b64(companionIdentity) || b64(companionIdentity) !== b64(p.reg.identity))
          throw new Error('the bundle names another companion')
        if (b64(plain.subarray(32, 64)) !== b64(phoneIdentity.pub)) throw new Error('the bundle names another phone')
        const idShared = dh(phoneIdentity.priv, companionIdentity)
        advSecret = Buffer.from(hkdfSync('sha256', Buffer.concat([shared, idShared, plain.subarray(64, 96)]), Buffer.alloc(32), 'adv_secret', 32))
      } catch (error) {
        refuse('401', 'not-authorized')
        return finish(error instanceof Error ? error : new Error(String(error)))
      }
      answer()
      // spec §5.6 step 5: from here it is §5.3 with the new adv secret.
      const qr = `https://wa.me/settings/linked_devices#${p.reg.refs[0]},${b64(p.reg.noiseKey)},${b64(p.reg.identity)},${b64(advSecret)},7`
      void scanQr(this.hub, qr, phone).then(finish, (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))))
      return
    }
    refuse('400', 'bad-request')
  }

  /** The person types `code` on the phone of `phone`: resolves once the device is linked. */
  enter(phone: string, code: string): Promise<{ jid: string }> {
    const p = this.pending.get(phone)
    if (!p || !p.conn.isOpen) return Promise.reject(new Error(`no companion waits for a code for ${phone}`))
    const normalized = code.replace(/-/g, '').toUpperCase()
    const companionEphemeral = ctr(normalized, p.wrapped.subarray(0, 32), p.wrapped.subarray(32, 48), p.wrapped.subarray(48), true)
    const phoneEphemeral = randomPair()
    const salt = randomBytes(32)
    const iv = randomBytes(16)
    const wrapped = Buffer.concat([salt, iv, ctr(normalized, salt, iv, phoneEphemeral.pub, false)])
    this.hub.world.account(phone)
    const identity = this.hub.world.phones.get(phone)!.identity
    return new Promise((resolve, reject) => {
      p.entered = { phoneEphemeral, companionEphemeral, finish: (r) => (r instanceof Error ? reject(r) : resolve(r)) }
      p.conn.send(
        node('notification', { from: SERVER, type: 'link_code_companion_reg', id: this.hub.nextId() }, [
          node('link_code_companion_reg', {}, [
            node('link_code_pairing_ref', {}, p.ref),
            node('link_code_pairing_wrapped_primary_ephemeral_pub', {}, wrapped),
            node('primary_identity_pub', {}, identity.pub)
          ])
        ])
      )
    })
  }
}
