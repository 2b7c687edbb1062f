// Letter Sealing policy (spec §8.7, capture 002's "Practical Takeaway"): whether a chat
// can be sealed, with which keys, and the keys to open what arrives. One-to-one chats
// negotiate the peer's key (no allowed types → plain); groups use the group shared key,
// create one when there is none, and go plain when a member has sealing off (98).

import { JunctionError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import { decryptV1, decryptV2, encryptV2, newGroupPrivateKey, sealedKeyIds, unwrapGroupKey, wrapGroupKey, x25519Shared } from './crypto'
import { isTalkError, TALK } from './errors'
import type { Keychain, SealingKey } from './keychain'
import type { TalkApi } from './session'
import type { GroupSharedKey, Message } from './wire'

export interface Sealed {
  chunks: string[]
  /** spec §13: send e2eeVersion, contentType and e2eeMark. */
  contentMetadata: Record<string, string>
}

interface GroupKey {
  groupKeyId: number
  groupPriv: Uint8Array
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'))

/** spec §3: u → USER, r → ROOM, c → GROUP, case-insensitive (44-char `U…` MIDs exist). */
export function toTypeOf(mid: string): 0 | 1 | 2 {
  const c = mid.charAt(0).toLowerCase()
  return c === 'c' ? 2 : c === 'r' ? 1 : 0
}

export class LetterSealing {
  private readonly peers = new Map<string, { at: number; key: { keyId: number; keyData: string } | null; allowed: number[] }>()
  private readonly groupKeys = new Map<string, GroupKey>()
  private readonly groupKeysById = new Map<string, GroupKey>()
  private readonly publicKeys = new Map<string, Uint8Array>()
  /** Chats the server told to go plain (98) until this time. */
  private readonly plainUntil = new Map<string, number>()
  /** X25519 results by key pair: the same peer key gives the same secret, and computing it is the slow part. */
  private readonly secrets = new Map<string, Uint8Array>()

  constructor(
    private readonly talk: TalkApi,
    private readonly selfMid: string,
    private readonly keychain: Keychain | null,
    private readonly peerKeyTtlMs: number,
    private readonly log: Logger
  ) {}

  /** Base64 of the key arrays kept in the caches above (stable objects), for the secrets' ids. */
  private readonly keyIds = new WeakMap<Uint8Array, string>()

  private keyId(key: Uint8Array | string): string {
    if (typeof key === 'string') return key
    let id = this.keyIds.get(key)
    if (id === undefined) this.keyIds.set(key, (id = b64(key)))
    return id
  }

  /** Keys as held (base64 from the keychain or a peer, or bytes); decoded only when the secret is new. */
  private shared(priv: Uint8Array | string, pub: Uint8Array | string): Uint8Array {
    const id = `${this.keyId(priv)}|${this.keyId(pub)}`
    let secret = this.secrets.get(id)
    if (!secret) {
      secret = x25519Shared(typeof priv === 'string' ? bytes(priv) : priv, typeof pub === 'string' ? bytes(pub) : pub)
      if (this.secrets.size >= 1_000) this.secrets.delete(this.secrets.keys().next().value!)
      this.secrets.set(id, secret)
    }
    return secret
  }

  get enabled(): boolean {
    return this.keychain !== null
  }

  private ownKey(keyId?: number): SealingKey {
    const chain = this.keychain
    if (!chain) throw new JunctionError('integrity', 'This account has no Letter Sealing keys.')
    const key = chain.keys.find((k) => k.keyId === (keyId ?? chain.activeKeyId))
    if (!key) throw new JunctionError('integrity', 'A sealed message uses a key this device does not have.', { detail: `keyId ${keyId}` })
    return key
  }

  /** Forget what was learned about a chat (83/84/86: keys changed; 99: recreate the group key). */
  forget(chatMid: string): void {
    this.peers.delete(chatMid)
    this.groupKeys.delete(chatMid)
    this.plainUntil.delete(chatMid)
  }

  /** 98 E2EE_RETRY_PLAIN on send: plain for this chat for a while. */
  preferPlain(chatMid: string): void {
    this.plainUntil.set(chatMid, Date.now() + this.peerKeyTtlMs)
  }

  /** Seals `payload` for the chat, or null when the chat must be plain (spec §8.7). */
  async seal(chatMid: string, contentType: number, payload: object, force = false): Promise<Sealed | null> {
    if (!this.keychain) return null // spec §8.7 1:1 step 1: an account without keys sends plain.
    if (!force && (this.plainUntil.get(chatMid) ?? 0) > Date.now()) return null
    const toType = toTypeOf(chatMid)
    const own = this.ownKey()
    let secret: Uint8Array
    let receiverKeyId: number
    if (toType === 0) {
      const peer = await this.negotiate(chatMid)
      if (!peer.key || !peer.allowed.includes(contentType)) return null
      secret = this.shared(own.privateKey, peer.key.keyData)
      receiverKeyId = peer.key.keyId
    } else {
      const group = await this.groupKeyForSending(chatMid)
      if (!group) return null
      // spec §8.2: the sender computes X25519(groupPriv, ownPub).
      secret = this.shared(group.groupPriv, own.publicKey)
      receiverKeyId = group.groupKeyId
    }
    const chunks = encryptV2(
      { secret, from: this.selfMid, to: chatMid, senderKeyId: own.keyId, receiverKeyId, contentType },
      new TextEncoder().encode(JSON.stringify(payload))
    )
    return { chunks: chunks.map(b64), contentMetadata: { e2eeVersion: '2', contentType: String(contentType), e2eeMark: '2' } }
  }

  private async negotiate(peer: string) {
    const cached = this.peers.get(peer)
    if (cached && Date.now() - cached.at < this.peerKeyTtlMs) return cached
    const result = await this.talk.negotiateE2EEPublicKey(peer)
    // capture 002 step 5: `{"allowedTypes":[],"specVersion":-1}` for a peer with sealing off.
    const usable = result.specVersion !== -1 && result.allowedTypes.length > 0 && result.publicKey
    const entry = { at: Date.now(), key: usable ? { keyId: result.publicKey!.keyId, keyData: result.publicKey!.keyData } : null, allowed: result.allowedTypes }
    this.peers.set(peer, entry)
    if (usable) this.publicKeys.set(`${peer}:${entry.key!.keyId}`, bytes(entry.key!.keyData))
    return entry
  }

  /** spec §8.7 group steps 1–2, as capture 002 step 7: group key, or 5 → member keys, or 98/100 → plain. */
  private async groupKeyForSending(chatMid: string): Promise<GroupKey | null> {
    const cached = this.groupKeys.get(chatMid)
    if (cached) return cached
    try {
      return this.remember(chatMid, await this.unwrapGroup(chatMid, await this.talk.getLastE2EEGroupSharedKey(chatMid)))
    } catch (error) {
      if (!isTalkError(error, TALK.NOT_FOUND)) throw error
    }
    let members
    try {
      members = await this.talk.getLastE2EEPublicKeys(chatMid)
    } catch (error) {
      if (isTalkError(error, TALK.E2EE_RETRY_PLAIN, TALK.E2EE_GROUP_TOO_MANY_MEMBERS)) {
        this.log.debug({ chatMid, code: error.info.talkCode }, 'group cannot be sealed; sending plain')
        this.preferPlain(chatMid)
        return null
      }
      throw error
    }
    return this.remember(chatMid, await this.createGroupKey(chatMid, members))
  }

  /** spec §8.3: a new clamped group key, wrapped for every member (ourselves included). */
  private async createGroupKey(chatMid: string, members: Record<string, { keyId: number; keyData: string }>): Promise<GroupKey> {
    const own = this.ownKey()
    const groupPriv = newGroupPrivateKey()
    const all = {
      ...members,
      [this.selfMid]: (Object.hasOwn(members, this.selfMid) ? members[this.selfMid] : undefined) ?? { keyId: own.keyId, keyData: own.publicKey }
    }
    const mids = Object.keys(all)
    const keyIds = mids.map((m) => all[m]!.keyId)
    const wrapped = mids.map((m) => b64(wrapGroupKey(bytes(own.privateKey), bytes(all[m]!.keyData), groupPriv)))
    const registered = await this.talk.registerE2EEGroupKey(chatMid, mids, keyIds, wrapped)
    return { groupKeyId: registered.groupKeyId, groupPriv }
  }

  private remember(chatMid: string, key: GroupKey): GroupKey {
    this.groupKeys.set(chatMid, key)
    this.groupKeysById.set(`${chatMid}:${key.groupKeyId}`, key)
    return key
  }

  private async unwrapGroup(chatMid: string, shared: GroupSharedKey): Promise<GroupKey> {
    const own = this.ownKey(shared.receiverKeyId)
    const creatorPub = await this.publicKey(shared.creator, shared.creatorKeyId)
    const groupPriv = unwrapGroupKey(bytes(own.privateKey), creatorPub, bytes(shared.encryptedSharedKey))
    return { groupKeyId: shared.groupKeyId, groupPriv }
  }

  /** A public key held already (our own as the keychain's base64, or a peer's), or undefined. */
  private knownPublicKey(mid: string, keyId: number): Uint8Array | string | undefined {
    if (mid === this.selfMid && this.keychain?.keys.some((k) => k.keyId === keyId)) return this.ownKey(keyId).publicKey
    return this.publicKeys.get(`${mid}:${keyId}`)
  }

  private async publicKey(mid: string, keyId: number): Promise<Uint8Array> {
    if (mid === this.selfMid && this.keychain?.keys.some((k) => k.keyId === keyId)) return bytes(this.ownKey(keyId).publicKey)
    const id = `${mid}:${keyId}`
    const hit = this.publicKeys.get(id)
    if (hit) return hit
    const key = await this.talk.getE2EEPublicKey(mid, 1, keyId)
    const pub = bytes(key.keyData)
    this.publicKeys.set(id, pub)
    return pub
  }

  /** Opens a sealed message (spec §8.2, §8.4, §8.5): the decrypted payload object. */
  async open(m: Message): Promise<Record<string, unknown>> {
    // Buffers as decoded, not copied into fresh Uint8Arrays: this runs for every sealed message.
    const chunks = (m.chunks ?? []).map((c) => Buffer.from(c, 'base64'))
    const { senderKeyId, receiverKeyId } = sealedKeyIds(chunks)
    const from = m.from ?? ''
    const to = m.to ?? ''
    const contentType = m.contentType ?? 0
    // Known keys are taken without awaiting (one message after another hits the same caches).
    let secret: Uint8Array
    if (toTypeOf(to) === 0) {
      secret =
        from === this.selfMid
          ? this.shared(this.ownKey(senderKeyId).privateKey, this.knownPublicKey(to, receiverKeyId) ?? (await this.publicKey(to, receiverKeyId)))
          : this.shared(this.ownKey(receiverKeyId).privateKey, this.knownPublicKey(from, senderKeyId) ?? (await this.publicKey(from, senderKeyId)))
    } else {
      const group = this.groupKeysById.get(`${to}:${receiverKeyId}`) ?? (await this.groupKeyById(to, receiverKeyId))
      secret = this.shared(group.groupPriv, this.knownPublicKey(from, senderKeyId) ?? (await this.publicKey(from, senderKeyId)))
    }
    const plain = m.contentMetadata?.e2eeVersion === '1' ? decryptV1(secret, chunks) : decryptV2({ secret, from, to, contentType }, chunks)
    try {
      const text = Buffer.isBuffer(plain) ? plain.toString('utf8') : Buffer.from(plain.buffer, plain.byteOffset, plain.length).toString('utf8')
      const payload = JSON.parse(text) as unknown
      if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) return payload as Record<string, unknown>
    } catch {
      // fall through
    }
    throw new JunctionError('integrity', 'A sealed message held something other than a payload.')
  }

  private async groupKeyById(chatMid: string, groupKeyId: number): Promise<GroupKey> {
    const hit = this.groupKeysById.get(`${chatMid}:${groupKeyId}`)
    if (hit) return hit
    const key = await this.unwrapGroup(chatMid, await this.talk.getE2EEGroupSharedKey(chatMid, groupKeyId))
    this.groupKeysById.set(`${chatMid}:${groupKeyId}`, key)
    return key
  }
}
