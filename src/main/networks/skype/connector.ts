// The Skype Connector: Microsoft-account sign-in in a browser (spec §10), or a Passport
// password for MSNP21 servers (§4.3), then the address book and one MSNP session
// (connection.ts), kept up by the SessionSupervisor. Sends put a Client-Message-ID derived
// from Junction's client id on the wire, so a retry is the same message to the server (§6.4).

import type { NetworkCapabilities } from '../../../shared/api'
import { JunctionError, type Reason } from '../../../shared/errors'
import type { FileDraft, OutgoingDraft } from '../../../shared/model'
import { probeUrl } from '../../base/probe'
import type { Logger } from '../../base/log'
import type {
  AvatarKind,
  ContactInfo,
  Connector,
  ConnectorContext,
  ConnectorEvent,
  ConnectorListener,
  Credentials,
  Cursors,
  IncomingMessage,
  LoginIO,
  LoginRequest,
  LoginResult,
  MediaBytes,
  MediaStream,
  NetworkDefinition,
  SendOptions,
  SendResult,
  SyncBatch,
  SyncResult
} from '../connector'
import { syncOnce } from '../connector'
import { ConnectorEvents } from '../events'
import { SessionSupervisor, type SessionTarget, type SupervisedSession } from '../supervisor'
import { fetchMessengerPicture, fetchPicture } from './avatars'
import { dialectCapabilities } from './capabilities'
import { SKYPE_LOGIN_METHODS, skypeLoginMethodsFor } from './login/methods'
import { messageKey } from './translate'
import { configProblem, parseSkypeConfig, SkypeConfigError, type SkypeConfig } from './config'
import { messengerAccount, openAccount, type MessengerState } from './account'
import { SkypeConnection, type SkypeAccount } from './connection'
import { readCredentials, type SkypeCredentials } from './credentials'
import { classifySkypeError } from './errors'
import { browserLogin, messengerLogin, passportLogin } from './login/flows'
import { recentHistory, recentSnapshot } from './history'
import { Msnp18Connection } from './msnp18/connection'
import { addContact18, answerRequest18, removeContact18, setBlocked18, type LiveContacts } from './msnp18/contact-requests'
import { connectMessenger, messengerServer, type MessengerDialect } from './msnp18/negotiate'
import { sendDraft, sendEdit, typingMessage, type SendContext } from './outbound'
import { MAX_UPLOAD_BYTES, SkypeMedia } from './media'
import type { MsnpSession } from './session'
import type { SocketTarget } from './transport'

export class SkypeConnector implements Connector, SessionTarget {
  readonly network = 'skype' as const
  private readonly events: ConnectorEvents
  private readonly log: Logger
  private readonly parsed: SkypeConfig | JunctionError
  private readonly supervisor: SessionSupervisor
  private account: SkypeAccount | null = null
  private connection: SkypeConnection | Msnp18Connection | null = null
  /** A Messenger (revival service) account: its sign-in and SSO tickets (issue 16). */
  private messenger: MessengerState | null = null
  private redirect: SocketTarget | null = null
  private loggingOut = false
  /** Photos and files through the AMS store (media.ts). */
  private readonly media: SkypeMedia

  constructor(
    context: ConnectorContext,
    private readonly now: () => number = Date.now
  ) {
    this.log = context.log
    this.media = new SkypeMedia(context.keyStore, context.log)
    try {
      this.parsed = parseSkypeConfig(context.config)
    } catch (error) {
      // A bad setting is reported by setupProblem; a Connector made anyway (restore) fails each call with it.
      this.parsed = new JunctionError('unsupported', error instanceof SkypeConfigError ? error.message : 'The Skype settings could not be read.', {
        reason: SETTINGS_PROBLEM
      })
    }
    this.events = new ConnectorEvents((error) => this.log.error({ error }, 'skype event listener failed'))
    const backoff = this.parsed instanceof JunctionError ? undefined : { baseMs: this.parsed.reconnectBaseMs, maxMs: this.parsed.reconnectMaxMs, jitter: 0.3 }
    this.supervisor = new SessionSupervisor(this, {
      emitStatus: (status) => this.events.emit({ type: 'status', status }),
      log: this.log,
      ...(backoff ? { backoff } : {}),
      connectivity: context.connectivity
    })
  }

