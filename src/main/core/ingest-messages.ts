// How Ingest writes one batch of messages (ingest.ts explains the queue and its sessions):
// idempotent upserts in the batch's chronological order, blocked senders dropped, a chat made
// for a message to a chat we do not have, and per chat once — not per message — its newest
// message and its unread count. `live` messages from others count as unread; our own live
// messages (sent from another device) mark the chat read, as the phone does.

import type { IncomingMessage } from '../networks/connector'
import { chronological } from './chronological'
import type { EmitApiEvent, Session } from './ingest-queue'
import type { Store } from './store'

/** Runs inside `session`'s transaction; what the renderer hears waits in the session. Returns the chats that changed. */
export function storeMessageBatch(
  store: Store,
  session: Session,
  sink: EmitApiEvent,
  accountId: string,
  batch: readonly IncomingMessage[],
  live: boolean,
  emitChats: boolean
): Set<number> {
  const messages = chronological(batch)
  const touched = new Set<number>()
  // Per batch, not per message: chat ids, blocked senders, each chat's newest message and unread count.
  const senders = new Set<string>()
  const remotes = new Set<string>()
  for (const m of messages) {
    if (!m.fromMe) senders.add(m.senderId)
    remotes.add(m.chatRemoteId)
  }
  const blocked = store.contacts.blockedAmong(accountId, senders)
  const chatIds = store.chats.idsByRemote(accountId, remotes)
  const newest = new Map<number, { id: number; timestamp: number }>()
  const unread = new Map<number, { reset: boolean; add: number }>()
  for (const m of messages) {
    if (!m.fromMe && blocked.has(m.senderId)) continue
    let chatId = chatIds.get(m.chatRemoteId)
    if (chatId === undefined) {
      chatId = store.chats.ensure(accountId, m.chatRemoteId, 'direct', m.fromMe ? m.chatRemoteId : (m.senderName ?? m.chatRemoteId)).id
      chatIds.set(m.chatRemoteId, chatId)
    }
    const outcome = store.messages.upsert(chatId, accountId, m)
    if (!outcome.changed) continue
    // The chat changes with any of its messages: its order, or the preview of its last message.
    const id = Number(outcome.message.id)
    const timestamp = outcome.message.timestamp
    const last = newest.get(chatId)
    if (!last || timestamp > last.timestamp || (timestamp === last.timestamp && id > last.id)) newest.set(chatId, { id, timestamp })
    touched.add(chatId)
    if (live && outcome.inserted) {
      if (m.fromMe) unread.set(chatId, { reset: true, add: 0 })
      else if (!m.deleted && m.kind !== 'system') {
        const u = unread.get(chatId) ?? { reset: false, add: 0 }
        u.add++
        unread.set(chatId, u)
        session.fresh.push(outcome.message)
      }
    }
    session.emits.push(() => sink('message', outcome.message))
  }
  for (const [chatId, last] of newest) store.chats.noteMessage(chatId, last.id, last.timestamp)
  for (const [chatId, u] of unread) {
    if (u.reset) store.chats.setUnread(chatId, u.add)
    else store.chats.addUnread(chatId, u.add)
  }
  if (emitChats) for (const id of touched) session.chats.add(id)
  return touched
}
