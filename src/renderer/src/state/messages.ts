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

/** What the composer of a chat is doing with a message: quoting it in a reply, or editing it (issue 12 §4). */
export interface ComposeTarget {
  mode: 'reply' | 'edit'
  message: Message
}

/** A message action that needs a dialog: forward (pick a chat), info (times), delete (for me / for everyone). */
export interface MessageDialog {
  kind: 'forward' | 'info' | 'delete'
  messageId: string
  chatId: string
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
  /** Per chat: the reply or edit the composer holds. */
  composeTargets: Record<string, ComposeTarget>
  messageDialog: MessageDialog | null
  setComposeTarget(chatId: string, target: ComposeTarget | null): void
  setMessageDialog(dialog: MessageDialog | null): void
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
  composeTargets: {},
  messageDialog: null,
  setComposeTarget: (chatId, target) =>
    set((s) => {
      const next = { ...s.composeTargets }
      if (target) next[chatId] = target
      else delete next[chatId]
      return { composeTargets: next }
    }),
  setMessageDialog: (messageDialog) => set({ messageDialog }),
  noteOpened: (chatId) => set((s) => evict(s.messages, s.openedOrder, chatId)),
  noteCached: (chatId) =>
    set((s) => {
      if (s.openedOrder.includes(chatId)) return {}
      if (s.openedOrder.length < CACHED_CHATS) return { openedOrder: [chatId, ...s.openedOrder] }
      // Full: the least recent chat held makes room. The chat under the pointer is the likelier next open, and
      // without this every chat opened after the first few would open cold (one Api round trip late).
      const [dropped, ...rest] = s.openedOrder
      const messages = { ...s.messages }
      delete messages[dropped!]
      return { openedOrder: [chatId, ...rest], messages }
    }),
  setMessages: (chatId, list, page, mode) =>
    set((s) => {
      const current = s.messages[chatId]
      const merged = !current ? list : mode === 'replace' ? reuseHeld(current.list, list) : merge(current.list, list, mode)
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
      const target = s.composeTargets[message.chatId]
      const composeTargets =
        target?.message.id === message.id
          ? message.deleted
            ? withoutKey(s.composeTargets, message.chatId)
            : { ...s.composeTargets, [message.chatId]: { ...target, message } }
          : s.composeTargets
      return { messages: { ...s.messages, [message.chatId]: { ...current, list: insertMessage(current.list, message) } }, composeTargets }
    }),
  removeMessage: (chatId, messageId) =>
    set((s) => {
      const current = s.messages[chatId]
      if (!current) return {}
      const composeTargets = s.composeTargets[chatId]?.message.id === messageId ? withoutKey(s.composeTargets, chatId) : s.composeTargets
      return { messages: { ...s.messages, [chatId]: { ...current, list: current.list.filter((m) => m.id !== messageId) } }, composeTargets }
    }),
  setTyping: (chatId, typing) =>
    set((s) => {
      const next = { ...s.typing }
      if (typing) next[chatId] = typing
      else delete next[chatId]
      return { typing: next }
    })
})

/**
 * A page joined to what is held. An older page lies wholly before the list and a newer one
 * wholly after it (the usual case when scrolling): a concatenation, without re-sorting the
 * thousands already held on every page (issue 14 §4). Anything else is merged and sorted.
 */
export function merge(held: Message[], page: Message[], mode: 'prepend' | 'append'): Message[] {
  if (page.length === 0) return held
  if (held.length === 0) return page
  if (mode === 'prepend' && compareMessages(page.at(-1)!, held[0]!) < 0 && isSorted(page)) return page.concat(held)
  if (mode === 'append' && compareMessages(held.at(-1)!, page[0]!) < 0 && isSorted(page)) return held.concat(page)
  return dedupe(mode === 'prepend' ? [...page, ...held] : [...held, ...page])
}

/**
 * A page replacing what is held (a held chat refreshed as it opens), with every message that
 * did not change kept as the held object, and the held list itself when nothing changed: the
 * rows of unchanged messages then do not render again in the frame that opens the chat.
 */
export function reuseHeld(held: Message[], page: Message[]): Message[] {
  if (held.length === 0) return page
  const byId = new Map(held.map((m) => [m.id, m]))
  let same = held.length === page.length
  const out = page.map((m, i) => {
    const h = byId.get(m.id)
    const kept = h !== undefined && (h === m || JSON.stringify(h) === JSON.stringify(m)) ? h : m
    if (kept !== held[i]) same = false
    return kept
  })
  return same ? held : out
}

function isSorted(list: Message[]): boolean {
  for (let i = 1; i < list.length; i++) if (compareMessages(list[i - 1]!, list[i]!) >= 0) return false
  return true
}

function dedupe(list: Message[]): Message[] {
  const seen = new Map<string, Message>()
  for (const m of list) seen.set(m.id, m)
  return [...seen.values()].sort(compareMessages)
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const next = { ...record }
  delete next[key]
  return next
}
