// How far the uploads of own pending pictures and files got (issue 12 §2), from the Api's
// `uploadProgress` events; an entry goes when its message stops being pending.

import type { StateCreator } from 'zustand'
import type { AppState } from './store'

export interface UploadState {
  sent: number
  total: number
}

export interface UploadsSlice {
  /** By message id. */
  uploads: Record<string, UploadState>
  setUploadProgress(messageId: string, progress: UploadState | null): void
}

export const createUploadsSlice: StateCreator<AppState, [], [], UploadsSlice> = (set) => ({
  uploads: {},
  setUploadProgress: (messageId, progress) =>
    set((s) => {
      if (progress === null) {
        if (!(messageId in s.uploads)) return s
        const { [messageId]: _gone, ...rest } = s.uploads
        return { uploads: rest }
      }
      const now = s.uploads[messageId]
      if (now && now.sent === progress.sent && now.total === progress.total) return s
      return { uploads: { ...s.uploads, [messageId]: progress } }
    })
})
