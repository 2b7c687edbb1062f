// The MSNP24 session Skype 6.x spoke (spec §5): CNT → ATH → BND → PUT MSGR\CHALLENGE over
// TLS, the Registration cookie on every command (§5.4) with one exchange at a time
// (registration.ts), presence, contact list and subscriptions (§5.3), pushed SDG/NFY with
// ACK (§6.7), PNG keep-alive (§5.5), XFR redirects (§5.2) and OUT (§12.3).

import { JunctionError, ProtocolError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import { challengeResponse, MSNP24_PRODUCT } from '../crypto'
import { msnpCodeOf, msnpError, NOT_EXPECTED } from '../errors'
import { readMessaging, readPresence, readRecentConversations, readThreads } from '../msnp/read'
import type { MsnpCommand } from '../msnp/framing'
import { bareAddress, messagingPayload, publicationPayload } from '../msnp/messaging'
import { decodeText, formatBlocks, parseMultiMime, splitTopBlock, type HeaderList } from '../msnp/mime'
import {
  athXml,
  bindXml,
  braceGuid,
  challengeXml,
  connectXml,
  pingResponseWait,
  recentConversationsXml,
  skypeContactsXml,
  skypePresenceXml,
  subscriptionsXml
} from '../msnp/payloads'
import { openSession, SessionLifecycle, type MsnpSession, type SessionHandlers, type SessionMessage } from '../session'
import { errorReason, type MsnpSocket, type SocketTarget } from '../transport'
import { parseXml, text } from '../xml'
import { Registration } from './registration'

export interface Session24Options {
  target: SocketTarget
  log: Logger
  timeoutMs: number
  epid: string
  email: string
  skypeName: string
  displayName: string
  machineName: string
  /** The `service::ssl.live.com::MBI_SSL` access token (spec §5.1 ATH variant 1). */
  ticket(): Promise<string>
  /** spec §10.5: the UIC comes from SkyLogin, which Junction cannot run; servers that need none accept any. */
  uic: string
  contacts: string[]
  partners: string[]
  pingIntervalSec: number
  handlers: SessionHandlers
  signal?: AbortSignal
}

function command(name: string, trid: number | null, args: string[], payload: Uint8Array | null): MsnpCommand {
  return { name, trid, args, payload }
}

/** spec §5.2: `<xfr><target>host:port</target><state>…</state></xfr>`. */
export function readRedirect(payload: Uint8Array | null, current: SocketTarget): { target: SocketTarget; state: string | null } {
  const xml = payload ? decodeText(splitTopBlock(payload).rest).trim() : ''
  const doc = parseXml(xml, 'redirect')
  const target = text(doc, 'xfr', 'target') ?? ''
  const m = /^([A-Za-z0-9.-]{1,253}|\[[0-9a-f:]+\]):(\d{1,5})$/i.exec(target)
  if (!m || Number(m[2]) > 65535) throw new ProtocolError('The Skype server redirected to an address Junction cannot read.')
  const next: SocketTarget = { ...current, host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) }
  return { target: next, state: text(doc, 'xfr', 'state') ?? null }
}

export class Session24 extends SessionLifecycle implements MsnpSession {
  readonly dialect = 'msnp24' as const
  readonly selfAddress: string
  private readonly registration = new Registration()
  private lastMessageId: string | null = null
  private pingSeconds: number

  private constructor(
    socket: MsnpSocket,
    private readonly o: Session24Options
  ) {
    super(socket, o.handlers)
    this.selfAddress = `8:${o.skypeName}`
    this.pingSeconds = o.pingIntervalSec
  }

  static open(o: Session24Options): Promise<Session24> {
    return openSession<Session24, string | null>({
      target: o.target,
      log: o.log,
      timeoutMs: o.timeoutMs,
      signal: o.signal,
      server: 'The Skype server',
      firstHop: null,
      create: (socket) => new Session24(socket, o),
      handshake: async (session, state) => {
        const redirect = await session.handshake(state)
        return redirect && { target: redirect.target, hop: redirect.state }
      }
    })
  }

  private get from(): string {
    return `${this.selfAddress};epid=${braceGuid(this.o.epid)}`
  }

