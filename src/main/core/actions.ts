// Message actions (issue 12 §1): react, edit, unsend, delete for me, forward, and the quote
// of a reply. Each checks the message, the network's declared capability and its limits,
// asks the account's Connector, then stores the outcome and tells the renderer. Local delete
// needs no network; forwarding is a plain send through the outbox.

import type { NetworkCapabilities } from '../../shared/api'
import { JunctionError } from '../../shared/errors'
import type { ComposedDraft, DraftReply, Message } from '../../shared/model'
import type { Logger } from '../base/log'
import type { Connector } from '../networks/connector'
import type { EmitApiEvent, Ingest } from './ingest'
import { checkAttachment } from './attachments'
import type { Outbox } from './outbox'
import type { Store } from './store'
import { QUOTE_TEXT_MAX } from './store/message-extras'
import { parseRowId } from './store/rows'
import type { MessageRow } from './store/rows'

export interface MessageActionsOptions {
  store: Store
  ingest: Ingest
  outbox: Outbox
  emit: EmitApiEvent
  log: Logger
  clock: () => number
  /** The Connector of an account, only while it is online. */
  connectorFor(accountId: string): Connector | undefined
  capabilitiesOf(accountId: string): NetworkCapabilities
  selfIdOf(accountId: string): string
  /** A message's picture: from the media cache, else fetched once from its network. */
  mediaOf(messageId: string): Promise<{ mime: string; bytes: Uint8Array }>
}

interface Target {
  row: MessageRow
  message: Message
  chatId: number
  chatRemoteId: string
  accountId: string
}

export class MessageActions {
  constructor(private readonly o: MessageActionsOptions) {}

  private target(messageId: string): Target {
    const id = parseRowId(messageId)
    const row = id === null ? undefined : this.o.store.messages.rowById(id)
    const message = id === null ? undefined : this.o.store.messages.get(id)
    const chat = row ? this.o.store.chats.remoteOf(row.chat_id) : undefined
    if (!row || !message || !chat) throw new JunctionError('not-found', 'That message no longer exists.')
    return { row, message, chatId: row.chat_id, chatRemoteId: chat.remoteId, accountId: chat.accountId }
  }

  /** The message as the network knows it: sent (it has a remote id), not deleted, and its account online. */
  private onNetwork(t: Target, what: string): { connector: Connector; remoteId: string } {
    if (t.message.deleted) throw new JunctionError('invalid-argument', `A deleted message cannot be ${what}.`)
    if (t.message.remoteId === null) throw new JunctionError('unavailable', `The message is not sent yet, so it cannot be ${what}.`)
    const connector = this.o.connectorFor(t.accountId)
    if (!connector) throw new JunctionError('unavailable', 'The account is not online.')
    return { connector, remoteId: t.message.remoteId }
  }

  private within(t: Target, windowMs: number | undefined, what: string): void {
    if (windowMs !== undefined && this.o.clock() - t.message.timestamp > windowMs) {
      throw new JunctionError('unsupported', `This message is too old to be ${what}.`, { reason: { code: 'refused', params: { what } } })
    }
  }

  private announce(message: Message, chatId: number, chatChanged: boolean): Message {
    this.o.emit('message', message)
    if (chatChanged) this.o.ingest.emitChat(chatId)
    return message
  }

  async react(messageId: string, emoji: string | null): Promise<Message> {
    const t = this.target(messageId)
    const caps = this.o.capabilitiesOf(t.accountId)
    if (!caps.reactions) throw new JunctionError('unsupported', 'This network has no reactions.')
    if (emoji !== null && caps.reactionEmoji && !caps.reactionEmoji.includes(emoji)) {
      throw new JunctionError('invalid-argument', 'This network takes only its own set of reactions.')
    }
    const { connector, remoteId } = this.onNetwork(t, 'reacted to')
    if (!connector.react) throw new JunctionError('unsupported', 'This network has no reactions.')
    await connector.react(t.chatRemoteId, remoteId, emoji)
    const change = {
      type: 'reaction' as const,
      chatRemoteId: t.chatRemoteId,
      messageRemoteId: remoteId,
      senderId: this.o.selfIdOf(t.accountId),
      fromMe: true,
      emoji,
      timestamp: this.o.clock()
    }
    const row = this.o.store.messages.rowById(t.row.id)
    const changed = row && this.o.store.transaction(() => this.o.store.messages.changeRow(row, change))
    return changed ? this.announce(changed, t.chatId, false) : this.o.store.messages.get(t.row.id)!
  }

  async edit(messageId: string, text: string): Promise<Message> {
    const t = this.target(messageId)
    const caps = this.o.capabilitiesOf(t.accountId)
    if (!caps.edits) throw new JunctionError('unsupported', 'This network cannot edit messages.')
    if (!t.message.fromMe) throw new JunctionError('permission-denied', 'Only your own messages can be edited.')
    if (t.message.kind !== 'text' && t.message.kind !== 'emote') throw new JunctionError('unsupported', 'Only text can be edited.')
    if (text.trim() === '') throw new JunctionError('invalid-argument', 'An edit cannot be empty.')
    if (caps.maxTextLength !== undefined && text.length > caps.maxTextLength) {
      throw new JunctionError('invalid-argument', 'The text is longer than this network takes.', {
        reason: { code: 'refused', params: { limit: String(caps.maxTextLength) } }
      })
    }
    this.within(t, caps.editWindowMs, 'edited')
    const { connector, remoteId } = this.onNetwork(t, 'edited')
    if (!connector.edit) throw new JunctionError('unsupported', 'This network cannot edit messages.')
    const { editedAt } = await connector.edit(t.chatRemoteId, remoteId, text)
    const row = this.o.store.messages.rowById(t.row.id)
    const change = { type: 'messageEdited' as const, chatRemoteId: t.chatRemoteId, messageRemoteId: remoteId, text, editedAt }
    const changed = row && this.o.store.transaction(() => this.o.store.messages.changeRow(row, change))
    return changed ? this.announce(changed, t.chatId, true) : this.o.store.messages.get(t.row.id)!
  }

