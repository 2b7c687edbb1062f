// Wire → ConnectorEvent: pushes during a live session (spec §6.4/§6.5) as Connector events:
// new and changed messages (each followed by its chat's cursor), receipts, typing and presence,
// group actions, chat state from the phone, contact and block-list updates.

import type { Logger } from '../../../base/log'
import type { ConnectorEvent } from '../../connector'
import type { CursorBook } from './cursors'
import type { AddressBook } from './contacts'
import type { MessageIndex } from './message-index'
import type { SessionPush } from './pushes'
import type { WASession } from './session'
import { decodeBatch } from './messages'
import { groupActionLine } from './group-actions'
import { presenceContact } from './presence'
import { resolveGroups } from './group-metadata'
import { isGroupJid, normalizeJid } from './jid'
import { resolvePictures } from './profile-picture'

/** What the live handler, the login sync and media lookups share for one session. */
export interface SessionDeps {
  session: WASession
  directory: AddressBook
  index: MessageIndex
  cursors: CursorBook
  emit(event: ConnectorEvent): void
  log: Logger
  /** Settles once a send of this message id has returned to its caller; undefined when none is in flight. */
  sendInFlight(messageId: string): Promise<unknown> | undefined
  /** The own picture's tag changed (profile-picture.ts): the Connector reports it in a `profile` event. */
  onOwnPicture?(token: string): void
}

/** Asks for the pictures of `jids` (profile-picture.ts) and reports each change as the contact, chat or own profile it belongs to. */
export function refreshPictures(d: SessionDeps, jids: readonly string[]): Promise<void> {
  return resolvePictures(
    (value) => d.session.socket.request(value),
    jids,
    d.directory.pictures,
    (jid, token) => {
      if (jid === d.session.selfJid) d.onOwnPicture?.(token)
      const { contact, chat } = d.directory.infosOf(jid)
      if (contact) d.emit({ type: 'contact', contact })
      if (chat) d.emit({ type: 'chat', chat })
    },
    d.log
  )
}

/** Asks for the members and subject of the groups among `jids` (group-metadata.ts) and reports each as a chat. */
export function refreshGroups(d: SessionDeps, jids: readonly string[]): Promise<void> {
  return resolveGroups(
    (value) => d.session.socket.request(value),
    jids.filter(isGroupJid),
    d.directory,
    (chat) => d.emit({ type: 'chat', chat }),
    (error) => d.log.debug({ error }, 'group metadata queries stopped')
  )
}

/** spec §6.5: ack 2 = delivered, 3 = read, 4 = played (shown as read). */
function receiptStatus(ack: number): 'delivered' | 'read' | null {
  if (ack >= 3) return 'read'
  if (ack === 2) return 'delivered'
  return null
}

/** spec §6.2: presence states that mean "typing" (recording a voice note counts). */
const TYPING = new Set(['composing', 'recording'])

export class LiveHandler {
  private readonly typing = new Set<string>()

  constructor(private readonly d: SessionDeps) {}

