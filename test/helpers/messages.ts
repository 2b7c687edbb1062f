// One stored Message for renderer and model tests: an incoming, delivered text in chat `c1`
// of account `a1`, with every field the model has; a test overrides what it is about.

import type { Message } from '../../src/shared/model'

export function testMessage(patch: Partial<Message> & { id: string }): Message {
  return {
    chatId: 'c1',
    accountId: 'a1',
    remoteId: `m${patch.id}`,
    clientId: null,
    senderId: 's',
    senderName: null,
    fromMe: false,
    timestamp: 0,
    kind: 'text',
    text: patch.id,
    status: 'delivered',
    error: null,
    media: null,
    e2ee: false,
    edited: false,
    deleted: false,
    editedAt: null,
    replyTo: null,
    reactions: [],
    deliveredAt: null,
    readAt: null,
    ...patch
  }
}