  private get config(): SkypeConfig {
    if (this.parsed instanceof JunctionError) throw this.parsed
    return this.parsed
  }

  on(listener: ConnectorListener): () => void {
    return this.events.on(listener)
  }

  async login(request: LoginRequest, io: LoginIO): Promise<LoginResult> {
    const msnp21 = this.config.msnpDialect === 'msnp21'
    let credentials: SkypeCredentials
    if (request.methodId === 'browser') {
      // spec §4.3: an MSNP21 server takes a Passport ticket with its proof key, which only a password gets.
      if (msnp21)
        throw new JunctionError('unsupported', 'This Messenger (MSNP21) server needs your e-mail address and password, not the Microsoft sign-in page.')
      credentials = await browserLogin(this.config, io, this.log, this.now)
    } else if (request.methodId === 'passport') {
      if (!msnp21) throw new JunctionError('unsupported', 'Password sign-in is only for Messenger (MSNP21) servers. Use the Microsoft sign-in page.')
      credentials = await passportLogin(this.config, request.fields, io, this.now)
    } else if (request.methodId === 'messenger') {
      credentials = messengerLogin(request.fields, io)
    } else {
      throw new JunctionError('invalid-argument', `Skype has no login method "${request.methodId}".`)
    }
    io.step({ kind: 'progress', stage: 'syncing' })
    this.account = this.accountFor(credentials, {})
    const m = this.messenger
    if (m) m.loggingIn = true
    let session: SupervisedSession
    try {
      session = await this.connectOnce(io.signal)
    } finally {
      if (m) m.loggingIn = false
    }
    // The dialect negotiation settled on is part of what is saved (credentials.ts).
    const saved = m ? m.creds : credentials
    this.supervisor.adopt(session)
    return { selfId: saved.selfId, displayName: saved.displayName, credentials: { ...saved } }
  }

  async restore(credentials: Credentials, cursors: Cursors): Promise<void> {
    void this.config // a bad setting is the first thing to report
    this.account = this.accountFor(readCredentials(credentials), cursors)
    await this.supervisor.start()
  }

  reconnectNow(): void {
    this.supervisor.reconnectNow()
  }

  /** What the dialect of this account's session carries (capabilities.ts). */
  capabilities(): Partial<NetworkCapabilities> {
    return dialectCapabilities(this.connection?.live?.dialect ?? (this.messenger ? 'msnp18' : undefined))
  }

  /** Pictures (issue 12 §3): the URL the contacts service or the own profile named, or a Messenger usertile (skype/avatars.ts); none for groups. */
  async fetchAvatar(kind: AvatarKind, remoteId: string): Promise<MediaBytes | null> {
    const account = this.account
    const m = this.messenger
    // A Messenger account's display pictures come from its own revival service (msnp18/pictures.ts).
    if (m && account)
      return fetchMessengerPicture(
        { servicesUrl: messengerServer(this.config, m.creds).servicesUrl, timeoutMs: account.config.requestTimeoutMs },
        account.book,
        kind,
        remoteId,
        m.self.uuid
      )
    const url = kind === 'contact' ? account?.book.get(remoteId)?.avatar : kind === 'self' ? account?.selfPicture : undefined
    return account && url ? fetchPicture(account.config, url) : null
  }

  /**
   * A Messenger revival account (MSNP18, msnp18.md) is not Skype to the person using it: the
   * renderer says "Messenger" for it (issue 12 §3), Skype for the others.
   */
  networkLabel(): string | undefined {
    return this.messenger || this.connection?.live?.dialect === 'msnp18' ? 'Messenger' : undefined
  }

