// Sending picked, pasted and dropped files (issue 12 §2), shared by the composer and the
// chat's drop target: each file is checked against the account's capabilities first, so
// a refusal is worded in the network's name and nothing is sent; the typed text stays.

import { useCallback, useState } from 'react'
import type { Chat } from '../../../shared/model'
import { canAttach, draftFor, refusalFor } from '../attachments'
import { useActions, useApp } from '../context'
import { networkName, useAccountCapabilities } from '../networks'
import { describeReason } from '../words'

export interface AttachmentSender {
  enabled: boolean
  /** Resolves true when every file was accepted by the Api. A caption goes with the first photo only. */
  send(files: readonly File[], options?: { caption?: string; replyToId?: string }): Promise<boolean>
}

export function useAttachmentSender(chat: Chat | undefined): AttachmentSender {
  const actions = useActions()
  const pushToast = useApp((s) => s.pushToast)
  const network = useApp((s) => (chat ? networkName(s.networks, chat.network) : ''))
  const caps = useAccountCapabilities(chat?.accountId, chat?.network)
  const send = useCallback(
    async (files: readonly File[], options: { caption?: string; replyToId?: string } = {}): Promise<boolean> => {
      if (!chat || files.length === 0) return false
      for (const file of files) {
        const refusal = refusalFor(file, caps)
        if (refusal) {
          pushToast(describeReason(refusal, network), 'error')
          return false
        }
      }
      let first = true
      for (const file of files) {
        const draft = await draftFor(file, caps, first ? options.caption : undefined)
        if (!(await actions.send(chat.id, draft, first && options.replyToId ? { replyToId: options.replyToId } : {}))) return false
        first = false
      }
      return true
    },
    [chat, caps, network, actions, pushToast]
  )
  return { enabled: canAttach(caps), send }
}

/** The chat pane as a drop target: files dropped on it are sent, where the network can send them. */
export function useAttachmentDrop(chat: Chat | undefined): {
  dragging: boolean
  handlers: Pick<React.HTMLAttributes<HTMLElement>, 'onDragOver' | 'onDragLeave' | 'onDrop'>
  network: string
} {
  const sender = useAttachmentSender(chat)
  const network = useApp((s) => (chat ? networkName(s.networks, chat.network) : ''))
  const [dragging, setDragging] = useState(false)
  const hasFiles = (e: React.DragEvent): boolean => [...e.dataTransfer.types].includes('Files')
  const handlers: Pick<React.HTMLAttributes<HTMLElement>, 'onDragOver' | 'onDragLeave' | 'onDrop'> = sender.enabled
    ? {
        onDragOver: (e) => {
          if (!hasFiles(e)) return
          e.preventDefault()
          e.dataTransfer.dropEffect = 'copy'
          setDragging(true)
        },
        onDragLeave: (e) => {
          if (e.currentTarget === e.target || !e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false)
        },
        onDrop: (e) => {
          if (!hasFiles(e)) return
          e.preventDefault()
          setDragging(false)
          void sender.send([...e.dataTransfer.files])
        }
      }
    : {}
  return { dragging, handlers, network }
}
