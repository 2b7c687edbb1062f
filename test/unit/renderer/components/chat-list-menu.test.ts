import { describe, expect, it } from 'vitest'
import type { Chat } from '../../../../src/shared/model'
import type { Actions } from '../../../../src/renderer/src/actions'
import { chatListMenuItems } from '../../../../src/renderer/src/components/ChatListMenu'
import { createAppStore } from '../../../../src/renderer/src/state/store'
import { handleShortcut } from '../../../../src/renderer/src/shortcuts'

function chat(patch: Partial<Chat> = {}): Chat {
  return {
    id: '7',
    accountId: 'a1',
    network: 'whatsapp',
    remoteId: 'r7',
    kind: 'direct',
    title: 'Ann',
    lastActivity: 0,
    preview: null,
    unread: 0,
    pinned: false,
    muted: false,
    archived: false,
    draft: '',
    ...patch
  }
}

function recorder(): { calls: unknown[]; actions: Pick<Actions, 'updateChat' | 'markRead'> } {
  const calls: unknown[] = []
  return {
    calls,
    actions: {
      updateChat: async (chatId, patch) => void calls.push(['update', chatId, patch]),
      markRead: (chatId) => void calls.push(['read', chatId])
    }
  }
}

describe('chat-list row menu', () => {
  it('offers the opposite of each flag and sends it for this chat', () => {
    const { calls, actions } = recorder()
    const items = chatListMenuItems(chat(), actions)
    expect(items.map((i) => i.label)).toEqual(['Pin', 'Mute', 'Archive', 'Mark as unread'])
    for (const item of items) item.run()
    expect(calls).toEqual([
      ['update', '7', { pinned: true }],
      ['update', '7', { muted: true }],
      ['update', '7', { archived: true }],
      ['update', '7', { markUnread: true }]
    ])
  })

  it('a pinned, muted, archived, unread chat gets unpin, unmute, unarchive and mark as read', () => {
    const { calls, actions } = recorder()
    const items = chatListMenuItems(chat({ pinned: true, muted: true, archived: true, unread: 3 }), actions)
    expect(items.map((i) => i.label)).toEqual(['Unpin', 'Unmute', 'Unarchive', 'Mark as read'])
    items.forEach((i) => i.run())
    expect(calls).toEqual([
      ['update', '7', { pinned: false }],
      ['update', '7', { muted: false }],
      ['update', '7', { archived: false }],
      ['read', '7']
    ])
  })

  it('Ctrl+Shift+F asks for the chat-list search box and leaves Ctrl+F to the chat search', () => {
    const store = createAppStore()
    const actions = {} as Actions
    const key = (shiftKey: boolean) => ({ key: 'F', ctrlKey: true, metaKey: false, altKey: false, shiftKey })
    expect(handleShortcut(key(true), store, actions)).toBe(true)
    expect(store.getState().listSearchFocus).toBe(1)
    expect(store.getState().chatSearchOpen).toBe(false)
    store.getState().selectChat('7')
    handleShortcut({ ...key(false), key: 'f' }, store, actions)
    expect(store.getState().chatSearchOpen).toBe(true)
    expect(store.getState().listSearchFocus).toBe(1)
  })
})
