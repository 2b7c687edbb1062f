// What the UI does to one message (issue 12 §2, §4): open its attachment, retry it, react,
// edit, delete and forward it, part of `Actions` (actions.ts). Each reports its own failure as a
// toast and resolves false (or null) on it.

import type { Api } from './api'
import { newClientId } from './client-id'
import type { AppStore } from './state/store'
import { strings } from './strings'

export interface MessageActions {
  /**
   * Opens a picture or file through main (issue 12 §2): Electron saves and opens it; the headless host answers with a
   * download URL, which is followed here. Resolves with the file's safe name, or null (the failure was reported).
   */
  openAttachment(messageId: string): Promise<string | null>
  retry(messageId: string): Promise<void>
  /** Message actions (issue 12 §4). Each reports its own failure and resolves false on it. */
  react(messageId: string, emoji: string | null): Promise<boolean>
  editMessage(messageId: string, text: string): Promise<boolean>
  deleteMessage(messageId: string, forEveryone: boolean): Promise<boolean>
  forwardMessage(messageId: string, chatId: string): Promise<boolean>
}

export function createMessageActions(api: Api, store: AppStore, report: (error: unknown) => void): MessageActions {
  const s = (): ReturnType<AppStore['getState']> => store.getState()
  return {
    async openAttachment(messageId) {
      try {
        const result = await api.openAttachment({ messageId })
        if (result.downloadUrl) {
          // The token-checked media route serves it with Content-Disposition: attachment and its safe name.
          const a = document.createElement('a')
          a.href = result.downloadUrl
          a.download = result.fileName
          a.rel = 'noopener'
          document.body.append(a)
          a.click()
          a.remove()
        }
        return result.fileName
      } catch (error) {
        report(error)
        return null
      }
    },

    async react(messageId, emoji) {
      return api.reactToMessage({ messageId, emoji }).then(
        (m) => (s().upsertMessage(m), true),
        (error: unknown) => (report(error), false)
      )
    },

    async editMessage(messageId, text) {
      return api.editMessage({ messageId, text }).then(
        (m) => (s().upsertMessage(m), true),
        (error: unknown) => (report(error), false)
      )
    },

    async deleteMessage(messageId, forEveryone) {
      return api.deleteMessage({ messageId, forEveryone }).then(
        () => true,
        (error: unknown) => (report(error), false)
      )
    },

    async forwardMessage(messageId, chatId) {
      return api.forwardMessage({ messageId, chatId, clientId: newClientId() }).then(
        () => (s().pushToast(strings.actions.forwarded(s().chats[chatId]?.title ?? ''), 'info'), true),
        (error: unknown) => (report(error), false)
      )
    },

    async retry(messageId) {
      await api.retryMessage({ messageId }).catch(report)
    }
  }
}
