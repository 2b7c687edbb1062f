// The simulated phone: it owns the account's chats and contacts, scans QR codes, and plays
// both the account owner (typing on the phone) and the contacts (writing, reading, typing).

import type { WhatsAppServer } from './server'
import { encryptMediaFile } from './wire'
import type { PhoneAccount, ServerChat, StoredMessage } from './world'
import { randomBytes } from 'node:crypto'

export interface SeedChat {
  jid: string
  /** Group subject; direct chats take the contact's name. */
  name?: string
  participants?: string[]
  /** [sender jid (the account's own wid for "me"), text] */
  messages?: [string, string][]
}

export class SimulatedPhone {
  constructor(
    readonly server: WhatsAppServer,
    readonly account: PhoneAccount
  ) {}

  get wid(): string {
    return this.account.wid
  }

  /** Seeds contacts and chats with history, timestamps a minute apart ending a day ago. */
  seed(contacts: [string, string][], chats: SeedChat[]): void {
    for (const [jid, name] of contacts) this.account.addContact(jid, name)
    let ts = Math.floor(Date.now() / 1000) - 86_400 - 3_600
    for (const c of chats) {
      const chat = this.account.chat(c.jid)
      if (c.name) chat.name = c.name
      chat.participants = c.participants ?? []
      for (const [from, text] of c.messages ?? []) {
        ts += 60
        const fromMe = from === this.wid
        const m: StoredMessage = {
          id: this.account.newMessageId(),
          chat: c.jid,
          fromMe,
          timestamp: ts,
          content: { conversation: text },
          status: fromMe ? 4 : 0
        }
        if (!fromMe) {
          m.pushName = this.account.contacts.get(from)?.notify ?? from.split('@')[0]
          if (chat.group) m.participant = from
          m.read = true
        }
        chat.messages.push(m)
      }
    }
    this.server.changed()
  }

  /** Scans the QR payload the app shows. */
  async scan(payload: string): Promise<string> {
    return this.server.scan(payload, this.wid)
  }

  chats(): { id: string; title: string }[] {
    return [...this.account.chats.values()].map((c) => ({ id: c.jid, title: c.name ?? this.account.nameOf(c.jid) }))
  }

  /** A message from a contact (in a group: `from`, or the group's first participant), not yet delivered. */
  private fromContact(chatJid: string, from: string | undefined): StoredMessage {
    const chat = this.account.chat(chatJid)
    const sender = from ?? (chat.group ? chat.participants[0] : chatJid)
    if (!sender) throw new Error(`no sender for ${chatJid}`)
    const m: StoredMessage = { id: this.account.newMessageId(), chat: chatJid, fromMe: false, timestamp: this.account.nextTimestamp(), status: 0 }
    m.pushName = this.account.contacts.get(sender)?.notify ?? sender.split('@')[0]
    if (chat.group) m.participant = sender
    return m
  }

  /** A contact writes to the account. */
  sendAs(chatJid: string, text: string, from?: string): StoredMessage {
    const m = this.fromContact(chatJid, from)
    m.content = { conversation: text }
    return this.server.deliver(this.account, m)
  }

  /** The owner types on the phone itself: a message from "me" that the web mirrors. */
  sendFromPhone(chatJid: string, text: string): StoredMessage {
    const m: StoredMessage = {
      id: this.account.newMessageId(),
      chat: chatJid,
      fromMe: true,
      timestamp: this.account.nextTimestamp(),
      content: { conversation: text },
      status: 2
    }
    return this.server.deliver(this.account, m)
  }

  /** A contact sends a picture or sticker: encrypted per spec §7.3, uploaded to the media host, relayed. */
  sendImageAs(
    chatJid: string,
    file: Buffer,
    o: { mime: string; width: number; height: number; caption?: string; sticker?: boolean; from?: string }
  ): StoredMessage {
    const mediaKey = randomBytes(32)
    const { blob, fileSha256, fileEncSha256 } = encryptMediaFile(file, mediaKey)
    const m = this.fromContact(chatJid, o.from)
    const url = this.server.storeMedia(blob, m)
    const fields = {
      url,
      directPath: new URL(url).pathname,
      mimetype: o.mime,
      mediaKey,
      fileSha256,
      fileEncSha256,
      fileLength: file.length,
      width: o.width,
      height: o.height
    }
    m.content = o.sticker ? { stickerMessage: fields } : { imageMessage: { ...fields, caption: o.caption } }
    return this.server.deliver(this.account, m)
  }

  /** A contact sends a document: encrypted with the document keys (spec §7.3), uploaded, relayed as a `documentMessage`. */
  sendDocumentAs(chatJid: string, file: Buffer, o: { name: string; mime: string; from?: string }): StoredMessage {
    const mediaKey = randomBytes(32)
    const { blob, fileSha256, fileEncSha256 } = encryptMediaFile(file, mediaKey, 'WhatsApp Document Keys')
    const m = this.fromContact(chatJid, o.from)
    const url = this.server.storeMedia(blob, m)
    m.content = {
      documentMessage: {
        url,
        directPath: new URL(url).pathname,
        mimetype: o.mime,
        title: o.name,
        fileName: o.name,
        mediaKey,
        fileSha256,
        fileEncSha256,
        fileLength: file.length
      }
    }
    return this.server.deliver(this.account, m)
  }

