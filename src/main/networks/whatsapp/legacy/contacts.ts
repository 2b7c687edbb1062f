// The address book: the account's chats and contacts as the server describes them (spec §6.2 lists, §6.4 user
// updates, §6.5 Blocklist), turned into the shared model: titles fall back from the chat
// name to the contact's names to the phone number.

import type { ChatInfo, ContactInfo } from '../../connector'
import { displayNumber, isGroupJid } from './jid'
import { PictureGenerations } from './profile-picture'
import type { WAChat, WAContact } from './pushes'

export class AddressBook {
  private readonly chats = new Map<string, WAChat>()
  private readonly contacts = new Map<string, WAContact>()
  private blocked = new Set<string>()
  /** Picture tokens (profile-picture.ts): moved on by `["Cmd",{"type":"picture"}]`. */
  readonly pictures = new PictureGenerations()

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
      title: chat.name || (group ? undefined : this.nameOf(chat.jid)) || displayNumber(chat.jid),
      avatar: this.pictures.token(chat.jid)
    }
    if (chat.t !== undefined) info.lastActivity = chat.t * 1000
    if (chat.unread !== undefined) info.unread = chat.unread
    if (chat.muted !== undefined) info.muted = chat.muted
    if (chat.pinned !== undefined) info.pinned = chat.pinned
    if (chat.archived !== undefined) info.archived = chat.archived
    return info
  }

  contactInfo(contact: WAContact): ContactInfo {
    return {
      remoteId: contact.jid,
      name: this.nameOf(contact.jid) || displayNumber(contact.jid),
      blocked: this.blocked.has(contact.jid),
      avatar: this.pictures.token(contact.jid)
    }
  }

  /** spec §6.5 `Cmd picture`: the JID's picture changed; the contact and the chat with their new token, where known. */
  pictureChanged(jid: string): { contact?: ContactInfo; chat?: ChatInfo } {
    this.pictures.bump(jid)
    const contact = this.contacts.get(jid)
    const chat = this.chats.get(jid)
    return { ...(contact ? { contact: this.contactInfo(contact) } : {}), ...(chat ? { chat: this.chatInfo(chat) } : {}) }
  }

  allChats(): ChatInfo[] {
    return [...this.chats.values()].map((c) => this.chatInfo(c))
  }

  allContacts(): ContactInfo[] {
    return [...this.contacts.values()].map((c) => this.contactInfo(c))
  }
}
