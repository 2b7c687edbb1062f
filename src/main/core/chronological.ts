// Messages are stored in the order they are written (row ids break timestamp ties), so a
// batch is written oldest first. A network that pages history newest first (LINE's
// getPreviousMessagesV2, a sync's backlog) would otherwise show messages that share a
// millisecond in reverse.

import type { IncomingMessage } from '../networks/connector'

/** The batch oldest first: unchanged when already in order; a newest-first batch reversed, then stably sorted. */
export function chronological(messages: readonly IncomingMessage[]): readonly IncomingMessage[] {
  let ordered = true
  for (let i = 1; i < messages.length && ordered; i++) if (messages[i]!.timestamp < messages[i - 1]!.timestamp) ordered = false
  if (ordered) return messages
  const copy = messages.length > 1 && messages[0]!.timestamp > messages[messages.length - 1]!.timestamp ? [...messages].reverse() : [...messages]
  return copy.sort((a, b) => a.timestamp - b.timestamp)
}