  handle(push: SessionPush): void {
    const { emit, directory, index } = this.d
    switch (push.type) {
      case 'messages': {
        // `before` pages are history, not news: they do not move the cursor.
        const moves = push.add !== 'before'
        const changedGroups = new Set<string>()
        for (const m of decodeBatch(push.messages, this.d)) {
          index.note(m.message, m.media)
          emit({ type: 'message', message: m.message })
          if (m.message.fromMe === false && m.message.senderId) this.stopTyping(m.message.chatRemoteId, m.message.senderId)
          const cursor = moves && !m.message.deleted ? this.d.cursors.advance(m.message) : null
          if (cursor) emit(cursor)
          // spec §7.1: a group stub (subject, add, remove, leave, …) is news of the group: ask for it again.
          if (moves && m.message.kind === 'system' && isGroupJid(m.message.chatRemoteId)) changedGroups.add(m.message.chatRemoteId)
        }
        if (changedGroups.size) void refreshGroups(this.d, [...changedGroups])
        return
      }
      case 'receipt': {
        const status = receiptStatus(push.receipt.ack)
        if (!status) return
        // spec §6.5: `to` names the chat (the group for group messages; `from`/`participant` is
        // who acked); node receipts name it as `jid`. Only a receipt naming neither falls back
        // to the chat the message is known in.
        const r = push.receipt
        const named = r.chat ?? r.to
        const byChat = new Map<string, string[]>()
        for (const id of r.ids) {
          const chat = named ?? index.get(id)?.chat
          if (chat) byChat.set(chat, [...(byChat.get(chat) ?? []), id])
        }
        for (const [chatRemoteId, messageRemoteIds] of byChat) {
          const event: ConnectorEvent = { type: 'receipt', chatRemoteId, messageRemoteIds, status }
          index.noteReceipt(messageRemoteIds, status)
          // The receipt can come in the same read as the relay's ack, before the sender has stored
          // the message id: hold it until the send has returned, and a turn more for its caller.
          const inFlight = messageRemoteIds.map((id) => this.d.sendInFlight(id)).filter((p) => p !== undefined)
          if (inFlight.length === 0) emit(event)
          else void Promise.allSettled(inFlight).then(() => setImmediate(() => emit(event)))
        }
        return
      }
      case 'presence': {
        const sender = push.participant ?? push.chat
        if (TYPING.has(push.state)) {
          this.typing.add(`${push.chat} ${sender}`)
          const event: ConnectorEvent = { type: 'typing', chatRemoteId: push.chat, senderId: sender, typing: true }
          const name = directory.nameOf(sender)
          if (name) event.senderName = name
          emit(event)
        } else this.stopTyping(push.chat, sender)
        // Online / last seen (presence.ts), after the typing it may also say.
        const contact = presenceContact(push)
        if (contact) emit({ type: 'contact', contact })
        return
      }
      case 'groupAction': {
        // spec §6.5 `Chat` action: the line the group shows (group-actions.ts), then the group as the server has it now.
        const naming = { selfJid: this.d.session.selfJid, nameOf: (jid: string) => directory.nameOf(jid) }
        emit({ type: 'message', message: groupActionLine(push.action, naming, Date.now()) })
        void refreshGroups(this.d, [push.action.chat])
        return
      }
      case 'chatRead':
        if (!push.unread) emit({ type: 'chatRead', chatRemoteId: push.chat })
        return
      case 'chatState':
        if (push.state === 'archive' || push.state === 'unarchive') {
          const chat = directory.chat(push.chat)
          if (chat) emit({ type: 'chat', chat: directory.setChat({ ...chat, archived: push.state === 'archive' }) })
        } else if (push.state === 'delete') emit({ type: 'chatRemoved', chatRemoteId: push.chat })
        return
      case 'chats':
        for (const chat of push.chats) emit({ type: 'chat', chat: directory.setChat(chat) })
        return
      case 'contacts':
        for (const contact of push.contacts) emit({ type: 'contact', contact: directory.setContact(contact) })
        return
      case 'blocklist':
        for (const contact of directory.setBlocklist(push.jids)) emit({ type: 'contact', contact })
        return
      case 'serverQuery':
        try {
          this.d.session.answerUnknownQuery(push.tag)
        } catch (error) {
          this.d.log.debug({ error }, 'could not answer a server query')
        }
        return
      case 'stream':
        this.d.log.info({ state: push.state }, 'stream state')
        return
      case 'conn':
        return // the Connector's own business (tokens, profile)
      case 'cmd': {
        // spec §6.5: a picture changed; Core fetches it again under the new token (issue 12 §3). Other commands are the Connector's business.
        if (push.cmd.type === 'picture' && push.cmd.jid) void refreshPictures(this.d, [normalizeJid(push.cmd.jid)])
        return
      }
    }
  }

  private stopTyping(chat: string, sender: string): void {
    if (!this.typing.delete(`${chat} ${sender}`)) return
    this.d.emit({ type: 'typing', chatRemoteId: chat, senderId: sender, typing: false })
  }
}
