// The Skype Connector: Microsoft-account sign-in in a browser (spec §10), or a Passport
// password for MSNP21 servers (§4.3), then the address book and one MSNP session kept up
// by SkypeClient. Sends put a Client-Message-ID derived from Junction's client id on the
// wire, so a retry is the same message to the server (§6.4).

import { JunctionError } from '../../../shared/errors'
import type { OutgoingDraft } from '../../../shared/model'
import type { Logger } from '../../base/log'
import type {
  Connector, ConnectorContext, ConnectorListener, Credentials, Cursors, IncomingMessage, LoginIO, LoginRequest, LoginResult, MediaBytes,
  NetworkDefinition, SendResult, SyncResult
} from '../connector'
import { ConnectorEvents } from '../events'
import { readCredentials, type SkypeCredentials } from './auth/credentials'
import { browserLogin, passportLogin } from './auth/login'
import { SkypeClient } from './client'
import { configProblem, parseSkypeConfig, SkypeConfigError, type SkypeConfig } from './config'
import { clientMessageIdFor } from './crypto'
import { isGroupAddress, SKYPE_SIGNAL_CONTENT_TYPE, TEXT_CONTENT_TYPE, WLM_FORMAT } from './msnp/messaging'
import { messageKey } from './translate'

const MAX_TEXT_BYTES = 28 * 1024

export class SkypeConnector implements Connector {
  readonly network = 'skype' as const
  private readonly events: ConnectorEvents
  private readonly log: Logger
  private readonly parsed: SkypeConfig | JunctionError
  private client: SkypeClient | null = null
  private closed = false

