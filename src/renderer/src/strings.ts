// Every user-facing string of the renderer, in one place, ready for translation.

import type { LoginStage } from '../../shared/api'
import type { ErrorCode, ReasonCode } from '../../shared/errors'
import type { ConnectionState, MessageStatus } from '../../shared/model'
import { actionsStrings, contactsStrings } from './strings-messages'
import { settingsStrings } from './strings-settings'

/** What a reason's wording may use: the network's display name and the reason's own params. */
type ReasonWords = (p: Readonly<Record<string, string | undefined>>, network: string) => string

/** A byte count as people read it: 900 B, 12 KB, 3.4 MB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return ''
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  const mb = bytes / (1024 * 1024)
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`
}

export const strings = {
  appName: 'Junction',
  titleWithUnread: (n: number) => (n > 0 ? `(${n}) Junction` : 'Junction'),

  link: {
    connecting: 'Connecting to Junction…',
    lost: 'Lost the connection to Junction’s engine. Reconnecting… Messages you type stay in the composer until it is back.',
    restarted:
      'Junction was restarted, so this page is no longer connected. Open the new address it printed when it started (with npm run sandbox: the line “Junction:”).'
  },

  rail: {
    label: 'Accounts',
    addAccount: 'Add account',
    allAccounts: 'All accounts',
    settings: 'Settings',
    search: 'Search (Ctrl+K)',
    accountTitle: (name: string, network: string, state: string) => `${name} · ${network} · ${state}`,
    /** Read after the account's name: how to reach its page (nickname, mute) from the keyboard. */
    accountMenuHint: 'Shift+F10 opens the account: its nickname, mute and login.',
    shortcut: (n: number) => `Ctrl+${n}`
  },

  account: {
    title: (name: string) => name,
    status: 'Status',
    logInAgain: 'Log in again',
    showChats: 'Show only this account',
    mute: 'Mute notifications',
    unmute: 'Unmute notifications',
    remove: 'Remove account',
    confirmRemove: (name: string, network: string) => `Remove ${name} (${network}) from Junction? Its chats and messages are deleted from this computer.`,
    removeConfirmButton: 'Remove',
    muted: 'Muted',
    identity: 'Signed in as',
    /** The local nickname (issue 12 §3): a name only this computer shows. */
    rename: 'Rename',
    nicknameLabel: 'Nickname on this computer',
    nicknameHint: (networkName: string) => `Leave empty to use the name from the network (${networkName}).`,
    saveNickname: 'Save',
    cancelNickname: 'Cancel',
    networkName: (name: string) => `Name on the network: ${name}`,
    attention: (name: string, network: string, state: string) => `${name} · ${network}: ${state}`
  },

  /** An account's state while the page cannot reach the engine: not known. */
  unknownState: 'Status unknown while Junction’s engine cannot be reached',

  connection: {
    connecting: 'Connecting',
    online: 'Online',
    reconnecting: 'Reconnecting',
    offline: 'Offline',
    'needs-login': 'Needs login'
  } satisfies Record<ConnectionState, string>,
  reconnectingIn: (seconds: number) => `Reconnecting in ${seconds} s`,
  reconnectNow: 'Reconnect now',

  /** Why an account is not online, or why something failed: main sends the code, the words are here. */
  reasons: {
    'signed-in-elsewhere': () => 'Signed in elsewhere',
    'logged-out-remotely': (_, n) => `This computer was logged out of ${n}. Log in again to add it back.`,
    'session-expired': (_, n) => `The ${n} session expired. Log in again.`,
    'credentials-refused': (_, n) => `${n} refused the login. Check what you typed and log in again.`,
    'credentials-damaged': () => 'The saved login could not be unlocked. Log in again.',
    'no-credentials': () => 'Log in to use this account.',
    'account-banned': (_, n) => `${n} has banned this account.`,
    'client-outdated': (_, n) => `${n} no longer accepts this version of Junction. Update Junction.`,
    'protocol-moved': (_, n) => `This ${n} account uses a newer login. Add it again with the current method.`,
    // `component` is the name of what is missing, as the network calls it (a proper name, like its display name).
    'setup-required': (p, n) =>
      p.version
        ? `${n} needs a supported version of ${p.component ?? 'a component'} (this one is ${p.version}). Update it.`
        : `${n} needs ${p.component ?? 'a component'}, which is not on this computer. Install it, or choose its folder in Settings → Advanced.`,
    'network-not-in-build': (p) => `This build of Junction cannot connect to ${p.network ?? 'this network'}.`,
    unreachable: (_, n) => `${n} could not be reached. Check your connection.`,
    'engine-unreachable': () => 'Junction’s engine cannot be reached. What you typed stays in the composer.',
    'server-unavailable': (_, n) => `${n} cannot serve Junction right now.`,
    'rate-limited': (_, n) => `${n} asked Junction to slow down.`,
    timeout: (_, n) => `${n} took too long to answer.`,
    'protocol-error': (_, n) => `${n} answered in a way Junction did not expect.`,
    // Attachments (issue 12 §2): core/attachments.ts and the networks name what was refused in `what`.
    refused: (p, n) =>
      p.what === 'attachment-size'
        ? `${n} does not take attachments this large${p.limit ? ` (at most ${formatBytes(Number(p.limit))})` : ''}.`
        : p.what === 'attachment-type'
          ? `${n} does not take files of this type${p.type ? ` (${p.type})` : ''}.`
          : p.what === 'attachment-kind'
            ? `${n} cannot send ${p.kind === 'image' ? 'photos' : 'files'} from Junction.`
            : p.what === 'attachment-damaged'
              ? 'The file did not arrive whole. Attach it again.'
              : `${n} refused this${p.detail ? ` (${p.detail})` : ''}.`,
    unknown: () => 'Something went wrong.'
  } satisfies Record<ReasonCode, ReasonWords>,

  filters: {
    label: 'Show',
    all: 'All',
    unread: 'Unread',
    archived: 'Archived',
    account: (name: string) => name
  },

  inbox: {
    label: 'Chats',
    pinned: 'Pinned',
    muted: 'Muted',
    emptyUnread: 'No unread chats. You are all caught up.',
    emptyArchived: 'No archived chats.',
    empty: 'No chats yet.',
    emptyHint: 'Write to one of your contacts to start one.',
    startChat: 'Start a chat (Ctrl+K)',
    emptyNoAccounts: 'Add an account to see your chats here.',
    addFirstAccount: 'Add your first account',
    unreadBadge: (n: number) => `${n} unread`,
    you: 'You',
    loadMore: 'Load more chats',
    resize: 'Width of the chat list',
    search: 'Search chats',
    searchPlaceholder: 'Search chats (Ctrl+Shift+F)',
    clearSearch: 'Clear search',
    noMatches: (q: string) => `No chats match “${q}”.`,
    menu: (title: string) => `Actions for ${title}`,
    pin: 'Pin',
    unpin: 'Unpin',
    mute: 'Mute',
    unmute: 'Unmute',
    archive: 'Archive',
    unarchive: 'Unarchive',
    markUnread: 'Mark as unread',
    markRead: 'Mark as read',
    rowHint: 'Right-click or press Shift+F10 for actions'
  },

  preview: {
    image: 'Photo',
    sticker: 'Sticker',
    file: 'File',
    deleted: 'Message deleted'
  },

  chat: {
    noneSelected: 'Choose a chat to start.',
    showChats: 'Chats',
    empty: 'No messages yet. Say hello!',
    loadingOlder: 'Loading older messages…',
    loadOlder: 'Load older messages',
    messagesLabel: 'Messages',
    typing: (name: string | null) => (name ? `${name} is typing…` : 'Typing…'),
    image: 'Photo',
    imageLoading: 'Loading photo…',
    imageFailed: 'The photo could not be loaded.',
    sticker: 'Sticker',
    deleted: 'This message was deleted.',
    edited: 'edited',
    e2ee: 'End-to-end encrypted',
    retry: 'Retry',
    failed: 'Not sent',
    offlineNotice: 'Messages you send will go out when the account is back.',
    pin: 'Pin',
    unpin: 'Unpin',
    mute: 'Mute',
    unmute: 'Unmute',
    archive: 'Archive',
    unarchive: 'Unarchive',
    searchInChat: 'Search in this chat (Ctrl+F)',
    info: 'Chat info',
    closeInfo: 'Close chat info',
    infoSubject: 'Subject',
    infoId: 'ID',
    infoPhone: 'Phone',
    infoPresence: 'Status',
    infoLastSeen: 'Last seen',
    /** A contact's "last seen": the time today, else the date and time. */
    lastSeenAt: (ms: number) => {
      const at = new Date(ms)
      const today = at.toDateString() === new Date().toDateString()
      return today
        ? `today at ${at.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })}`
        : at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
    },
    infoMembers: (n: number) => (n === 1 ? '1 member' : `${n} members`),
    infoMembersUnknown: 'This network has not listed the members of this group.',
    infoLoading: 'Loading…',
    infoNotContact: 'Not in your contacts on this account.',
    unnamedMember: 'Unnamed member',
    presence: { online: 'Online', away: 'Away', busy: 'Busy', offline: 'Offline', unknown: 'Not shared by this network' } as const,
    nudge: 'Send a nudge',
    jumpToLatest: 'Jump to the latest messages',
    loadingNewer: 'Loading newer messages…',
    openImage: 'Open the photo',
    viewerTitle: 'Photo',
    closeViewer: 'Close'
  },

  /** Acting on a message (issue 12 §4). */
  actions: actionsStrings,

  chatSearch: {
    label: 'Search in this chat',
    placeholder: 'Search in this chat',
    close: 'Close search',
    none: 'No messages match.',
    results: (n: number) => (n === 1 ? '1 match' : `${n} matches`)
  },

  contacts: contactsStrings,

  palette: {
    label: 'Search chats and messages',
    placeholder: 'Jump to a chat or search every network…',
    chats: 'Chats',
    messages: 'Messages',
    none: 'Nothing found.',
    hint: 'Enter to open · ↑↓ to choose · Esc to close',
    searching: 'Searching…',
    contact: 'Contact',
    newChat: (account: string) => (account ? `Chat · ${account}` : 'Chat')
  },

  notification: {
    privateTitle: 'Junction',
    privateBody: 'New message',
    title: (sender: string | null, chat: string, network: string) => (sender && sender !== chat ? `${sender} in ${chat} · ${network}` : `${chat} · ${network}`),
    photo: 'Photo',
    sticker: 'Sticker'
  },

  settings: settingsStrings,

  shortcuts: {
    title: 'Keyboard shortcuts'
  },

  status: {
    pending: 'Sending',
    sent: 'Sent',
    delivered: 'Delivered',
    read: 'Read',
    failed: 'Not sent'
  } satisfies Record<MessageStatus, string>,

  composer: {
    label: 'Message',
    placeholder: (network: string) => `Message on ${network}`,
    send: 'Send',
    attach: 'Send a photo',
    attachFile: 'Send a photo or file',
    notAnImage: 'Only photos (JPEG, PNG, GIF or WebP) can be sent.',
    imageTooLarge: 'That photo is larger than 20 MB.',
    tooLarge: (network: string, limit: number) => `${network} does not take attachments larger than ${formatBytes(limit)}.`,
    typeRefused: (network: string, type: string) => `${network} does not take files of this type (${type || 'unknown type'}).`,
    dropHere: (network: string) => `Drop to send on ${network}`,
    /** Files dragged over a chat whose network sends neither photos nor files (issue 12 §2). */
    cannotDrop: (network: string) => `${network} cannot send photos or files from Junction`,
    hint: 'Enter to send, Shift+Enter for a new line',
    counter: (n: number, limit: number) => `${n.toLocaleString()} / ${limit.toLocaleString()}`,
    counterLabel: (n: number, limit: number) => `${n.toLocaleString()} of ${limit.toLocaleString()} characters`,
    tooLong: (network: string, limit: number, parts: number) =>
      `This is longer than ${network} takes in one message (${limit.toLocaleString()} characters). Send it as ${parts} messages?`,
    sendAsParts: (parts: number) => `Send as ${parts} messages`,
    keepEditing: 'Keep editing',
    sending: 'Sending…'
  },

  attachment: {
    /** Until the first `uploadProgress` event the bar is indeterminate. */
    uploading: 'Uploading…',
    uploadingPercent: (percent: number) => `Uploading… ${percent}%`,
    uploadingOf: (name: string) => `Uploading ${name}`,
    file: 'File',
    downloadShort: 'Download',
    download: (name: string) => `Download ${name}`,
    downloading: (percent: number | null) => (percent === null ? 'Downloading…' : `Downloading… ${percent}%`),
    open: 'Open',
    openLabel: (name: string) => `Open ${name}`,
    opened: (name: string) => `Opened ${name}`,
    failed: 'The file could not be downloaded. Try again.',
    retry: 'Try again',
    size: (bytes: number) => formatBytes(bytes)
  },

  addAccount: {
    title: 'Add an account',
    chooseNetwork: 'Choose a network',
    close: 'Close',
    cancel: 'Cancel',
    back: 'Back',
    tryAgain: 'Try again',
    done: 'Account added',
    start: 'Continue',
    methods: {
      qr: 'Scan a QR code with your phone',
      browser: 'Sign in with your browser',
      credentials: 'Log in with e-mail and password'
    },
    /** For fields a network sends without its own label. */
    fieldLabels: {
      email: 'E-mail',
      password: 'Password',
      phone: 'Phone number',
      url: 'Server',
      text: 'Text'
    } as Record<string, string>,
    inputInstructions: (network: string) => `${network} needs one more thing:`,
    differentAccount: (name: string, network: string) =>
      `This signed in to a different ${network} account (${name}), not the one you chose to log in again. Add ${name} as a new account?`,
    addAsNew: (name: string) => `Add ${name}`,
    inputSubmit: 'Continue',
    progress: (fraction: number) => `${Math.round(fraction * 100)} %`,
    stage: {
      connecting: 'Connecting…',
      'waiting-for-scan': 'Waiting for your phone…',
      verifying: 'Verifying…',
      syncing: 'Loading your chats…'
    } satisfies Record<LoginStage, string>,
    qrInstructions: (network: string) => `Open ${network} on your phone and scan this code.`,
    qrExpires: (seconds: number) => `This code refreshes in ${seconds} s.`,
    qrAttempt: (attempt: number, max: number) => `Code ${attempt} of ${max}`,
    qrAlt: 'QR code to scan with your phone',
    pinInstructions: (network: string) => `Type this code on your phone in ${network}:`,
    pinExpires: (seconds: number) => `The code is good for ${seconds} s more.`,
    browserInstructions: 'Continue in the sign-in page. Junction finishes the login when you are done.',
    openSignIn: 'Open the sign-in page',
    failedTitle: 'The account could not be added',
    setupProblem: 'Not available on this computer'
  },

  errors: {
    'invalid-argument': 'Junction could not understand that request.',
    'not-found': 'That no longer exists.',
    unsupported: 'This network cannot do that.',
    network: 'The network could not be reached. Check your connection.',
    timeout: 'The network took too long to answer.',
    unavailable: 'The account is not online right now.',
    'rate-limited': 'The network asked Junction to slow down. Try again in a moment.',
    'auth-failed': 'The network refused the login. Log in again.',
    'logged-out': 'The session ended on the network. Log in again.',
    conflict: 'This account is signed in somewhere else.',
    rejected: 'The network refused this.',
    protocol: 'The network answered in a way Junction did not expect.',
    integrity: 'A message failed its integrity check and was dropped.',
    'setup-required': 'Something this computer lacks is needed first.',
    'permission-denied': 'That is not allowed.',
    cancelled: 'Cancelled.',
    internal: 'Something went wrong inside Junction.'
  } satisfies Record<ErrorCode, string>,
  /** A network's name where the account is not known (yet). */
  networkFallback: 'The network',

  time: {
    yesterday: 'Yesterday'
  },

  dismiss: 'Dismiss'
}

export type Strings = typeof strings
