// The MSNP24 session Skype 6.x spoke (spec §5): CNT → ATH → BND → PUT MSGR\CHALLENGE over
// TLS, the Registration cookie on every command (§5.4), presence, contact list and
// subscriptions (§5.3), pushed SDG/NFY with ACK (§6.7), PNG keep-alive (§5.5), XFR
// redirects (§5.2) and OUT (§12.3).

import { JunctionError, ProtocolError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import { challengeResponse, MSNP24_PRODUCT } from './crypto'
import { msnpError } from './errors'
import { readMessaging, readPresence, readRecentConversations, readThreads } from './inbound'
import type { MsnpCommand } from './msnp/framing'
import { bareAddress, messagingPayload, publicationPayload } from './msnp/messaging'
import { decodeText, formatBlocks, parseMultiMime, splitTopBlock, type HeaderList } from './msnp/mime'
import {
  athXml, bindXml, braceGuid, challengeXml, connectXml, pingResponseWait, recentConversationsXml, skypeContactsXml, skypePresenceXml, subscriptionsXml
} from './msnp/payloads'
import { openFollowingRedirects } from './redirects'
import { MsnpSocket, errorReason, type SocketTarget } from './socket'
import type { MsnpSession, SessionEnd, SessionHandlers, SessionMessage } from './types'
import { parseXml, text } from './xml'

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

export class Session24 implements MsnpSession {
  readonly dialect = 'msnp24' as const
  readonly selfAddress: string
  private registration: string | null = null
  private lastMessageId: string | null = null
  private pingTimer: NodeJS.Timeout | null = null
  private pingSeconds: number
  private ended = false

  private constructor(
    private socket: MsnpSocket,
    private readonly o: Session24Options
  ) {
    this.selfAddress = `8:${o.skypeName}`
    this.pingSeconds = o.pingIntervalSec
  }

  static open(o: Session24Options): Promise<Session24> {
    return openFollowingRedirects<Session24, string | null>({
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
      },
      start: (session) => session.start(),
      end: (session) => {
        session.ended = true
      }
    })
  }

  /** Returns the redirect when the server sent one in place of a CNT or ATH reply. */
  private async handshake(state: string | null): Promise<{ target: SocketTarget; state: string | null } | null> {
    this.socket.onCommand = (c) => this.onPush(c)
    const connect = await this.request('CNT', 'CON', formatBlocks([[]], connectXml(state)))
    if (connect.name === 'XFR') return readRedirect(connect.payload, this.o.target)
    if (connect.name !== 'CNT') throw new ProtocolError('The Skype server did not answer CNT.')
    const ath = await this.authenticate()
    if (ath.name === 'XFR') return readRedirect(ath.payload, this.o.target)
    const bind = await this.request('BND', 'CON\\MSGR', formatBlocks([[]], bindXml(this.o.epid)))
    const nonce = text(parseXml(decodeText(splitTopBlock(bind.payload ?? new Uint8Array()).rest).trim(), 'BND reply'), 'msgr-response', 'nonce')
    if (!this.registration) throw new ProtocolError('The Skype server did not set a Registration cookie.')
    if (nonce) {
      const answer = challengeXml(MSNP24_PRODUCT.id, challengeResponse(nonce, MSNP24_PRODUCT))
      await this.request('PUT', 'MSGR\\CHALLENGE', formatBlocks([this.top()], answer))
    }
    await this.publishPresence('NLN')
    if (this.o.contacts.length > 0) await this.updateContacts(this.o.contacts, true)
    await this.request('PUT', 'MSGR\\SUBSCRIPTIONS', formatBlocks([this.top()], subscriptionsXml(this.o.partners)))
    return null
  }

  private async authenticate(): Promise<MsnpCommand> {
    const ticket = await this.o.ticket()
    const xml = athXml({ ticket, uic: this.o.uic, email: this.o.email, skypeName: this.o.skypeName })
    return this.request('ATH', 'CON\\USER', formatBlocks([this.registration ? this.top() : []], xml))
  }

  private start(): void {
    this.socket.onClose = (error) => this.end(error ? { kind: 'dropped', error } : { kind: 'closed' })
    if (this.socket.isClosed) return this.end({ kind: 'dropped', error: new JunctionError('network', 'The Skype server closed the connection.') })
    this.schedulePing()
  }

  private top(extra: HeaderList = []): HeaderList {
    return this.registration ? [['Registration', this.registration], ...extra] : extra
  }

  /** spec §5.4: any reply may rotate the cookie; keep the latest. */
  private absorb(reply: MsnpCommand): MsnpCommand {
    if (reply.payload && reply.payload.length > 0 && /^(CON|MSGR)/.test(reply.args[0] ?? '')) {
      const cookie = splitTopBlock(reply.payload).top.get('Set-Registration')
      if (cookie && /^[\x21-\x7e]{1,8192}$/.test(cookie)) this.registration = cookie
    }
    return reply
  }

  private async request(name: string, typeId: string, payload: Uint8Array): Promise<MsnpCommand> {
    return this.absorb(await this.socket.request((trid) => command(name, trid, [typeId], payload)))
  }

  async publishPresence(status: string): Promise<void> {
    const xml = skypePresenceXml({ status, epid: this.o.epid, displayName: this.o.displayName, skypeName: this.o.skypeName, mood: '', machineName: this.o.machineName })
    const payload = publicationPayload({
      top: this.top(),
      to: this.selfAddress,
      from: `${this.selfAddress};epid=${braceGuid(this.o.epid)}`,
      uri: '/user',
      contentType: 'application/user+xml',
      body: xml
    })
    await this.request('PUT', 'MSGR\\PRESENCE', payload)
  }

  async updateContacts(addresses: string[], initial = false): Promise<void> {
    const names = addresses.filter((a) => a.startsWith('8:')).map((a) => a.slice(2))
    if (names.length === 0) return
    await this.request('PUT', 'MSGR\\CONTACTS', formatBlocks([this.top()], skypeContactsXml(names, initial)))
  }

  async sendMessaging(message: SessionMessage): Promise<void> {
    const payload = messagingPayload({ ...message, top: this.top(), from: `${this.selfAddress};epid=${braceGuid(this.o.epid)}` })
    const trid = this.socket.nextTrid()
    const outcome = this.socket.expect(trid)
    this.socket.write(command('SDG', trid, ['MSGR'], payload))
    // spec §17: no success reply to SDG is documented. The server answers commands in order,
    // so once a PNG sent after it is answered, any error for the SDG has arrived first.
    this.ping().then(
      () => this.socket.settle(trid),
      () => {}
    )
    const reply = await outcome
    if (reply) this.absorb(reply)
  }

  async recentConversations(startMs: number, pageSize: number): Promise<ReturnType<typeof readRecentConversations>> {
    const reply = await this.request('GET', 'MSGR\\RECENTCONVERSATIONS', formatBlocks([this.top()], recentConversationsXml(startMs, pageSize)))
    const xml = decodeText(splitTopBlock(reply.payload ?? new Uint8Array()).rest).trim()
    return xml ? readRecentConversations(xml) : { conversations: [], messages: [] }
  }

  async reauthenticate(): Promise<void> {
    await this.authenticate()
  }

  async logout(): Promise<void> {
    if (this.ended || this.socket.isClosed) return
    try {
      this.socket.write(command('OUT', this.socket.nextTrid(), ['CON'], new Uint8Array(0)))
    } finally {
      this.close()
    }
  }

  close(): void {
    this.end({ kind: 'closed' })
  }

  private end(end: SessionEnd): void {
    if (this.ended) return
    this.ended = true
    if (this.pingTimer) clearTimeout(this.pingTimer)
    this.socket.close()
    this.o.handlers.onEnded(end)
  }

  /** spec §5.5: PNG with the cookie and the last message id; the reply's `<wait>` sets the next interval. */
  private async ping(): Promise<void> {
    const extra: HeaderList = this.lastMessageId ? [['Last-Msg-Id', this.lastMessageId]] : []
    const top = this.top(extra)
    const reply = await this.request('PNG', 'CON', top.length > 0 ? formatBlocks([top]) : new Uint8Array(0))
    const wait = pingResponseWait(decodeText(splitTopBlock(reply.payload ?? new Uint8Array()).rest))
    if (wait !== null && wait > 0) this.pingSeconds = Math.min(wait, 3600)
  }

  private schedulePing(): void {
    if (this.ended) return
    this.pingTimer = setTimeout(() => {
      this.ping().then(
        () => this.schedulePing(),
        (error: unknown) => {
          // A keep-alive that goes unanswered means the connection is gone (spec §12.4).
          if (!this.ended) this.end({ kind: 'dropped', error: error instanceof JunctionError ? error : new JunctionError('network', 'The Skype connection stopped answering.') })
        }
      )
    }, this.pingSeconds * 1000)
  }

  private onPush(c: MsnpCommand): void {
    this.absorb(c)
    switch (c.name) {
      case 'SDG':
        return this.onSdg(c)
      case 'NFY':
        return this.onNfy(c)
      case 'OUT': {
        const reason = [...c.args, c.payload ? decodeText(c.payload) : ''].join(' ')
        if (/\bOTH\b/.test(reason)) return this.end({ kind: 'elsewhere' })
        return this.end({ kind: 'dropped', error: new JunctionError('network', 'The Skype server ended the session.') })
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
      if (ackId && /^[\x21-\x7e]{1,64}$/.test(ackId) && !this.socket.isClosed) {
        const top: HeaderList = [['Ack-Id', ackId], ...(this.registration ? ([['Registration', this.registration]] as HeaderList) : [])]
        this.socket.write(command('ACK', this.socket.nextTrid(), ['MSGR'], formatBlocks([top])))
      }
    }
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
