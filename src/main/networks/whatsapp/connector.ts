// WhatsApp: the NetworkDefinition and the Connector Core sees. WhatsApp speaks two protocols
// (the legacy WhatsApp Web protocol in legacy/, multi-device in md/); `WhatsAppConnector`
// passes every call to the protocol the login method chose, or, on a restore, the one the
// saved credentials name (`protocol`; credentials saved before there were two are legacy).
// Each protocol sees only its part of the settings (config.ts): flat keys legacy, `md` multi-device.

import type { NetworkCapabilities } from '../../../shared/api'
import { JunctionError } from '../../../shared/errors'
import type { FileDraft, OutgoingDraft } from '../../../shared/model'
import type {
  AvatarKind,
  ChatStateChange,
  Connector,
  ConnectorContext,
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
  SyncBatch
} from '../connector'
import { ConnectorEvents } from '../events'
import { contextFor, legacyConfigOf, mdConfigOf, whatsappConfigProblem } from './config'
import { LEGACY_PROTOCOL } from './legacy/credentials'
import { WhatsAppLegacyProtocol } from './legacy/protocol'
import { EDIT_WINDOW_MS } from './md/actions'
import { MD_PROTOCOL } from './md/credentials'
import { PHONE_CODE_METHOD } from './md/login/pairing-code'
import { MAX_UPLOAD_BYTES } from './md/media-client'
import { WhatsAppMdProtocol } from './md/protocol'

export type ProtocolFactory = (context: ConnectorContext) => Connector

/** Every protocol this build speaks, by the name saved in its credentials. */
export const PROTOCOLS: Readonly<Record<string, ProtocolFactory>> = {
  [MD_PROTOCOL]: (context) => new WhatsAppMdProtocol(contextFor(context, mdConfigOf(context.config))),
  [LEGACY_PROTOCOL]: (context) => new WhatsAppLegacyProtocol(contextFor(context, legacyConfigOf(context.config)))
}

/** The login methods' ids: multi-device QR is the default; the legacy protocol stays as a second method. */
export const MD_QR_METHOD = 'qr'
export { PHONE_CODE_METHOD }
export const LEGACY_QR_METHOD = 'legacy-qr'

/** Which protocol each login method signs in with. */
export const METHOD_PROTOCOLS: Readonly<Record<string, string>> = {
  [MD_QR_METHOD]: MD_PROTOCOL,
  [PHONE_CODE_METHOD]: MD_PROTOCOL,
  [LEGACY_QR_METHOD]: LEGACY_PROTOCOL
}

/** The protocol saved credentials belong to; those without a `protocol` field predate multi-device. */
export function protocolOf(credentials: Credentials, protocols: Readonly<Record<string, ProtocolFactory>> = PROTOCOLS): string {
  const named = credentials.protocol
  if (named === undefined) return LEGACY_PROTOCOL
  if (typeof named === 'string' && Object.hasOwn(protocols, named)) return named
  throw new JunctionError('auth-failed', 'The saved WhatsApp session names a protocol this build does not speak.', { reason: { code: 'credentials-damaged' } })
}

export class WhatsAppConnector implements Connector {
  readonly network = 'whatsapp' as const
  private readonly events: ConnectorEvents
  private active: { name: string; connector: Connector; off: () => void } | null = null

  constructor(
    private readonly context: ConnectorContext,
    private readonly protocols: Readonly<Record<string, ProtocolFactory>> = PROTOCOLS,
    private readonly methods: Readonly<Record<string, string>> = METHOD_PROTOCOLS
  ) {
    this.events = new ConnectorEvents((error) => context.log.error({ error }, 'whatsapp event listener failed'))
  }

  on(listener: ConnectorListener): () => void {
    return this.events.on(listener)
  }

  /** The protocol `name`, created on first use; switching protocols closes the previous one. */
  private use(name: string): Connector {
    if (this.active?.name === name) return this.active.connector
    const factory = Object.hasOwn(this.protocols, name) ? this.protocols[name] : undefined
    if (!factory) throw new JunctionError('unsupported', `This build does not speak the WhatsApp protocol "${name}".`)
    const previous = this.active
    if (previous) {
      previous.off()
      void previous.connector.close().catch((error: unknown) => this.context.log.warn({ error }, 'previous WhatsApp protocol did not close cleanly'))
    }
    const connector = factory(this.context)
    const off = connector.on((event) => this.events.emit(event))
    this.active = { name, connector, off }
    return connector
  }

  private current(): Connector {
    if (!this.active) throw new JunctionError('unavailable', 'WhatsApp is not connected right now.')
    return this.active.connector
  }

  async login(request: LoginRequest, io: LoginIO): Promise<LoginResult> {
    const name = Object.hasOwn(this.methods, request.methodId) ? this.methods[request.methodId] : undefined
    if (!name) throw new JunctionError('invalid-argument', `WhatsApp has no login method "${request.methodId}".`)
    return this.use(name).login(request, io)
  }

  async restore(credentials: Credentials, cursors: Cursors): Promise<void> {
    await this.use(protocolOf(credentials, this.protocols)).restore(credentials, cursors)
  }

  reconnectNow(): void {
    this.active?.connector.reconnectNow()
  }

