// The reference server's state: phone accounts (the phone owns the chats, contacts and
// messages; WhatsApp Web only mirrors them), web pairings with their rotating tokens, and
// the media files the phones uploaded.

import { randomBytes } from 'node:crypto'
import type { PhoneMessageInfo } from './proto'

export interface StoredMessage {
  id: string
  chat: string
  fromMe: boolean
  /** Sender in groups (…@c.us). */
  participant?: string
  /** Unix seconds. */
  timestamp: number
  content?: Record<string, unknown>
  stubType?: number
  stubParams?: string[]
  /** spec §7.1 status for our own messages: 1 pending … 4 read. */
  status: number
  pushName?: string
  /** When the web client sent it (it is not pushed back to that client as a relay). */
  fromWeb?: boolean
  /** Incoming messages: read by the account (on the phone or the web). */
  read?: boolean
}

export interface ServerChat {
  jid: string
  name?: string
  group: boolean
  participants: string[]
  /** Group members promoted to admin (the account, the creator, always is one). */
  admins?: string[]
  /** The group's description (spec §6.3 GroupMetadata `desc`, `descId`, `descOwner`). */
  description?: { text: string; id: string; owner: string }
  messages: StoredMessage[]
  unread: number
}

export interface ServerContact {
  jid: string
  name?: string
  notify?: string
  short?: string
}

export interface Pairing {
  clientId: string
  clientToken: string
  serverToken: string
  browserToken: string
  /** The tokens before the last rotation: a login with them is challenged (spec §2.7). */
  previous: { clientToken: string; serverToken: string } | null
  encKey: Buffer
  macKey: Buffer
  browser: string
  revoked: boolean
}

export class PhoneAccount {
  readonly contacts = new Map<string, ServerContact>()
  readonly chats = new Map<string, ServerChat>()
  readonly pairings = new Map<string, Pairing>()
  blocklist: string[] = []
  /** The newest timestamp handed out (Unix seconds), so later messages never sort earlier. */
  lastTimestamp = 0

  constructor(
    readonly wid: string,
    public pushname: string
  ) {}

  addContact(jid: string, name: string): ServerContact {
    const contact: ServerContact = { jid, name, notify: name.split(' ')[0], short: name.split(' ')[0] }
    this.contacts.set(jid, contact)
    return contact
  }

  chat(jid: string): ServerChat {
    let chat = this.chats.get(jid)
    if (!chat) {
      chat = { jid, group: jid.endsWith('@g.us'), participants: [], messages: [], unread: 0 }
      this.chats.set(jid, chat)
    }
    return chat
  }

  /** Phone-made ids are 32 uppercase hex characters (spec §6.2). */
  newMessageId(): string {
    return randomBytes(16).toString('hex').toUpperCase()
  }

  /** Messages arriving in one second keep their order; later ones never get an earlier time. */
  nextTimestamp(): number {
    const now = Math.floor(Date.now() / 1000)
    this.lastTimestamp = Math.max(this.lastTimestamp, now)
    return this.lastTimestamp
  }

  store(message: StoredMessage): StoredMessage {
    const chat = this.chat(message.chat)
    chat.messages.push(message)
    if (!message.fromMe && !message.stubType) chat.unread++
    return message
  }

  findMessage(chatJid: string, id: string): StoredMessage | undefined {
    return this.chats.get(chatJid)?.messages.find((m) => m.id === id)
  }

  lastMessage(chat: ServerChat): StoredMessage | undefined {
    return chat.messages.at(-1)
  }

  nameOf(jid: string): string {
    const c = this.contacts.get(jid)
    return c?.name ?? c?.notify ?? `+${jid.split('@')[0]}`
  }
}

/** spec §7.2 WebMessageInfo for a stored message, keyed with `@s.whatsapp.net` as the phone writes it. */
export function toInfo(m: StoredMessage): PhoneMessageInfo {
  const proto = (jid: string): string => jid.replace(/@c\.us$/, '@s.whatsapp.net')
  const info: PhoneMessageInfo = { key: { remoteJid: proto(m.chat), fromMe: m.fromMe, id: m.id }, messageTimestamp: m.timestamp }
  if (m.content) info.message = m.content
  if (m.fromMe) info.status = m.status
  if (m.participant) info.participant = proto(m.participant)
  if (m.pushName) info.pushName = m.pushName
  if (m.stubType !== undefined) info.messageStubType = m.stubType
  if (m.stubParams) info.messageStubParameters = m.stubParams
  return info
}

export function randomToken(): string {
  return randomBytes(24).toString('base64')
}
