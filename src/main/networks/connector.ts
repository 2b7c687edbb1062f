// The one interface every network implements. Core never speaks a protocol; a
// Connector never touches the database. Wire shapes stay inside the network folder;
// what crosses this interface is the shared model plus the Connector* types below.

import type { LoginMethod, LoginStep, NetworkBrand, NetworkCapabilities, SettingField } from '../../shared/api'
import type { Reason, SessionVerdict } from '../../shared/errors'
import type { AccountStatus, ChatKind, FileDraft, MediaInfo, MessageKind, MessageStatus, NetworkId, OutgoingDraft, Presence } from '../../shared/model'
import type { Logger } from '../base/log'

/** Opaque, network-defined secrets (tokens, keys). Core seals them in the Vault and hands them back on restore. */
export type Credentials = Record<string, unknown>

/** Named sync cursors (LINE's revision, WhatsApp's last message per chat, Skype's last id). */
export type Cursors = Record<string, string>

export interface LoginRequest {
  methodId: string
  /** Only for `credentials` methods, keyed by the method's field names. */
  fields: Record<string, string>
  /** Set when re-authenticating an existing account: lets a network skip steps (LINE's certificate). */
  previous: Credentials | null
}

/** What a Connector's login flow uses to talk to the person adding the account. */
export interface LoginIO {
  step(step: ConnectorLoginStep): void
  /** Resolves with the URL a `browser` step's sign-in redirected to. */
  waitForRedirect(): Promise<string>
  /** Resolves with what the person typed into the fields of the last `input` step (rejects when the login is cancelled). */
  waitForInput(): Promise<Record<string, string>>
  /**
   * Where a browser sign-in should redirect so that Junction receives it: a URL on the
   * headless host, unique to this login. Null in Electron, whose sign-in window captures
   * the network's own redirect (the step's `redirectPrefix`) itself.
   */
  readonly redirectUri: string | null
  readonly signal: AbortSignal
}

/** The Api's login steps as a Connector reports them: no outcome (Core reports done/failed), and a browser step says where it ends. */
export type ConnectorLoginStep =
  | Exclude<LoginStep, { kind: 'done' | 'failed' | 'browser' | 'different-account' }>
  /**
   * `redirectPrefix` is where the sign-in ends; the Electron shell watches for it. The sign-in
   * window visits only the start page's site and `origins` (other https origins the service's
   * flow is known to pass through).
   */
  | { kind: 'browser'; url: string; redirectPrefix: string; origins?: readonly string[] }

export interface LoginResult {
  selfId: string
  displayName: string
  credentials: Credentials
}

export interface ChatInfo {
  remoteId: string
  kind: ChatKind
  title: string
  /** Epoch ms of the last activity the network reports, if any. */
  lastActivity?: number
  /** The network's own unread count, when it keeps one. */
  unread?: number
  muted?: boolean
  pinned?: boolean
  archived?: boolean
  /** A group's members as the network lists them; absent when it did not say (Core keeps the last list). */
  members?: { remoteId: string; name?: string }[]
  /**
   * The chat's picture as an opaque network token that changes when the picture does (a LINE
   * `picturePath`, a WhatsApp picture id); '' when it has none; absent when the network did not say.
   * Core fetches the bytes lazily through `fetchAvatar('chat', remoteId)`.
   */
  avatar?: string
}

export interface ContactInfo {
  remoteId: string
  /** '' when the network did not say (a presence update): Core keeps the name it has. */
  name: string
  blocked?: boolean
  presence?: Presence
  /**
   * Epoch ms the contact was last online, where the network shares it (WhatsApp `last`); null: the
   * network says it is not shared (now hidden by the contact: an earlier time is dropped); absent: unchanged.
   */
  lastSeen?: number | null
  /** Someone who added this account and awaits an answer (`answerContactRequest`); not yet a contact. */
  pending?: boolean
  /** The contact's picture token, as `ChatInfo.avatar` (a Skype `avatar_url`, a LINE `picturePath`). */
  avatar?: string
}