  /** The supervisor's one attempt: contacts and the MSNP session of the account. */
  async connectOnce(signal: AbortSignal): Promise<SupervisedSession> {
    const account = this.account
    if (!account) throw new JunctionError('auth-failed', 'Sign in to Skype first.', { reason: { code: 'no-credentials' } })
    const c = account.config
    const target = this.redirect ?? { host: c.msnpHost, port: c.msnpPort, tls: c.msnpTls, ...(c.msnpCa ? { ca: c.msnpCa } : {}) }
    this.redirect = null
    const onRedirect = (t: SocketTarget): void => void (this.redirect = t)
    const loggingOut = (): boolean => this.loggingOut
    const open21 = (): Promise<SkypeConnection> => SkypeConnection.open(account, target, signal, onRedirect, loggingOut)
    const m = this.messenger
    const connection = m
      ? await connectMessenger({
          recorded: m.creds.dialect,
          log: this.log,
          open21,
          open18: (offer) => Msnp18Connection.open(messengerAccount(this.config, account, m, target), offer, signal, onRedirect, loggingOut),
          settled: (dialect) => this.settleDialect(m, dialect)
        })
      : await open21()
    this.connection = connection
    void connection.ended.then(() => {
      if (this.connection === connection) this.connection = null
    })
    return connection
  }

  classify = classifySkypeError

  probe(): Promise<boolean> {
    const c = this.account?.config ?? this.config
    const host = c.msnpHost.includes(':') ? `[${c.msnpHost}]` : c.msnpHost
    return probeUrl(`${c.msnpTls ? 'https' : 'http'}://${host}:${c.msnpPort}`)
  }

  /** The account for these credentials (account.ts); a Messenger one keeps its SSO tickets here. */
  private accountFor(credentials: SkypeCredentials, cursors: Cursors): SkypeAccount {
    const options = { config: this.config, log: this.log, now: this.now, emit: (event: ConnectorEvent) => this.events.emit(event) }
    const { account, messenger } = openAccount(options, credentials, cursors)
    this.messenger = messenger
    // Photos and files (media.ts), MSNP24 only: each incoming one's object is kept before its message goes out.
    if (!messenger && this.config.msnpDialect === 'msnp24') this.media.attach(account)
    return account
  }

  /** Records the dialect in use; a restore that changed it saves the new one (a login returns it). */
  private settleDialect(m: MessengerState, dialect: MessengerDialect): void {
    if (m.creds.dialect === dialect) return
    m.creds = { ...m.creds, dialect }
    if (!m.loggingIn) this.events.emit({ type: 'credentials', credentials: { ...m.creds } })
  }

  private live(): { account: SkypeAccount; session: MsnpSession } {
    const session = this.connection?.live
    if (!this.account || !session) throw new JunctionError('unavailable', 'The Skype account is not connected right now.')
    return { account: this.account, session }
  }

  async *sync(): AsyncIterable<SyncBatch> {
    yield* syncOnce(this.syncResult())
  }

  private async syncResult(): Promise<SyncResult> {
    const { account, session } = this.live()
    return recentSnapshot(account, session)
  }

  /** Older messages of a chat, from the recent conversations (history.ts, spec §5.3). */
  async history(chatRemoteId: string, before: { remoteId: string; timestamp: number } | null, limit: number): Promise<IncomingMessage[]> {
    const { account, session } = this.live()
    return recentHistory(account, session, chatRemoteId, before, limit)
  }

  async send(chatRemoteId: string, clientId: string, draft: OutgoingDraft, options?: SendOptions): Promise<SendResult> {
    if (draft.kind === 'image') return this.media.sendImage(this.account, chatRemoteId, clientId, draft, this.sendContext(), options)
    return sendDraft(chatRemoteId, clientId, draft, this.sendContext())
  }

  /** Issue 12 §2: a document through the AMS store, then `RichText/Media_GenericFile` (media.ts; MSNP24 only). */
  async sendFile(chatRemoteId: string, clientId: string, draft: FileDraft, options?: SendOptions): Promise<SendResult> {
    return this.media.sendFile(this.account, chatRemoteId, clientId, draft, this.sendContext(), options)
  }

  private sendContext(): SendContext {
    const { account, session } = this.live()
    return {
      session,
      inbound: account.inbound,
      displayName: account.auth.credentials.displayName,
      presenceOf: (address) => account.book.get(address)?.presence,
      nameOf: (address) => account.book.nameOf(address),
      now: this.now
    }
  }

  /** spec §6.4 / E14: `Skype-EditedId` with the new text (MSNP24). */
  async edit(chatRemoteId: string, messageRemoteId: string, text: string): Promise<{ editedAt: number }> {
    return sendEdit(chatRemoteId, messageRemoteId, text, this.sendContext())
  }

