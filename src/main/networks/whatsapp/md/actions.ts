// Quoted replies, reactions, edits and revokes (spec §7.8 ContextInfo, §7.9): the Message
// content each is sent as, the stanza attributes that go with it, and what an incoming one
// means as a Connector event. Every one names its target by a MessageKey: the chat, whether
// the target is the sender's own, its id, and in groups the author when not the sender's own.

import { JunctionError } from '../../../../shared/errors'
import type { ConnectorEvent, IncomingMessage } from '../../connector'
import type { DraftReply } from '../../../../shared/model'
import { userJidOf } from './binary'
import { contextInfoOf } from './content'
import { mediaBody } from './media'
import type { MessageKey, WAMessage } from './proto'

/** spec §7.9: protocolMessage types. */
export const PROTOCOL_REVOKE = 0
export const PROTOCOL_MESSAGE_EDIT = 14
/** spec §7.9: the stanza's `edit` attribute: an edit, and the sender revoking its own message. */
export const EDIT_ATTR = { edit: '1', revoke: '7' } as const
/** spec §7.9 (whatsmeow EditWindow): edits are refused after 20 minutes. */
export const EDIT_WINDOW_MS = 20 * 60_000

/** Where a target message sits, as the action's sender sees it. */
export interface TargetRef {
  chat: string
  id: string
  fromMe: boolean
  /** The author, for someone else's message in a group. */
  author?: string
}

export function targetKey(t: TargetRef): MessageKey {
  return { remoteJid: t.chat, fromMe: t.fromMe, id: t.id, ...(t.author && !t.fromMe && t.chat.endsWith('@g.us') ? { participant: t.author } : {}) }
}

/** A text, quoting `replyTo` when set (spec §7.8: extendedTextMessage.contextInfo). */
export function textContent(text: string, replyTo: DraftReply | undefined, ownJid: string): WAMessage {
  if (!replyTo) return { conversation: text }
  return {
    extendedTextMessage: {
      text,
      contextInfo: { stanzaId: replyTo.remoteId, participant: replyTo.fromMe ? ownJid : replyTo.senderId, quotedMessage: { conversation: replyTo.text } }
    }
  }
}

/** spec §7.9: an empty text removes the sender's reaction. */
export function reactionContent(target: TargetRef, emoji: string | null, nowMs: number): WAMessage {
  return { reactionMessage: { key: targetKey(target), text: emoji ?? '', senderTimestampMs: nowMs } }
}

/** spec §7.9: whatsmeow's shape (the `editedMessage` wrapper), which receivers of both libraries accept. */
export function editContent(target: TargetRef, text: string, nowMs: number): WAMessage {
  return {
    editedMessage: {
      message: { protocolMessage: { key: targetKey(target), type: PROTOCOL_MESSAGE_EDIT, editedMessage: { conversation: text }, timestampMs: nowMs } }
    }
  }
}

export function revokeContent(target: TargetRef): WAMessage {
  return { protocolMessage: { key: targetKey(target), type: PROTOCOL_REVOKE } }
}

const textOf = (m: WAMessage | undefined): string | undefined => m?.conversation ?? m?.extendedTextMessage?.text

/** A quoted message's text: its own, or a quoted photo's, video's or document's caption (spec §7.8). */
function quotedText(m: WAMessage | undefined): string | undefined {
  if (!m) return undefined
  const text = textOf(m)
  if (text !== undefined) return text
  const caption = mediaBody(m)?.text
  return caption ? caption : undefined
}

/**
 * What an incoming message quotes (spec §7.8 ContextInfo), in the form IncomingMessage carries.
 * Any content kind may quote (a photo sent as a reply carries `imageMessage.contextInfo`), and
 * what it quotes may be media: Core shows the quoted message it has stored, by id.
 */
export function replyOf(content: WAMessage, normalize: (jid: string) => string): IncomingMessage['replyTo'] | undefined {
  const info = contextInfoOf(content)
  if (!info?.stanzaId) return undefined
  const text = quotedText(info.quotedMessage)
  return { remoteId: info.stanzaId, ...(info.participant ? { senderId: normalize(info.participant) } : {}), ...(text !== undefined ? { text } : {}) }
}

export interface ActionContext {
  chat: string
  senderId: string
  fromMe: boolean
  timestampMs: number
}

/**
 * The change an action message makes to a message already stored, or null when the content
 * is not an action. An edit or revoke counts only from the target's own author (its key says
 * `fromMe` from the sender's side); a group admin's revoke of someone else's message is not
 * handled yet and is ignored.
 */
export function actionEvent(content: WAMessage, c: ActionContext): ConnectorEvent | 'ignored' | null {
  const reaction = content.reactionMessage
  if (reaction) {
    if (!reaction.key?.id) return 'ignored'
    return {
      type: 'reaction',
      chatRemoteId: c.chat,
      messageRemoteId: reaction.key.id,
      senderId: c.senderId,
      fromMe: c.fromMe,
      emoji: reaction.text ? reaction.text : null,
      timestamp: Number(reaction.senderTimestampMs ?? c.timestampMs)
    }
  }
  const protocol = content.protocolMessage
  if (!protocol) return null
  const key = protocol.key
  if (!key?.id || key.fromMe !== true) return 'ignored'
  if ((protocol.type ?? PROTOCOL_REVOKE) === PROTOCOL_REVOKE) return { type: 'messageDeleted', chatRemoteId: c.chat, messageRemoteId: key.id }
  if (protocol.type === PROTOCOL_MESSAGE_EDIT) {
    const text = textOf(protocol.editedMessage)
    if (text === undefined) return 'ignored'
    return { type: 'messageEdited', chatRemoteId: c.chat, messageRemoteId: key.id, text, editedAt: Number(protocol.timestampMs ?? c.timestampMs) }
  }
  return 'ignored'
}

/** Messages this session has seen, at most this many. */
const KNOWN_MESSAGES_MAX = 5_000

/** Where recent messages sit, so an action on one can name it by its key (spec §7.9). */
export class KnownMessages {
  private readonly known = new Map<string, TargetRef & { senderId: string }>()

  note(m: TargetRef & { senderId: string }): void {
    if (this.known.size >= KNOWN_MESSAGES_MAX) this.known.delete(this.known.keys().next().value!)
    this.known.set(m.id, m)
  }

  /** The target of an action: a message this session has seen, or (unknown) someone else's in that chat. */
  target(chatRemoteId: string, messageRemoteId: string): TargetRef {
    const chat = userJidOf(chatRemoteId)
    const known = this.known.get(messageRemoteId)
    if (known && known.chat === chat) return known
    return { chat, id: messageRemoteId, fromMe: false }
  }

  /** Edits and revokes target own messages only: one this session knows as someone else's is refused; an unknown one (sent before a restart) is own. */
  ownTarget(chatRemoteId: string, messageRemoteId: string, what: string): TargetRef {
    const known = this.known.get(messageRemoteId)
    if (known && !known.fromMe) throw new JunctionError('permission-denied', `Only your own WhatsApp messages can be ${what}.`)
    return { chat: userJidOf(chatRemoteId), id: messageRemoteId, fromMe: true }
  }
}
