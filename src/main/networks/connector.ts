// The one interface every network implements. Core never speaks a protocol; a
// Connector never touches the database. Wire shapes stay inside the network folder;
// what crosses this interface is the shared model plus the Connector* types below.

import type { LoginMethod, LoginStage, NetworkCapabilities } from '../../shared/api'
import type { AccountStatus, ChatKind, MediaInfo, MessageKind, MessageStatus, NetworkId, OutgoingDraft, Presence } from '../../shared/model'
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
  /**
   * Where a browser sign-in should redirect so that Junction receives it: a URL on the
   * headless host, unique to this login. Null in Electron, whose sign-in window captures
   * the network's own redirect (the step's `redirectPrefix`) itself.
   */
  readonly redirectUri: string | null
  readonly signal: AbortSignal
}

export type ConnectorLoginStep =
  | { kind: 'progress'; stage: LoginStage }
  | { kind: 'qr'; payload: string; expiresAt: number; attempt: number; maxAttempts: number }
  | { kind: 'pin'; pin: string; expiresAt: number | null }
  /** `redirectPrefix` is where the sign-in ends; the Electron shell watches for it. */
  | { kind: 'browser'; url: string; redirectPrefix: string }

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
}

export interface ContactInfo {
  remoteId: string
  name: string
  blocked?: boolean
  presence?: Presence
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
  sealed?: boolean
  edited?: boolean
  deleted?: boolean
}

export interface SyncResult {
  chats: ChatInfo[]
  contacts: ContactInfo[]
  /** Recent messages (e.g. the last message of each chat). */
  messages: IncomingMessage[]
}

export interface SendResult {
  remoteId: string
  timestamp: number
  status: 'sent' | 'delivered'
}

export interface MediaBytes {
  mime: string
  bytes: Uint8Array
}

export type ConnectorEvent =
  | { type: 'status'; status: AccountStatus }
  | { type: 'profile'; displayName: string }
  | { type: 'chat'; chat: ChatInfo }
  | { type: 'chatRemoved'; chatRemoteId: string }
  | { type: 'contact'; contact: ContactInfo }
  | { type: 'message'; message: IncomingMessage }
  | { type: 'receipt'; chatRemoteId: string; messageRemoteIds: string[]; status: 'delivered' | 'read' }
  /** Read on another device of the same account (LINE "chat checked", WhatsApp read from the phone). */
  | { type: 'chatRead'; chatRemoteId: string }
  | { type: 'typing'; chatRemoteId: string; senderId: string; senderName?: string; typing: boolean }
  | { type: 'credentials'; credentials: Credentials }
  | { type: 'cursor'; name: string; value: string }

export type ConnectorListener = (event: ConnectorEvent) => void

export interface Connector {
  readonly network: NetworkId

  /** Pairs a new session. Steps are reported through `io`; rejects with a typed error on failure. */
  login(request: LoginRequest, io: LoginIO): Promise<LoginResult>
  /**
   * Resumes a saved session without a new scan. Resolves once the first attempt is settled;
   * from then on the Connector keeps the session up (reconnecting with back-off) and reports
   * every change as a `status` event. Rejects with `auth-failed`/`logged-out` when the saved
   * session is no longer valid.
   */
  restore(credentials: Credentials, cursors: Cursors): Promise<void>
  sync(): Promise<SyncResult>
  /** Older messages of a chat, newest first, strictly before `before` (a remote message id) when given. */
  history(chatRemoteId: string, before: { remoteId: string; timestamp: number } | null, limit: number): Promise<IncomingMessage[]>
  /** Sends a draft. Retries reuse `clientId`, and the network request is keyed by it, so a retry never sends twice. */
  send(chatRemoteId: string, clientId: string, draft: OutgoingDraft): Promise<SendResult>
  markRead(chatRemoteId: string, upToRemoteId: string | null): Promise<void>
  setTyping(chatRemoteId: string, typing: boolean): Promise<void>
  fetchMedia(chatRemoteId: string, messageRemoteId: string): Promise<MediaBytes>
  /** Ends the session on the network (unpairs), then closes. */
  logout(): Promise<void>
  /** Closes sockets and timers; the session stays valid for a later restore. */
  close(): Promise<void>
  on(listener: ConnectorListener): () => void
}

export interface ConnectorContext {
  /** The network's endpoints and settings; each network validates its own shape and defaults to the real service. */
  config: Record<string, unknown>
  log: Logger
}

export interface NetworkDefinition {
  id: NetworkId
  displayName: string
  loginMethods: LoginMethod[]
  capabilities: NetworkCapabilities
  /** Says what is missing on this machine (e.g. LINE's signing module), or null when ready. */
  setupProblem(context: ConnectorContext): string | null
  create(context: ConnectorContext): Connector
}
