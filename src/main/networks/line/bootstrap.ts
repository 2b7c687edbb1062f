// The bootstrap after login (spec §4.4, §5): the profile, contacts, chats and the recent
// messages of each chat, in batches the server accepts (≤ 100 ids per call).

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
        // One message whose keys cannot be fetched now must not fail the whole sync.
        if (isSessionDead(error)) throw error
      }
    }
    chats.set(box.id, chat)
  }
  return { chats: [...chats.values()], contacts, messages }
}