  /** The network's capabilities as the protocol this account speaks narrows them (legacy: no reactions or edits; its own upload limit). */
  capabilities(): Partial<NetworkCapabilities> {
    const c = this.active?.connector
    if (!c) return {}
    // A protocol without media sending narrows the pictures and files away; each protocol then lays its own over them.
    return { ...(c.sendFile ? {} : { sendImages: false, sendFiles: false }), ...c.capabilities?.() }
  }

  async *sync(): AsyncIterable<SyncBatch> {
    yield* this.current().sync()
  }

  async history(chatRemoteId: string, before: { remoteId: string; timestamp: number } | null, limit: number): Promise<IncomingMessage[]> {
    return this.current().history(chatRemoteId, before, limit)
  }

  async send(chatRemoteId: string, clientId: string, draft: OutgoingDraft, options?: SendOptions): Promise<SendResult> {
    return this.current().send(chatRemoteId, clientId, draft, options)
  }

  /** Files go to the protocol that sends them (its capabilities say which); one that does not refuses with the typed reason. */
  async sendFile(chatRemoteId: string, clientId: string, draft: FileDraft, options?: SendOptions): Promise<SendResult> {
    const c = this.current()
    if (!c.sendFile)
      throw new JunctionError('unsupported', 'This WhatsApp protocol cannot send files from Junction.', {
        reason: { code: 'refused', params: { what: 'attachment-kind', kind: 'file' } }
      })
    return c.sendFile(chatRemoteId, clientId, draft, options)
  }

  async markRead(chatRemoteId: string, upToRemoteId: string | null): Promise<void> {
    return this.current().markRead(chatRemoteId, upToRemoteId)
  }

  /** spec whatsapp-md §9.6 (multi-device app state); the legacy protocol keeps chat state local. */
  async setChatState(chatRemoteId: string, change: ChatStateChange): Promise<void> {
    await this.current().setChatState?.(chatRemoteId, change)
  }

  /** The message actions (issue 12) exist on multi-device; the legacy protocol refuses them as unsupported. */
  private actions(): Required<Pick<Connector, 'react' | 'edit' | 'unsend'>> {
    const c = this.current()
    const refuse = (): never => {
      throw new JunctionError('unsupported', 'This WhatsApp protocol cannot do that; link the account with a QR code (multi-device).')
    }
    return {
      react: c.react ? c.react.bind(c) : refuse,
      edit: c.edit ? c.edit.bind(c) : refuse,
      unsend: c.unsend ? c.unsend.bind(c) : refuse
    }
  }

  async react(chatRemoteId: string, messageRemoteId: string, emoji: string | null): Promise<void> {
    return this.actions().react(chatRemoteId, messageRemoteId, emoji)
  }

  async edit(chatRemoteId: string, messageRemoteId: string, text: string): Promise<{ editedAt: number }> {
    return this.actions().edit(chatRemoteId, messageRemoteId, text)
  }

  async unsend(chatRemoteId: string, messageRemoteId: string): Promise<void> {
    return this.actions().unsend(chatRemoteId, messageRemoteId)
  }

  async setTyping(chatRemoteId: string, typing: boolean): Promise<void> {
    return this.current().setTyping(chatRemoteId, typing)
  }

  async fetchMedia(chatRemoteId: string, messageRemoteId: string): Promise<MediaBytes | MediaStream> {
    return this.current().fetchMedia(chatRemoteId, messageRemoteId)
  }

  /** Profile pictures (issue 12 §3): the legacy protocol's ProfilePicThumb; a protocol without them has none. */
  async fetchAvatar(kind: AvatarKind, remoteId: string): Promise<MediaBytes | null> {
    const c = this.current()
    return c.fetchAvatar ? c.fetchAvatar(kind, remoteId) : null
  }

  async logout(): Promise<void> {
    await this.active?.connector.logout()
  }

  async close(): Promise<void> {
    await this.active?.connector.close()
  }
}

export const whatsappNetwork: NetworkDefinition = {
  id: 'whatsapp',
  displayName: 'WhatsApp',
  brand: { color: '#1f9d55', mark: 'W' },
  loginMethods: [
    { id: MD_QR_METHOD, kind: 'qr', label: 'Link with a QR code' },
    // spec §5.6: no fields up front; the login's first step asks for the number (an `input` step), then shows the code.
    {
      id: PHONE_CODE_METHOD,
      kind: 'credentials',
      label: 'Link with a phone number',
      hint: 'WhatsApp shows a code to type on your phone instead of a QR code.'
    },
    { id: LEGACY_QR_METHOD, kind: 'qr', label: 'WhatsApp Web, legacy protocol' }
  ],
  capabilities: {
    typing: true,
    deliveryReceipts: true,
    readReceipts: true,
    receiveImages: true,
    // spec whatsapp-md §8.3 (multi-device; `capabilities()` narrows them for the legacy protocol).
    sendImages: true,
    sendFiles: true,
    maxUploadBytes: MAX_UPLOAD_BYTES,
    stickers: true,
    emotes: false,
    // spec whatsapp-md §7.8, §7.9 (multi-device; the legacy protocol sends quotes but refuses the rest).
    replies: true,
    reactions: true,
    edits: true,
    editWindowMs: EDIT_WINDOW_MS,
    unsend: true,
    forward: true,
    groups: true,
    sealing: false,
    // spec whatsapp-md §7.6: md sends and reads presence (md/presence.ts); the legacy protocol narrows it away.
    presence: true
  },
  settings: [],
  setupProblem: (context) => whatsappConfigProblem(context.config),
  create: (context) => new WhatsAppConnector(context)
}
