// The shared model: what leaves a network folder and what the renderer sees.
// Pure types and constants only; no runtime dependencies.

import type { NetworkCapabilities } from './api'
import type { ErrorCode, Reason } from './errors'

export const NETWORK_IDS = ['whatsapp', 'line', 'skype'] as const
export type NetworkId = (typeof NETWORK_IDS)[number]

export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline' | 'needs-login'

export interface AccountStatus {
  state: ConnectionState
  /** Why the account is offline / needs login / reconnecting, as a code the renderer words. */
  reason?: Reason
  /** Epoch ms of the next reconnect attempt while `reconnecting`. */
  retryAt?: number
}

export interface Account {
  id: string
  network: NetworkId
  /** The network's own identity for this account (a JID, a LINE mid, a Skype `8:` name). */
  selfId: string
  displayName: string
  /** A colour from the account palette, as `#rrggbb`. */
  color: string
  /** Rail order (Ctrl+1…9). */
  position: number
  status: AccountStatus
  muted: boolean
  createdAt: number
  /**
   * Where the protocol or dialect this account speaks narrows its network's capabilities (a
   * Messenger revival account has no edits; WhatsApp's legacy protocol no reactions). The
   * renderer and Core use the network's capabilities with these laid over them.
   */
  capabilities?: Partial<NetworkCapabilities>
  /**
   * The account's own profile picture (issue 12 §3): a version tag that changes when the
   * picture does; absent when the network gave none. The URL comes from `AppInfo.avatars`.
   */
  avatar?: string
  /** A local name the person gave the account (renameAccount); shown instead of `displayName` where set. */
  nickname?: string
  /** What the account's protocol is called where it differs from the network's name (a Messenger revival account on MSNP18). */
  networkLabel?: string
}

export type ChatKind = 'direct' | 'group'

export const MESSAGE_KINDS = ['text', 'image', 'sticker', 'emote', 'system', 'file'] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

export const MESSAGE_STATUSES = ['pending', 'sent', 'delivered', 'read', 'failed'] as const
export type MessageStatus = (typeof MESSAGE_STATUSES)[number]

export interface MessagePreview {
  kind: MessageKind
  text: string
  fromMe: boolean
  senderName: string | null
  status: MessageStatus
  /** Deleted for everyone by its sender; an empty message is not a deletion. */
  deleted: boolean
}

export interface Chat {
  id: string
  accountId: string
  network: NetworkId
  /** The network's id for the chat (a JID, a LINE mid/group id, a Skype `8:`/`19:` address). */
  remoteId: string
  kind: ChatKind
  title: string
  /** Epoch ms of the newest message or chat event. */
  lastActivity: number
  preview: MessagePreview | null
  unread: number
  pinned: boolean
  muted: boolean
  archived: boolean
  draft: string
  /** The chat's picture (a group's own, or the contact's for a direct chat): a version tag, absent when none (issue 12 §3). */
  avatar?: string
}

export type Presence = 'online' | 'away' | 'busy' | 'offline' | 'unknown'

export interface Contact {
  accountId: string
  remoteId: string
  name: string
  blocked: boolean
  presence: Presence
  /** Epoch ms the contact was last online, where the network shares it. */
  lastSeen?: number
  /** A contact request awaiting an answer (someone who added this account); absent when false. */
  pending?: boolean
  /** The contact's profile picture: a version tag, absent when none (issue 12 §3). */
  avatar?: string
}

export interface MediaInfo {
  mime: string
  width?: number
  height?: number
  size?: number
  /** Set for stickers: the network's sticker identity, e.g. LINE `STKPKGID/STKID`. */
  stickerId?: string
  /** Set for files (kind `file`): the name the sender gave it, for display only (never a path). */
  name?: string
  /** A small JPEG preview the message itself carried (base64, at most 16 KiB), shown until the media is loaded. */
  thumbnail?: string
}

