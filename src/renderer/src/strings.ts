// Every user-facing string of the renderer, in one place, ready for translation.

import type { LoginStage } from '../../shared/api'
import type { ErrorCode } from '../../shared/errors'
import type { ConnectionState, MessageStatus, NetworkId } from '../../shared/model'

export const strings = {
  appName: 'Junction',
  titleWithUnread: (n: number) => (n > 0 ? `(${n}) Junction` : 'Junction'),

  link: {
    connecting: 'Connecting to Junction…',
    lost: 'Lost the connection to Junction. Reconnecting…'
  },

  networks: {
    whatsapp: 'WhatsApp',
    line: 'LINE',
    skype: 'Skype'
  } satisfies Record<NetworkId, string>,
  networkMark: {
    whatsapp: 'W',
    line: 'L',
    skype: 'S'
  } satisfies Record<NetworkId, string>,

  rail: {
    label: 'Accounts',
    addAccount: 'Add account',
    allAccounts: 'All accounts',
    accountTitle: (name: string, network: string, state: string) => `${name} · ${network} · ${state}`
  },

  connection: {
    connecting: 'Connecting',
    online: 'Online',
    reconnecting: 'Reconnecting',
    offline: 'Offline',
    'needs-login': 'Needs login'
  } satisfies Record<ConnectionState, string>,
  reconnectingIn: (seconds: number) => `Reconnecting in ${seconds} s`,

  inbox: {
    label: 'Chats',
    empty: 'No chats yet.',
    emptyNoAccounts: 'Add an account to see your chats here.',
    unreadBadge: (n: number) => `${n} unread`,
    you: 'You',
    loadMore: 'Load more chats'
  },

  preview: {
    image: 'Photo',
    sticker: 'Sticker',
    deleted: 'Message deleted'
  },

  chat: {
    noneSelected: 'Choose a chat to start.',
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
    sealed: 'Sealed with Letter Sealing',
    retry: 'Retry',
    failed: 'Not sent',
    offlineNotice: 'This account is offline. Messages you send will go out when it is back.'
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
    hint: 'Enter to send, Shift+Enter for a new line'
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
    fieldLabels: {
      email: 'E-mail',
      password: 'Password'
    } as Record<string, string>,
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
    'signer-missing': 'A required component is missing.',
    'permission-denied': 'That is not allowed.',
    cancelled: 'Cancelled.',
    internal: 'Something went wrong inside Junction.'
  } satisfies Record<ErrorCode, string>,

  time: {
    yesterday: 'Yesterday'
  }
}

export type Strings = typeof strings
