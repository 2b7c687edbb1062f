// What the UI does, as plain functions over the Api and the store. Components call
// these; they never call a transport.

import type { Chat, ComposedDraft, NetworkId, SearchHit } from '../../shared/model'
import type { ChatMember } from '../../shared/api'
import type { Api } from './api'
import { newClientId } from './client-id'
import { createContactActions, type ContactActions } from './contact-actions'
import { createMessageActions, type MessageActions } from './message-actions'
import { createSettingsActions, type SettingsActions } from './settings-actions'
import { visibleChats } from './state/inbox'
import type { AppStore } from './state/store'
import { describeError } from './words'

/** The first page fills a tall window several times over; the rest loads as the person scrolls. */
export const INBOX_PAGE = 100
export const MESSAGE_PAGE = 60
/** How many chats from the top of the inbox are fetched ahead, so opening them paints at once. */
export const PREFETCH_CHATS = 4

export interface Actions extends ContactActions, SettingsActions, MessageActions {
  bootstrap(): Promise<void>
  loadMoreChats(): Promise<void>
  setFilter(filter: ReturnType<AppStore['getState']>['filter']): Promise<void>
  openChat(chatId: string, focusMessageId?: string | null): Promise<void>
  /** "New chat": the direct chat with a contact of an account, which Core creates when there is none yet. */
  openDirectChat(accountId: string, remoteId: string): Promise<void>
  moveSelection(step: 1 | -1): void
  loadOlder(chatId: string): Promise<void>
  loadNewer(chatId: string): Promise<void>
  /** Resolves true once the Api accepted the send (its outbox row exists); false when it was refused or the engine is unreachable. */
  send(chatId: string, draft: ComposedDraft, options?: { replyToId?: string }): Promise<boolean>
  markRead(chatId: string): void
  setTyping(chatId: string, typing: boolean): void
  sendNudge(chatId: string): Promise<void>
  saveDraft(chatId: string, draft: string): void
  updateChat(chatId: string, patch: Partial<Pick<Chat, 'pinned' | 'muted' | 'archived'>> & { markUnread?: boolean }): Promise<void>
  muteAccount(accountId: string, muted: boolean): Promise<void>
  /** Sets or clears (null / empty) the account's local nickname; false when main refused it. */
  renameAccount(accountId: string, nickname: string | null): Promise<boolean>
  /** Where the page loads a profile picture from (issue 12 §3), or null when the network gave none (`version` absent). */
  avatarUrl(accountId: string, remoteId: string, version: string | undefined): string | null
  removeAccount(accountId: string): Promise<void>
  startLogin(network: NetworkId, methodId: string, fields?: Record<string, string>, accountId?: string | null): Promise<string>
  cancelLogin(loginId: string): void
  openExternal(url: string): void
  /** Where the page loads a message's media from (served by main, streamed from the media cache). */
  mediaUrl(messageId: string): string
  /** Fetches a chat's newest page ahead of an open (the top of the inbox, a hovered row), so it opens within a frame. */
  prefetch(chatId: string): void
  search(query: string, scope?: { chatId?: string }): Promise<SearchHit[]>
  searchChats(query: string): Promise<Chat[]>
  /** A group's members as Core last stored them (issue 12 §5), named from the account's contacts where known. */
  chatMembers(chatId: string): Promise<ChatMember[]>
  submitLoginInput(loginId: string, values: Record<string, string>): Promise<void>
  reconnectAccount(accountId: string): void
  report(error: unknown): void
}

export function errorMessage(error: unknown): string {
  return describeError(error)
}

