// The renderer stays small and quiet (issue 14 §4): the inbox is not re-sorted on changes
// that do not touch it, and messages of chats the person left are bounded.

import { describe, expect, it } from 'vitest'
import type { Chat, Message } from '../../../../src/shared/model'
import { visibleChats } from '../../../../src/renderer/src/state/inbox'
import { CACHED_CHATS, KEEP_WHEN_LEFT } from '../../../../src/renderer/src/state/messages'
import { applyEvent, createAppStore } from '../../../../src/renderer/src/state/store'
import { testMessage } from '../../../helpers/messages'

function chat(id: string, patch: Partial<Chat> = {}): Chat {
  return {
    id,
    accountId: 'a1',
    network: 'whatsapp',
    remoteId: `r${id}`,
    kind: 'direct',
    title: `Chat ${id}`,
    lastActivity: Number(id),
    preview: null,
    unread: 0,
    pinned: false,
    muted: false,
    archived: false,
    draft: '',
    ...patch
  }
}

function message(id: number, chatId: string): Message {
  return testMessage({ id: String(id), chatId, timestamp: id })
}

describe('the inbox selector', () => {
  it('returns the very same array while neither the chats nor the filter changed (typing, messages)', () => {
    const store = createAppStore()
    for (let i = 1; i <= 50; i++) applyEvent(store, { type: 'chat', payload: chat(String(i)) })
    const first = visibleChats(store.getState().chats, store.getState().filter)
    applyEvent(store, { type: 'typing', payload: { chatId: '3', senderId: 's', senderName: 'Sam', typing: true } })
    expect(visibleChats(store.getState().chats, store.getState().filter)).toBe(first)
    applyEvent(store, { type: 'chat', payload: chat('1', { lastActivity: 999 }) })
    const second = visibleChats(store.getState().chats, store.getState().filter)
    expect(second).not.toBe(first)
    expect(second[0]!.id).toBe('1')
  })
})

describe('messages held by the page', () => {
  it('keep at most CACHED_CHATS chats, and a chat left behind keeps only its newest messages', () => {
    const store = createAppStore()
    const s = store.getState
    for (let c = 0; c < CACHED_CHATS + 4; c++) {
      const id = `c${c}`
      s().noteOpened(id)
      s().setMessages(
        id,
        Array.from({ length: 500 }, (_, i) => message(c * 1000 + i, id)),
        { hasMore: true },
        'replace'
      )
    }
    const held = Object.keys(s().messages)
    expect(held).toHaveLength(CACHED_CHATS)
    expect(held).not.toContain('c0')
    // The chat open now keeps all it loaded; the ones left keep their newest KEEP_WHEN_LEFT.
    const open = `c${CACHED_CHATS + 3}`
    expect(s().messages[open]!.list).toHaveLength(500)
    const left = s().messages[`c${CACHED_CHATS + 2}`]!
    expect(left.list).toHaveLength(KEEP_WHEN_LEFT)
    expect(left.list.at(-1)!.id).toBe(String((CACHED_CHATS + 2) * 1000 + 499))
    expect(left.hasMore).toBe(true)
  })

  it('still fetch ahead once full: the least recent chat held makes room, never the open one', () => {
    const store = createAppStore()
    const s = store.getState
    for (let c = 0; c < CACHED_CHATS; c++) {
      s().noteOpened(`c${c}`)
      s().setMessages(`c${c}`, [message(c * 1000, `c${c}`)], { hasMore: false }, 'replace')
    }
    // As the prefetch does: note the chat, then keep its page if it is held.
    s().noteCached('hovered')
    expect(s().openedOrder).toContain('hovered')
    s().setMessages('hovered', [message(99_000, 'hovered')], { hasMore: false }, 'replace')
    const held = Object.keys(s().messages)
    expect(held).toHaveLength(CACHED_CHATS)
    expect(held).toContain('hovered')
    expect(held).not.toContain('c0')
    expect(held).toContain(`c${CACHED_CHATS - 1}`)
    // A second hovered chat takes the first one's place, not an opened chat's.
    s().noteCached('hovered-2')
    expect(Object.keys(s().messages)).not.toContain('hovered')
    expect(s().openedOrder.slice(1)).toEqual(Array.from({ length: CACHED_CHATS - 1 }, (_, i) => `c${i + 1}`))
  })
})
