import type { StateCreator } from 'zustand'
import type { Account, Chat, InboxFilter } from '../../../shared/model'
import type { AppState } from './store'

export interface InboxSlice {
  chats: Record<string, Chat>
  filter: InboxFilter
  /** Cursor of the next inbox page, or null when every chat is loaded. */
  inboxNext: string | null
  setFilter(filter: InboxFilter): void
  /** Merges a page of chats; the store keeps every chat it has seen and filters on the client. */
  setInboxPage(chats: Chat[], next: string | null): void
  upsertChat(chat: Chat): void
}

export const createInboxSlice: StateCreator<AppState, [], [], InboxSlice> = (set) => ({
  chats: {},
  filter: { kind: 'all' },
  inboxNext: null,
  setFilter: (filter) => set({ filter }),
  setInboxPage: (chats, next) =>
    set((s) => ({
      chats: { ...s.chats, ...Object.fromEntries(chats.map((c) => [c.id, c])) },
      inboxNext: next
    })),
  upsertChat: (chat) => set((s) => ({ chats: { ...s.chats, [chat.id]: chat } }))
})

/** The inbox order: pinned first, then newest activity, ties by id (as the store orders them). */
export function compareChats(a: Chat, b: Chat): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1
  if (a.lastActivity !== b.lastActivity) return b.lastActivity - a.lastActivity
  return Number(b.id) - Number(a.id)
}

export function matchesFilter(chat: Chat, filter: InboxFilter): boolean {
  switch (filter.kind) {
    case 'all':
      return !chat.archived
    case 'unread':
      return !chat.archived && chat.unread > 0
    case 'account':
      return !chat.archived && chat.accountId === filter.accountId
    case 'archived':
      return chat.archived
    case 'title':
      return chat.title.toLowerCase().includes(filter.query.toLowerCase())
  }
}

let memo: { chats: Record<string, Chat>; filter: InboxFilter; result: Chat[] } | null = null

/**
 * The inbox as shown. Memoized on the identity of the chats map and the filter: a store
 * change that touches neither (typing, messages, dialogs) costs nothing, instead of a
 * filter and sort of every chat (issue 14 §4).
 */
export function visibleChats(chats: Record<string, Chat>, filter: InboxFilter): Chat[] {
  if (memo && memo.chats === chats && memo.filter === filter) return memo.result
  const result = Object.values(chats)
    .filter((c) => matchesFilter(c, filter))
    .sort(compareChats)
  memo = { chats, filter, result }
  return result
}

let mutedMemo: { accounts: Record<string, Account>; ids: ReadonlySet<string> } | null = null

/** The ids of muted accounts, memoized on the accounts map. */
export function mutedAccounts(accounts: Record<string, Account>): ReadonlySet<string> {
  if (mutedMemo?.accounts === accounts) return mutedMemo.ids
  mutedMemo = {
    accounts,
    ids: new Set(
      Object.values(accounts)
        .filter((a) => a.muted)
        .map((a) => a.id)
    )
  }
  return mutedMemo.ids
}

let unreadMemo: { chats: Record<string, Chat>; muted: ReadonlySet<string>; n: number } | null = null

/** Unread across every chat that counts (not muted, not archived); memoized like visibleChats. */
export function totalUnread(chats: Record<string, Chat>, mutedAccounts: ReadonlySet<string> = new Set()): number {
  if (unreadMemo && unreadMemo.chats === chats && unreadMemo.muted === mutedAccounts) return unreadMemo.n
  let n = 0
  for (const c of Object.values(chats)) if (!c.muted && !c.archived && !mutedAccounts.has(c.accountId)) n += c.unread
  unreadMemo = { chats, muted: mutedAccounts, n }
  return n
}
