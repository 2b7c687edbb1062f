// Receipts the phone holds (issue 11.5): a delivery or read receipt pushed while Junction was
// offline went nowhere, and the chat's cursor may already be past the message (the contact
// answered first), so the catch-up of sync.ts does not see it again. After each login, the
// newest history page (spec §6.2) of every chat with messages still awaiting a receipt gives
// their status as the phone has it (spec §7.1 WebMessageInfo.status), emitted as receipts.

import { decodeBatch } from './messages'
import type { SessionDeps } from './inbound'
import { PAGE_SIZE } from './session'

/** A bound on the queries one login spends on this; the most recently sent-to chats come first. */
const MAX_CHATS = 20

const RANK = { sent: 0, delivered: 1, read: 2 } as const

export async function catchUpReceipts(d: SessionDeps): Promise<void> {
  const chats = [...d.index.awaitingByChat()].slice(-MAX_CHATS)
  for (const [chat, waiting] of chats) {
    const page = await d.session.queryMessages(chat, 'before', PAGE_SIZE, null)
    if (!page.found) continue
    const raised = { delivered: [] as string[], read: [] as string[] }
    for (const { message } of decodeBatch(page.messages, d)) {
      const known = waiting.get(message.remoteId)
      const status = message.status
      if (!known || !message.fromMe || (status !== 'delivered' && status !== 'read') || RANK[status] <= RANK[known]) continue
      raised[status].push(message.remoteId)
    }
    for (const status of ['delivered', 'read'] as const) {
      if (raised[status].length === 0) continue
      d.index.noteReceipt(raised[status], status)
      d.emit({ type: 'receipt', chatRemoteId: chat, messageRemoteIds: raised[status], status })
    }
  }
}