  /** Returns the redirect when the server sent one in place of a CNT or ATH reply. */
  private async handshake(state: string | null): Promise<{ target: SocketTarget; state: string | null } | null> {
    this.socket.onCommand = (c) => this.onPush(c)
    const connect = await this.request('CNT', 'CON', formatBlocks([[]], connectXml(state)))
    if (connect.name === 'XFR') return readRedirect(connect.payload, this.o.target)
    if (connect.name !== 'CNT') throw new ProtocolError('The Skype server did not answer CNT.')
    const ath = await this.authenticate()
    if (ath.name === 'XFR') return readRedirect(ath.payload, this.o.target)
    await this.bind()
    await this.publishPresence('NLN')
    if (this.o.contacts.length > 0) await this.updateContacts(this.o.contacts, true)
    await this.exchange('PUT', 'MSGR\\SUBSCRIPTIONS', () => formatBlocks([this.registration.top()], subscriptionsXml(this.o.partners)))
    return null
  }

  private async authenticate(): Promise<MsnpCommand> {
    const ticket = await this.o.ticket()
    const xml = athXml({ ticket, uic: this.o.uic, email: this.o.email, skypeName: this.o.skypeName })
    return this.request('ATH', 'CON\\USER', formatBlocks([this.registration.top()], xml))
  }

  /**
   * spec §5.1: BND registers this endpoint and is answered with the Registration cookie.
   * Sent again on a live session it renews the cookie, as re-registering the endpoint does
   * in the web API (§11.2, where BND's role is `POST …/endpoints`). It carries no cookie: it
   * is how one is obtained.
   */
  private async bind(): Promise<void> {
    const before = this.registration.current
    const bind = await this.request('BND', 'CON\\MSGR', formatBlocks([[]], bindXml(this.o.epid)))
    const nonce = text(parseXml(decodeText(splitTopBlock(bind.payload ?? new Uint8Array()).rest).trim(), 'BND reply'), 'msgr-response', 'nonce')
    if (this.registration.current === null || this.registration.current === before)
      throw new ProtocolError('The Skype server did not set a new Registration cookie.')
    if (nonce) {
      const answer = challengeXml(MSNP24_PRODUCT.id, challengeResponse(nonce, MSNP24_PRODUCT))
      await this.request('PUT', 'MSGR\\CHALLENGE', formatBlocks([this.registration.top()], answer))
    }
  }

  /** Inside a turn: a new cookie, or the session ends (a reconnect binds afresh) and the caller's command fails retryably. */
  private async renewRegistration(): Promise<void> {
    this.registration.stale = false
    try {
      await this.bind()
      this.o.log.info({}, 'registration renewed')
    } catch (error) {
      const e = new JunctionError('network', 'The Skype server did not renew the Registration.', {
        cause: error,
        reason: { code: 'protocol-error', params: { detail: 'MSNP 715' } }
      })
      this.end({ kind: 'dropped', error: e })
      throw new JunctionError('unavailable', 'The Skype connection is being renewed.', { cause: error })
    }
  }

  /**
   * One exchange in its turn (registration.ts), with the latest cookie. A 715 on it means the
   * cookie went stale (the server rotated it meanwhile): renew it and run the exchange once
   * more, rebuilt with the new cookie; a message keeps its Client-Message-ID, so a server that
   * did take the first copy drops the second (§6.4).
   */
  private inTurn<T>(exchange: () => Promise<T>): Promise<T> {
    return this.registration.inTurn(async () => {
      if (this.isEnded) throw new JunctionError('network', 'The Skype connection is closed.')
      if (this.registration.stale) await this.renewRegistration()
      try {
        return await exchange()
      } catch (error) {
        if (msnpCodeOf(error) !== NOT_EXPECTED || this.isEnded) throw error
        this.o.log.info({}, 'registration refused (715): renewing it and sending again')
        await this.renewRegistration()
        return await exchange()
      }
    })
  }

  private async request(name: string, typeId: string, payload: Uint8Array): Promise<MsnpCommand> {
    return this.registration.absorb(await this.socket.request((trid) => command(name, trid, [typeId], payload)))
  }

  /** A request with the cookie, in its turn; `payload` is built when the turn comes, so it carries the latest cookie. */
  private exchange(name: string, typeId: string, payload: () => Uint8Array): Promise<MsnpCommand> {
    return this.inTurn(() => this.request(name, typeId, payload()))
  }

