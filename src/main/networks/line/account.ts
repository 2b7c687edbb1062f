// A signed-in LINE account: the tokens kept fresh, Letter Sealing, OBS, the names and
// messages seen, and the handler that turns operations into events. The Connector holds one
// per login; its connections (connection.ts) come and go under the SessionSupervisor, which
// alone reports the account's status.

import { JunctionError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import type { ChatInfo, ContactInfo, IncomingMessage } from '../connector'
import type { ConnectorEvents } from '../events'
import { PictureBook, pictureToken } from './avatars'
import { rereadMessages, syncAll } from './bootstrap'
import type { LineConfig } from './config'
import { toCredentials, type LineCredentials } from './credentials'
import { isSessionDead, SESSION_EXPIRED } from './errors'
import type { GatewayClient } from './transport'
import type { LegacyClient } from './legacy-transport'
import { ObsClient } from './media'
import { MessageCache } from './message-cache'
import { toIncoming, type MapOptions } from './messages'
import { OperationHandler } from './inbound'
import type { OperationSink } from './operation-source'
import { LetterSealing, toTypeOf } from './sealing'
import type { TalkApi } from './session'
import { TokenKeeper } from './tokens'
import type { Chat, Contact, Message, Operation } from './wire'

export interface AccountDeps {
  config: LineConfig
  chromeVersion: string
  gateway: GatewayClient
  talk: TalkApi
  legacy: LegacyClient
  events: ConnectorEvents
  log: Logger
  /** The session is over (spec §1.3: 1/7/8, a refused token refresh): the supervisor ends it for a login. */
  onDead(error: JunctionError): void
}

/** Re-authenticating more often than this means the new token is refused too. */
const REAUTH_MIN_INTERVAL_MS = 30_000

export class LineAccount implements OperationSink {
  readonly sealing: LetterSealing
  readonly cache = new MessageCache()
  readonly obs: ObsClient
  readonly tokens: TokenKeeper
  readonly names = new Map<string, string>()
  /** Picture tokens by mid (line/avatars.ts), for fetchAvatar. */
  readonly pictures = new PictureBook()
  private handler: OperationHandler | null = null
  private stopped = false
  private lastReauth = 0
  displayName = ''

  constructor(
    private readonly d: AccountDeps,
    credentials: LineCredentials
  ) {
    this.tokens = new TokenKeeper(credentials, {
      gateway: d.gateway,
      log: d.log,
      refreshEarlySec: d.config.timing.refreshEarlySec,
      onRotated: (c) => d.events.emit({ type: 'credentials', credentials: toCredentials(c) }),
      onDead: (e) => this.dead(e)
    })
    d.gateway.refresher = () => this.tokens.refresh()
    d.legacy.onNextAccess = (token) => this.tokens.adopt(token)
    this.sealing = new LetterSealing(d.talk, credentials.mid, credentials.keychain, d.config.timing.peerKeyTtlMs, d.log)
    this.obs = new ObsClient(d.talk, {
      obsUrl: d.config.obsUrl,
      stickerUrl: d.config.stickerUrl,
      chromeVersion: d.chromeVersion,
      userAgent: d.config.userAgent,
      requestTimeoutMs: d.config.timing.requestTimeoutMs,
      log: d.log
    })
  }

  get selfMid(): string {
    return this.tokens.current.mid
  }

  get credentials(): LineCredentials {
    return this.tokens.current
  }

  get talk(): TalkApi {
    return this.d.talk
  }

  get config(): LineConfig {
    return this.d.config
  }

  get legacy(): LegacyClient {
    return this.d.legacy
  }

  get gateway(): GatewayClient {
    return this.d.gateway
  }

  get chromeVersion(): string {
    return this.d.chromeVersion
  }

  get log(): Logger {
    return this.d.log
  }

  /**
   * The first connection of a restore or the end of a login: refresh an overdue token, prove
   * the session with getProfile (capture 002 step 0 fails here), seed localRev (spec §7.1).
   */
  async prove(localRev: string | null): Promise<void> {
    // Once proven, later connections only reopen the operation source.
    if (this.handler) return
    if (this.tokens.due) await this.tokens.refresh()
    await this.refreshProfile()
    let rev = localRev
    if (rev === null || !/^-?\d+$/.test(rev)) {
      // spec §7.1: localRev is seeded from getLastOpRevision.
      rev = await this.d.talk.getLastOpRevision()
      this.d.events.emit({ type: 'cursor', name: 'localRev', value: rev })
    }
    this.handler = new OperationHandler(
      {
        selfMid: this.selfMid,
        events: this.d.events,
        cache: this.cache,
        log: this.d.log,
        mapMessage: (m, reqSeq) => this.mapMessage(m, reqSeq),
        refreshContact: (mid, blocked) => this.refreshContact(mid, blocked),
        refreshChat: (mid) => this.refreshChat(mid),
        refreshProfile: () => this.refreshProfile(),
        rereadMessage: (chat, id) => this.rereadLater(new Map([[chat, new Set([id])]]))
      },
      rev
    )
    if (!this.stopped) this.tokens.start()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.rereadTimer)
    this.tokens.stop()
    this.d.gateway.refresher = null
  }

  /** Runs a call and ends the session if LINE says it is over. */
  async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if (isSessionDead(error)) this.dead(error as JunctionError)
      throw error
    }
  }

  // ---- OperationSink --------------------------------------------------------------------

  localRev(): string {
    return this.handler!.localRev
  }

  apply(operations: Operation[]): Promise<void> {
    return this.handler!.apply(operations)
  }

  skipTo(revision: string): void {
    this.handler!.jumpTo(revision)
  }

  async resync(nextRevision: string | null): Promise<void> {
    const result = await syncAll(this)
    for (const contact of result.contacts) this.d.events.emit({ type: 'contact', contact })
    for (const chat of result.chats) this.d.events.emit({ type: 'chat', chat })
    for (const message of result.messages) this.d.events.emit({ type: 'message', message })
    if (nextRevision) this.handler!.jumpTo(nextRevision)
  }

  async reauthenticate(): Promise<boolean> {
    if (Date.now() - this.lastReauth < REAUTH_MIN_INTERVAL_MS) return false
    this.lastReauth = Date.now()
    try {
      await this.tokens.refresh()
      return true
    } catch (error) {
      return !isSessionDead(error)
    }
  }

  private rereadTimer: NodeJS.Timeout | undefined
  private readonly unread = new Map<string, Set<string>>()

  /** Messages by chat that could not be read just then (at the bootstrap, or in an operation): read again later, a few times (bootstrap.ts). */
  rereadLater(unread: ReadonlyMap<string, ReadonlySet<string>>, attempt = 0): void {
    if (this.stopped) return
    for (const [chat, ids] of unread) for (const id of ids) this.unread.set(chat, (this.unread.get(chat) ?? new Set()).add(id))
    const delays = this.d.config.timing.rereadDelaysMs
    if (attempt >= delays.length) {
      this.d.log.warn({ chats: this.unread.size }, 'gave up reading messages that still could not be read')
      this.unread.clear()
      return
    }
    clearTimeout(this.rereadTimer)
    this.rereadTimer = setTimeout(() => {
      const batch = new Map(this.unread)
      this.unread.clear()
      void this.guard(() => rereadMessages(this, batch, (message) => this.d.events.emit({ type: 'message', message }))).then(
        (left) => left.size > 0 && this.rereadLater(left, attempt + 1),
        (error: unknown) => this.d.log.warn({ error }, 'messages could not be read again')
      )
    }, delays[attempt])
    this.rereadTimer.unref?.()
  }

  dead(error: JunctionError): void {
    if (this.stopped) return
    this.d.log.warn({ error }, 'LINE session ended; a new login is needed')
    this.tokens.stop()
    this.d.onDead(error)
  }

  // ---- what operations need -------------------------------------------------------------

  /** Made once: new closures for every message showed in the ingest profile (issue 14). */
  private mapOptions?: MapOptions

  async mapMessage(m: Message, reqSeq?: number): Promise<IncomingMessage> {
    const options = (this.mapOptions ??= {
      selfMid: this.selfMid,
      sealing: this.sealing,
      clientIdFor: (seq) => this.cache.clientIdFor(seq),
      isUploading: (clientId) => this.cache.isUploading(clientId),
      senderName: (mid) => this.names.get(mid),
      onOpenFailed: (error, failed) => this.d.log.warn({ id: failed.id, error }, 'a sealed message could not be opened')
    })
    const { incoming, payload } = await toIncoming(m, reqSeq !== undefined ? { ...options, reqSeq } : options)
    this.cache.remember({ incoming, contentType: m.contentType ?? 0, metadata: m.contentMetadata ?? {}, payload })
    return incoming
  }

  contactInfo(c: Contact, blocked?: boolean): ContactInfo {
    const name = c.displayNameOverridden || c.displayName || c.mid
    this.names.set(c.mid, name)
    const info: ContactInfo = { remoteId: c.mid, name, avatar: this.pictures.note(c.mid, pictureToken(c)) }
    if (blocked !== undefined) info.blocked = blocked
    return info
  }

  async refreshContact(mid: string, blocked?: boolean): Promise<void> {
    const result = await this.d.talk.getContactsV2([mid])
    const contact = Object.hasOwn(result.contacts, mid) ? result.contacts[mid]?.contact : undefined
    if (contact) this.d.events.emit({ type: 'contact', contact: this.contactInfo(contact, blocked) })
  }

  async refreshChat(chatMid: string): Promise<void> {
    if (toTypeOf(chatMid) === 0) return this.refreshContact(chatMid)
    const [chat] = await this.d.talk.getChats([chatMid])
    if (chat) this.d.events.emit({ type: 'chat', chat: this.groupInfo(chat) })
  }

  /** A group as Core stores it; members come from `getChats(withMembers)`'s `groupExtra.memberMids`. */
  groupInfo(chat: Chat): ChatInfo {
    const info: ChatInfo = {
      remoteId: chat.chatMid,
      kind: 'group',
      title: chat.chatName || 'Group',
      muted: chat.notificationDisabled ?? false,
      avatar: this.pictures.note(chat.chatMid, pictureToken(chat))
    }
    const mids = chat.extra?.groupExtra?.memberMids
    if (mids) info.members = mids.map((mid) => (this.names.has(mid) ? { remoteId: mid, name: this.names.get(mid) } : { remoteId: mid }))
    return info
  }

  async refreshProfile(): Promise<void> {
    const profile = await this.d.talk.getProfile()
    if (profile.mid !== this.selfMid)
      throw new JunctionError('auth-failed', 'LINE answered for a different account. Log in again.', { reason: SESSION_EXPIRED })
    this.displayName = profile.displayName || profile.mid
    this.d.events.emit({ type: 'profile', displayName: this.displayName, avatar: this.pictures.note(profile.mid, pictureToken(profile)) })
  }
}