  /**
   * The owner adds a contact to a group on the phone: the participant list changes and a
   * GROUP_PARTICIPANT_ADD stub (spec §7.1, type 27, the added JID as parameter) is relayed.
   */
  addMember(groupJid: string, member: string): StoredMessage {
    const chat = this.account.chat(groupJid)
    if (!chat.group) throw new Error(`${groupJid} is not a group`)
    if (!chat.participants.includes(member)) chat.participants.push(member)
    return this.groupStub(groupJid, 27, [member])
  }

  /** The owner changes a group's subject on the phone: a GROUP_CHANGE_SUBJECT stub (spec §7.1, type 21) is relayed. */
  setSubject(groupJid: string, subject: string): StoredMessage {
    const chat = this.account.chat(groupJid)
    if (!chat.group) throw new Error(`${groupJid} is not a group`)
    chat.name = subject
    return this.groupStub(groupJid, 21, [subject])
  }

  /**
   * `by` (the owner unless named) makes members admins, or no longer admins: the group's admin
   * list changes and the web hears `["Chat",{id,cmd:"action",data:[KIND,ACTOR,{participants}]}]`
   * (spec §6.5), with no stub message. Returns whether a web session was there to hear it.
   */
  setAdmins(groupJid: string, members: string[], admin: boolean, by: string = this.wid): boolean {
    const chat = this.group(groupJid)
    const admins = new Set(chat.admins ?? [])
    for (const m of members) {
      if (admin) admins.add(m)
      else admins.delete(m)
    }
    chat.admins = [...admins]
    this.server.changed()
    return this.server.pushJson(this.account, ['Chat', { id: groupJid, cmd: 'action', data: [admin ? 'promote' : 'demote', by, { participants: members }] }])
  }

  /** `by` sets the group's description: kept for GroupMetadata, and pushed as a `desc_add` action (spec §6.5). */
  setDescription(groupJid: string, text: string, by: string = this.wid): boolean {
    const chat = this.group(groupJid)
    chat.description = { text, id: this.account.newMessageId(), owner: by }
    this.server.changed()
    return this.server.pushJson(this.account, ['Chat', { id: groupJid, cmd: 'action', data: ['desc_add', by, { desc: text, descId: chat.description.id }] }])
  }

  private group(groupJid: string): ServerChat {
    const chat = this.account.chat(groupJid)
    if (!chat.group) throw new Error(`${groupJid} is not a group`)
    return chat
  }

  /** A contact opens WhatsApp (or leaves it at `atSeconds`); subscribed web sessions hear it (spec §6.5 Presence). */
  contactOnline(jid: string, online: boolean, atSeconds?: number): void {
    this.server.setPresence(jid, online, atSeconds)
  }

  /** A contact hides their last seen from everyone: the lastseen query says 404, pushes carry `deny` (spec §6.3, §6.5). */
  hideLastSeen(jid: string, hide = true): void {
    this.server.presence.hideLastSeen(jid, hide)
  }

  private groupStub(groupJid: string, stubType: number, stubParams: string[]): StoredMessage {
    const m: StoredMessage = {
      id: this.account.newMessageId(),
      chat: groupJid,
      fromMe: true,
      timestamp: this.account.nextTimestamp(),
      stubType,
      stubParams,
      status: 2
    }
    return this.server.deliver(this.account, m)
  }

  /** A contact types (or stops) in a chat; pushed only if the web subscribed to the chat's presence (spec §6.3). */
  typing(chatJid: string, typing: boolean, from?: string): boolean {
    const chat = this.account.chat(chatJid)
    const conn = this.server.activeConnection(this.account)
    if (!conn || !conn.subscriptions.has(chatJid)) return false
    const presence: Record<string, unknown> = { id: chatJid, type: typing ? 'composing' : 'paused' }
    if (chat.group) presence.participant = from ?? chat.participants[0]
    conn.pushJson(['Presence', presence])
    return true
  }

  /** The contact's phone receives what the account sent (for a server started without `autoDeliver`). */
  receivedBy(chatJid: string): string[] {
    const pending = this.account.chat(chatJid).messages.filter((m) => m.fromMe && m.status < 3)
    for (const m of pending) this.server.markDelivered(this.account, m)
    return pending.map((m) => m.id)
  }

  /** The contact of a direct chat (or a group member) reads the account's messages. */
  readBy(chatJid: string, reader?: string): string[] {
    const chat = this.account.chat(chatJid)
    return this.server.markReadBy(this.account, chat, reader ?? (chat.group ? chat.participants[0]! : chatJid))
  }

  /** The owner removes the browser in "WhatsApp Web" on the phone: the next login gets 401. */
  removeBrowsers(): void {
    for (const p of this.account.pairings.values()) p.revoked = true
    this.server.changed()
    const conn = this.server.activeConnection(this.account)
    conn?.pushJson(['Cmd', { type: 'disconnect' }])
    conn?.close()
  }

  messages(chatJid: string): StoredMessage[] {
    return this.account.chats.get(chatJid)?.messages ?? []
  }
}
