// WhatsApp multi-device as a Connector (spec whatsapp-md.md). Layers: transport (websocket,
// framing, Noise) → session (iqs, stream errors, keep-alive) → login (QR, pair-success) and
// inbound/outbound (Signal through libsignal, state in the KeyStore). The SessionSupervisor
// keeps the session up: one `connectOnce` is one login connection; 515 reconnects, logged out
// needs a login, `replaced` goes offline without a reconnect loop, 405 says the client is outdated.

import { JunctionError } from '../../../../shared/errors'
import type { OutgoingDraft } from '../../../../shared/model'
import type { Logger } from '../../../base/log'
import type {
  Connector,
  ConnectorContext,
  ConnectorListener,
  Credentials,
  Cursors,
  IncomingMessage,
  KeyStore,
  LoginIO,
  LoginRequest,
  LoginResult,
  MediaBytes,
  SendResult,
  SyncBatch
} from '../../connector'
import { ConnectorEvents } from '../../events'
import { SessionSupervisor, type SupervisedSession } from '../../supervisor'
import { userJidOf, type BinaryNode } from './binary'
import { parseWhatsAppMdConfig, type WhatsAppMdConfig } from './config'
import { createCredentials, parseCredentials, toSaved, type MdCredentials } from './credentials'
import { classify, failureError, RestartRequired, streamError } from './errors'
import { Inbound } from './inbound'
import { buildLoginPayload, buildRegistrationPayload, encodeDeviceProps } from './login/payload'
import { pairByQr } from './login/qr'
import { Outbound } from './outbound'
import { MdSession } from './session'
import { ensurePreKeys, uploadPreKeys, PREKEY_LOW, PREKEY_REFILL } from './signal/prekeys'
import { NS, SignalStore } from './signal/store'
import { node, S_WHATSAPP_NET } from './stanza'
import { openTransport } from './transport'

/** spec §5.2: after this many QR codes without a scan, the login gives up. */
const MAX_QR_CODES = 18
const ACK_TIMEOUT_MS = 20_000

interface Live {
  session: MdSession
  inbound: Inbound
  acks: Map<string, (ack: BinaryNode) => void>
}

export class WhatsAppMdProtocol implements Connector {
  readonly network = 'whatsapp' as const
  private readonly config: WhatsAppMdConfig
  private readonly log: Logger
  private readonly keyStore: KeyStore
  private readonly events: ConnectorEvents
  private readonly supervisor: SessionSupervisor
  private readonly store: SignalStore
  private readonly outbound: Outbound
  private creds: MdCredentials | null = null
  private live: Live | null = null

  constructor(context: ConnectorContext) {
    this.config = parseWhatsAppMdConfig(context.config)
    this.log = context.log
    this.keyStore = context.keyStore
    this.events = new ConnectorEvents((error) => this.log.error({ error }, 'whatsapp event listener failed'))
    this.store = new SignalStore(context.keyStore, () => this.requireCreds())
    this.outbound = new Outbound(this.store, () => this.requireCreds())
    this.supervisor = new SessionSupervisor(
      { connectOnce: (signal) => this.connectOnce(signal), classify },
      {
        emitStatus: (status) => this.events.emit({ type: 'status', status }),
        log: this.log,
        backoff: { baseMs: this.config.reconnectBaseMs, maxMs: 60_000, jitter: 0.3 },
        connectivity: context.connectivity
      }
    )
  }

  on(listener: ConnectorListener): () => void {
    return this.events.on(listener)
  }

  private requireCreds(): MdCredentials {
    if (!this.creds) throw new JunctionError('auth-failed', 'There is no saved WhatsApp session.', { reason: { code: 'no-credentials' } })
    return this.creds
  }

  private async open(payload: Uint8Array, creds: MdCredentials, signal?: AbortSignal): Promise<MdSession> {
    const c = this.config
    const transport = await openTransport({
      url: c.wsUrl,
      origin: c.origin,
      trust: { rootPublicKey: c.noiseRootPublicKey, now: c.nowSeconds },
      noiseKey: creds.noiseKey,
      clientPayload: payload,
      ...(creds.routingInfo ? { routingInfo: creds.routingInfo } : {}),
      handshakeTimeoutMs: c.handshakeTimeoutMs,
      ...(signal ? { signal } : {}),
      log: this.log
    })
    return new MdSession(transport, { requestTimeoutMs: c.requestTimeoutMs, keepAliveMinMs: c.keepAliveMinMs, keepAliveMaxMs: c.keepAliveMaxMs, log: this.log })
  }

