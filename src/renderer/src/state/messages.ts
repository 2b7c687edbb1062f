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

export interface MessagesSlice {
  messages: Record<string, ChatMessages>
  typing: Record<string, TypingState>
  setMessages(chatId: string, list: Message[], page: { hasMore?: boolean; hasNewer?: boolean }, mode: 'replace' | 'prepend' | 'append'): void
  setLoading(chatId: string, loading: boolean): void
  upsertMessage(message: Message): void
  removeMessage(chatId: string, messageId: string): void
  setTyping(chatId: string, typing: TypingState | null): void
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

export const createMessagesSlice: StateCreator<AppState, [], [], MessagesSlice> = (set) => ({
  messages: {},
  typing: {},
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
      return { messages: { ...s.messages, [chatId]: { list: current?.list ?? [], hasMore: current?.hasMore ?? true, hasNewer: current?.hasNewer ?? false, loading } } }
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
