import { describe, expect, it } from 'vitest'
import type { Api } from '../../../src/renderer/src/api'
import { createActions } from '../../../src/renderer/src/actions'
import { visibleChats } from '../../../src/renderer/src/state/inbox'
import { createAppStore } from '../../../src/renderer/src/state/store'
import type { Chat, InboxFilter } from '../../../src/shared/model'

function chat(id: number, patch: Partial<Chat> = {}): Chat {
  return {
    id: String(id),
    accountId: 'a1',
    network: 'line',
    remoteId: `r${id}`,
    kind: 'direct',
    title: `Chat ${id}`,
    lastActivity: 1_000_000 - id,
    preview: null,
    unread: 0,
    pinned: false,
    muted: false,
    archived: false,
    draft: '',
    ...patch
  }
}

type ListInbox = Api['listInbox']

/** An Api that answers only listInbox, through the given function; anything else is a test error. */
function apiWith(listInbox: ListInbox): Api {
  return new Proxy({ listInbox } as Partial<Api>, {
    get: (target, name) => target[name as keyof Api] ?? (() => Promise.reject(new Error(`unexpected call ${String(name)}`)))
  }) as Api
}

describe('inbox actions', () => {
  it('asks the store for the filter, so an unread chat far below the first page still shows under Unread', async () => {
    // 300 read chats, then one unread chat older than all of them: not on the first page of All.
    const all = [...Array.from({ length: 300 }, (_, i) => chat(i)), chat(300, { unread: 2 })]
    const calls: InboxFilter[] = []
    const api = apiWith(async ({ filter, limit, after }) => {
      calls.push(filter)
      const matching = all.filter((c) => filter.kind !== 'unread' || c.unread > 0)
      const start = after ? Number(after) : 0
      const chats = matching.slice(start, start + limit)
      return { chats, next: start + limit < matching.length ? String(start + limit) : null, totalUnread: 2 }
    })
    const store = createAppStore()
    const actions = createActions(api, store)
    await actions.setFilter({ kind: 'all' })
    expect(visibleChats(store.getState().chats, { kind: 'unread' })).toEqual([])
    await actions.setFilter({ kind: 'unread' })
    expect(calls.at(-1)).toEqual({ kind: 'unread' })
    expect(visibleChats(store.getState().chats, store.getState().filter).map((c) => c.id)).toEqual(['300'])
    expect(store.getState().inboxNext).toBeNull()
  })

  it('drops the cursor of a page that arrives after the person switched filters', async () => {
    const pending: Array<() => void> = []
    const api = apiWith(({ filter }) => {
      const page = { chats: [chat(filter.kind === 'all' ? 1 : 2, { unread: filter.kind === 'all' ? 0 : 1 })], next: `${filter.kind}-cursor`, totalUnread: 1 }
      return new Promise((resolve) => pending.push(() => resolve(page)))
    })
    const store = createAppStore()
    const actions = createActions(api, store)
    const slowAll = actions.setFilter({ kind: 'all' })
    const fastUnread = actions.setFilter({ kind: 'unread' })
    pending[1]!()
    await fastUnread
    pending[0]!()
    await slowAll
    expect(store.getState().filter).toEqual({ kind: 'unread' })
    expect(store.getState().inboxNext).toBe('unread-cursor')
    // The late page's chat is still true and kept; only its cursor is dropped.
    expect(Object.keys(store.getState().chats).sort()).toEqual(['1', '2'])
  })
})

describe('moving through the chat list from the keyboard', () => {
  it('opens the next chat and fetches the one after it ahead, in the direction of travel', async () => {
    const chats = Array.from({ length: 5 }, (_, i) => chat(i))
    const asked: string[] = []
    const api = new Proxy({} as Partial<Api>, {
      get: (_t, name) => {
        if (name === 'listInbox') return async () => ({ chats, next: null, totalUnread: 0 })
        if (name === 'listMessages') return async ({ chatId }: { chatId: string }) => (asked.push(chatId), { messages: [], hasMore: false })
        if (name === 'markRead') return async () => undefined
        return () => Promise.resolve(undefined)
      }
    }) as Api
    const store = createAppStore()
    const actions = createActions(api, store)
    await actions.setFilter({ kind: 'all' })
    await actions.openChat('1')
    asked.length = 0
    actions.moveSelection(1)
    await new Promise((r) => setTimeout(r, 0))
    expect(store.getState().selectedChatId).toBe('2')
    // The open's own page, and chat 3 ahead of the next Alt+↓.
    expect(asked.sort()).toEqual(['2', '3'])
    asked.length = 0
    actions.moveSelection(-1)
    await new Promise((r) => setTimeout(r, 0))
    expect(store.getState().selectedChatId).toBe('1')
    // Chat 1 is held from before and refreshed; chat 0 comes ahead of the next Alt+↑.
    expect(asked).toContain('0')
  })
})

describe('profile picture addresses', () => {
  it('are none until main said where pictures are served, then under that address', () => {
    const store = createAppStore()
    const actions = createActions(
      apiWith(async () => ({ chats: [], next: null, totalUnread: 0 })),
      store
    )
    // A chat heard before the app info (a history sync while the page loads) keeps its initials for now…
    expect(actions.avatarUrl('a1', '15550101@s.whatsapp.net', 'v1')).toBeNull()
    store.getState().setAppInfo({
      shell: 'headless',
      dataDir: '/d',
      media: { base: '/media/', query: '?token=t' },
      avatars: { base: '/avatar/', query: '?token=t' }
    })
    // …and gets its picture once it is known.
    expect(actions.avatarUrl('a1', '15550101@s.whatsapp.net', 'v1')).toBe('/avatar/a1/15550101%40s.whatsapp.net/v1?token=t')
    expect(actions.avatarUrl('a1', 'x', undefined)).toBeNull()
  })
})
