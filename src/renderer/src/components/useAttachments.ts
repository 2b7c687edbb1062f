// Sending picked, pasted and dropped files (issue 12 §2), shared by the composer and the
// chat's drop target: each file is checked against the account's capabilities first, so
// a refusal is worded in the network's name and nothing is sent; the typed text stays.
// A network that sends neither photos nor files still hears a paste or a drop of one, so
// the person is told why nothing happened instead of the page ignoring it.

import { useCallback, useState } from 'react'
import type { Chat } from '../../../shared/model'
import { canAttach, draftFor, refusalFor } from '../attachments'
import { useActions, useApp } from '../context'
import { networkName, useAccountCapabilities } from '../networks'
import { strings } from '../strings'
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

/**
 * The chat pane as a drop target. Files dropped on it are sent where the network can send
 * them; where it cannot, the overlay says so while dragging and a drop gives the refusal in
 * the network's name (and never makes the page open the file). The typed text stays.
 */
export function useAttachmentDrop(chat: Chat | undefined): {
  dragging: boolean
  handlers: Pick<React.HTMLAttributes<HTMLElement>, 'onDragOver' | 'onDragLeave' | 'onDrop'>
  network: string
  /** What the overlay says while files are dragged over the chat. */
  overlay: string
} {
  const sender = useAttachmentSender(chat)
  const network = useApp((s) => (chat ? networkName(s.networks, chat.network) : ''))
  const [dragging, setDragging] = useState(false)
  const hasFiles = (e: React.DragEvent): boolean => [...e.dataTransfer.types].includes('Files')
  const handlers: Pick<React.HTMLAttributes<HTMLElement>, 'onDragOver' | 'onDragLeave' | 'onDrop'> = {
    onDragOver: (e) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      e.dataTransfer.dropEffect = sender.enabled ? 'copy' : 'none'
      setDragging(true)
    },
    onDragLeave: (e) => {
      if (e.currentTarget === e.target || !e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false)
    },
    onDrop: (e) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      setDragging(false)
      // Where nothing can be sent, the sender words the refusal (attachment-kind) and sends nothing.
      void sender.send([...e.dataTransfer.files])
    }
  }
  return { dragging, handlers, network, overlay: sender.enabled ? strings.composer.dropHere(network) : strings.composer.cannotDrop(network) }
}