  /** spec §5: QR pairing (refs renewed across connections), pair-success, the 515 restart, then a login. */
  async login(_request: LoginRequest, io: LoginIO): Promise<LoginResult> {
    io.step({ kind: 'progress', stage: 'connecting' })
    const fresh = createCredentials()
    const c = this.config
    const registration = buildRegistrationPayload(
      c.version,
      {
        registrationId: fresh.registrationId,
        identityPublic: fresh.identityKey.public,
        signedPreKey: { id: fresh.signedPreKey.id, public: fresh.signedPreKey.keyPair.public, signature: fresh.signedPreKey.signature }
      },
      encodeDeviceProps(c.deviceName, c.devicePlatformType)
    )
    const progress = { shown: 0, max: MAX_QR_CODES }
    let paired: MdCredentials | null = null
    while (!paired) {
      if (io.signal.aborted) throw new JunctionError('cancelled', 'The login was cancelled.')
      if (progress.shown >= progress.max) throw new JunctionError('timeout', 'No phone scanned the QR code in time.', { reason: { code: 'timeout' } })
      const session = await this.open(registration, fresh, io.signal)
      io.step({ kind: 'progress', stage: 'waiting-for-scan' })
      try {
        paired = await pairByQr(session, fresh, io, { firstQrMs: c.firstQrMs, nextQrMs: c.nextQrMs, platform: c.qrPlatform }, progress)
      } catch (error) {
        session.end(undefined)
        throw error
      }
      if (!paired) {
        session.end(undefined)
        await session.ended
        continue
      }
      // spec §5.5: the server answers the pairing with 515; credentials are kept before reconnecting.
      const why = await Promise.race([session.ended, new Promise((r) => setTimeout(r, c.requestTimeoutMs, 'timeout'))])
      if (!(why instanceof RestartRequired)) this.log.warn({ why: why instanceof Error ? why.message : String(why) }, 'pairing ended without 515')
      session.end(undefined)
    }
    this.creds = paired
    io.step({ kind: 'progress', stage: 'syncing' })
    const live = await this.connectOnce(io.signal)
    this.supervisor.adopt(live)
    const me = paired.me!
    return { selfId: userJidOf(me.jid), displayName: me.name ?? `+${userJidOf(me.jid).split('@')[0]}`, credentials: toSaved(paired) }
  }

  async restore(credentials: Credentials, _cursors: Cursors): Promise<void> {
    this.creds = parseCredentials(credentials)
    if (!this.creds.me) throw new JunctionError('auth-failed', 'The saved WhatsApp session was never paired.', { reason: { code: 'no-credentials' } })
    await this.supervisor.start()
  }

  reconnectNow(): void {
    this.supervisor.reconnectNow()
  }

  /** One login connection (spec §4.1, §4.4, §4.7). */
  private async connectOnce(signal: AbortSignal): Promise<SupervisedSession> {
    const creds = this.requireCreds()
    const jid = creds.me?.jid ?? ''
    const [user = '', device = '0'] = jid.split('@')[0]!.split(':')
    const session = await this.open(buildLoginPayload(this.config.version, user, Number(device)), creds, signal)
    // Stanzas right behind the login answer (the offline queue) wait for the inbound handler.
    const early: BinaryNode[] = []
    const first = await new Promise<BinaryNode>((resolve, reject) => {
      let answered = false
      session.onStanza((n) => {
        if (answered) return void early.push(n)
        answered = true
        resolve(n)
      })
      void session.ended.then((why) => reject(why ?? new JunctionError('network', 'WhatsApp closed the connection before the login answer.')))
    }).catch((error: unknown) => {
      session.end(undefined)
      throw error
    })
    if (first.tag === 'failure') {
      session.end(undefined)
      throw failureError(first)
    }
    if (first.tag === 'stream:error') {
      session.end(undefined)
      throw streamError(first)
    }
    if (first.tag !== 'success') {
      session.end(undefined)
      throw new JunctionError('protocol', `WhatsApp answered the login with <${first.tag}>.`)
    }
    if (first.attrs.lid && creds.me && creds.me.lid !== first.attrs.lid) {
      this.creds = { ...creds, me: { ...creds.me, lid: first.attrs.lid } }
      this.events.emit({ type: 'credentials', credentials: toSaved(this.creds) })
    }
    const live: Live = { session, acks: new Map(), inbound: null as unknown as Inbound }
    live.inbound = new Inbound({
      session,
      store: this.store,
      creds: () => this.requireCreds(),
      emit: (event) => this.events.emit(event),
      log: this.log,
      onMessageAck: (ack) => live.acks.get(ack.attrs.id ?? '')?.(ack),
      onPreKeyLow: (count) => {
        if (count < PREKEY_LOW)
          void uploadPreKeys(session, this.store, this.requireCreds(), PREKEY_REFILL).catch((error: unknown) =>
            this.log.warn({ error }, 'pre-key refill failed')
          )
      },
      onOffline: () => this.log.debug({}, 'offline queue delivered')
    })
    session.onStanza((n) => live.inbound.handle(n))
    for (const n of early.splice(0)) live.inbound.handle(n)
    this.live = live
    void session.ended.then(() => {
      if (this.live === live) this.live = null
    })
    try {
      await ensurePreKeys(session, this.store, creds, this.config.initialPreKeys)
      await session.query(node('iq', { to: S_WHATSAPP_NET, xmlns: 'passive', type: 'set' }, [node('active')]))
    } catch (error) {
      session.end(undefined)
      throw error
    }
    session.startKeepAlive()
    return { ended: session.ended, close: () => session.end(undefined) }
  }

