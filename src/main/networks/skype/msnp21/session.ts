// The MSNP21 session (WLM 2011, and the servers that still run today such as Escargot;
// spec §4): VER → CVR → USR SSO with the Passport ticket and MBI blob, XFR redirects with
// the hop blob, CHL/QRY, ADL, presence PUT, SDG/NFY pushes, PNG/QNG keep-alive, OUT.

import { JunctionError, ProtocolError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import { challengeResponse, mbiResponse, MSNP21_PRODUCT } from '../crypto'
import { msnpError } from '../errors'
import { presenceOf, readMessaging, readPresence } from '../msnp/read'
import type { MsnpCommand } from '../msnp/framing'
import { bareAddress, isGroupAddress, messagingPayload, publicationPayload } from '../msnp/messaging'
import { parseMultiMime } from '../msnp/mime'
import { adlChunks, adlXml, braceGuid, messengerPresenceXml } from '../msnp/payloads'
import { openSession, QngPings, SessionLifecycle, type MsnpSession, type SessionHandlers, type SessionMessage } from '../session'
import { errorReason, type MsnpSocket, type SocketTarget } from '../transport'

export interface Session21Options {
  target: SocketTarget
  log: Logger
  timeoutMs: number
  epid: string
  /** The Microsoft account (`alice@hotmail.co.uk`). */
  account: string
  displayName: string
  machineName: string
  /** spec §4.3: the messengerclear.live.com ticket and its proof key. */
  passport(): Promise<{ ticket: string; secret: string }>
  /**
   * `1:` addresses for ADL, loaded once `USR OK` has arrived: a server that ties the
   * address book to the signed-in session (msnp18.md §3.1, Escargot) refuses it before.
   */
  contacts(): Promise<string[]>
  handlers: SessionHandlers
  signal?: AbortSignal
}

/**
 * How long a `PUT /user` may go unanswered: issue 16 — a server that accepts an MSNP21
 * login without serving MSNP21 (Escargot, msnp18.md §0) never answers it, and that is no
 * reason to give up the session.
 */
const PUT_WAIT_MS = 5_000

/** spec §4.1: WLM 2011's CVR fields. */
const CVR_ARGS = ['0x0409', 'winnt', '6.1.0', 'i386', 'MSNMSGR', '15.4.3502.0922', 'MSNMSGR']

function command(name: string, trid: number | null, args: string[], payload: Uint8Array | null = null): MsnpCommand {
  return { name, trid, args, payload }
}

/** spec §4.1: `XFR trid NS host:port U D <hop blob>`. */
export function readNsRedirect(c: MsnpCommand, current: SocketTarget): { target: SocketTarget; hop: string } {
  const m = /^([A-Za-z0-9.-]{1,253}):(\d{1,5})$/.exec(c.args[1] ?? '')
  if (c.args[0] !== 'NS' || !m || Number(m[2]) > 65535) throw new ProtocolError('The Messenger server redirected to an address Junction cannot read.')
  const hop = c.args[4] && /^[A-Za-z0-9+/=]{1,256}$/.test(c.args[4]) ? c.args[4] : '0'
  return { target: { ...current, host: m[1]!, port: Number(m[2]) }, hop }
}

export class Session21 extends SessionLifecycle implements MsnpSession {
  readonly dialect = 'msnp21' as const
  readonly selfAddress: string
  private readonly pings: QngPings
  /** What the server left unanswered (issue 16): a sign that it accepts MSNP21 without serving it. */
  readonly unserved: string[] = []

  private constructor(
    socket: MsnpSocket,
    private readonly o: Session21Options
  ) {
    super(socket, o.handlers)
    this.selfAddress = `1:${o.account}`
    this.pings = new QngPings(socket, o.timeoutMs, 45, (error) => this.end({ kind: 'dropped', error }))
  }

  static open(o: Session21Options): Promise<Session21> {
    return openSession<Session21, string>({
      target: o.target,
      log: o.log,
      timeoutMs: o.timeoutMs,
      signal: o.signal,
      server: 'The Messenger server',
      firstHop: '0',
      create: (socket) => new Session21(socket, o),
      handshake: (session, hop) => session.handshake(hop)
    })
  }

  private async handshake(hop: string): Promise<{ target: SocketTarget; hop: string } | null> {
    this.socket.onCommand = (c) => this.onPush(c)
    const ver = await this.socket.request((t) => command('VER', t, ['MSNP21', 'CVR0']))
    if (ver.args[0] !== 'MSNP21')
      throw new JunctionError('unsupported', 'This Messenger server does not speak MSNP21.', { detail: ver.args.join(' ').slice(0, 40) })
    await this.socket.request((t) => command('CVR', t, [...CVR_ARGS, this.o.account, hop]))
    const usr = await this.socket.request((t) => command('USR', t, ['SSO', 'I', this.o.account]))
    if (usr.name === 'XFR') return readNsRedirect(usr, this.o.target)
    const nonce = usr.args[3]
    if (usr.args[0] !== 'SSO' || usr.args[1] !== 'S' || usr.args[2] !== 'MBI_KEY_OLD' || !nonce)
      throw new ProtocolError('The Messenger server did not send a Passport challenge.')
    const passport = await this.o.passport()
    const blob = mbiResponse(passport.secret, nonce)
    const ok = await this.socket.request((t) => command('USR', t, ['SSO', 'S', passport.ticket, blob, braceGuid(this.o.epid)]))
    if (ok.args[0] !== 'OK') throw new ProtocolError('The Messenger server did not confirm the sign-in.')
    // msnp18.md §3.1: the address book only after USR OK (WLM's order), then our own account with
    // IM/PE/PD/PF (spec §4.1 / §7.4), so we hear about our other endpoints, then the contacts.
    const contacts = await this.o.contacts()
    await this.socket.request((t) => command('ADL', t, [], Buffer.from(adlXml([this.o.account], false, ['IM', 'PE', 'PD', 'PF']))))
    await this.updateContacts(contacts, true)
    // spec §7.3: Escargot still needs CHG to show us online to MSNP≤18 peers.
    await this.socket.request((t) => command('CHG', t, ['NLN', '2955186480:2609258384', '0']))
    try {
      await this.publishPresence('NLN', Math.min(PUT_WAIT_MS, this.o.timeoutMs))
    } catch (error) {
      if (!(error instanceof JunctionError && error.code === 'timeout')) throw error
      this.unserved.push('PUT /user')
      this.o.log.warn({}, 'the Messenger server did not answer PUT /user; staying signed in')
    }
    return null
  }

  async updateContacts(addresses: string[], initial = false): Promise<void> {
    const passports = addresses.filter((a) => a.startsWith('1:')).map((a) => a.slice(2))
    for (const xml of adlChunks(passports, initial)) {
      await this.socket.request((t) => command('ADL', t, [], Buffer.from(xml)))
    }
  }

  async publishPresence(status: string, timeoutMs = this.o.timeoutMs): Promise<void> {
    const payload = publicationPayload({
      to: this.selfAddress,
      from: `${this.selfAddress};epid=${braceGuid(this.o.epid)}`,
      reliability: [
        ['Stream', '1'],
        ['Flags', 'ACK']
      ],
      uri: '/user',
      contentType: 'application/user+xml',
      body: messengerPresenceXml({ status, epid: this.o.epid, displayName: this.o.displayName, skypeName: '', mood: '', machineName: this.o.machineName })
    })
    await this.socket.request((t) => command('PUT', t, [], payload), timeoutMs)
  }

  async sendMessaging(message: SessionMessage): Promise<void> {
    // Issue 16: SDG has no success reply (spec §7.2), so on a server that does not serve MSNP21
    // (it left PUT /user unanswered) a one-to-one SDG vanishes while the PNG after it is answered:
    // it would look sent. Refuse it instead of claiming a delivery nobody confirmed.
    if (this.unserved.includes('PUT /user') && !isGroupAddress(message.to))
      throw new JunctionError('unsupported', 'This Messenger server does not deliver MSNP21 messages. Add the account with "Messenger (revival service)".', {
        reason: { code: 'refused', params: { detail: 'MSNP21 not served' } }
      })
    const trid = this.socket.nextTrid()
    const outcome = this.socket.expect(trid)
    outcome.catch(() => {})
    try {
      this.socket.write(command('SDG', trid, [], this.sdgPayload(message)))
    } catch (error) {
      this.socket.fail(trid, error instanceof JunctionError ? error : new JunctionError('network', 'The Messenger connection is closed.'))
      throw error
    }
    // spec §7.2: SDG has no success reply; the QNG to a PNG sent after it comes after any error for it.
    // Without a QNG the SDG's fate is unknown: it fails with the ping's error, never counts as sent.
    this.pings.ping().then(
      () => this.socket.settle(trid),
      (error: unknown) => this.socket.fail(trid, error instanceof JunctionError ? error : new JunctionError('network', 'The Messenger connection is closed.'))
    )
    await outcome
  }

  /** Typing (E2): nothing waits on it, so no PNG follows it. */
  async sendSignal(message: SessionMessage): Promise<void> {
    this.socket.write(command('SDG', this.socket.nextTrid(), [], this.sdgPayload(message)))
  }

  private sdgPayload(message: SessionMessage): Uint8Array {
    return messagingPayload({ ...message, from: `${this.selfAddress};epid=${braceGuid(this.o.epid)}` })
  }

  async recentConversations(): Promise<{ conversations: never[]; messages: never[] }> {
    return { conversations: [], messages: [] }
  }

  async reauthenticate(): Promise<void> {}

  protected writeOut(): void {
    this.socket.write(command('OUT', null, []))
  }

  protected keepAlive(): Promise<void> {
    return this.pings.ping()
  }

  protected keepAliveIntervalMs(): number {
    return this.pings.seconds * 1000
  }

  protected override onTeardown(): void {
    this.pings.rejectAll()
  }

  private onPush(c: MsnpCommand): void {
    switch (c.name) {
      case 'QNG':
        return this.pings.onQng(c)
      case 'CHL': {
        const challenge = c.args[0]
        if (!challenge) return
        const answer = challengeResponse(challenge, MSNP21_PRODUCT)
        // Issue 16 / msnp18.md §7.2 row 2: answer, but never wait for the `QRY` reply, which some
        // servers never send; a refused answer comes back as 540, which ends the session below.
        this.socket.write(command('QRY', this.socket.nextTrid(), [MSNP21_PRODUCT.id], Buffer.from(answer)))
        return
      }
      case 'QRY':
        return
      case 'RNG':
        // msnp18.md §5.5: a switchboard invitation, which MSNP21 has no use for. Declined by not
        // answering (the invitation expires, §5.5); the inviter's client falls back to an offline message.
        this.unserved.push('RNG')
        this.o.log.info({}, 'declined a switchboard invitation on MSNP21')
        return
      case 'SDG':
        if (c.payload) this.o.handlers.onMessaging(readMessaging(parseMultiMime(c.payload, false)))
        return
      case 'NFY':
        return this.onNfy(c)
      case 'NLN': {
        // MSNP18 form Escargot still sends: NLN <status> <address> <url-encoded friendly name> <caps> …
        const update = { address: bareAddress(c.args[1] ?? ''), presence: presenceOf(c.args[0]), endpointsGone: [] as string[] }
        const friendly = safeDecode(c.args[2])
        this.o.handlers.onPresence(friendly ? { ...update, displayName: friendly } : update)
        return
      }
      case 'FLN':
        this.o.handlers.onPresence({ address: bareAddress(c.args[0] ?? ''), presence: 'offline', endpointsGone: [] })
        return
      case 'OUT':
        if (c.args[0] === 'OTH') return this.end({ kind: 'elsewhere' })
        return this.end({
          kind: 'dropped',
          error: new JunctionError('network', 'The Messenger server ended the session.', { detail: c.args[0] ?? 'OUT', reason: { code: 'server-unavailable' } })
        })
      case 'XFR':
        if (c.args[0] === 'NS')
          return this.end({
            kind: 'dropped',
            error: new JunctionError('network', 'The Messenger server moved the session.'),
            redirect: readNsRedirect(c, this.o.target).target
          })
        return
      default:
        if (/^\d{3}$/.test(c.name)) {
          const code = Number(c.name)
          this.o.log.warn({ code, reason: errorReason(c) }, 'unsolicited msnp21 error')
          if (code === 733) this.end({ kind: 'elsewhere' })
          else if (code === 540 || code === 911 || (code >= 600 && code < 700)) this.end({ kind: 'dropped', error: msnpError(code) })
        }
    }
  }

  private onNfy(c: MsnpCommand): void {
    if (!c.payload || (c.args[0] !== 'PUT' && c.args[0] !== 'DEL')) return
    const update = readPresence(parseMultiMime(c.payload, false), c.args[0] === 'DEL')
    if (!update) return
    if (update.address === this.selfAddress) {
      // spec §12.3: our own endpoint removed = signed out remotely (MSNPSharp's SignoutFrom).
      if (update.endpointsGone.some((e) => braceGuid(e) === braceGuid(this.o.epid))) this.end({ kind: 'elsewhere' })
      return
    }
    this.o.handlers.onPresence(update)
  }
}

function safeDecode(value: string | undefined): string | undefined {
  if (!value) return undefined
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
