import { describe, expect, it } from 'vitest'
import type { Chat, Message } from '../../../../src/shared/model'
import { totalUnread, visibleChats } from '../../../../src/renderer/src/state/inbox'
import { applyEvent, createAppStore, TYPING_TTL_MS } from '../../../../src/renderer/src/state/store'
import type { Actions } from '../../../../src/renderer/src/actions'
import { notificationText } from '../../../../src/renderer/src/notifications'
import { handleShortcut } from '../../../../src/renderer/src/shortcuts'
import { testMessage } from '../../../helpers/messages'

function chat(id: string, patch: Partial<Chat> = {}): Chat {
  return {
    id,
    accountId: 'a1',
    network: 'whatsapp',
    remoteId: `r${id}`,
    kind: 'direct',
    title: `Chat ${id}`,
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

function message(id: string, chatId: string, timestamp: number, patch: Partial<Message> = {}): Message {
  return testMessage({ id, chatId, timestamp, ...patch })
}

describe('renderer state', () => {
  it('orders the inbox pinned first, then newest activity, as events arrive', () => {
    const store = createAppStore()
    applyEvent(store, { type: 'chat', payload: chat('1', { lastActivity: 10 }) })
    applyEvent(store, { type: 'chat', payload: chat('2', { lastActivity: 30 }) })
    applyEvent(store, { type: 'chat', payload: chat('3', { lastActivity: 20, pinned: true }) })
    expect(visibleChats(store.getState().chats, { kind: 'all' }).map((c) => c.id)).toEqual(['3', '2', '1'])
    applyEvent(store, { type: 'chat', payload: chat('1', { lastActivity: 40 }) })
    expect(visibleChats(store.getState().chats, { kind: 'all' }).map((c) => c.id)).toEqual(['3', '1', '2'])
    applyEvent(store, { type: 'chat', payload: chat('2', { lastActivity: 30, archived: true }) })
    expect(visibleChats(store.getState().chats, { kind: 'all' }).map((c) => c.id)).toEqual(['3', '1'])
    expect(visibleChats(store.getState().chats, { kind: 'archived' }).map((c) => c.id)).toEqual(['2'])
  })

  it('counts unread across chats, leaving out muted and archived ones and muted accounts', () => {
    const chats = {
      a: chat('a', { unread: 2 }),
      b: chat('b', { unread: 3, muted: true }),
      c: chat('c', { unread: 4, archived: true }),
      d: chat('d', { unread: 5, accountId: 'a2' })
    }
    expect(totalUnread(chats)).toBe(7)
    expect(totalUnread(chats, new Set(['a2']))).toBe(2)
  })

  it('keeps messages of an open chat in order and replaces updates in place', () => {
    const store = createAppStore()
    store.getState().setMessages('c', [message('1', 'c', 100), message('3', 'c', 300)], { hasMore: true }, 'replace')
    applyEvent(store, { type: 'message', payload: message('2', 'c', 200) })
    applyEvent(store, { type: 'message', payload: message('3', 'c', 300, { text: 'edited', edited: true }) })
    const list = store.getState().messages.c!.list
    expect(list.map((m) => m.id)).toEqual(['1', '2', '3'])
    expect(list[2]).toMatchObject({ text: 'edited', edited: true })
    store.getState().setMessages('c', [message('0', 'c', 50), message('1', 'c', 100)], { hasMore: false }, 'prepend')
    expect(store.getState().messages.c!.list.map((m) => m.id)).toEqual(['0', '1', '2', '3'])
    applyEvent(store, { type: 'messageRemoved', payload: { chatId: 'c', messageId: '2' } })
    expect(store.getState().messages.c!.list.map((m) => m.id)).toEqual(['0', '1', '3'])
  })

  it('holds no messages for chats that were never opened', () => {
    const store = createAppStore()
    applyEvent(store, { type: 'message', payload: message('1', 'unopened', 1) })
    expect(store.getState().messages.unopened).toBeUndefined()
  })

  it('shows typing until a message arrives or the indicator expires', () => {
    const store = createAppStore()
    applyEvent(store, { type: 'typing', payload: { chatId: 'c', senderId: 's', senderName: 'Bob', typing: true } }, 1000)
    expect(store.getState().typing.c).toEqual({ senderName: 'Bob', until: 1000 + TYPING_TTL_MS })
    store.getState().setMessages('c', [], { hasMore: false }, 'replace')
    applyEvent(store, { type: 'message', payload: message('1', 'c', 5) })
    expect(store.getState().typing.c).toBeUndefined()
  })

  it('drops an account with its chats', () => {
    const store = createAppStore()
    applyEvent(store, { type: 'chat', payload: chat('1') })
    applyEvent(store, { type: 'chat', payload: chat('2', { accountId: 'a2' }) })
    applyEvent(store, { type: 'accountRemoved', payload: { accountId: 'a1' } })
    expect(Object.keys(store.getState().chats)).toEqual(['2'])
  })

  it('tracks login steps by login id, even before the start request answers', () => {
    const store = createAppStore()
    applyEvent(store, { type: 'login', payload: { loginId: 'L', network: 'line', step: { kind: 'pin', pin: '123456', expiresAt: null } } })
    expect(store.getState().logins.L).toEqual({ network: 'line', step: { kind: 'pin', pin: '123456', expiresAt: null } })
  })
})

describe('keyboard shortcuts', () => {
  function setup(): { store: ReturnType<typeof createAppStore>; calls: string[]; actions: Actions } {
    const store = createAppStore()
    const calls: string[] = []
    const actions = {
      setFilter: async (f: { kind: string; accountId?: string }) => void calls.push(`filter:${f.kind}:${f.accountId ?? ''}`),
      moveSelection: (step: number) => void calls.push(`move:${step}`)
    } as unknown as Actions
    store.getState().setAccounts([
      { id: 'a2', network: 'line', selfId: 'x', displayName: 'B', color: '#000', position: 1, status: { state: 'online' }, muted: false, createdAt: 2 },
      { id: 'a1', network: 'whatsapp', selfId: 'y', displayName: 'A', color: '#000', position: 0, status: { state: 'online' }, muted: false, createdAt: 1 }
    ])
    return { store, calls, actions }
  }
  const key = (k: string, mods: { ctrl?: boolean; alt?: boolean } = {}) => ({
    key: k,
    ctrlKey: !!mods.ctrl,
    metaKey: false,
    altKey: !!mods.alt,
    shiftKey: false
  })

  it('Ctrl+1…9 picks accounts in rail order; Alt+↑/↓ moves between chats', () => {
    const { store, calls, actions } = setup()
    expect(handleShortcut(key('2', { ctrl: true }), store, actions)).toBe(true)
    expect(handleShortcut(key('1', { ctrl: true }), store, actions)).toBe(true)
    expect(handleShortcut(key('9', { ctrl: true }), store, actions)).toBe(true)
    expect(handleShortcut(key('ArrowDown', { alt: true }), store, actions)).toBe(true)
    expect(handleShortcut(key('ArrowUp', { alt: true }), store, actions)).toBe(true)
    expect(calls).toEqual(['filter:account:a2', 'filter:account:a1', 'move:1', 'move:-1'])
  })

  it('Ctrl+K toggles the switcher; Ctrl+F opens chat search only with a chat open; Esc closes it', () => {
    const { store, actions } = setup()
    expect(handleShortcut(key('f', { ctrl: true }), store, actions)).toBe(false)
    store.getState().selectChat('c1')
    handleShortcut(key('f', { ctrl: true }), store, actions)
    expect(store.getState().chatSearchOpen).toBe(true)
    handleShortcut(key('Escape'), store, actions)
    expect(store.getState().chatSearchOpen).toBe(false)
    handleShortcut(key('k', { ctrl: true }), store, actions)
    expect(store.getState().dialog).toEqual({ kind: 'palette' })
    // While a dialog is open, only Ctrl+K (to close it) is taken; the rest belongs to the dialog.
    expect(handleShortcut(key('1', { ctrl: true }), store, actions)).toBe(false)
    handleShortcut(key('k', { ctrl: true }), store, actions)
    expect(store.getState().dialog).toBeNull()
  })
})

describe('drafts and settings', () => {
  it('keeps a chat draft from the chat event, and settings from the settings event', () => {
    const store = createAppStore()
    applyEvent(store, { type: 'chat', payload: chat('1', { draft: 'half a thought' }) })
    expect(store.getState().chats['1']!.draft).toBe('half a thought')
    applyEvent(store, { type: 'settings', payload: { theme: 'dark', notifications: { enabled: false, showPreview: true }, networks: {} } })
    expect(store.getState().settings?.theme).toBe('dark')
  })

  it('a window into older messages takes updates of what it shows but not new messages past its end', () => {
    const store = createAppStore()
    store.getState().setMessages('c', [message('5', 'c', 50), message('6', 'c', 60)], { hasMore: true, hasNewer: true }, 'replace')
    applyEvent(store, { type: 'message', payload: message('99', 'c', 990) })
    applyEvent(store, { type: 'message', payload: message('6', 'c', 60, { status: 'read' }) })
    expect(store.getState().messages.c!.list.map((m) => [m.id, m.status])).toEqual([
      ['5', 'delivered'],
      ['6', 'read']
    ])
  })
})

describe('notification text', () => {
  const n = { chatId: 'c', messageId: 'm', network: 'skype' as const, chatTitle: 'Team', senderName: 'Bo', text: 'hello', kind: 'text' as const }
  it('names sender, chat and network, or says only "New message" in privacy mode', () => {
    expect(notificationText(n, true, 'Skype')).toEqual({ title: 'Bo in Team · Skype', body: 'hello' })
    expect(notificationText({ ...n, senderName: 'Team' }, true, 'Skype')).toEqual({ title: 'Team · Skype', body: 'hello' })
    expect(notificationText({ ...n, kind: 'image', text: '' }, true, 'Skype').body).toBe('Photo')
    expect(notificationText(n, false, 'Skype')).toEqual({ title: 'Junction', body: 'New message' })
    // One-to-one: the chat is the sender, named once.
    expect(notificationText({ ...n, senderName: 'Bob', chatTitle: 'Bob Builder' }, true, 'WhatsApp', 'direct')).toEqual({
      title: 'Bob Builder · WhatsApp',
      body: 'hello'
    })
  })
})
