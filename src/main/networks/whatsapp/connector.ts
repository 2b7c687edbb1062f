// WhatsApp: the NetworkDefinition and the Connector Core sees. WhatsApp speaks two protocols
// (the legacy WhatsApp Web protocol in legacy/, multi-device in md/); `WhatsAppConnector`
// passes every call to the protocol the login method chose, or, on a restore, the one the
// saved credentials name (`protocol`; credentials saved before there were two are legacy).

import { JunctionError } from '../../../shared/errors'
import type { OutgoingDraft } from '../../../shared/model'
import type {
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
  SendResult,
  SyncBatch
} from '../connector'
import { ConnectorEvents } from '../events'
import { configProblem } from './legacy/config'
import { LEGACY_PROTOCOL } from './legacy/credentials'
import { WhatsAppLegacyProtocol } from './legacy/protocol'

export type ProtocolFactory = (context: ConnectorContext) => Connector

/** Every protocol this build speaks, by the name saved in its credentials. */
export const PROTOCOLS: Readonly<Record<string, ProtocolFactory>> = {
  [LEGACY_PROTOCOL]: (context) => new WhatsAppLegacyProtocol(context)
}

/** Which protocol each login method signs in with. */
export const METHOD_PROTOCOLS: Readonly<Record<string, string>> = {
  qr: LEGACY_PROTOCOL
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

  async *sync(): AsyncIterable<SyncBatch> {
    yield* this.current().sync()
  }

  async history(chatRemoteId: string, before: { remoteId: string; timestamp: number } | null, limit: number): Promise<IncomingMessage[]> {
    return this.current().history(chatRemoteId, before, limit)
  }

  async send(chatRemoteId: string, clientId: string, draft: OutgoingDraft): Promise<SendResult> {
    return this.current().send(chatRemoteId, clientId, draft)
  }

  async markRead(chatRemoteId: string, upToRemoteId: string | null): Promise<void> {
    return this.current().markRead(chatRemoteId, upToRemoteId)
  }

  async setTyping(chatRemoteId: string, typing: boolean): Promise<void> {
    return this.current().setTyping(chatRemoteId, typing)
  }

  async fetchMedia(chatRemoteId: string, messageRemoteId: string): Promise<MediaBytes | MediaStream> {
    return this.current().fetchMedia(chatRemoteId, messageRemoteId)
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
  loginMethods: [{ id: 'qr', kind: 'qr', label: 'WhatsApp Web, legacy protocol' }],
  capabilities: {
    typing: true,
    deliveryReceipts: true,
    readReceipts: true,
    receiveImages: true,
    sendImages: false,
    stickers: true,
    emotes: false,
    edits: false,
    unsend: false,
    groups: true,
    sealing: false,
    presence: false
  },
  settings: [],
  setupProblem: (context) => configProblem(context.config),
  create: (context) => new WhatsAppConnector(context)
}
