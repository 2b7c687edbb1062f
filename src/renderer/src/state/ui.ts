import type { StateCreator } from 'zustand'
import type { LoginStep, Settings } from '../../../shared/api'
import type { NetworkId } from '../../../shared/model'
import type { LinkStatus } from '../api/ws-bridge'
import type { AppState } from './store'

export type Dialog =
  | { kind: 'add-account'; network: NetworkId | null; reloginAccountId: string | null }
  | { kind: 'settings'; tab: SettingsTab }
  | { kind: 'palette' }
  | { kind: 'account'; accountId: string }
  | { kind: 'image'; messageId: string }
  | null

export type SettingsTab = 'accounts' | 'notifications' | 'appearance' | 'advanced'

export interface LoginProgress {
  network: NetworkId
  step: LoginStep
}

export interface Toast {
  id: number
  text: string
  tone: 'info' | 'error'
}

export interface UiSlice {
  link: LinkStatus
  shell: 'electron' | 'headless'
  dataDir: string
  /** AppInfo.media: where media is served. */
  media: { base: string; query: string } | null
  /** AppInfo.avatars: where profile pictures are served; null until the app info arrived. */
  avatars: { base: string; query: string } | null
  settings: Settings | null
  selectedChatId: string | null
  /** A message to scroll to and highlight (a search hit). */
  focusMessageId: string | null
  dialog: Dialog
  chatSearchOpen: boolean
  /** Bumped to move focus to the search box over the chat list (Ctrl+Shift+F). */
  listSearchFocus: number
  /** Narrow windows: the chat list is a drawer over the chat. */
  drawerOpen: boolean
  logins: Record<string, LoginProgress>
  toasts: Toast[]
  setLink(link: LinkStatus): void
  setAppInfo(info: {
    shell: 'electron' | 'headless'
    dataDir: string
    media: { base: string; query: string }
    avatars: { base: string; query: string } | null
  }): void
  setSettings(settings: Settings): void
  selectChat(chatId: string | null, focusMessageId?: string | null): void
  openDialog(dialog: Dialog): void
  setChatSearchOpen(open: boolean): void
  focusListSearch(): void
  setDrawerOpen(open: boolean): void
  setLoginStep(loginId: string, progress: LoginProgress): void
  pushToast(text: string, tone?: Toast['tone']): void
  dismissToast(id: number): void
}

let toastIds = 0

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  link: 'connecting',
  shell: 'headless',
  dataDir: '',
  media: null,
  avatars: null,
  settings: null,
  selectedChatId: null,
  focusMessageId: null,
  dialog: null,
  chatSearchOpen: false,
  listSearchFocus: 0,
  drawerOpen: false,
  logins: {},
  toasts: [],
  setLink: (link) => set({ link }),
  setDrawerOpen: (drawerOpen) => set({ drawerOpen }),
  setAppInfo: ({ shell, dataDir, media, avatars }) => set({ shell, dataDir, media, avatars }),
  setSettings: (settings) => set({ settings }),
  selectChat: (selectedChatId, focusMessageId = null) => set({ selectedChatId, focusMessageId }),
  openDialog: (dialog) => set({ dialog }),
  setChatSearchOpen: (chatSearchOpen) => set({ chatSearchOpen }),
  focusListSearch: () => set((s) => ({ listSearchFocus: s.listSearchFocus + 1, drawerOpen: true })),
  setLoginStep: (loginId, progress) => set((s) => ({ logins: { ...s.logins, [loginId]: progress } })),
  pushToast: (text, tone = 'info') => set((s) => ({ toasts: [...s.toasts.slice(-3), { id: ++toastIds, text, tone }] })),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
})