export interface IncomingMessage {
  chatRemoteId: string
  remoteId: string
  /** Echo of the client id for our own messages, when the network carries it back. */
  clientId?: string
  senderId: string
  senderName?: string
  fromMe: boolean
  timestamp: number
  kind: MessageKind
  text: string
  status?: MessageStatus
  media?: MediaInfo
  /** End-to-end encrypted on the wire (LINE Letter Sealing, Signal). */
  e2ee?: boolean
  edited?: boolean
  /** Epoch ms of the last edit, with `edited`. */
  editedAt?: number
  /** Deleted for everyone by its sender (a revoke/unsend); an empty message is not a deletion. */
  deleted?: boolean
  /** The message this one quotes: what the wire carries of it; Core resolves the rest from its store. */
  replyTo?: { remoteId: string; senderId?: string; text?: string }
  /** The full current set of reactions, when the wire carries it with the message (LINE `reactions`); replaces what is stored. */
  reactions?: IncomingReaction[]
}

/** One person's reaction (a network that keeps several per person sends one entry per emoji). */
export interface IncomingReaction {
  senderId: string
  emoji: string
  fromMe: boolean
  timestamp?: number
}

/** A live change to a message already stored (issue 12): stored idempotently, then the renderer hears the updated message. */
export type MessageChangeEvent =
  /** `emoji` null: that person removed their reaction. */
  | { type: 'reaction'; chatRemoteId: string; messageRemoteId: string; senderId: string; fromMe: boolean; emoji: string | null; timestamp: number }
  | { type: 'messageEdited'; chatRemoteId: string; messageRemoteId: string; text: string; editedAt: number }
  /** Deleted for everyone by its sender (LINE unsend, WhatsApp revoke, Skype edit-to-empty). */
  | { type: 'messageDeleted'; chatRemoteId: string; messageRemoteId: string }

export interface SyncResult {
  chats: ChatInfo[]
  contacts: ContactInfo[]
  /** Recent messages (e.g. the last message of each chat). */
  messages: IncomingMessage[]
}

/** One part of a sync, applied by Core in one transaction as it arrives (history sync comes in many). */
export interface SyncBatch {
  chats?: ChatInfo[]
  contacts?: ContactInfo[]
  messages?: IncomingMessage[]
  /** 0…1, where the network can tell how far it got. */
  progress?: number
}

/** A whole `SyncResult` as a one-batch stream, for networks whose sync is one answer. */
export async function* syncOnce(result: Promise<SyncResult>): AsyncIterable<SyncBatch> {
  yield await result
}

export interface SendResult {
  remoteId: string
  timestamp: number
  status: 'sent' | 'delivered'
  /** The message went end-to-end encrypted (the bubble's lock, as on incoming messages). */
  e2ee?: boolean
}

/** How one send is carried out (issue 12 §2). */
export interface SendOptions {
  /**
   * Bytes of the draft's picture or file handed to the network so far, of `total`, reported as
   * the upload goes (at any rate: Core rate-limits what reaches the renderer). Networks that
   * upload nothing never call it.
   */
  onProgress?(sent: number, total: number): void
}

export type AvatarKind = 'contact' | 'chat' | 'self'

export interface MediaBytes {
  mime: string
  bytes: Uint8Array
}

/** Media too large to hold at once: Core writes the chunks to its media cache as they come. */
export interface MediaStream {
  mime: string
  /** Total bytes, when the network says, for progress. */
  size?: number
  chunks: AsyncIterable<Uint8Array>
}

export type ConnectorEvent =
  | { type: 'status'; status: AccountStatus }
  /** The own account's name and, where the network said, its picture token (as `ChatInfo.avatar`). */
  | { type: 'profile'; displayName: string; avatar?: string }
  | { type: 'chat'; chat: ChatInfo }
  | { type: 'chatRemoved'; chatRemoteId: string }
  | { type: 'contact'; contact: ContactInfo }
  | { type: 'message'; message: IncomingMessage }
  | { type: 'receipt'; chatRemoteId: string; messageRemoteIds: string[]; status: 'delivered' | 'read' }
  /** Read on another device of the same account (LINE "chat checked", WhatsApp read from the phone). */
  | { type: 'chatRead'; chatRemoteId: string }
  /**
   * The chat's pin / mute / archive / unread state as the network syncs it between the account's
   * own devices (WhatsApp app state): unlike `chat`, it overrides what is stored. `unread: false` reads the chat.
   */
  | { type: 'chatState'; chatRemoteId: string; pinned?: boolean; muted?: boolean; archived?: boolean; unread?: boolean }
  | { type: 'typing'; chatRemoteId: string; senderId: string; senderName?: string; typing: boolean }
  | { type: 'credentials'; credentials: Credentials }
  | { type: 'cursor'; name: string; value: string }
  | MessageChangeEvent