  /** spec §6.4: an edit with an empty body deletes the message for everyone (MSNP24). */
  async unsend(chatRemoteId: string, messageRemoteId: string): Promise<void> {
    await sendEdit(chatRemoteId, messageRemoteId, '', this.sendContext())
  }

  /** The live MSNP18 session's contact actions (issue 16 point 1); other dialects declare none. */
  private liveContacts(): LiveContacts {
    const { account } = this.live()
    const c = this.connection
    const session = c instanceof Msnp18Connection ? c.live : null
    const actions = c instanceof Msnp18Connection ? c.contactActions : null
    if (!session || !actions) throw new JunctionError('unsupported', 'Only a Messenger (MSNP18) account changes its contacts from Junction.')
    return { session, actions, book: account.book }
  }

  addContact(address: string): Promise<ContactInfo> {
    return addContact18(this.liveContacts(), address)
  }

  removeContact(remoteId: string): Promise<void> {
    return removeContact18(this.liveContacts(), remoteId)
  }

  setBlocked(remoteId: string, blocked: boolean): Promise<void> {
    return setBlocked18(this.liveContacts(), remoteId, blocked)
  }

  answerContactRequest(remoteId: string, accept: boolean): Promise<void> {
    return answerRequest18(this.liveContacts(), remoteId, accept)
  }

  /** MSNP has no read receipts Junction can send; reading stays local. */
  async markRead(): Promise<void> {}

  async setTyping(chatRemoteId: string, typing: boolean): Promise<void> {
    const { session } = this.live()
    await session.sendSignal(typingMessage(chatRemoteId, typing, session))
  }

  /** msnp18.md §9 E7: a nudge over the switchboard (ack `N`), shown in our own conversation too. */
  async nudge(chatRemoteId: string): Promise<void> {
    const { account, session } = this.live()
    if (session.dialect !== 'msnp18') throw new JunctionError('unsupported', 'Nudges are sent on Messenger (MSNP18) accounts only.')
    await session.sendMessaging({ to: chatRemoteId, messageType: 'Nudge', contentType: 'text/x-msnmsgr-datacast', body: '' })
    const self = account.auth.credentials.selfId
    account.emit({
      type: 'message',
      message: {
        chatRemoteId,
        remoteId: messageKey(self, undefined),
        senderId: self,
        fromMe: true,
        timestamp: this.now(),
        kind: 'system',
        text: 'You sent a nudge.'
      }
    })
  }

  /** A photo or file on demand, by the object its message named when it arrived or was sent (media.ts). */
  async fetchMedia(chatRemoteId: string, messageRemoteId: string): Promise<MediaBytes | MediaStream> {
    return this.media.fetch(this.account, chatRemoteId, messageRemoteId)
  }

  async logout(): Promise<void> {
    this.loggingOut = true
    await this.supervisor.stop()
    this.account = null
  }

  async close(): Promise<void> {
    await this.supervisor.stop()
  }
}

const SETTINGS_PROBLEM: Reason = { code: 'setup-required', params: { what: 'skype-settings' } }

export const skypeNetwork: NetworkDefinition = {
  id: 'skype',
  displayName: 'Skype',
  brand: { color: '#0a78d4', mark: 'S' },
  loginMethods: SKYPE_LOGIN_METHODS,
  loginMethodsFor: (context) => skypeLoginMethodsFor(context.config),
  capabilities: {
    typing: true,
    deliveryReceipts: false,
    readReceipts: false,
    // Photos and files through the AMS store (media.ts); capabilities() hides them on MSNP21 and MSNP18.
    receiveImages: true,
    sendImages: true,
    sendFiles: true,
    maxUploadBytes: MAX_UPLOAD_BYTES,
    stickers: false,
    emotes: true,
    edits: true,
    unsend: true,
    // actions-contract.md §1: quoted replies (MSNP24 puts them on the wire; Messenger sends the text alone).
    replies: true,
    groups: true,
    sealing: false,
    presence: true,
    // Messenger (MSNP18) accounts only; capabilities() narrows the other dialects.
    contactActions: true,
    nudges: true
  },
  settings: [],
  setupProblem: (context) => {
    const problem = configProblem(context.config)
    return problem === null ? null : { ...SETTINGS_PROBLEM, params: { ...SETTINGS_PROBLEM.params, detail: problem } }
  },
  create: (context) => new SkypeConnector(context)
}
