// The simulated LINE phone: the account owner's primary device that scans the login QR and
// takes the PIN, and the other parties of the owner's chats, who write (sealed when every
// party has Letter Sealing on, as the real apps do), read, unsend, and open what the
// owner sent them — which is how tests prove a sealed message really was sealed.

import { randomBytes } from 'node:crypto'
import { canSeal } from './e2ee-handlers'
import { keyIdsOf, openV2, sealV2, shared, unwrapGroupKeyWith, wrapGroupKeyFor, type ServerKey } from './server-crypto'
import type { LineServer } from './server'
import { acceptSend } from './talk-handlers'
import type { GroupKeyRecord, StoredMessage, WorldUser } from './world'

function clamp(k: Buffer): Buffer {
  k[0]! &= 248
  k[31]! &= 127
  k[31]! |= 64
  return k
}

export class LinePhone {
  constructor(
    private readonly server: LineServer,
    readonly ownerMid: string
  ) {}

  private get world() {
    return this.server.world
  }

  get owner(): WorldUser {
    return this.world.user(this.ownerMid)
  }

  /** Opens the QR's callback URL and approves the login (spec §4.1). */
  async scan(payload: string): Promise<string> {
    this.server.auth.scan(payload, this.ownerMid)
    return `Approved the login as ${this.owner.displayName}. If the computer shows a PIN, type it here.`
  }

  /** Types the PIN the computer shows (QR login step 6, or the e-mail login). */
  async enterPin(pin: string): Promise<string> {
    return this.server.auth.enterPin(this.ownerMid, pin.trim())
  }

  async chats(): Promise<{ id: string; title: string }[]> {
    const direct = this.owner.contacts.map((mid) => ({ id: mid, title: this.world.user(mid).displayName }))
    const groups = [...this.world.chats.values()].filter((c) => c.members.includes(this.ownerMid)).map((c) => ({ id: c.mid, title: c.name }))
    return [...direct, ...groups]
  }

  /** Who writes in a chat: the peer of a 1:1 chat, or the first other member of a group. */
  otherParty(chatId: string): string {
    const chat = this.world.chats.get(chatId)
    const other = chat ? chat.members.find((m) => m !== this.ownerMid) : chatId
    if (!other || !this.world.users.has(other)) throw new Error(`no chat ${chatId}`)
    return other
  }

  private key(user: WorldUser, keyId?: number): ServerKey {
    const key = user.keys.find((k) => k.keyId === (keyId ?? user.activeKeyId))
    if (!key) throw new Error(`no key ${keyId} for ${user.mid}`)
    return key
  }

  /** The group key `member` holds for a chat: the newest one, or a new one it creates (spec §8.3). */
  private groupKey(chatId: string, member: WorldUser, groupKeyId?: number): { record: GroupKeyRecord; groupPriv: Buffer } {
    const records = this.world.groupKeys.get(chatId) ?? []
    let record = groupKeyId === undefined ? records.at(-1) : records.find((r) => r.groupKeyId === groupKeyId)
    if (!record && groupKeyId !== undefined) throw new Error(`no group key ${groupKeyId}`)
    if (!record || !record.entries.has(member.mid)) {
      const groupPriv = clamp(randomBytes(32))
      const own = this.key(member)
      record = { groupKeyId: this.world.nextGroupKeyId(), creator: member.mid, creatorKeyId: own.keyId, entries: new Map() }
      for (const mid of this.world.chats.get(chatId)!.members) {
        const k = this.key(this.world.user(mid))
        record.entries.set(mid, { keyId: k.keyId, encryptedSharedKey: wrapGroupKeyFor(own.priv, k.pub, groupPriv).toString('base64') })
      }
      this.world.groupKeys.set(chatId, [...records, record])
      return { record, groupPriv }
    }
    const entry = record.entries.get(member.mid)!
    const creatorPub = this.key(this.world.user(record.creator), record.creatorKeyId).pub
    return { record, groupPriv: unwrapGroupKeyWith(this.key(member, entry.keyId).priv, creatorPub, Buffer.from(entry.encryptedSharedKey, 'base64')) }
  }

  /**
   * The other party writes; sealed when everyone in the chat has Letter Sealing on. `staleKey`:
   * sealed naming a sender key the server no longer holds (replaced since, as after a reinstall).
   */
  async sendAs(chatId: string, text: string, options: { from?: string; plain?: boolean; replyTo?: string; staleKey?: boolean } = {}): Promise<StoredMessage> {
    const from = options.from ?? this.otherParty(chatId)
    const to = this.world.chats.has(chatId) ? chatId : this.ownerMid
    // spec §6.1: the quote travels outside the sealed chunks, as relatedMessageId.
    const reply = options.replyTo ? { relatedMessageId: options.replyTo, messageRelationType: 3, relatedMessageServiceCode: 1 } : {}
    if (options.plain || !canSeal(this.world, from, to))
      return acceptSend(this.world, from, 0, { to, text, contentType: 0, contentMetadata: {}, hasContent: false, ...reply })
    const sender = this.world.user(from)
    const own = this.key(sender)
    let secret: Buffer
    let receiverKeyId: number
    if (this.world.chats.has(to)) {
      const { record, groupPriv } = this.groupKey(to, sender)
      secret = shared(groupPriv, own.pub)
      receiverKeyId = record.groupKeyId
    } else {
      const peer = this.key(this.world.user(to))
      secret = shared(own.priv, peer.pub)
      receiverKeyId = peer.keyId
    }
    const chunks = sealV2(secret, from, to, options.staleKey ? own.keyId + 1_000 : own.keyId, receiverKeyId, 0, { text })
    return acceptSend(this.world, from, 0, {
      to,
      chunks,
      contentType: 0,
      contentMetadata: { e2eeVersion: '2', contentType: '0', e2eeMark: '2' },
      hasContent: false,
      ...reply
    })
  }

