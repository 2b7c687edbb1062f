// The Api contract: every request the renderer can make (name → argument → result)
// and every event it can receive. The preload, the Electron ipc binding, the headless
// WebSocket bridge and the renderer's client are all typed from these two interfaces.

import type { SerializedError } from './errors'
import type { Account, Chat, ComposedDraft, Contact, InboxFilter, Message, NetworkId, SearchHit } from './model'
import type { LoginStep, NetworkInfo, SettingValue } from './network-info'

// What a network declares and a login's steps live in network-info.ts; they are part of this
// contract, so the renderer and the preload keep importing them from here.
export type {
  LoginField,
  LoginMethod,
  LoginMethodKind,
  LoginStage,
  LoginStep,
  NetworkBrand,
  NetworkCapabilities,
  NetworkInfo,
  SettingField,
  SettingValue
} from './network-info'

export interface AppInfo {
  version: string
  shell: 'electron' | 'headless'
  dataDir: string
  /**
   * Where a message's media is served, streamed from the media cache (issue 13 §7): the URL
   * of a message's picture or file is `media.base + encodeURIComponent(messageId) + media.query`
   * (Electron: the `junction-media:` scheme; the headless host: a token-checked route).
   */
  media: { base: string; query: string }
  /**
   * Where profile pictures are served (issue 12 §3): the picture of an account's contact, chat or
   * own profile is `avatars.base + accountId + '/' + encodeURIComponent(remoteId) + '/' + version +
   * avatars.query`, with the version from `Chat.avatar` / `Contact.avatar` / `Account.avatar`.
   */
  avatars?: { base: string; query: string }
}

/** One member of a group chat (issue 12 §5); `name` is absent when neither the network nor the contacts know one. */
export interface ChatMember {
  remoteId: string
  name?: string
}

export interface InboxPage {
  chats: Chat[]
  /** Opaque cursor of the next page, or null at the end. */
  next: string | null
  /** Unread messages across all accounts and chats (muted chats excluded). */
  totalUnread: number
}

export interface MessagePage {
  /** Oldest first. */
  messages: Message[]
  /** Older messages exist (locally or on the network). */
  hasMore: boolean
  /** Newer messages exist past the last one returned (only when paging from an anchor). */
  hasNewer: boolean
}

export type ThemePreference = 'system' | 'light' | 'dark'

export interface Settings {
  theme: ThemePreference
  notifications: {
    enabled: boolean
    /** Privacy: off shows "New message" instead of the sender and text. */
    showPreview: boolean
  }
  /** Each network's own settings (its NetworkInfo.settings), by field name; absent means the default. */
  networks: Partial<Record<NetworkId, Record<string, SettingValue>>>
}

export interface SettingsPatch {
  theme?: ThemePreference
  notifications?: Partial<Settings['notifications']>
  /** One network setting; `null` restores the default. Folder fields are set by pickNetworkFolder only. */
  network?: { id: NetworkId; name: string; value: SettingValue }
}

export type ExportFormat = 'json' | 'html'

export interface AttachmentOpened {
  /** The safe name the file was saved (Electron) or is offered (headless) under. */
  fileName: string
  opened: boolean
  /** Under the headless host: where the page downloads it. */
  downloadUrl: string | null
}

export interface ExportResult {
  fileName: string
  /** Where the file was written, on this computer. */
  path: string
  messages: number
  /** Under the headless host: a URL the page can download the file from. */
  downloadUrl: string | null
}

/** The desktop app's own preferences (Electron only; kept by the shell). */
export interface DesktopPreferences {
  /** Closing the window keeps Junction running in the tray (Windows/Linux) or the dock (macOS). */
  closeToTray: boolean
  /** The generic update feed (https); null means no update checks. */
  updateUrl: string | null
}

/** What an update check found; the renderer words it. */
export type UpdateCheckResult =
  | { kind: 'disabled' }
  | { kind: 'up-to-date'; version: string }
  | { kind: 'available'; version: string }
  | { kind: 'error'; reason: 'invalid-url' | 'not-packaged' | 'feed-not-found' | 'bad-feed' | 'network' | 'failed' }

export interface ChatPatch {
  chatId: string
  pinned?: boolean
  muted?: boolean
  archived?: boolean
  draft?: string
  /** "Mark as unread": a chat with nothing unread shows one unread until it is opened. Local only: no connector writes it back. */
  markUnread?: boolean
}

