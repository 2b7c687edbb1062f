// What the renderer knows of a network, split from api.ts (which re-exports all of it, so
// api.ts stays the renderer's one view of main): the NetworkInfo a network declares —
// display name, brand, login methods and their fields, capabilities, settings, what this
// computer lacks — and the steps of a login the renderer draws. Wording stays the network's
// (labels) or the renderer's (reasons, stages); see docs/architecture.md "The Connector contract".

import type { Reason, SerializedError } from './errors'
import type { NetworkId } from './model'

/**
 * One field a network asks for: at login (e-mail, password, a pairing code's phone number),
 * in a login's `input` step (a 2FA password) or in its settings (a folder, a server). The
 * network words the label, as it names itself; the renderer draws every field the same way.
 */
export interface LoginField {
  name: string
  kind: 'text' | 'email' | 'password' | 'phone' | 'url' | 'folder' | 'toggle'
  /** Shown beside the field; written by the network (like its display name). */
  label?: string
  hint?: string
  optional?: boolean
}

/** A per-network setting, the same shape as a login field; stored per network by Core. */
export type SettingField = LoginField

export type SettingValue = string | boolean | null

export type LoginMethodKind = 'qr' | 'browser' | 'credentials'

export interface LoginMethod {
  id: string
  kind: LoginMethodKind
  /** Only for `credentials`: what the add-account dialog asks for. */
  fields?: LoginField[]
  /** Set where a network has several methods of one kind (e.g. "WhatsApp Web, legacy protocol"). */
  label?: string
  /** A sentence under the method: what it is, e.g. that a service is a revival of a closed one. */
  hint?: string
}

/** What a network can do, declared up front so the UI shows only what works. */
export interface NetworkCapabilities {
  typing: boolean
  deliveryReceipts: boolean
  readReceipts: boolean
  receiveImages: boolean
  sendImages: boolean
  stickers: boolean
  emotes: boolean
  edits: boolean
  unsend: boolean
  groups: boolean
  sealing: boolean
  presence: boolean
  /** The longest text message the network takes, in UTF-16 code units; the composer offers to split longer text. */
  maxTextLength?: number
  /** Sends documents (a FileDraft, through `Connector.sendFile`); absent means no (issue 12 §2). */
  sendFiles?: boolean
  /** The largest picture or file the network takes, in bytes; Core refuses bigger ones before the outbox. */
  maxUploadBytes?: number
  /** MIME types (`type/sub`, or `type/*`) the network takes for files; absent means any. */
  acceptedTypes?: string[]
  /** Message actions (issue 12); absent means unsupported. Deleting a message for oneself works on every network. */
  /** Sends quoted replies and reports the quote of incoming ones. */
  replies?: boolean
  reactions?: boolean
  /** Set when the network takes only a fixed set of reactions (LINE's six); absent: any one emoji. */
  reactionEmoji?: string[]
  /** How long after sending an edit (`edits`) or an unsend (`unsend`) is allowed, where the network limits it. */
  editWindowMs?: number
  unsendWindowMs?: number
  /** Forwarding is a plain send through the outbox. */
  forward?: boolean
  /** Adding, removing and blocking contacts and answering contact requests (issue 16 point 1). */
  contactActions?: boolean
  /** Sending a nudge ("buzz") to a one-to-one chat (Messenger, msnp18.md §9 E7). */
  nudges?: boolean
}

/** How the renderer draws a network without a per-network table of its own. */
export interface NetworkBrand {
  /** `#rrggbb`, dark enough for white text (AA). */
  color: string
  /** One or two letters for the account badge. */
  mark: string
}

export interface NetworkInfo {
  id: NetworkId
  displayName: string
  brand: NetworkBrand
  loginMethods: LoginMethod[]
  capabilities: NetworkCapabilities
  settings: SettingField[]
  /** Set when the network cannot be added on this machine: what is missing (the renderer words it). */
  setupProblem: Reason | null
}

/** Why a login is waiting; the renderer words it. */
export type LoginStage = 'connecting' | 'waiting-for-scan' | 'verifying' | 'syncing'

export type LoginStep =
  | { kind: 'progress'; stage: LoginStage; /** 0…1 where the network can tell (history sync). */ fraction?: number }
  | { kind: 'qr'; payload: string; expiresAt: number; attempt: number; maxAttempts: number }
  | { kind: 'pin'; pin: string; expiresAt: number | null }
  | { kind: 'browser'; url: string }
  /** The network needs something typed (a phone number for a pairing code, a 2FA password); answer with submitLoginInput. */
  | { kind: 'input'; fields: LoginField[]; error?: Reason }
  /**
   * "Log in again" signed in someone other than the account's owner: add them as a new
   * account, or cancel. Answer with submitLoginInput `{ choice: 'add' | 'cancel' }`.
   */
  | { kind: 'different-account'; displayName: string }
  | { kind: 'done'; accountId: string }
  | { kind: 'failed'; error: SerializedError }