  /** The other party reacts to a message (one of LINE's six: 2 👍 … 7 😡), or takes the reaction back (null). */
  async reactAs(chatId: string, messageId: string, predefinedReactionType: number | null, options: { from?: string } = {}): Promise<void> {
    this.world.react(options.from ?? this.otherParty(chatId), messageId, predefinedReactionType)
  }

  async sendStickerAs(chatId: string, stickerId: string, packageId: string): Promise<StoredMessage> {
    const from = this.otherParty(chatId)
    const to = this.world.chats.has(chatId) ? chatId : this.ownerMid
    return acceptSend(this.world, from, 0, {
      to,
      text: '',
      contentType: 7,
      hasContent: true,
      contentMetadata: { STKID: stickerId, STKPKGID: packageId, STKVER: '100', STKTXT: '[null]' }
    })
  }

  /** A plain picture: the message first, then the bytes under OBS sid `m` (spec §10.1). */
  async sendImageAs(chatId: string, bytes: Buffer): Promise<StoredMessage> {
    const from = this.otherParty(chatId)
    const to = this.world.chats.has(chatId) ? chatId : this.ownerMid
    const m = acceptSend(this.world, from, 0, { to, contentType: 1, hasContent: true, contentMetadata: { FILE_SIZE: String(bytes.length), contentType: '1' } })
    this.world.objects.set(`m/${m.id}`, { bytes, owner: from })
    return m
  }

  /** A plain file (spec §10.3: contentType 14, FILE_NAME and FILE_SIZE), its bytes under OBS sid `m`. */
  async sendFileAs(chatId: string, name: string, bytes: Buffer): Promise<StoredMessage> {
    const from = this.otherParty(chatId)
    const to = this.world.chats.has(chatId) ? chatId : this.ownerMid
    const m = acceptSend(this.world, from, 0, { to, contentType: 14, hasContent: true, contentMetadata: { FILE_NAME: name, FILE_SIZE: String(bytes.length) } })
    this.world.objects.set(`m/${m.id}`, { bytes, owner: from })
    return m
  }

  /** The other party reads the chat up to its newest message (op 55 for the owner). */
  async readAs(chatId: string): Promise<void> {
    const reader = this.otherParty(chatId)
    const chat = this.world.chats.has(chatId) ? chatId : this.ownerMid
    const last = this.world.conversation(reader, chat).at(-1)
    if (last) this.world.readChat(reader, chat, last.id, 0)
  }

  /**
   * What the owner sent in a chat as the other party's phone shows it, oldest first: sealed
   * messages opened with the reader's key, and "read" once someone other than the owner has
   * read up to it (spec §11.7 sendChatChecked). LINE has no delivery receipts: else "sent".
   */
  receivedFromOwner(chatId: string): Array<{ id: string; text: string; at: number; status: string }> {
    const reader = this.otherParty(chatId)
    const group = this.world.chats.get(chatId)
    const readers = group ? group.members.filter((m) => m !== this.ownerMid).map((m) => ({ mid: m, chat: chatId })) : [{ mid: reader, chat: this.ownerMid }]
    return this.world
      .conversation(this.ownerMid, chatId)
      .filter((m) => m.from === this.ownerMid)
      .map((m) => {
        const readBy = readers.filter((r) => BigInt(this.world.lastRead.get(`${r.mid}:${r.chat}`) ?? '0') >= BigInt(m.id)).length
        return { id: m.id, text: this.textOf(m, reader), at: m.createdTime, status: readBy === 0 ? 'sent' : group ? `read by ${readBy}` : 'read' }
      })
  }

  /** A message's text as `viewer` reads it, or a word for what it is. */
  private textOf(m: StoredMessage, viewer: string): string {
    const word: Record<number, string> = { 1: '[photo]', 7: '[sticker]', 14: '[file]' }
    if (m.contentType !== 0) return word[m.contentType] ?? '[message]'
    if (!m.chunks) return m.text ?? ''
    try {
      const opened = this.open(m, viewer)
      return typeof opened.text === 'string' ? opened.text : '[message]'
    } catch {
      return '[a sealed message that did not open]'
    }
  }

  async unsendAs(chatId: string, messageId: string): Promise<void> {
    this.world.unsend(this.otherParty(chatId), messageId)
  }

  /** The owner logs the computer out from the phone: every session of the account ends. */
  async logoutEverywhere(): Promise<void> {
    this.world.revokeAll(this.ownerMid)
  }

  /** Opens a sealed message the way `viewer`'s phone does; throws if it does not verify. */
  open(m: StoredMessage, viewer: string): Record<string, unknown> {
    if (!m.chunks) throw new Error('not a sealed message')
    const { senderKeyId, receiverKeyId } = keyIdsOf(m.chunks)
    const user = this.world.user(viewer)
    const senderPub = this.key(this.world.user(m.from), senderKeyId).pub
    let secret: Buffer
    if (this.world.chats.has(m.to)) secret = shared(this.groupKey(m.to, user, receiverKeyId).groupPriv, senderPub)
    else
      secret =
        m.from === viewer
          ? shared(this.key(user, senderKeyId).priv, this.key(this.world.user(m.to), receiverKeyId).pub)
          : shared(this.key(user, receiverKeyId).priv, senderPub)
    return openV2(secret, m.from, m.to, m.contentType, m.chunks)
  }
}