/** What `setChatState` writes; absent fields are unchanged. */
export interface ChatStateChange {
  pinned?: boolean
  muted?: boolean
  archived?: boolean
  unread?: boolean
}

export type ConnectorListener = (event: ConnectorEvent) => void

export interface Connector {
  readonly network: NetworkId

  /** Pairs a new session. Steps are reported through `io`; rejects with a typed error on failure. */
  login(request: LoginRequest, io: LoginIO): Promise<LoginResult>
  /**
   * Resumes a saved session without a new scan and hands it to the network's SessionSupervisor
   * (networks/supervisor.ts), which keeps it up from then on and reports every change as a
   * `status` event. Resolves once the first attempt is settled (online, or waiting to retry);
   * rejects with `auth-failed`/`logged-out` when the saved session is no longer valid.
   */
  restore(credentials: Credentials, cursors: Cursors): Promise<void>
  /** Skips the back-off: try to connect now (the rail's "Reconnect now"). A no-op while online. */
  reconnectNow(): void
  /**
   * The capabilities of the protocol this account speaks, where they narrow the network's
   * declared ones (`NetworkDefinition.capabilities`); read whenever Core reports the account.
   */
  capabilities?(): Partial<NetworkCapabilities>
  /** Chats, contacts and recent messages, in as many batches as the network sends them. */
  sync(): AsyncIterable<SyncBatch>
  /** Older messages of a chat, newest first, strictly before `before` (a remote message id) when given. */
  history(chatRemoteId: string, before: { remoteId: string; timestamp: number } | null, limit: number): Promise<IncomingMessage[]>
  /**
   * Sends a draft. Retries reuse `clientId`, and the network request is keyed by it, so a retry never sends twice.
   * An image reaches it only within `maxUploadBytes` (Core checks before the outbox takes it).
   */
  send(chatRemoteId: string, clientId: string, draft: OutgoingDraft, options?: SendOptions): Promise<SendResult>
  /**
   * Sends a file (issue 12 §2); present exactly when the capabilities declare `sendFiles`. Same idempotency as `send`.
   * Core has checked `maxUploadBytes` / `acceptedTypes` and that `size` matches the bytes. A network that refuses the
   * file anyway throws `invalid-argument`/`unsupported` with reason `{ code: 'refused', params: { what:
   * 'attachment-size' | 'attachment-type' } }`. Incoming files are `kind: 'file'` with `media: { mime, size?, name }`,
   * their bytes fetched on demand through `fetchMedia` like pictures.
   */
  sendFile?(chatRemoteId: string, clientId: string, draft: FileDraft, options?: SendOptions): Promise<SendResult>
  markRead(chatRemoteId: string, upToRemoteId: string | null): Promise<void>
  /**
   * Optional: the person pinned, muted, archived or marked a chat unread in Junction (Core has stored it
   * already); a network that syncs these between devices (WhatsApp app state) writes them. Best effort.
   */
  setChatState?(chatRemoteId: string, state: ChatStateChange): Promise<void>
  setTyping(chatRemoteId: string, typing: boolean): Promise<void>
  /** Present iff `nudges` is declared: shakes the contact's conversation window; resolves once the network took it. */
  nudge?(chatRemoteId: string): Promise<void>
  fetchMedia(chatRemoteId: string, messageRemoteId: string): Promise<MediaBytes | MediaStream>
  /**
   * A profile picture (issue 12 §3): a contact's, a group chat's or the own account's (`remoteId`
   * is then the account's selfId), as the network has it now; null when there is none. Core
   * checks the bytes are an image, bounds the size and caches them by the token last reported.
   */
  fetchAvatar?(kind: AvatarKind, remoteId: string): Promise<MediaBytes | null>
  /** What the account's protocol is called where it differs from the network's name (Messenger on MSNP18). */
  networkLabel?(): string | undefined
  /**
   * Message actions (issue 12), present exactly when the capability is declared. Core has
   * validated the ids, the emoji (one grapheme, within `reactionEmoji`) and the text length.
   * Sets (emoji) or removes (null) the own account's reaction on a message.
   */
  react?(chatRemoteId: string, messageRemoteId: string, emoji: string | null): Promise<void>
  /** Replaces the text of an own message. */
  edit?(chatRemoteId: string, messageRemoteId: string, text: string): Promise<{ editedAt: number }>
  /** Deletes an own message for everyone. */
  unsend?(chatRemoteId: string, messageRemoteId: string): Promise<void>
  /**
   * Contact actions (issue 16 point 1), present exactly when `contactActions` is declared.
   * A request someone sends arrives as a `contact` event with `pending: true`; the changes
   * these make arrive as `contact` events too. Core has validated the address's shape.
   */
  addContact?(address: string): Promise<ContactInfo>
  removeContact?(remoteId: string): Promise<void>
  setBlocked?(remoteId: string, blocked: boolean): Promise<void>
  /** Accepts (the person becomes a contact) or declines a pending request. */
  answerContactRequest?(remoteId: string, accept: boolean): Promise<void>
  /** Ends the session on the network (unpairs), then closes. */
  logout(): Promise<void>
  /** Closes sockets and timers; the session stays valid for a later restore. */
  close(): Promise<void>
  on(listener: ConnectorListener): () => void
}

