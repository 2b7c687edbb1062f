// A simulated device (the phone, or a contact's phone) that is a real Signal endpoint through
// libsignal (spec §6.5), with its own in-memory stores that serialise to JSON for persistence.

import { randomBytes } from 'node:crypto'
import { ProtocolAddress, SessionBuilder, SessionCipher, SessionRecord } from 'libsignal'
import { decodeProto, encodeProto, type WAMessage } from '../../../src/main/networks/whatsapp/md/proto'
import { b64, labelledPair, sign, unb64, type Pair } from './keys'
import { distribution, fromDistribution, newOwnKey, open, seal, type SimSenderKey } from './sender-keys'

export interface PublicBundle {
  registrationId: number
  identity: Uint8Array
  signedPreKey: { id: number; pub: Uint8Array; signature: Uint8Array }
  preKey?: { id: number; pub: Uint8Array }
}

export interface SimDeviceState {
  label: string
  registrationId: number
  sessions: Record<string, unknown>
  usedPreKeys: number[]
  /** Sender keys by `group::user::device` (received) or `group::own` (spec §6.7). */
  senderKeys?: Record<string, SimSenderKey[]>
}

const buf = (b: Uint8Array): Buffer => Buffer.from(b)
const withType = (pub: Uint8Array): Buffer => Buffer.from([5, ...pub])

export class SimDevice {
  readonly identity: Pair
  readonly signedPreKey: Pair & { id: number; signature: Uint8Array }
  readonly preKeys: Array<Pair & { id: number }>
  private readonly sessions = new Map<string, unknown>()
  private readonly usedPreKeys: Set<number>
  private readonly senderKeys = new Map<string, SimSenderKey[]>()

  constructor(private readonly state: SimDeviceState) {
    this.identity = labelledPair(`${state.label}: identity`)
    const spk = labelledPair(`${state.label}: signed prekey 1`)
    this.signedPreKey = { ...spk, id: 1, signature: sign(this.identity.priv, withType(spk.pub)) }
    this.preKeys = Array.from({ length: 20 }, (_, i) => ({ ...labelledPair(`${state.label}: prekey ${i + 1}`), id: i + 1 }))
    for (const [k, v] of Object.entries(state.sessions)) this.sessions.set(k, v)
    this.usedPreKeys = new Set(state.usedPreKeys)
    for (const [k, v] of Object.entries(state.senderKeys ?? {})) this.senderKeys.set(k, v)
  }

  static create(label: string): SimDevice {
    return new SimDevice({ label, registrationId: randomBytes(2).readUInt16BE() & 0x3fff, sessions: {}, usedPreKeys: [] })
  }

  toJSON(): SimDeviceState {
    return { ...this.state, sessions: Object.fromEntries(this.sessions), usedPreKeys: [...this.usedPreKeys], senderKeys: Object.fromEntries(this.senderKeys) }
  }

  /** The bundle the directory hands out; the one-time key is consumed (spec §12.1). */
  bundle(): PublicBundle {
    const preKey = this.preKeys.find((k) => !this.usedPreKeys.has(k.id))
    if (preKey) this.usedPreKeys.add(preKey.id)
    return {
      registrationId: this.state.registrationId,
      identity: this.identity.pub,
      signedPreKey: { id: 1, pub: this.signedPreKey.pub, signature: this.signedPreKey.signature },
      ...(preKey ? { preKey: { id: preKey.id, pub: preKey.pub } } : {})
    }
  }

  private storage(): object {
    return {
      loadSession: async (id: string) => {
        const raw = this.sessions.get(id)
        return raw ? SessionRecord.deserialize(raw as Uint8Array) : undefined
      },
      storeSession: async (id: string, record: SessionRecord) => {
        this.sessions.set(id, JSON.parse(JSON.stringify(record.serialize())))
      },
      isTrustedIdentity: () => true,
      loadPreKey: async (id: number) => {
        const k = this.preKeys.find((p) => p.id === Number(id))
        return k ? { privKey: buf(k.priv), pubKey: withType(k.pub) } : undefined
      },
      removePreKey: () => {},
      loadSignedPreKey: () => ({ privKey: buf(this.signedPreKey.priv), pubKey: withType(this.signedPreKey.pub) }),
      getOurRegistrationId: () => this.state.registrationId,
      getOurIdentity: () => ({ privKey: buf(this.identity.priv), pubKey: withType(this.identity.pub) })
    }
  }

