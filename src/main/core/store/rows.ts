// Row shapes and their mapping to the shared model. Integer ids cross the Api as strings.

import type { Account, Chat, ChatKind, Contact, MediaInfo, Message, MessageKind, MessageStatus, NetworkId, Presence } from '../../../shared/model'
import { avatarVersion } from './avatars'
import { parseMessageError, parseQuote, parseReactions } from './message-extras'

export interface AccountRow {
  id: string
  network: NetworkId
  self_id: string
  display_name: string
  color: string
  position: number
  muted: number
  created_at: number
  /** Migration 0010. */
  avatar: string | null
  nickname: string | null
}

export function toAccount(row: AccountRow, status: Account['status']): Account {
  const avatar = avatarVersion(row.avatar)
  return {
    ...(avatar ? { avatar } : {}),
    ...(row.nickname ? { nickname: row.nickname } : {}),
    id: row.id,
    network: row.network,
    selfId: row.self_id,
    displayName: row.display_name,
    color: row.color,
    position: row.position,
    status,
    muted: row.muted === 1,
    createdAt: row.created_at
  }
}

export interface ChatRow {
  id: number
  account_id: string
  network: NetworkId
  remote_id: string
  kind: ChatKind
  title: string
  last_activity: number
  unread: number
  pinned: number
  muted: number
  archived: number
  draft: string
  p_kind: MessageKind | null
  p_text: string | null
  p_from_me: number | null
  p_sender_name: string | null
  p_status: MessageStatus | null
  p_deleted: number | null
  /** The file name of a `file` preview (json_extract of the message's media). */
  p_file_name: string | null
  /** The chat's picture token, else a direct chat's contact's (migration 0010). */
  avatar: string | null
}

/** Selects a ChatRow: the chat, its account's network and its last message as the preview. */
export const CHAT_SELECT = `
  SELECT c.id, c.account_id, a.network, c.remote_id, c.kind, c.title, c.last_activity, c.unread,
         c.pinned, c.muted, c.archived, c.draft,
         m.kind AS p_kind, m.text AS p_text, m.from_me AS p_from_me, m.sender_name AS p_sender_name,
         m.status AS p_status, m.deleted AS p_deleted,
         CASE WHEN m.kind = 'file' AND json_valid(m.media) THEN json_extract(m.media, '$.name') END AS p_file_name,
         coalesce(nullif(c.avatar, ''), CASE WHEN c.kind = 'direct' THEN
           (SELECT ct.avatar FROM contacts ct WHERE ct.account_id = c.account_id AND ct.remote_id = c.remote_id) END) AS avatar
  FROM chats c
  JOIN accounts a ON a.id = c.account_id
  LEFT JOIN messages m ON m.id = c.last_message_id`

export function toChat(row: ChatRow): Chat {
  const avatar = avatarVersion(row.avatar)
  return {
    ...(avatar ? { avatar } : {}),
    id: String(row.id),
    accountId: row.account_id,
    network: row.network,
    remoteId: row.remote_id,
    kind: row.kind,
    title: row.title,
    lastActivity: row.last_activity,
    preview:
      row.p_kind === null
        ? null
        : {
            kind: row.p_kind,
            // A file without a caption is previewed by its name (issue 12 §2), never as an empty message.
            text:
              row.p_deleted === 1 ? '' : row.p_text || (row.p_kind === 'file' && typeof row.p_file_name === 'string' ? row.p_file_name : (row.p_text ?? '')),
            fromMe: row.p_from_me === 1,
            senderName: row.p_sender_name,
            status: row.p_status ?? 'sent',
            deleted: row.p_deleted === 1
          },
    unread: row.unread,
    pinned: row.pinned === 1,
    muted: row.muted === 1,
    archived: row.archived === 1,
    draft: row.draft
  }
}

export interface MessageRow {
  id: number
  chat_id: number
  account_id: string
  remote_id: string | null
  client_id: string | null
  sender_id: string
  sender_name: string | null
  from_me: number
  timestamp: number
  kind: MessageKind
  text: string
  status: MessageStatus
  error: string | null
  media: string | null
  e2ee: number
  edited: number
  deleted: number
  /** Migration 0008 (store/message-extras.ts). */
  reply_to: string | null
  /** The stored message `reply_to` names, as JSON, when it is stored (QUOTED_COLUMN). */
  quoted: string | null
  reactions: string | null
  edited_at: number | null
  delivered_at: number | null
  read_at: number | null
}

export function toMessage(row: MessageRow): Message {
  return {
    id: String(row.id),
    chatId: String(row.chat_id),
    accountId: row.account_id,
    remoteId: row.remote_id,
    clientId: row.client_id,
    senderId: row.sender_id,
    senderName: row.sender_name,
    fromMe: row.from_me === 1,
    timestamp: row.timestamp,
    kind: row.kind,
    text: row.text,
    status: row.status,
    error: parseMessageError(row.error),
    media: row.media === null ? null : (JSON.parse(row.media) as MediaInfo),
    e2ee: row.e2ee === 1,
    edited: row.edited === 1,
    editedAt: row.edited_at,
    deleted: row.deleted === 1,
    replyTo: parseQuote(row.reply_to, row.quoted),
    reactions: parseReactions(row.reactions),
    deliveredAt: row.delivered_at,
    readAt: row.read_at
  }
}

export interface ContactRow {
  account_id: string
  remote_id: string
  name: string
  blocked: number
  presence: Presence
  last_seen: number | null
  /** Migration 0010: the picture token. */
  avatar?: string | null
}

export function toContact(row: ContactRow): Contact {
  return {
    accountId: row.account_id,
    remoteId: row.remote_id,
    name: row.name,
    blocked: row.blocked === 1,
    presence: row.presence,
    ...(row.last_seen != null ? { lastSeen: row.last_seen } : {}),
    ...(row.avatar ? { avatar: avatarVersion(row.avatar)! } : {})
  }
}

/** Parses an id that crossed the Api as a string; anything else is not an id we issued. */
export function parseRowId(id: string): number | null {
  if (!/^[1-9][0-9]{0,15}$/.test(id)) return null
  const n = Number(id)
  return Number.isSafeInteger(n) ? n : null
}