  async *sync(): AsyncIterable<SyncBatch> {
    // History sync and app state (spec §9, §10) are not implemented yet: nothing to list.
    yield { chats: [], contacts: [], messages: [], progress: 1 }
  }

  async history(): Promise<IncomingMessage[]> {
    return []
  }

  private requireLive(): Live {
    if (!this.live) throw new JunctionError('unavailable', 'WhatsApp is not connected right now.')
    return this.live
  }

  async send(chatRemoteId: string, clientId: string, draft: OutgoingDraft): Promise<SendResult> {
    if (draft.kind === 'image') throw new JunctionError('unsupported', 'Sending images over WhatsApp multi-device is not supported yet.')
    const live = this.requireLive()
    const id = Outbound.messageId(clientId)
    const stanza = await this.outbound.buildDirect(live.session, chatRemoteId, id, { conversation: draft.text })
    const ack = await new Promise<BinaryNode>((resolve, reject) => {
      const timer = setTimeout(() => {
        live.acks.delete(id)
        reject(new JunctionError('timeout', 'WhatsApp did not confirm the message.'))
      }, ACK_TIMEOUT_MS)
      live.acks.set(id, (a) => {
        clearTimeout(timer)
        live.acks.delete(id)
        resolve(a)
      })
      try {
        live.session.send(stanza)
      } catch (error) {
        clearTimeout(timer)
        live.acks.delete(id)
        reject(error)
      }
    })
    if (ack.attrs.error)
      throw new JunctionError('rejected', `WhatsApp did not deliver the message (${ack.attrs.error}).`, {
        detail: ack.attrs.error,
        reason: { code: 'refused', params: { detail: ack.attrs.error } }
      })
    if (ack.attrs.phash) this.outbound.forgetDevices()
    return { remoteId: id, timestamp: Number(ack.attrs.t ?? Math.floor(Date.now() / 1000)) * 1000, status: 'sent' }
  }

  async markRead(chatRemoteId: string, upToRemoteId: string | null): Promise<void> {
    if (!upToRemoteId) return
    this.requireLive().session.send(node('receipt', { id: upToRemoteId, to: chatRemoteId, type: 'read', t: String(Math.floor(Date.now() / 1000)) }))
  }

  async setTyping(chatRemoteId: string, typing: boolean): Promise<void> {
    this.requireLive().session.send(node('chatstate', { to: chatRemoteId }, [node(typing ? 'composing' : 'paused')]))
  }

  async fetchMedia(): Promise<MediaBytes> {
    throw new JunctionError('unsupported', 'WhatsApp multi-device media is not supported yet.')
  }

  /** spec §4.10: remove this companion, close, delete the Signal state. */
  async logout(): Promise<void> {
    const live = this.live
    const me = this.creds?.me?.jid
    if (live && me) {
      await live.session
        .query(node('iq', { to: S_WHATSAPP_NET, type: 'set', xmlns: 'md' }, [node('remove-companion-device', { jid: me, reason: 'user_initiated' })]))
        .catch((error: unknown) => this.log.warn({ error }, 'logout request failed'))
    }
    await this.supervisor.stop()
    const writes = Object.values(NS).flatMap((namespace) => this.keyStore.list(namespace).map(([key]) => ({ namespace, key, value: null })))
    this.keyStore.commit(writes)
    this.creds = null
  }

  async close(): Promise<void> {
    await this.supervisor.stop()
  }
}
