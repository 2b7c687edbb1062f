import type { StateCreator } from 'zustand'
import type { Message } from '../../../shared/model'
import type { AppState } from './store'

export interface ChatMessages {
  /** Oldest first. */
  list: Message[]
  hasMore: boolean
  /** The list is a window ending before the newest message (after a jump to a search hit). */
  hasNewer: boolean
  loading: boolean
}

export interface TypingState {
  senderName: string | null
  until: number
}

/** How many chats keep their messages after they were left (most recently opened first). */
export const CACHED_CHATS = 8
/** What a left chat keeps: its newest messages, so reopening it paints at once. */
export const KEEP_WHEN_LEFT = 100

export interface MessagesSlice {
  messages: Record<string, ChatMessages>
  /** Chats whose messages are held, most recently opened last. */
  openedOrder: string[]
  typing: Record<string, TypingState>
  setMessages(chatId: string, list: Message[], page: { hasMore?: boolean; hasNewer?: boolean }, mode: 'replace' | 'prepend' | 'append'): void
  setLoading(chatId: string, loading: boolean): void
  upsertMessage(message: Message): void
  removeMessage(chatId: string, messageId: string): void
  setTyping(chatId: string, typing: TypingState | null): void
  /** The person opened `chatId`: the chat left behind keeps only its newest messages, and chats past the bound are dropped. */
  noteOpened(chatId: string): void
  /** Holds a chat's messages fetched ahead of an open (prefetch), as the least recent of the held chats. */
  noteCached(chatId: string): void
}

export function compareMessages(a: Message, b: Message): number {
  return a.timestamp - b.timestamp || Number(a.id) - Number(b.id)
}

/** Inserts or replaces a message, keeping the list in order; returns the same array if nothing changed. */
export function insertMessage(list: Message[], message: Message): Message[] {
  const at = list.findIndex((m) => m.id === message.id)
  if (at >= 0) {
    const next = list.slice()
    next[at] = message
    return next
  }
  // New messages almost always belong at the end.
  let i = list.length
  while (i > 0 && compareMessages(list[i - 1]!, message) > 0) i--
  return [...list.slice(0, i), message, ...list.slice(i)]
}

/** Messages held are bounded (issue 14 §4): a long session opening many chats does not grow the page. */
export function evict(
  messages: Record<string, ChatMessages>,
  order: string[],
  opened: string
): { messages: Record<string, ChatMessages>; openedOrder: string[] } {
  const nextOrder = [...order.filter((id) => id !== opened), opened]
  const keep = new Set(nextOrder.slice(-CACHED_CHATS))
  const next: Record<string, ChatMessages> = {}
  for (const [id, entry] of Object.entries(messages)) {
    if (!keep.has(id)) continue
    // A chat left behind: its newest messages only, and older ones load again on scroll.
    next[id] =
      id !== opened && entry.list.length > KEEP_WHEN_LEFT && !entry.hasNewer ? { ...entry, list: entry.list.slice(-KEEP_WHEN_LEFT), hasMore: true } : entry
  }
  return { messages: next, openedOrder: nextOrder.filter((id) => keep.has(id)) }
}

export const createMessagesSlice: StateCreator<AppState, [], [], MessagesSlice> = (set) => ({
  messages: {},
  openedOrder: [],
  typing: {},
  noteOpened: (chatId) => set((s) => evict(s.messages, s.openedOrder, chatId)),
  noteCached: (chatId) =>
    set((s) => (s.openedOrder.includes(chatId) || s.openedOrder.length >= CACHED_CHATS ? {} : { openedOrder: [chatId, ...s.openedOrder] })),
  setMessages: (chatId, list, page, mode) =>
    set((s) => {
      const current = s.messages[chatId]
      const merged = mode === 'replace' || !current ? list : dedupe(mode === 'prepend' ? [...list, ...current.list] : [...current.list, ...list])
      const next: ChatMessages = {
        list: merged,
        hasMore: page.hasMore ?? current?.hasMore ?? true,
        hasNewer: page.hasNewer ?? (mode === 'replace' ? false : (current?.hasNewer ?? false)),
        loading: false
      }
      return { messages: { ...s.messages, [chatId]: next } }
    }),
  setLoading: (chatId, loading) =>
    set((s) => {
      const current = s.messages[chatId]
      return {
        messages: { ...s.messages, [chatId]: { list: current?.list ?? [], hasMore: current?.hasMore ?? true, hasNewer: current?.hasNewer ?? false, loading } }
      }
    }),
  upsertMessage: (message) =>
    set((s) => {
      const current = s.messages[message.chatId]
      // Chats never opened are loaded in full when opened; no need to hold their messages.
      if (!current) return {}
      // A window short of the newest messages takes only updates of what it shows; the rest loads on scroll.
      if (current.hasNewer && !current.list.some((m) => m.id === message.id)) return {}
      return { messages: { ...s.messages, [message.chatId]: { ...current, list: insertMessage(current.list, message) } } }
    }),
  removeMessage: (chatId, messageId) =>
    set((s) => {
      const current = s.messages[chatId]
      if (!current) return {}
      return { messages: { ...s.messages, [chatId]: { ...current, list: current.list.filter((m) => m.id !== messageId) } } }
    }),
  setTyping: (chatId, typing) =>
    set((s) => {
      const next = { ...s.typing }
      if (typing) next[chatId] = typing
      else delete next[chatId]
      return { typing: next }
    })
})

function dedupe(list: Message[]): Message[] {
  const seen = new Map<string, Message>()
  for (const m of list) seen.set(m.id, m)
  return [...seen.values()].sort(compareMessages)
}