  async publishPresence(status: string): Promise<void> {
    const xml = skypePresenceXml({
      status,
      epid: this.o.epid,
      displayName: this.o.displayName,
      skypeName: this.o.skypeName,
      mood: '',
      machineName: this.o.machineName
    })
    await this.exchange('PUT', 'MSGR\\PRESENCE', () =>
      publicationPayload({ top: this.registration.top(), to: this.selfAddress, from: this.from, uri: '/user', contentType: 'application/user+xml', body: xml })
    )
  }

  async updateContacts(addresses: string[], initial = false): Promise<void> {
    const names = addresses.filter((a) => a.startsWith('8:')).map((a) => a.slice(2))
    if (names.length === 0) return
    await this.exchange('PUT', 'MSGR\\CONTACTS', () => formatBlocks([this.registration.top()], skypeContactsXml(names, initial)))
  }

  async sendMessaging(message: SessionMessage): Promise<void> {
    await this.inTurn(() => this.sdgAcknowledged(message))
  }

  async sendSignal(message: SessionMessage): Promise<void> {
    await this.inTurn(async () => {
      // No reply to wait for: an error for it comes unsolicited, and a 715 marks the cookie stale (onError).
      this.socket.write(command('SDG', this.socket.nextTrid(), ['MSGR'], messagingPayload({ ...message, top: this.registration.top(), from: this.from })))
    })
  }

  /**
   * spec §7.2/§17: no success reply to SDG is documented. The server answers in order, so
   * once a PNG sent after it is answered (even with an error of its own), any error for the
   * SDG has arrived first: only then has this message been taken.
   */
  private async sdgAcknowledged(message: SessionMessage): Promise<void> {
    const payload = messagingPayload({ ...message, top: this.registration.top(), from: this.from })
    const trid = this.socket.nextTrid()
    const outcome = this.socket.expect(trid)
    outcome.catch(() => {})
    try {
      this.socket.write(command('SDG', trid, ['MSGR'], payload))
    } catch (error) {
      this.socket.fail(trid, error instanceof JunctionError ? error : new JunctionError('network', 'The Skype connection is closed.'))
      throw error
    }
    const barrier = this.ping()
    barrier.then(
      () => this.socket.settle(trid),
      // An error reply to the PNG is still a reply, so the SDG's fate is known; a timeout or a lost socket leaves it unknown.
      (error: unknown) => (msnpCodeOf(error) !== null ? this.socket.settle(trid) : this.socket.fail(trid, asNetworkError(error)))
    )
    const [sdg, png] = await Promise.allSettled([outcome, barrier])
    if (sdg.status === 'rejected') throw sdg.reason
    if (sdg.value) this.registration.absorb(sdg.value)
    if (png.status === 'rejected' && msnpCodeOf(png.reason) === NOT_EXPECTED) this.registration.stale = true
  }

  async recentConversations(startMs: number, pageSize: number): Promise<ReturnType<typeof readRecentConversations>> {
    const reply = await this.exchange('GET', 'MSGR\\RECENTCONVERSATIONS', () =>
      formatBlocks([this.registration.top()], recentConversationsXml(startMs, pageSize))
    )
    const xml = decodeText(splitTopBlock(reply.payload ?? new Uint8Array()).rest).trim()
    return xml ? readRecentConversations(xml) : { conversations: [], messages: [] }
  }

  async reauthenticate(): Promise<void> {
    await this.inTurn(() => this.authenticate())
  }

  protected writeOut(): void {
    this.socket.write(command('OUT', this.socket.nextTrid(), ['CON'], new Uint8Array(0)))
  }

  protected keepAlive(): Promise<void> {
    return this.inTurn(() => this.ping())
  }

  protected keepAliveIntervalMs(): number {
    return this.pingSeconds * 1000
  }

  /** spec §5.5: PNG with the cookie and the last message id; the reply's `<wait>` sets the next interval. Call in a turn. */
  private async ping(): Promise<void> {
    const top = this.registration.top(this.lastMessageId ? [['Last-Msg-Id', this.lastMessageId]] : [])
    const reply = await this.request('PNG', 'CON', top.length > 0 ? formatBlocks([top]) : new Uint8Array(0))
    const wait = pingResponseWait(decodeText(splitTopBlock(reply.payload ?? new Uint8Array()).rest))
    if (wait !== null && wait > 0) this.pingSeconds = Math.min(wait, 3600)
  }