export interface ApiRequests {
  getAppInfo(arg: void): AppInfo
  listNetworks(arg: void): NetworkInfo[]
  listAccounts(arg: void): Account[]
  /** Starts a login; its steps arrive as `login` events. `accountId` re-authenticates an account. */
  startLogin(arg: { network: NetworkId; methodId: string; fields?: Record<string, string>; accountId?: string }): {
    loginId: string
  }
  /** The redirect a browser sign-in ended on (headless host; Electron captures it itself). */
  completeBrowserLogin(arg: { loginId: string; redirectUrl: string }): void
  /** Answers a login's `input` step. */
  submitLoginInput(arg: { loginId: string; values: Record<string, string> }): void
  cancelLogin(arg: { loginId: string }): void
  removeAccount(arg: { accountId: string }): void
  /** Reconnects an offline or reconnecting account now instead of waiting out its back-off. */
  reconnectAccount(arg: { accountId: string }): void
  listInbox(arg: { filter: InboxFilter; limit: number; after?: string | null }): InboxPage
  getChat(arg: { chatId: string }): Chat
  /** The direct chat with one of the account's contacts, created (empty, local) when there is none yet: "new chat". */
  openDirectChat(arg: { accountId: string; remoteId: string }): Chat
  /** A group's members as the network last listed them, named from the account's contacts where known; [] when unknown. */
  getChatMembers(arg: { chatId: string }): ChatMember[]
  listContacts(arg: { accountId: string }): Contact[]
  /** Contact actions (`contactActions`): each goes to the network, then the store; `contact` events follow. */
  addContact(arg: { accountId: string; address: string }): Contact
  removeContact(arg: { accountId: string; remoteId: string }): void
  setContactBlocked(arg: { accountId: string; remoteId: string; blocked: boolean }): Contact
  /** Accept: the requester becomes a contact (returned). Decline: the request is removed (null). */
  answerContactRequest(arg: { accountId: string; remoteId: string; accept: boolean }): Contact | null
  /** Pages history backwards from `before` (a message id); asks the network once local history runs out. */
  /**
   * Pages history. With `before` (a message id): older messages, asking the network once local
   * history runs out. With `after`: newer ones. With `around`: a window centred on a message
   * (to jump to a search hit). With none: the newest.
   */
  listMessages(arg: { chatId: string; before?: string | null; after?: string | null; around?: string | null; limit: number }): MessagePage
  /** `draft.replyTo` is Core's: the renderer names the quoted message by `replyToId` (a message id). */
  sendMessage(arg: { chatId: string; clientId: string; draft: ComposedDraft; replyToId?: string }): Message
  /** Sets (emoji) or removes (null) the own reaction. */
  reactToMessage(arg: { messageId: string; emoji: string | null }): Message
  editMessage(arg: { messageId: string; text: string }): Message
  /** For me: removed from this computer (every network; a `messageRemoved` event). For everyone: unsent on the network. */
  deleteMessage(arg: { messageId: string; forEveryone: boolean }): void
  /** Sends the message's text or picture to another chat, through the outbox. */
  forwardMessage(arg: { messageId: string; chatId: string; clientId: string }): Message
  retryMessage(arg: { messageId: string }): Message
  /**
   * Opens a message's picture or file (issue 12 §2), fetched from the network once if needed. Electron: main writes it
   * to the downloads folder under a safe name and opens it with the system (`opened: true`). The headless host: the
   * token-checked media route serves it as a download at `downloadUrl`. The page never names a path.
   */
  openAttachment(arg: { messageId: string }): AttachmentOpened
  markChatRead(arg: { chatId: string }): void
  setTyping(arg: { chatId: string; typing: boolean }): void
  /** A nudge to a one-to-one chat, where the account has `nudges`. */
  sendNudge(arg: { chatId: string }): void
  updateChat(arg: ChatPatch): Chat
  search(arg: { query: string; limit: number; accountId?: string; chatId?: string }): SearchHit[]
  openExternal(arg: { url: string }): void
  updateAccount(arg: { accountId: string; muted: boolean }): Account
  /** Sets (a name) or clears (null) the account's local nickname; the network is not told. */
  renameAccount(arg: { accountId: string; nickname: string | null }): Account
  getSettings(arg: void): Settings
  updateSettings(arg: SettingsPatch): Settings
  /** Writes every message of every account to one file. */
  exportHistory(arg: { format: ExportFormat }): ExportResult
  /** Electron: shows the data folder, the logs folder or an export in the file manager. */
  revealPath(arg: { what: 'data-folder' } | { what: 'logs-folder' } | { what: 'export'; fileName: string }): void
  /** Electron: asks for a folder in a native dialog and uses it as the data folder from the next start. */
  moveDataFolder(arg: void): void
  /** Electron: asks for a folder in a native dialog for a network's `folder` setting. The page never sends a path. */
  pickNetworkFolder(arg: { network: NetworkId; name: string }): Settings
  /** Electron: the tray and update preferences. */
  getDesktopPreferences(arg: void): DesktopPreferences
  updateDesktopPreferences(arg: { closeToTray?: boolean; updateUrl?: string | null }): DesktopPreferences
  /** Electron: asks the update feed now. */
  checkForUpdates(arg: void): UpdateCheckResult
}