export interface Message {
  id: string
  chatId: string
  accountId: string
  /** The network's message id; null until the network has acknowledged a sent message. */
  remoteId: string | null
  /** The idempotency key of a message sent from Junction. */
  clientId: string | null
  senderId: string
  senderName: string | null
  fromMe: boolean
  /** Epoch ms. */
  timestamp: number
  kind: MessageKind
  text: string
  status: MessageStatus
  /** Why a message failed, as a code the renderer words (the English stays in the log). */
  error: MessageError | null
  media: MediaInfo | null
  /** The message was end-to-end encrypted on the wire (LINE Letter Sealing, Signal). */
  e2ee: boolean
  edited: boolean
  /** Epoch ms of the last edit, when known. */
  editedAt: number | null
  /** Deleted for everyone by its sender (never set for a message that is merely empty). */
  deleted: boolean
  /** The message this one quotes. */
  replyTo: MessageQuote | null
  /** Reactions, one entry per emoji, in the order they were first given. */
  reactions: MessageReaction[]
  /** When Junction heard the network's delivered / read receipt for an own message. */
  deliveredAt: number | null
  readAt: number | null
}

export interface MessageError {
  code: ErrorCode
  reason?: Reason
}

/** A quoted message as the bubble shows it. `messageId` is set when the quoted message is stored (click jumps to it). */
export interface MessageQuote {
  messageId: string | null
  remoteId: string
  senderId: string | null
  senderName: string | null
  fromMe: boolean
  kind: MessageKind
  text: string
  deleted: boolean
}

export interface MessageReaction {
  emoji: string
  senderIds: string[]
  /** The own account is among the senders. */
  own: boolean
}

/** The quoted message of a reply as the Connector puts it on the wire; filled by Core from its store. */
export interface DraftReply {
  remoteId: string
  senderId: string
  fromMe: boolean
  text: string
  timestamp: number
}

/** What a person writes; the client id makes every retry of it idempotent. `replyTo` is set by Core, never by the renderer. */
export type OutgoingDraft = (
  | { kind: 'text'; text: string }
  | { kind: 'emote'; text: string }
  | {
      kind: 'image'
      mime: string
      dataBase64: string
      caption?: string
      /** The picture's file name when it came from a file (a display name, never a path); Skype shows it. */
      name?: string
      /** A small JPEG preview the page drew (base64, ≤ 16 KiB) and the picture's size: what WhatsApp shows before the download. */
      thumbnailBase64?: string
      width?: number
      height?: number
    }
) & { replyTo?: DraftReply }

/**
 * A document (issue 12 §2): the bytes as base64 like an image; `size` is the decoded length (Core checks it).
 * Kept apart from OutgoingDraft so a Connector's `send` sees only what every network handles; a network that
 * declares `sendFiles` implements `Connector.sendFile`.
 */
export interface FileDraft {
  kind: 'file'
  /** A display name, never a path. */
  name: string
  mime: string
  size: number
  dataBase64: string
  replyTo?: DraftReply
}

/** What the renderer sends and the outbox keeps: a draft of any kind. */
export type ComposedDraft = OutgoingDraft | FileDraft

export type InboxFilter =
  | { kind: 'all' }
  | { kind: 'unread' }
  | { kind: 'account'; accountId: string }
  | { kind: 'archived' }
  /** Chats whose title contains the text, archived ones included (the Ctrl+K switcher). */
  | { kind: 'title'; query: string }

export interface SearchHit {
  messageId: string
  chatId: string
  accountId: string
  network: NetworkId
  chatTitle: string
  senderName: string | null
  timestamp: number
  /** The snippet with matches wrapped in U+0002 … U+0003, so the renderer highlights without HTML. */
  snippet: string
}

export const SNIPPET_OPEN = '\u0002'
export const SNIPPET_CLOSE = '\u0003'

export const STATUS_RANK: Record<MessageStatus, number> = {
  failed: -1,
  pending: 0,
  sent: 1,
  delivered: 2,
  read: 3
}