  private onPush(c: MsnpCommand): void {
    this.registration.absorb(c)
    switch (c.name) {
      case 'SDG':
        return this.onSdg(c)
      case 'NFY':
        return this.onNfy(c)
      case 'OUT': {
        const reason = [...c.args, c.payload ? decodeText(c.payload) : ''].join(' ')
        if (/\bOTH\b/.test(reason)) return this.end({ kind: 'elsewhere' })
        return this.end({
          kind: 'dropped',
          error: new JunctionError('network', 'The Skype server ended the session.', { reason: { code: 'server-unavailable' } })
        })
      }
      case 'XFR': {
        const { target } = readRedirect(c.payload, this.o.target)
        return this.end({ kind: 'dropped', error: new JunctionError('network', 'The Skype server moved the session.'), redirect: target })
      }
      default:
        if (/^\d{3}$/.test(c.name)) return this.onError(c)
    }
  }

  private onError(c: MsnpCommand): void {
    const code = Number(c.name)
    if (code === 922) return this.o.handlers.onTicketExpired()
    if (code === 733) return this.end({ kind: 'elsewhere' })
    // An ACK or a typing signal was refused for its cookie: the next exchange renews it first.
    if (code === NOT_EXPECTED) {
      this.registration.stale = true
      return
    }
    this.o.log.warn({ code, reason: errorReason(c) }, 'unsolicited msnp24 error')
    // Authentication withdrawn or the server going down: the session is over; a reconnect decides what next.
    if (code === 911 || (code >= 600 && code < 700)) this.end({ kind: 'dropped', error: msnpError(code, errorReason(c)) })
  }

  private onSdg(c: MsnpCommand): void {
    if (!c.payload) return
    const ackId = splitTopBlock(c.payload).top.get('Ack-Id')
    try {
      const message = readMessaging(parseMultiMime(c.payload, true))
      if (message.messageId) this.lastMessageId = message.messageId
      this.o.handlers.onMessaging(message)
    } finally {
      // spec §6.5/§6.7: ACK whatever arrives, known, unknown or unreadable, or the server redelivers it forever.
      if (ackId && /^[\x21-\x7e]{1,64}$/.test(ackId)) this.acknowledge(ackId)
    }
  }

  /** spec §6.7: Miranda's form, the Ack-Id line then Registration; in its turn, so the cookie is the latest. */
  private acknowledge(ackId: string): void {
    this.inTurn(async () => {
      const top: HeaderList = [['Ack-Id', ackId], ...this.registration.top()]
      this.socket.write(command('ACK', this.socket.nextTrid(), ['MSGR'], formatBlocks([top])))
    }).catch((error: unknown) => this.o.log.debug({ error }, 'ACK not sent'))
  }

  private onNfy(c: MsnpCommand): void {
    if (!c.payload) return
    const kind = c.args[0] ?? ''
    if (kind === 'MSGR\\ABCH') return this.o.handlers.onAddressBookChanged()
    if (kind === 'MSGR\\THREAD') {
      const body = this.notificationBody(c.payload)
      return this.o.handlers.onThreads(readThreads(body))
    }
    if (kind !== 'MSGR\\PUT' && kind !== 'MSGR\\DEL') return
    const update = readPresence(parseMultiMime(c.payload, true), kind === 'MSGR\\DEL')
    if (!update) return
    // spec §12.3: our own endpoint removed by ourselves = signed out remotely; never reconnect.
    if (bareAddress(update.address) === this.selfAddress && update.endpointsGone.some((e) => braceGuid(e) === braceGuid(this.o.epid))) {
      return this.end({ kind: 'elsewhere' })
    }
    if (bareAddress(update.address) !== this.selfAddress) this.o.handlers.onPresence(update)
  }

  /** A notification's XML, whether it comes as a full multi-MIME document or bare after the top block. */
  private notificationBody(payload: Uint8Array): string {
    const rest = decodeText(splitTopBlock(payload).rest).trim()
    if (rest.startsWith('<')) return rest
    return decodeText(parseMultiMime(payload, true).body).trim()
  }
}

function asNetworkError(error: unknown): JunctionError {
  return error instanceof JunctionError ? error : new JunctionError('network', 'The Skype connection is closed.')
}