/** Resolves after the next frame is painted; by a timer when no frames come (a hidden window). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame !== 'function') return resolve()
    const fallback = setTimeout(resolve, 100)
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback)
        resolve()
      }, 0)
    )
  })
}

export function createActions(api: Api, store: AppStore): Actions {
  const s = (): ReturnType<AppStore['getState']> => store.getState()
  const prefetching = new Set<string>()
  const report = (error: unknown): void => s().pushToast(errorMessage(error), 'error')
  /** AppInfo.avatars: where profile pictures are served (issue 12 §3). */

  const loadInbox = async (replace: boolean): Promise<void> => {
    const { filter, inboxNext } = s()
    const page = await api.listInbox({ filter, limit: INBOX_PAGE, after: replace ? null : inboxNext })
    // A page for a filter the person has already left still holds true chats, but its cursor
    // belongs to that filter; keeping it would make "load more" skip or repeat chats.
    const current = s().filter === filter
    s().setInboxPage(page.chats, current ? page.next : s().inboxNext)
  }

  const actions: Actions = {
    report,
    ...createContactActions(api),
    ...createSettingsActions(api, store, report),
    ...createMessageActions(api, store, report),

    async bootstrap() {
      try {
        // One round of requests, all at once: start-up waits for the slowest, not the sum.
        const [info, networks, accounts, settings] = await Promise.all([
          api.getAppInfo(),
          api.listNetworks(),
          api.listAccounts(),
          api.getSettings(),
          loadInbox(true)
        ])
        s().setAppInfo({ shell: info.shell, dataDir: info.dataDir, media: info.media, avatars: info.avatars ?? null })
        s().setNetworks(networks)
        s().setAccounts(accounts)
        s().setSettings(settings)
        performance.mark('junction:inbox-loaded')
        const selected = s().selectedChatId
        if (selected) await actions.openChat(selected)
        // The chats most likely opened next, fetched once the inbox is on screen.
        setTimeout(
          () =>
            visibleChats(s().chats, s().filter)
              .slice(0, PREFETCH_CHATS)
              .forEach((c) => actions.prefetch(c.id)),
          0
        )
      } catch (error) {
        report(error)
      }
    },

    async loadMoreChats() {
      if (s().inboxNext) await loadInbox(false).catch(report)
    },

    async setFilter(filter) {
      s().setFilter(filter)
      await loadInbox(true).catch(report)
    },

    async openDirectChat(accountId, remoteId) {
      try {
        const chat = await api.openDirectChat({ accountId, remoteId })
        s().upsertChat(chat)
        await actions.openChat(chat.id)
      } catch (error) {
        report(error)
      }
    },

    async openChat(chatId, focusMessageId = null) {
      s().selectChat(chatId, focusMessageId)
      s().noteOpened(chatId)
      // A chat held from before paints at once; the newest page then refreshes it quietly.
      const held = !focusMessageId && (s().messages[chatId]?.list.length ?? 0) > 0 && !s().messages[chatId]?.hasNewer
      if (!held) s().setLoading(chatId, true)
      // The refresh of a held chat is asked for once the frame showing it is out, so its
      // answer's parse, merge and render never land inside that frame (issue 14 §4).
      else await afterPaint()
      try {
        const page = focusMessageId
          ? await api.listMessages({ chatId, around: focusMessageId, limit: MESSAGE_PAGE })
          : await api.listMessages({ chatId, limit: MESSAGE_PAGE })
        s().setMessages(chatId, page.messages, page, 'replace')
      } catch (error) {
        s().setLoading(chatId, false)
        report(error)
      }
      actions.markRead(chatId)
    },

    moveSelection(step) {
      const chats = visibleChats(s().chats, s().filter)
      if (chats.length === 0) return
      const at = chats.findIndex((c) => c.id === s().selectedChatId)
      const to = at < 0 ? (step > 0 ? 0 : chats.length - 1) : Math.min(chats.length - 1, Math.max(0, at + step))
      const next = chats[to]
      if (!next || next.id === s().selectedChatId) return
      void actions.openChat(next.id)
      // Moving through the list from the keyboard: the chat after this one is the likely next open.
      const after = chats[to + step]
      if (after) actions.prefetch(after.id)
    },

    async loadOlder(chatId) {
      const current = s().messages[chatId]
      if (!current || current.loading || !current.hasMore) return
      s().setLoading(chatId, true)
      try {
        const page = await api.listMessages({ chatId, before: current.list[0]?.id ?? null, limit: MESSAGE_PAGE })
        s().setMessages(chatId, page.messages, { hasMore: page.hasMore }, 'prepend')
      } catch (error) {
        s().setLoading(chatId, false)
        report(error)
      }
    },

    async loadNewer(chatId) {
      const current = s().messages[chatId]
      const last = current?.list.at(-1)
      if (!current || current.loading || !current.hasNewer || !last) return
      s().setLoading(chatId, true)
      try {
        const page = await api.listMessages({ chatId, after: last.id, limit: MESSAGE_PAGE })
        s().setMessages(chatId, page.messages, { hasNewer: page.hasNewer }, 'append')
      } catch (error) {
        s().setLoading(chatId, false)
        report(error)
      }
    },

    async send(chatId, draft, options = {}) {
      // Sending from a window into the past first brings the newest messages back.
      if (s().messages[chatId]?.hasNewer) await actions.openChat(chatId)
      try {
        await api.sendMessage({ chatId, clientId: newClientId(), draft, ...(options.replyToId ? { replyToId: options.replyToId } : {}) })
        return true
      } catch (error) {
        report(error)
        return false
      }
    },

    markRead(chatId) {
      const chat = s().chats[chatId]
      if (chat && chat.unread === 0) return
      api.markChatRead({ chatId }).catch(report)
    },

    async sendNudge(chatId) {
      await api.sendNudge({ chatId }).catch(report)
    },

    setTyping(chatId, typing) {
      api.setTyping({ chatId, typing }).catch(() => {})
    },

    saveDraft(chatId, draft) {
      // Whitespace alone is not a draft (issue 11 §4).
      api.updateChat({ chatId, draft: draft.trim() === '' ? '' : draft }).catch(report)
    },

    async updateChat(chatId, patch) {
      await api.updateChat({ chatId, ...patch }).catch(report)
    },

    async muteAccount(accountId, muted) {
      await api.updateAccount({ accountId, muted }).catch(report)
    },

    async renameAccount(accountId, nickname) {
      try {
        s().upsertAccount(await api.renameAccount({ accountId, nickname: nickname?.trim() || null }))
        return true
      } catch (error) {
        report(error)
        return false
      }
    },

    avatarUrl(accountId, remoteId, version) {
      // Until main said where pictures are served, none: chats heard before that (a history sync while the
      // page loads) would otherwise ask an address the page may not load, and keep their initials.
      const avatars = s().avatars
      if (!version || !avatars) return null
      return `${avatars.base}${encodeURIComponent(accountId)}/${encodeURIComponent(remoteId)}/${encodeURIComponent(version)}${avatars.query}`
    },

    async removeAccount(accountId) {
      try {
        await api.removeAccount({ accountId })
        if (s().filter.kind === 'account') await actions.setFilter({ kind: 'all' })
        const selected = s().selectedChatId
        if (selected && !s().chats[selected]) s().selectChat(null)
      } catch (error) {
        report(error)
      }
    },

    async startLogin(network, methodId, fields, accountId) {
      const arg: Parameters<Api['startLogin']>[0] = { network, methodId }
      if (fields) arg.fields = fields
      if (accountId) arg.accountId = accountId
      const { loginId } = await api.startLogin(arg)
      return loginId
    },

    cancelLogin(loginId) {
      api.cancelLogin({ loginId }).catch(() => {})
    },

    openExternal(url) {
      if (s().shell === 'headless') {
        window.open(url, '_blank', 'noopener,noreferrer')
        return
      }
      api.openExternal({ url }).catch(report)
    },

    prefetch(chatId) {
      if (s().messages[chatId] || prefetching.has(chatId)) return
      prefetching.add(chatId)
      api
        .listMessages({ chatId, limit: MESSAGE_PAGE })
        .then((page) => {
          if (s().messages[chatId]) return
          s().noteCached(chatId)
          if (s().openedOrder.includes(chatId)) s().setMessages(chatId, page.messages, page, 'replace')
        })
        .catch(() => {})
        .finally(() => prefetching.delete(chatId))
    },

    mediaUrl(messageId) {
      // No base64 through the Api and no blob URLs to leak: the image element loads it itself.
      const media = s().media ?? { base: 'junction-media://media/', query: '' }
      return `${media.base}${encodeURIComponent(messageId)}${media.query}`
    },

    async search(query, scope = {}) {
      if (query.trim() === '') return []
      const arg: Parameters<Api['search']>[0] = { query, limit: 50 }
      if (scope.chatId) arg.chatId = scope.chatId
      return api.search(arg)
    },

    chatMembers: (chatId) => api.getChatMembers({ chatId }),
    async searchChats(query) {
      const page = await api.listInbox({ filter: { kind: 'title', query }, limit: 20 })
      for (const chat of page.chats) if (!s().chats[chat.id]) s().upsertChat(chat)
      return page.chats
    },

    async submitLoginInput(loginId, values) {
      await api.submitLoginInput({ loginId, values }).catch(report)
    },
    reconnectAccount(accountId) {
      api.reconnectAccount({ accountId }).catch(report)
    }
  }
  return actions
}