export interface ApiEvents {
  account: Account
  accountRemoved: { accountId: string }
  login: { loginId: string; network: NetworkId; step: LoginStep }
  chat: Chat
  contact: Contact
  message: Message
  messageRemoved: { messageId: string; chatId: string }
  typing: { chatId: string; senderId: string; senderName: string | null; typing: boolean }
  /** A new message from someone else in a chat that is not muted: a desktop notification, if the person wants one. */
  notify: { chatId: string; messageId: string; network: NetworkId; chatTitle: string; senderName: string | null; text: string; kind: Message['kind'] }
  settings: Settings
  /** Main asks the page to open a chat (a main-process notification was clicked). */
  openChat: { chatId: string; messageId: string }
  /**
   * How far the upload of an own pending picture or file got (issue 12 §2): bytes handed to the
   * network of `total`, at most ~10 a second per message; the message's own event ends it.
   */
  uploadProgress: { messageId: string; chatId: string; sent: number; total: number }
}

export type RequestName = keyof ApiRequests
export type RequestArg<K extends RequestName> = Parameters<ApiRequests[K]>[0]
export type RequestResult<K extends RequestName> = ReturnType<ApiRequests[K]>

export type ApiReply<T> = { ok: true; value: T } | { ok: false; error: SerializedError }

export type ApiEventName = keyof ApiEvents
export type ApiEvent = { [K in ApiEventName]: { type: K; payload: ApiEvents[K] } }[ApiEventName]

/** The object the preload exposes as `window.junction`: one named function per request. */
export type JunctionBridge = {
  [K in RequestName]: (arg: RequestArg<K>) => Promise<ApiReply<RequestResult<K>>>
} & {
  onEvent(listener: (event: ApiEvent) => void): () => void
}

/** The runtime list the preload needs; the check below fails to compile if it drifts from ApiRequests. */
export const REQUEST_NAMES = [
  'getAppInfo',
  'listNetworks',
  'listAccounts',
  'startLogin',
  'completeBrowserLogin',
  'submitLoginInput',
  'cancelLogin',
  'removeAccount',
  'reconnectAccount',
  'listInbox',
  'getChat',
  'openDirectChat',
  'getChatMembers',
  'listContacts',
  'addContact',
  'removeContact',
  'setContactBlocked',
  'answerContactRequest',
  'listMessages',
  'sendMessage',
  'retryMessage',
  'openAttachment',
  'reactToMessage',
  'editMessage',
  'deleteMessage',
  'forwardMessage',
  'markChatRead',
  'setTyping',
  'sendNudge',
  'updateChat',
  'search',
  'openExternal',
  'updateAccount',
  'renameAccount',
  'getSettings',
  'updateSettings',
  'exportHistory',
  'revealPath',
  'moveDataFolder',
  'pickNetworkFolder',
  'getDesktopPreferences',
  'updateDesktopPreferences',
  'checkForUpdates'
] as const satisfies readonly RequestName[]

type MissingRequestNames = Exclude<RequestName, (typeof REQUEST_NAMES)[number]>
const requestNamesAreComplete: MissingRequestNames extends never ? true : MissingRequestNames = true
void requestNamesAreComplete

export const EVENT_NAMES = [
  'account',
  'accountRemoved',
  'login',
  'chat',
  'contact',
  'message',
  'messageRemoved',
  'typing',
  'notify',
  'settings',
  'openChat',
  'uploadProgress'
] as const satisfies readonly ApiEventName[]

type MissingEventNames = Exclude<ApiEventName, (typeof EVENT_NAMES)[number]>
const eventNamesAreComplete: MissingEventNames extends never ? true : MissingEventNames = true
void eventNamesAreComplete

export const IPC_REQUEST_PREFIX = 'junction:request:'
export const IPC_EVENT_CHANNEL = 'junction:event'
