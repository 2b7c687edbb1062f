// The address book: the account's chats and contacts as the server describes them (spec §6.2 lists, §6.4 user
// updates, §6.5 Blocklist), turned into the shared model: titles fall back from the chat
// name to the contact's names to the phone number.

import type { ChatInfo, ContactInfo } from '../../connector'
import { displayNumber, isGroupJid } from './jid'
import { PictureTags } from './profile-picture'
import type { WAChat, WAContact } from './pushes'

export class AddressBook {
  private readonly chats = new Map<string, WAChat>()
  private readonly contacts = new Map<string, WAContact>()
  private blocked = new Set<string>()
  /** Picture tags (profile-picture.ts), as ProfilePicThumb last answered; absent until asked. */
  readonly pictures = new PictureTags()

  setChat(chat: WAChat): ChatInfo {
    const merged = { ...this.chats.get(chat.jid), ...chat }
    this.chats.set(chat.jid, merged)
    return this.chatInfo(merged)
  }

  chat(jid: string): WAChat | undefined {
    return this.chats.get(jid)
  }

  setContact(contact: WAContact): ContactInfo {
    const merged = { ...this.contacts.get(contact.jid), ...contact }
    this.contacts.set(contact.jid, merged)
    return this.contactInfo(merged)
  }

  /** spec §6.5: the Blocklist push is the full list; returns the contacts whose state changed. */
  setBlocklist(jids: string[]): ContactInfo[] {
    const next = new Set(jids)
    const changed = [...new Set([...next, ...this.blocked])].filter((j) => next.has(j) !== this.blocked.has(j))
    this.blocked = next
    return changed.map((jid) => this.contactInfo(this.contacts.get(jid) ?? { jid }))
  }

  nameOf(jid: string): string | undefined {
    const c = this.contacts.get(jid)
    return c?.name || c?.notify || c?.short || undefined
  }

  chatInfo(chat: WAChat): ChatInfo {
    const group = isGroupJid(chat.jid)
    const info: ChatInfo = {
      remoteId: chat.jid,
      kind: group ? 'group' : 'direct',
      title: chat.name || (group ? undefined : this.nameOf(chat.jid)) || displayNumber(chat.jid)
    }
    const avatar = this.pictures.token(chat.jid)
    if (avatar !== undefined) info.avatar = avatar
    if (chat.t !== undefined) info.lastActivity = chat.t * 1000
    if (chat.unread !== undefined) info.unread = chat.unread
    if (chat.muted !== undefined) info.muted = chat.muted
    if (chat.pinned !== undefined) info.pinned = chat.pinned
    if (chat.archived !== undefined) info.archived = chat.archived
    return info
  }

  contactInfo(contact: WAContact): ContactInfo {
    const info: ContactInfo = { remoteId: contact.jid, name: this.nameOf(contact.jid) || displayNumber(contact.jid), blocked: this.blocked.has(contact.jid) }
    const avatar = this.pictures.token(contact.jid)
    if (avatar !== undefined) info.avatar = avatar
    return info
  }

  /** The contact and the chat of a JID as they are now (after its picture tag changed), where known. */
  infosOf(jid: string): { contact?: ContactInfo; chat?: ChatInfo } {
    const contact = this.contacts.get(jid)
    const chat = this.chats.get(jid)
    return { ...(contact ? { contact: this.contactInfo(contact) } : {}), ...(chat ? { chat: this.chatInfo(chat) } : {}) }
  }

  /** The chats' JIDs, most recent first: the order their pictures are asked for. */
  chatsByRecency(): string[] {
    return [...this.chats.values()].sort((a, b) => (b.t ?? 0) - (a.t ?? 0)).map((c) => c.jid)
  }

  allChats(): ChatInfo[] {
    return [...this.chats.values()].map((c) => this.chatInfo(c))
  }

  allContacts(): ContactInfo[] {
    return [...this.contacts.values()].map((c) => this.contactInfo(c))
  }
}
