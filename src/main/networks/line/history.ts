// Older messages of a chat (spec §5 getRecentMessagesV2, getPreviousMessagesV2WithRequest),
// newest first and strictly before the anchor.

import type { IncomingMessage } from '../connector'
import type { LineAccount } from './account'
import { compareIds } from './message-cache'

/** Older messages, newest first, strictly before the anchor (spec §5 getPreviousMessagesV2WithRequest). */
export async function history(s: LineAccount, chat: string, before: { remoteId: string; timestamp: number } | null, limit: number): Promise<IncomingMessage[]> {
  const wire = before
    ? await s.talk.getPreviousMessages(chat, { deliveredTime: String(before.timestamp), messageId: before.remoteId }, limit)
    : await s.talk.getRecentMessagesV2(chat, limit)
  const out: IncomingMessage[] = []
  for (const m of wire) out.push(await s.mapMessage(m))
  return out
    .filter((m) => !before || compareIds(m.remoteId, before.remoteId) < 0)
    .sort((a, b) => b.timestamp - a.timestamp || compareIds(b.remoteId, a.remoteId))
    .slice(0, limit)
}
