// Which message actions are offered (issue 12 §4: hidden where the network lacks them), where
// the unread separator goes (§5), and the composer's reply/edit target in the store.

import { describe, expect, it } from 'vitest'
import type { NetworkCapabilities } from '../../../../src/shared/api'
import type { Message } from '../../../../src/shared/model'
import { availableActions, ownReaction } from '../../../../src/renderer/src/components/MessageActions'
import { firstUnreadId } from '../../../../src/renderer/src/components/MessageList'
import { createAppStore } from '../../../../src/renderer/src/state/store'
import { testMessage } from '../../../helpers/messages'

const NOW = Date.UTC(2026, 11, 2, 12)

function message(patch: Partial<Message> = {}): Message {
  return testMessage({ id: '1', remoteId: 'r1', senderId: 'me', fromMe: true, timestamp: NOW - 60_000, text: 'hello', status: 'sent', ...patch })
}

const BASE: NetworkCapabilities = {
  typing: true,
  deliveryReceipts: true,
  readReceipts: true,
  receiveImages: true,
  sendImages: true,
  stickers: false,
  emotes: false,
  edits: false,
  unsend: false,
  groups: true,
  sealing: false,
  presence: false
}
const LINE_LIKE: NetworkCapabilities = {
  ...BASE,
  unsend: true,
  replies: true,
  reactions: true,
  reactionEmoji: ['👍', '❤️'],
  unsendWindowMs: 86_400_000,
  forward: true
}

describe('available message actions', () => {
  it('offers only what the network declares', () => {
    expect(availableActions(message(), BASE, NOW)).toEqual({
      reply: false,
      react: false,
      reactionSet: null,
      copy: true,
      edit: false,
      deleteForEveryone: false,
      forward: true
    })
    expect(availableActions(message(), LINE_LIKE, NOW)).toMatchObject({
      reply: true,
      react: true,
      reactionSet: ['👍', '❤️'],
      edit: false,
      deleteForEveryone: true
    })
    expect(availableActions(message(), { ...BASE, edits: true }, NOW).edit).toBe(true)
    expect(availableActions(message(), undefined, NOW)).toMatchObject({ reply: false, react: false, edit: false, deleteForEveryone: false })
  })

  it('offers nothing on the network for a message it does not have yet, a deleted one or a system line', () => {
    for (const m of [message({ remoteId: null, status: 'pending' }), message({ deleted: true, text: '' }), message({ kind: 'system' })]) {
      const can = availableActions(m, { ...LINE_LIKE, edits: true }, NOW)
      expect([can.reply, can.react, can.edit, can.deleteForEveryone]).toEqual([false, false, false, false])
    }
    expect(availableActions(message({ remoteId: null }), LINE_LIKE, NOW).copy).toBe(true)
  })

  it('keeps edits and unsend to our own messages and within the network’s window', () => {
    const theirs = message({ fromMe: false, senderId: 'bob' })
    expect(availableActions(theirs, { ...LINE_LIKE, edits: true }, NOW)).toMatchObject({ edit: false, deleteForEveryone: false, reply: true })
    const old = message({ timestamp: NOW - 86_400_001 })
    expect(availableActions(old, LINE_LIKE, NOW).deleteForEveryone).toBe(false)
    expect(availableActions(old, { ...BASE, edits: true, editWindowMs: 15 * 60_000 }, NOW).edit).toBe(false)
    expect(availableActions(message({ kind: 'image', text: '' }), { ...BASE, edits: true }, NOW)).toMatchObject({ edit: false, copy: false, forward: true })
  })

  it('offers no forward when no account is on a network that takes forwards (the dialog would be empty)', () => {
    expect(availableActions(message(), LINE_LIKE, NOW, false).forward).toBe(false)
    expect(availableActions(message(), LINE_LIKE, NOW, true).forward).toBe(true)
  })

  it('knows the own reaction', () => {
    expect(
      ownReaction(
        message({
          reactions: [
            { emoji: '👍', senderIds: ['bob'], own: false },
            { emoji: '❤️', senderIds: ['me'], own: true }
          ]
        })
      )
    ).toBe('❤️')
    expect(ownReaction(message())).toBeNull()
  })
})

describe('the unread separator', () => {
  it('goes before the first of the unread messages from others, skipping our own and system lines', () => {
    const list = [
      message({ id: '1', fromMe: false }),
      message({ id: '2', fromMe: false }),
      message({ id: '3', fromMe: true }),
      message({ id: '4', fromMe: false, kind: 'system' }),
      message({ id: '5', fromMe: false })
    ]
    expect(firstUnreadId(list, 1)).toBe('5')
    expect(firstUnreadId(list, 2)).toBe('2')
    // More unread than loaded: the oldest loaded one from others.
    expect(firstUnreadId(list, 10)).toBe('1')
    expect(firstUnreadId(list, 0)).toBeNull()
    expect(firstUnreadId([], 3)).toBeNull()
  })
})

describe('the composer’s target', () => {
  it('follows the message it quotes or edits, and goes when the message goes', () => {
    const store = createAppStore()
    const s = () => store.getState()
    const m = message({ chatId: 'c1' })
    s().setMessages('c1', [m], { hasMore: false }, 'replace')
    s().setComposeTarget('c1', { mode: 'edit', message: m })
    s().upsertMessage({ ...m, text: 'changed elsewhere' })
    expect(s().composeTargets.c1?.message.text).toBe('changed elsewhere')
    s().upsertMessage({ ...m, deleted: true, text: '' })
    expect(s().composeTargets.c1).toBeUndefined()
    s().setComposeTarget('c1', { mode: 'reply', message: m })
    s().removeMessage('c1', m.id)
    expect(s().composeTargets.c1).toBeUndefined()
  })
})
