// The bootstrap after login (spec §4.4, §5): the profile, contacts, chats and the recent
// messages of each chat, in batches the server accepts (≤ 100 ids per call). A message it
// could not read just then (a key that did not come) is read again later, not lost.

import type { ChatInfo, ContactInfo, IncomingMessage, SyncResult } from '../connector'
import { isSessionDead } from './errors'
import { toTypeOf } from './sealing'
import type { LineAccount } from './account'

const BATCH = 100
/** spec §5 getMessageBoxes: boxes per call and last messages per box. */
const BOXES = 100
const LAST_MESSAGES = 5

function batches<T>(items: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH))
  return out
}

export async function syncAll(s: LineAccount): Promise<SyncResult> {
  const { talk } = s
  await s.refreshProfile()

  const contacts: ContactInfo[] = []
  for (const ids of batches(await talk.getAllContactIds())) {
    const result = await talk.getContactsV2(ids)
    for (const entry of Object.values(result.contacts)) if (entry.contact) contacts.push(s.contactInfo(entry.contact))
  }

  const chats = new Map<string, ChatInfo>()
  const mids = await talk.getAllChatMids()
  for (const ids of batches([...mids.memberChatMids, ...mids.invitedChatMids])) {
    for (const chat of await talk.getChats(ids)) {
      chats.set(chat.chatMid, s.groupInfo(chat))
    }
  }

  const messages: IncomingMessage[] = []
  const unread = new Map<string, Set<string>>()
  const boxes = await talk.getMessageBoxes(BOXES, LAST_MESSAGES)
  for (const box of boxes.messageBoxes) {
    const direct = toTypeOf(box.id) === 0
    const existing = chats.get(box.id)
    const chat: ChatInfo = existing ?? { remoteId: box.id, kind: direct ? 'direct' : 'group', title: direct ? (s.names.get(box.id) ?? box.id) : 'Group' }
    if (box.unreadCount !== undefined) chat.unread = Number(box.unreadCount)
    for (const m of box.lastMessages ?? []) {
      try {
        const incoming = await s.mapMessage(m)
        messages.push(incoming)
        chat.lastActivity = Math.max(chat.lastActivity ?? 0, incoming.timestamp)
      } catch (error) {
        // One message whose keys cannot be fetched now must not fail the whole sync, nor be
        // lost: it is read again once the sync is done (`rereadMessages`).
        if (isSessionDead(error)) throw error
        if (m.id) unread.set(box.id, (unread.get(box.id) ?? new Set()).add(m.id))
      }
    }
    chats.set(box.id, chat)
  }
  if (unread.size > 0) s.rereadLater(unread)
  return { chats: [...chats.values()], contacts, messages }
}

/** spec §5 getRecentMessagesV2: enough of a chat's newest messages to still hold the bootstrap's few. */
const REREAD_WINDOW = 50

/**
 * The bootstrap messages that could not be read just then (a key that did not come), read
 * again from their chats' newest messages and reported: a message Core already has is stored
 * by its id, so nothing doubles. Returns what is still unread, for the next attempt; a message
 * no longer among the newest, or that fails for good (mapped as unreadable), is not retried.
 */
export async function rereadMessages(
  s: LineAccount,
  unread: ReadonlyMap<string, ReadonlySet<string>>,
  emit: (m: IncomingMessage) => void
): Promise<Map<string, Set<string>>> {
  const left = new Map<string, Set<string>>()
  for (const [chat, ids] of unread) {
    try {
      const wanted = (await s.talk.getRecentMessagesV2(chat, REREAD_WINDOW)).filter((m) => m.id !== undefined && ids.has(m.id))
      const read: IncomingMessage[] = []
      for (const m of wanted) read.push(await s.mapMessage(m))
      for (const m of read) emit(m)
    } catch (error) {
      if (isSessionDead(error)) throw error
      left.set(chat, new Set(ids))
    }
  }
  return left
}