/** One change to the key store: a value, or null to delete it. */
export interface KeyWrite {
  namespace: string
  key: string
  value: Uint8Array | null
}

/**
 * Protocol state that changes with every message (Signal sessions, pre-keys, sender keys,
 * app-state keys), per account, sealed by the Vault. `commit` applies the writes and ingests
 * the events they produced in one SQLite transaction: a crash never leaves a message
 * decrypted-but-unsaved or a ratchet advanced-but-lost. Until a login has created its
 * account, the store lives in memory and is written when the account is saved.
 */
export interface KeyStore {
  get(namespace: string, key: string): Uint8Array | null
  /** Every key of a namespace with its value. */
  list(namespace: string): Array<[key: string, value: Uint8Array]>
  /** Applies the writes and the events atomically; throws (and applies nothing) on failure. */
  commit(writes: readonly KeyWrite[], events?: readonly ConnectorEvent[]): void
}

/** Tells the supervisor that the machine's network came back (Electron: `net.isOnline`, resume). */
export interface Connectivity {
  onOnline(listener: () => void): () => void
}

/** A process of its own, holding nothing of Junction's, for third-party code a network must run (LINE's signing module). */
export interface IsolatedProcess {
  postMessage(message: unknown): void
  on(event: 'message', listener: (message: unknown) => void): unknown
  on(event: 'exit', listener: (code: number | null) => void): unknown
  kill(): unknown
}

/** Starts `modulePath` isolated: Electron's utilityProcess in the app (RunAsNode is fused off), a forked child under Node. */
export type SpawnIsolated = (modulePath: string) => IsolatedProcess

export interface ConnectorContext {
  /** The network's endpoints and settings (its NetworkDefinition.settings merged in); validated by the network, defaulting to the real service. */
  config: Record<string, unknown>
  log: Logger
  keyStore: KeyStore
  connectivity: Connectivity
  /** Set by the Electron shell; absent under Node, where a network forks its own isolated child. */
  spawnIsolated?: SpawnIsolated
}

export interface NetworkDefinition {
  id: NetworkId
  displayName: string
  brand: NetworkBrand
  /** Every method the network has (the contract tests read them). */
  loginMethods: LoginMethod[]
  /** The methods that can work with this configuration, where that depends on it; all of `loginMethods` when absent. */
  loginMethodsFor?(context: ConnectorContext): LoginMethod[]
  capabilities: NetworkCapabilities
  /** Settings a person may change (rendered by one generic form), stored by Core, merged into `context.config`. */
  settings: SettingField[]
  /** What is missing on this machine (e.g. LINE's signing module, as `setup-required`), or null when ready. */
  setupProblem(context: ConnectorContext): Reason | null
  create(context: ConnectorContext): Connector
}

export type { SessionVerdict }