  hasSession(address: string): boolean {
    return this.sessions.has(address)
  }

  /** Drops the session with `address` (a test's "lost/corrupted session", answered by a retry, spec §7.4). */
  forgetSession(address: string): void {
    this.sessions.delete(address)
  }

  get registrationId(): number {
    return this.state.registrationId
  }

  /** spec §6.7: a sender's distribution message for a group. */
  processDistribution(group: string, sender: string, bytes: Uint8Array): void {
    const name = `${group}::${sender}`
    const got = fromDistribution(bytes)
    const keys = this.senderKeys.get(name) ?? []
    if (!keys.some((k) => k.id === got.id)) this.senderKeys.set(name, [got, ...keys].slice(0, 5))
  }

  groupDecrypt(group: string, sender: string, skmsg: Uint8Array): WAMessage {
    const name = `${group}::${sender}`
    const { plain, key } = open(this.senderKeys.get(name) ?? [], skmsg)
    this.senderKeys.set(
      name,
      (this.senderKeys.get(name) ?? []).map((k) => (k.id === key.id ? key : k))
    )
    return decodeProto<WAMessage>('Message', unpad(plain))
  }

  /** This device's distribution message for a group (its key created on first use). */
  ownDistribution(group: string): Uint8Array {
    const name = `${group}::own`
    const [k = newOwnKey()] = this.senderKeys.get(name) ?? []
    this.senderKeys.set(name, [k])
    return distribution(k)
  }

  groupEncrypt(group: string, message: WAMessage): Uint8Array {
    this.ownDistribution(group)
    const name = `${group}::own`
    const { skmsg, key } = seal(this.senderKeys.get(name)![0]!, pad(encodeProto('Message', message)))
    this.senderKeys.set(name, [key])
    return skmsg
  }

  /** Encrypts a padded Message for `address` ("user.device"), building a session from `bundle` when there is none. */
  async encrypt(address: string, message: WAMessage, bundle: () => PublicBundle | null): Promise<{ type: 'pkmsg' | 'msg'; body: Uint8Array }> {
    const [name, device] = splitAddress(address)
    const addr = new ProtocolAddress(name, device)
    const storage = this.storage() as never
    if (!this.sessions.has(addr.toString())) {
      const b = bundle()
      if (!b) throw new Error(`no bundle for ${address}`)
      await new SessionBuilder(storage, addr).initOutgoing({
        registrationId: b.registrationId,
        identityKey: withType(b.identity),
        signedPreKey: { keyId: b.signedPreKey.id, publicKey: withType(b.signedPreKey.pub), signature: buf(b.signedPreKey.signature) },
        ...(b.preKey ? { preKey: { keyId: b.preKey.id, publicKey: withType(b.preKey.pub) } } : {})
      } as never)
    }
    const out = await new SessionCipher(storage, addr).encrypt(buf(pad(encodeProto('Message', message))))
    return { type: out.type === 3 ? 'pkmsg' : 'msg', body: new Uint8Array(Buffer.from(out.body as unknown as Uint8Array)) }
  }

  async decrypt(address: string, type: string, body: Uint8Array): Promise<WAMessage> {
    const [name, device] = splitAddress(address)
    const cipher = new SessionCipher(this.storage() as never, new ProtocolAddress(name, device))
    const plain = type === 'pkmsg' ? await cipher.decryptPreKeyWhisperMessage(buf(body)) : await cipher.decryptWhisperMessage(buf(body))
    return decodeProto<WAMessage>('Message', unpad(new Uint8Array(plain)))
  }
}

function splitAddress(address: string): [string, number] {
  const dot = address.lastIndexOf('.')
  return [address.slice(0, dot), Number(address.slice(dot + 1))]
}

/** spec §6.6: 1–15 bytes of value n. */
export function pad(message: Uint8Array): Uint8Array {
  const n = 1 + (randomBytes(1)[0]! % 15)
  return Uint8Array.from([...message, ...new Array<number>(n).fill(n)])
}

export function unpad(padded: Uint8Array): Uint8Array {
  const n = padded[padded.length - 1] ?? 0
  if (n < 1 || n > 16 || n > padded.length) throw new Error('bad padding')
  return padded.subarray(0, padded.length - n)
}

export { b64, unb64 }
