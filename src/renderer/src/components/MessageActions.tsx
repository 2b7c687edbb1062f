// What a person can do with a message (issue 12 §4): the actions the network declares
// (NetworkCapabilities), the hover toolbar, the reaction popover and the context menu's items.
// Actions a network lacks are not offered.

import { useState } from 'react'
import type { NetworkCapabilities } from '../../../shared/api'
import type { Message } from '../../../shared/model'
import type { Actions } from '../actions'
import { useActions, useApp } from '../context'
import { useAccountCapabilities } from '../networks'
import type { AppState } from '../state/store'
import { strings } from '../strings'
import { EmojiPicker } from './EmojiPicker'
import type { MenuItem } from './MessageMenu'

/** The quick set for a network that takes any emoji. */
export const QUICK_REACTIONS: readonly string[] = ['👍', '❤️', '😂', '😮', '😢', '🙏']

export interface AvailableActions {
  reply: boolean
  react: boolean
  /** The network's fixed set, or null for any emoji. */
  reactionSet: readonly string[] | null
  copy: boolean
  edit: boolean
  deleteForEveryone: boolean
  forward: boolean
}

/**
 * Which actions a message offers, from its network's capabilities and the message itself.
 * `forwardTargets`: whether any account is on a network that takes forwards (the forward
 * dialog lists only those chats), so a Skype-only user is not offered an empty dialog.
 */
export function availableActions(m: Message, caps: NetworkCapabilities | undefined, now: number, forwardTargets = true): AvailableActions {
  const live = !m.deleted && m.kind !== 'system'
  const onNetwork = live && m.remoteId !== null
  const age = now - m.timestamp
  return {
    reply: onNetwork && caps?.replies === true,
    react: onNetwork && caps?.reactions === true,
    reactionSet: caps?.reactionEmoji ?? null,
    copy: live && m.text !== '',
    edit:
      onNetwork &&
      m.fromMe &&
      caps?.edits === true &&
      (m.kind === 'text' || m.kind === 'emote') &&
      (caps.editWindowMs === undefined || age <= caps.editWindowMs),
    deleteForEveryone: onNetwork && m.fromMe && caps?.unsend === true && (caps.unsendWindowMs === undefined || age <= caps.unsendWindowMs),
    forward: live && forwardTargets && (m.kind === 'text' || m.kind === 'emote' || m.kind === 'image')
  }
}

/** Whether any account is on a network that takes forwards: somewhere a forward could go. */
export function useForwardTargets(): boolean {
  return useApp((s) => Object.values(s.accounts).some((a) => s.networks.find((n) => n.id === a.network)?.capabilities.forward === true))
}

/** What the message's account can do: its network's capabilities, narrowed by the account's protocol. */
export function useCapabilities(message: Message): NetworkCapabilities | undefined {
  const network = useApp((s) => s.accounts[message.accountId]?.network ?? s.chats[message.chatId]?.network)
  return useAccountCapabilities(message.accountId, network)
}

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
  } catch {
    // No clipboard permission (an insecure page): the old way, from a hidden field.
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.append(area)
    area.select()
    document.execCommand('copy')
    area.remove()
  }
}

/** The context menu's items, in the order people expect them. */
export function menuItems(m: Message, can: AvailableActions, deps: { openPicker(): void; setters: AppStateSetters }): MenuItem[] {
  const items: MenuItem[] = []
  if (can.reply) items.push({ id: 'reply', label: strings.actions.reply, run: () => deps.setters.setComposeTarget(m.chatId, { mode: 'reply', message: m }) })
  if (can.react) items.push({ id: 'react', label: strings.actions.react, run: deps.openPicker })
  if (can.copy)
    items.push({ id: 'copy', label: strings.actions.copy, run: () => void copyText(m.text).then(() => deps.setters.pushToast(strings.actions.copied)) })
  if (can.edit) items.push({ id: 'edit', label: strings.actions.edit, run: () => deps.setters.setComposeTarget(m.chatId, { mode: 'edit', message: m }) })
  if (can.forward)
    items.push({
      id: 'forward',
      label: strings.actions.forward,
      run: () => deps.setters.setMessageDialog({ kind: 'forward', messageId: m.id, chatId: m.chatId })
    })
  items.push({ id: 'info', label: strings.actions.info, run: () => deps.setters.setMessageDialog({ kind: 'info', messageId: m.id, chatId: m.chatId }) })
  items.push({
    id: 'delete',
    label: strings.actions.delete,
    danger: true,
    run: () => deps.setters.setMessageDialog({ kind: 'delete', messageId: m.id, chatId: m.chatId })
  })
  return items
}

type AppStateSetters = Pick<AppState, 'setComposeTarget' | 'setMessageDialog' | 'pushToast'>

/** The setters the actions need, read once (stable functions of the store). */
export function useActionSetters(): AppStateSetters {
  const setComposeTarget = useApp((s) => s.setComposeTarget)
  const setMessageDialog = useApp((s) => s.setMessageDialog)
  const pushToast = useApp((s) => s.pushToast)
  return { setComposeTarget, setMessageDialog, pushToast }
}

/** The own reaction of a message (one per person on the networks Junction speaks). */
export function ownReaction(m: Message): string | null {
  return m.reactions.find((r) => r.own)?.emoji ?? null
}

/** Picking the own reaction again takes it back. */
export function toggleReaction(actions: Actions, m: Message, emoji: string): void {
  void actions.react(m.id, ownReaction(m) === emoji ? null : emoji)
}

/** The quick reactions, and "more" for the whole picker; a network with a fixed set shows only it. */
export function ReactionPopover({ message, set, onClose }: { message: Message; set: readonly string[] | null; onClose(): void }): React.JSX.Element {
  const actions = useActions()
  const [all, setAll] = useState(set !== null)
  const own = ownReaction(message)
  const pick = (emoji: string): void => {
    onClose()
    toggleReaction(actions, message, emoji)
  }
  if (all) return <EmojiPicker only={set} own={own} onPick={pick} onClose={onClose} />
  return (
    <EmojiPicker only={QUICK_REACTIONS} own={own} onPick={pick} onClose={onClose} more={{ label: strings.actions.moreReactions, open: () => setAll(true) }} />
  )
}