  /** For everyone: unsent on the network. For me: removed from this computer only, on any network. */
  async delete(messageId: string, forEveryone: boolean): Promise<void> {
    const t = this.target(messageId)
    if (!forEveryone) return this.deleteLocally(t)
    const caps = this.o.capabilitiesOf(t.accountId)
    if (!caps.unsend) throw new JunctionError('unsupported', 'This network cannot delete messages for everyone.')
    if (!t.message.fromMe) throw new JunctionError('permission-denied', 'Only your own messages can be deleted for everyone.')
    this.within(t, caps.unsendWindowMs, 'deleted for everyone')
    const { connector, remoteId } = this.onNetwork(t, 'deleted for everyone')
    if (!connector.unsend) throw new JunctionError('unsupported', 'This network cannot delete messages for everyone.')
    await connector.unsend(t.chatRemoteId, remoteId)
    const row = this.o.store.messages.rowById(t.row.id)
    const change = { type: 'messageDeleted' as const, chatRemoteId: t.chatRemoteId, messageRemoteId: remoteId }
    const changed = row && this.o.store.transaction(() => this.o.store.messages.changeRow(row, change))
    if (changed) this.announce(changed, t.chatId, true)
  }

  private deleteLocally(t: Target): void {
    const { store } = this.o
    store.transaction(() => {
      // A message still waiting in the outbox is not sent after all.
      if (t.row.client_id !== null && store.outbox.byMessage(t.row.id)) store.outbox.remove(t.accountId, t.row.client_id)
      store.messages.removeLocally(t.row.id, t.chatId)
    })
    this.o.log.info({ accountId: t.accountId }, 'message deleted on this computer')
    this.o.emit('messageRemoved', { messageId: String(t.row.id), chatId: String(t.chatId) })
    this.o.ingest.emitChat(t.chatId)
  }

  /** The quote of a reply, from the stored message it names (in the same chat, known to the network). */
  replyFor(chatId: number, replyToId: string): DraftReply {
    const id = parseRowId(replyToId)
    const row = id === null ? undefined : this.o.store.messages.rowById(id)
    if (!row || row.chat_id !== chatId) throw new JunctionError('not-found', 'The message you reply to is not in this chat.')
    const chat = this.o.store.chats.remoteOf(chatId)!
    if (!this.o.capabilitiesOf(chat.accountId).replies) throw new JunctionError('unsupported', 'This network has no quoted replies.')
    if (row.remote_id === null) throw new JunctionError('unavailable', 'The message you reply to is not sent yet.')
    if (row.deleted === 1) throw new JunctionError('invalid-argument', 'A deleted message cannot be quoted.')
    return { remoteId: row.remote_id, senderId: row.sender_id, fromMe: row.from_me === 1, text: row.text.slice(0, QUOTE_TEXT_MAX), timestamp: row.timestamp }
  }

  /** Sends a message's text or picture to another chat (any account) as a new message of ours. */
  async forward(messageId: string, toChatId: number, clientId: string): Promise<Message> {
    const t = this.target(messageId)
    const target = this.o.store.chats.remoteOf(toChatId)
    if (!target) throw new JunctionError('not-found', 'That chat no longer exists.')
    const caps = this.o.capabilitiesOf(target.accountId)
    if (!caps.forward) throw new JunctionError('unsupported', 'This network cannot forward messages.')
    return this.o.outbox.enqueue(toChatId, clientId, await this.draftOf(t, caps))
  }

  private async draftOf(t: Target, caps: NetworkCapabilities): Promise<ComposedDraft> {
    const m = t.message
    if (m.deleted) throw new JunctionError('invalid-argument', 'A deleted message cannot be forwarded.')
    if ((m.kind === 'text' || m.kind === 'emote') && m.text !== '') return { kind: caps.emotes ? m.kind : 'text', text: m.text }
    if (m.kind === 'image' || m.kind === 'file') {
      // The target network's limits apply as if the person had attached it there (attachments.ts).
      const media = await this.o.mediaOf(t.message.id)
      const dataBase64 = Buffer.from(media.bytes).toString('base64')
      const draft: ComposedDraft =
        m.kind === 'image'
          ? { kind: 'image', mime: media.mime, dataBase64, ...(m.text === '' ? {} : { caption: m.text }), ...(m.media?.name ? { name: m.media.name } : {}) }
          : { kind: 'file', name: m.media?.name ?? 'file', mime: media.mime, size: media.bytes.byteLength, dataBase64 }
      checkAttachment(draft, caps)
      return draft
    }
    throw new JunctionError('unsupported', 'This kind of message cannot be forwarded.')
  }
}
