// What the UI does, as plain functions over the Api and the store. Components call
// these; they never call a transport.

import { JunctionError } from '../../shared/errors'
import type { NetworkId, OutgoingDraft } from '../../shared/model'
import type { Api } from './api'
import type { AppStore } from './state/store'

export const INBOX_PAGE = 200
export const MESSAGE_PAGE = 50

export interface Actions {
  bootstrap(): Promise<void>
  loadMoreChats(): Promise<void>
  openChat(chatId: string): Promise<void>
  loadOlder(chatId: string): Promise<void>
  send(chatId: string, draft: OutgoingDraft): Promise<void>
  retry(messageId: string): Promise<void>
  markRead(chatId: string): void
  setTyping(chatId: string, typing: boolean): void
  saveDraft(chatId: string, draft: string): void
  startLogin(network: NetworkId, methodId: string, fields?: Record<string, string>, accountId?: string): Promise<string>
  cancelLogin(loginId: string): void
  completeBrowserLogin(loginId: string, redirectUrl: string): Promise<void>
  openExternal(url: string): void
  loadMedia(messageId: string): Promise<string>
}

/** A client id for idempotent sends: random, URL-safe. */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

export function createActions(api: Api, store: AppStore, report: (error: unknown) => void): Actions {
  const mediaUrls = new Map<string, Promise<string>>()
  let appShell: 'electron' | 'headless' = 'headless'

  const loadInbox = async (replace: boolean): Promise<void> => {
    const { filter, inboxNext } = store.getState()
    const page = await api.listInbox({ filter, limit: INBOX_PAGE, after: replace ? null : inboxNext })
    store.getState().setInboxPage(page.chats, page.next, replace)
  }

  return {
    async bootstrap() {
      const [info, networks, accounts] = await Promise.all([api.getAppInfo(), api.listNetworks(), api.listAccounts()])
      appShell = info.shell
      store.getState().setNetworks(networks)
      store.getState().setAccounts(accounts)
      await loadInbox(true)
      const selected = store.getState().selectedChatId
      if (selected) await this.openChat(selected)
    },

    async loadMoreChats() {
      if (store.getState().inboxNext) await loadInbox(false)
    },

    async openChat(chatId) {
      store.getState().selectChat(chatId)
      store.getState().setLoading(chatId, true)
      try {
        const page = await api.listMessages({ chatId, limit: MESSAGE_PAGE })
        store.getState().setMessages(chatId, page.messages, page.hasMore, 'replace')
      } catch (error) {
        store.getState().setLoading(chatId, false)
        report(error)
      }
      this.markRead(chatId)
    },

    async loadOlder(chatId) {
      const current = store.getState().messages[chatId]
      if (!current || current.loading || !current.hasMore) return
      store.getState().setLoading(chatId, true)
      try {
        const page = await api.listMessages({ chatId, before: current.list[0]?.id ?? null, limit: MESSAGE_PAGE })
        store.getState().setMessages(chatId, page.messages, page.hasMore, 'prepend')
      } catch (error) {
        store.getState().setLoading(chatId, false)
        report(error)
      }
    },

    async send(chatId, draft) {
      try {
        await api.sendMessage({ chatId, clientId: newClientId(), draft })
      } catch (error) {
        report(error)
      }
    },

    async retry(messageId) {
      try {
        await api.retryMessage({ messageId })
      } catch (error) {
        report(error)
      }
    },

    markRead(chatId) {
      const chat = store.getState().chats[chatId]
      if (chat && chat.unread === 0) return
      api.markChatRead({ chatId }).catch(report)
    },

    setTyping(chatId, typing) {
      api.setTyping({ chatId, typing }).catch(() => {})
    },

    saveDraft(chatId, draft) {
      api.updateChat({ chatId, draft }).catch(report)
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

    async completeBrowserLogin(loginId, redirectUrl) {
      await api.completeBrowserLogin({ loginId, redirectUrl })
    },

    openExternal(url) {
      if (appShell === 'headless') {
        window.open(url, '_blank', 'noopener,noreferrer')
        return
      }
      api.openExternal({ url }).catch(report)
    },

    loadMedia(messageId) {
      let url = mediaUrls.get(messageId)
      if (!url) {
        url = api.getMedia({ messageId }).then((m) => {
          const bytes = Uint8Array.from(atob(m.dataBase64), (c) => c.charCodeAt(0))
          return URL.createObjectURL(new Blob([bytes], { type: m.mime }))
        })
        url.catch(() => mediaUrls.delete(messageId))
        mediaUrls.set(messageId, url)
      }
      return url
    }
  }
}

export function errorMessage(error: unknown, fallback: (code: JunctionError['code']) => string): string {
  if (error instanceof JunctionError) return error.message || fallback(error.code)
  return fallback('internal')
}
