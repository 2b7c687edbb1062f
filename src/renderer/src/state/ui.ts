import type { StateCreator } from 'zustand'
import type { LoginStep } from '../../../shared/api'
import type { NetworkId } from '../../../shared/model'
import type { LinkStatus } from '../api/ws-bridge'
import type { AppState } from './store'

export type Dialog = { kind: 'add-account'; loginId: string | null; network: NetworkId | null } | null

export interface LoginProgress {
  network: NetworkId
  step: LoginStep
}

export interface UiSlice {
  link: LinkStatus
  selectedChatId: string | null
  dialog: Dialog
  logins: Record<string, LoginProgress>
  setLink(link: LinkStatus): void
  selectChat(chatId: string | null): void
  openDialog(dialog: Dialog): void
  setLoginStep(loginId: string, progress: LoginProgress): void
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  link: 'connecting',
  selectedChatId: null,
  dialog: null,
  logins: {},
  setLink: (link) => set({ link }),
  selectChat: (selectedChatId) => set({ selectedChatId }),
  openDialog: (dialog) => set({ dialog }),
  setLoginStep: (loginId, progress) => set((s) => ({ logins: { ...s.logins, [loginId]: progress } }))
})
