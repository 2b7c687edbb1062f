// App-state actions ⇄ Junction (spec §9.6): decoded mutations become chat state, read state,
// contact names and the own push name; a chat-state change in Junction becomes the mutations
// (index, collection, SyncActionData.version, value) the table names. Unknown indexes are
// kept by the LTHash state (patch.ts) and otherwise ignored.

import type { ChatStateChange, ConnectorEvent } from '../../../connector'
import { REMOVE, SET } from './crypto'
import type { OutgoingMutation } from './build'
import type { DecodedMutation } from './patch'
import type { CollectionName } from './store'

/** Mute is on while its end is in the future; -1 (whatsmeow) and 0/absent mean "until unmuted". */
function mutedNow(m: NonNullable<DecodedMutation['value']['muteAction']>, nowMs: number): boolean {
  if (!m.muted) return false
  const end = Number(m.muteEndTimestamp ?? 0)
  return end <= 0 || end > nowMs
}

export function mutationEvents(mutations: readonly DecodedMutation[], nowMs: number): ConnectorEvent[] {
  const out: ConnectorEvent[] = []
  for (const { operation, index, value } of mutations) {
    const [kind, target] = index
    if (operation === REMOVE || !kind) continue
    if (kind === 'setting_pushName' && value.pushNameSetting?.name) {
      out.push({ type: 'profile', displayName: value.pushNameSetting.name })
      continue
    }
    if (!target) continue
    if (kind === 'mute' && value.muteAction) out.push({ type: 'chatState', chatRemoteId: target, muted: mutedNow(value.muteAction, nowMs) })
    else if (kind === 'pin_v1' && value.pinAction) out.push({ type: 'chatState', chatRemoteId: target, pinned: value.pinAction.pinned === true })
    else if (kind === 'archive' && value.archiveChatAction)
      out.push({ type: 'chatState', chatRemoteId: target, archived: value.archiveChatAction.archived === true })
    else if (kind === 'markChatAsRead' && value.markChatAsReadAction)
      out.push(value.markChatAsReadAction.read ? { type: 'chatRead', chatRemoteId: target } : { type: 'chatState', chatRemoteId: target, unread: true })
    else if (kind === 'contact' && value.contactAction) {
      const name = value.contactAction.fullName || value.contactAction.firstName
      if (name) out.push({ type: 'contact', contact: { remoteId: target, name } })
    }
  }
  return out
}

/** spec §9.6 table: which collection each change goes to, with its index, version and value. */
export function chatStateMutations(chat: string, change: ChatStateChange, nowMs: number): Array<{ collection: CollectionName; mutation: OutgoingMutation }> {
  const out: Array<{ collection: CollectionName; mutation: OutgoingMutation }> = []
  const range = { lastMessageTimestamp: Math.floor(nowMs / 1000) }
  if (change.muted !== undefined)
    out.push({
      collection: 'regular_high',
      mutation: {
        operation: SET,
        index: ['mute', chat],
        version: 2,
        value: { timestamp: nowMs, muteAction: { muted: change.muted, ...(change.muted ? { muteEndTimestamp: -1 } : {}) } }
      }
    })
  if (change.pinned !== undefined)
    out.push({
      collection: 'regular_low',
      mutation: { operation: SET, index: ['pin_v1', chat], version: 5, value: { timestamp: nowMs, pinAction: { pinned: change.pinned } } }
    })
  if (change.archived !== undefined)
    out.push({
      collection: 'regular_low',
      mutation: {
        operation: SET,
        index: ['archive', chat],
        version: 3,
        value: { timestamp: nowMs, archiveChatAction: { archived: change.archived, messageRange: range } }
      }
    })
  if (change.unread !== undefined)
    out.push({
      collection: 'regular_low',
      mutation: {
        operation: SET,
        index: ['markChatAsRead', chat],
        version: 3,
        value: { timestamp: nowMs, markChatAsReadAction: { read: !change.unread, messageRange: range } }
      }
    })
  return out
}