  constructor(
    context: ConnectorContext,
    private readonly now: () => number = Date.now
  ) {
    this.log = context.log
    try {
      this.parsed = parseSkypeConfig(context.config)
    } catch (error) {
      // A bad setting is reported by setupProblem; a Connector made anyway (restore) fails each call with it.
      this.parsed = new JunctionError('unsupported', error instanceof SkypeConfigError ? error.message : 'The Skype settings could not be read.')
    }
    this.events = new ConnectorEvents((error) => this.log.error({ error }, 'skype event listener failed'))
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
      if (msnp21) throw new JunctionError('unsupported', 'This Messenger (MSNP21) server needs your e-mail address and password, not the Microsoft sign-in page.')
      credentials = await browserLogin(this.config, io, this.log, this.now)
    } else if (request.methodId === 'passport') {
      if (!msnp21) throw new JunctionError('unsupported', 'Password sign-in is only for Messenger (MSNP21) servers. Use the Microsoft sign-in page.')
      credentials = await passportLogin(this.config, request.fields, io, this.now)
    } else {
      throw new JunctionError('invalid-argument', `Skype has no login method "${request.methodId}".`)
    }
    io.step({ kind: 'progress', stage: 'syncing' })
    await this.connect(credentials, {})
    return { selfId: credentials.selfId, displayName: credentials.displayName, credentials: { ...credentials } }
  }

  async restore(credentials: Credentials, cursors: Cursors): Promise<void> {
    void this.config // a bad setting is the first thing to report
    await this.connect(readCredentials(credentials), cursors)
  }

  private async connect(credentials: SkypeCredentials, cursors: Cursors): Promise<void> {
    if (this.closed) throw new JunctionError('cancelled', 'The connection was closed.')
    this.client?.close()
    const client = new SkypeClient({ config: this.config, log: this.log, credentials, cursors, emit: (e) => this.events.emit(e), now: this.now })
    this.client = client
    try {
      await client.start()
    } catch (error) {
      client.close()
      if (this.client === client) this.client = null
      throw error instanceof JunctionError ? error : new JunctionError('network', 'Could not connect to Skype.', { cause: error })
    }
  }

  private requireClient(): SkypeClient {
    if (!this.client) throw new JunctionError('unavailable', 'The Skype account is not connected right now.')
    return this.client
  }

  async sync(): Promise<SyncResult> {
    const client = this.requireClient()
    const contacts = client.book.contacts()
    const recent = await client.online.recentConversations(0, 100)
    const chats = new Map(client.knownChats().map((c) => [c.remoteId, c]))
    const messages: IncomingMessage[] = client.recentToIncoming(recent.messages)
    for (const conv of recent.conversations) {
      const remoteId = isGroupAddress(conv.id) ? conv.id : client.book.canonical(conv.id)
      const group = isGroupAddress(remoteId)
      const last = messages.filter((m) => m.chatRemoteId === remoteId).reduce((t, m) => Math.max(t, m.timestamp), 0)
      const title = group ? (conv.topic ?? chats.get(remoteId)?.title ?? 'Group conversation') : (client.book.nameOf(remoteId) ?? remoteId.replace(/^\d+:/, ''))
      chats.set(remoteId, { remoteId, kind: group ? 'group' : 'direct', title, ...(last > 0 ? { lastActivity: last } : {}) })
    }
    return { chats: [...chats.values()], contacts, messages }
  }

  /**
   * Older messages of a chat, from what `GET MSGR\RECENTCONVERSATIONS` holds (spec §5.3).
   * MESSAGESBYCONVERSATION would page further, but its shape was never captured; MSNP21
   * keeps no history at all (§9.1).
   */
  async history(chatRemoteId: string, before: { remoteId: string; timestamp: number } | null, limit: number): Promise<IncomingMessage[]> {
    const client = this.requireClient()
    const recent = await client.online.recentConversations(0, 100)
    return client
      .recentToIncoming(recent.messages)
      .filter((m) => m.chatRemoteId === chatRemoteId && (before === null || (m.timestamp < before.timestamp && m.remoteId !== before.remoteId)))
      .sort((a, b) => b.timestamp - a.timestamp)
      .slice(0, Math.max(0, limit))
  }

  async send(chatRemoteId: string, clientId: string, draft: OutgoingDraft): Promise<SendResult> {
    const client = this.requireClient()
    if (draft.kind === 'image') throw new JunctionError('unsupported', 'Junction cannot send pictures over Skype yet.')
    if (draft.text.length === 0) throw new JunctionError('invalid-argument', 'The message is empty.')
    const session = client.online
    const cmid = clientMessageIdFor(clientId)
    const name = client.auth.credentials.displayName
    // spec §6.6: a /me goes out as "<name> <text>" with the offset len(name)+1, in UTF-16 code units.
    const body = draft.kind === 'emote' ? `${name} ${draft.text}` : draft.text
    if (Buffer.byteLength(body, 'utf8') > MAX_TEXT_BYTES) throw new JunctionError('rejected', 'The message is too long for Skype.')
    client.rememberSent(cmid, clientId)
    const msnp21 = session.dialect === 'msnp21'
    const presence = client.book.get(chatRemoteId)?.presence
    await session.sendMessaging({
      to: chatRemoteId,
      // spec §6.2: WLM marks a message to an offline contact IM/Offline so the server stores it.
      ...(msnp21 && !isGroupAddress(chatRemoteId) ? { serviceChannel: presence === 'offline' ? 'IM/Offline' : 'IM/Online' } : {}),
      clientMessageId: cmid,
      messageType: 'Text',
      displayName: name,
      ...(draft.kind === 'emote' ? { emoteOffset: name.length + 1 } : {}),
      contentType: TEXT_CONTENT_TYPE,
      body,
      ...(msnp21 ? { format: WLM_FORMAT } : {})
    })
    return { remoteId: messageKey(session.selfAddress, cmid), timestamp: this.now(), status: 'sent' }
  }

  /** MSNP has no read receipts Junction can send; reading stays local. */
  async markRead(): Promise<void> {}

  async setTyping(chatRemoteId: string, typing: boolean): Promise<void> {
    const session = this.requireClient().online
    await session.sendMessaging({
      to: chatRemoteId,
      // spec §6.5: Control/ClearTyping when the person stops (MSNP24).
      messageType: typing ? 'Control/Typing' : 'Control/ClearTyping',
      contentType: session.dialect === 'msnp24' ? SKYPE_SIGNAL_CONTENT_TYPE : TEXT_CONTENT_TYPE,
      body: ''
    })
  }

  async fetchMedia(): Promise<MediaBytes> {
    throw new JunctionError('unsupported', 'Junction cannot download Skype media yet.')
  }

  async logout(): Promise<void> {
    const client = this.client
    this.client = null
    this.closed = true
    await client?.logout()
  }

  async close(): Promise<void> {
    this.closed = true
    this.client?.close()
    this.client = null
  }
}

export const skypeNetwork: NetworkDefinition = {
  id: 'skype',
  displayName: 'Skype',
  loginMethods: [
    { id: 'browser', kind: 'browser' },
    { id: 'passport', kind: 'credentials', fields: [{ name: 'email', kind: 'email' }, { name: 'password', kind: 'password' }] }
  ],
  capabilities: {
    typing: true,
    deliveryReceipts: false,
    readReceipts: false,
    receiveImages: false,
    sendImages: false,
    stickers: false,
    emotes: true,
    edits: true,
    unsend: true,
    groups: true,
    sealing: false,
    presence: true
  },
  setupProblem: (context) => configProblem(context.config),
  create: (context) => new SkypeConnector(context)
}
