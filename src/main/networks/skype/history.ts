// What a Skype session knows of past conversations: the answer to `GET MSGR\RECENTCONVERSATIONS`
// (spec §5.3, example P4), read for the sync snapshot (each chat with its last activity, the
// contacts, the messages) and again for a chat's older messages. MESSAGESBYCONVERSATION would
// page further, but its shape was never captured; MSNP21 keeps no history at all (§9.1).
// Split from connector.ts.

import type { IncomingMessage, SyncResult } from '../connector'
import type { SkypeAccount } from './connection'
import { isGroupAddress } from './msnp/messaging'
import type { MsnpSession } from './session'

/** The sync snapshot: the chats the inbound path knows, with the recent conversations laid over them. */
export async function recentSnapshot(account: SkypeAccount, session: MsnpSession): Promise<SyncResult> {
  const { book, inbound } = account
  const recent = await session.recentConversations(0, 100)
  const chats = new Map(inbound.knownChats().map((c) => [c.remoteId, c]))
  const messages: IncomingMessage[] = inbound.toIncoming(recent.messages)
  for (const conv of recent.conversations) {
    const remoteId = isGroupAddress(conv.id) ? conv.id : book.canonical(conv.id)
    const group = isGroupAddress(remoteId)
    const last = messages.filter((m) => m.chatRemoteId === remoteId).reduce((t, m) => Math.max(t, m.timestamp), 0)
    const title = group ? (conv.topic ?? chats.get(remoteId)?.title ?? 'Group conversation') : (book.nameOf(remoteId) ?? remoteId.replace(/^\d+:/, ''))
    chats.set(remoteId, { remoteId, kind: group ? 'group' : 'direct', title, ...(last > 0 ? { lastActivity: last } : {}) })
  }
  return { chats: [...chats.values()], contacts: book.contacts(), messages }
}

/** A chat's messages older than `before`, newest first, from the recent conversations. */
export async function recentHistory(
  account: SkypeAccount,
  session: MsnpSession,
  chatRemoteId: string,
  before: { remoteId: string; timestamp: number } | null,
  limit: number
): Promise<IncomingMessage[]> {
  const recent = await session.recentConversations(0, 100)
  return account.inbound
    .toIncoming(recent.messages)
    .filter((m) => m.chatRemoteId === chatRemoteId && (before === null || (m.timestamp < before.timestamp && m.remoteId !== before.remoteId)))
    .sort((a, b) => b.timestamp - a.timestamp)
    .slice(0, Math.max(0, limit))
}
