// The switchboard of the reference server (msnp18.md §5, checklist §7.1): sessions of
// participants, each a real TCP connection or a simulated contact. USR with an XFR cookie,
// CAL (RNG to the invitee's NS endpoints, or a simulated contact joining at once), ANS with
// IRO, MSG relayed byte for byte with ACK for `A`/`D`, BYE on OUT or disconnect.

import { randomBytes } from 'node:crypto'
import type { Socket } from 'node:net'
import type { MsnpCommand } from '../../../../src/main/networks/skype/msnp/framing'
import { PEER_CAPS, type Presence18 } from './presence'
import { escargotArg, lineBytes, payloadBytes, readMime, serve, unquote, type Connection } from './wire'
import type { Received, World18 } from './world'

export interface Participant {
  email: string
  guid: string
  /** A real connection; absent for a simulated contact. */
  conn?: SbConnection
}

export interface SbSession {
  id: string
  participants: Participant[]
  /** What simulated contacts said before the invitee joined (§5.8: queued until the first JOI). */
  queued: { from: string; payload: Buffer }[]
  /** Who a simulated contact's new session is waiting for. */
  ringing?: string
}

export interface SbContext {
  world: World18
  presence: Presence18
  now(): number
  /** Cookies issued by XFR SB (§5.1) and RNG (§5.5): single use, 120 s. */
  takeCookie(cookie: string): { email: string; sessionId?: string; expires: number } | undefined
  ring(session: SbSession, inviter: Participant, invitee: string): void
  sessions: Map<string, SbSession>
  /** Test switch: drop the connection on this many-th MSG before relaying it (§5: a switchboard lost mid-conversation). */
  dropOnMessage: { count: number; at: number | null }
  nakWhenAlone: boolean
  onServerError(e: unknown): void
  /** §3.8: `from` puts `to` on its FL; `to` gets the pending request. */
  addContact(from: string, to: string): void
}

const MAX_PAYLOAD = 1664

export function newSessionId(): string {
  return randomBytes(16).toString('hex').slice(0, 31)
}

function joinLines(p: Participant, friendly: string, caps: string): Buffer {
  return Buffer.concat([lineBytes('JOI', `${p.email};{${p.guid}}`, escargotArg(friendly), caps), lineBytes('JOI', p.email, escargotArg(friendly), caps)])
}

/** Delivers a payload from `from` to every other participant: real ones get the MSG, simulated ones note it. */
export function relay(ctx: SbContext, session: SbSession, from: Participant, payload: Buffer): void {
  const sender = ctx.world.get(from.email)
  for (const p of session.participants) {
    if (p === from || p.email === from.email) continue
    if (p.conn) p.conn.send(payloadBytes(['MSG', from.email, escargotArg(sender?.friendly ?? from.email)], payload))
    else ctx.world.note({ from: from.email, to: p.email, ...classify(payload), at: ctx.now() })
  }
}

function classify(payload: Buffer): Pick<Received, 'kind' | 'text'> {
  const { headers, body } = readMime(payload)
  const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === 'text/plain') return { kind: 'text', text: body.toString('utf8') }
  if (type === 'text/x-msmsgscontrol') return { kind: 'typing', text: '' }
  if (type === 'text/x-msnmsgr-datacast' && /ID:\s*1\b/.test(body.toString('utf8'))) return { kind: 'nudge', text: '' }
  return { kind: 'other', text: type }
}

export function addSimulated(ctx: SbContext, session: SbSession, email: string): void {
  const a = ctx.world.get(email)
  if (!a || session.participants.some((p) => p.email === email)) return
  const p: Participant = { email, guid: a.guid }
  session.participants.push(p)
  for (const other of session.participants) if (other.conn) other.conn.send(joinLines(p, a.friendly, PEER_CAPS))
}

export class SbConnection {
  email = ''
  guid = ''
  private session: SbSession | null = null
  private me: Participant | null = null
  private readonly conn: Connection
  private readonly authTimer: NodeJS.Timeout

  constructor(
    socket: Socket,
    private readonly ctx: SbContext
  ) {
    this.conn = serve(
      socket,
      (c) => this.handle(c),
      ctx.onServerError,
      () => this.gone()
    )
    // §5.2: neither USR nor ANS within 60 s → closed.
    this.authTimer = setTimeout(() => this.conn.socket.destroy(), 60_000).unref()
  }

  send(bytes: Buffer): void {
    this.conn.send(bytes)
  }

  drop(): void {
    this.conn.socket.destroy()
  }

  private endpoint(token: string | undefined): { email: string; guid: string } | null {
    const m = /^([^;\s]+);\{?([0-9A-Fa-f-]{36})\}?$/.exec(token ?? '')
    return m ? { email: m[1]!.toLowerCase(), guid: m[2]!.toLowerCase() } : null
  }

  private handle(c: MsnpCommand): void {
    const trid = c.trid ?? 0
    const args = c.args.map(unquote)
    if (!this.session && c.name !== 'USR' && c.name !== 'ANS') return void this.conn.socket.destroy()
    switch (c.name) {
      case 'USR': {
        const ep = this.endpoint(args[0])
        const cookie = this.ctx.takeCookie(args[1] ?? '')
        if (args.length !== 2 || !ep || !cookie || cookie.sessionId !== undefined || cookie.email !== ep.email || cookie.expires < this.ctx.now()) {
          this.conn.send(lineBytes(911, trid))
          return this.conn.close()
        }
        clearTimeout(this.authTimer)
        this.email = ep.email
        this.guid = ep.guid
        this.me = { email: ep.email, guid: ep.guid, conn: this }
        this.session = { id: newSessionId(), participants: [this.me], queued: [] }
        this.ctx.sessions.set(this.session.id, this.session)
        return this.conn.send(lineBytes('USR', trid, 'OK', `${ep.email};{${ep.guid}}`, escargotArg(this.ctx.world.get(ep.email)?.friendly ?? ep.email)))
      }
      case 'ANS':
        return this.ans(trid, args)
      case 'CAL':
        return this.cal(trid, args[0] ?? '')
      case 'MSG':
        return this.msg(trid, args[0] ?? '', c.payload)
      case 'OUT':
        return this.conn.close()
      default:
        return this.conn.send(lineBytes(200, trid))
    }
  }

  private ans(trid: number, args: string[]): void {
    const ep = this.endpoint(args[0])
    const cookie = this.ctx.takeCookie(args[1] ?? '')
    const session = this.ctx.sessions.get(args[2] ?? '')
    if (args.length !== 3 || !ep || !cookie || cookie.email !== ep.email || cookie.expires < this.ctx.now()) {
      this.conn.send(lineBytes(911, trid))
      return this.conn.close()
    }
    // §5.5: a wrong session id closes without a reply.
    if (!session || cookie.sessionId !== session.id) return void this.conn.socket.destroy()
    clearTimeout(this.authTimer)
    this.email = ep.email
    this.guid = ep.guid
    this.session = session
    const roster = session.participants.filter((p) => p.email !== ep.email)
    const total = roster.length * 2
    roster.forEach((p, i) => {
      const a = this.ctx.world.get(p.email)
      const caps = p.conn ? PEER_CAPS : PEER_CAPS
      this.send(lineBytes('IRO', trid, i * 2 + 1, total, `${p.email};{${p.guid}}`, escargotArg(a?.friendly ?? p.email), caps))
      this.send(lineBytes('IRO', trid, i * 2 + 2, total, p.email, escargotArg(a?.friendly ?? p.email), caps))
    })
    this.send(lineBytes('ANS', trid, 'OK'))
    this.me = { email: ep.email, guid: ep.guid, conn: this }
    const friendly = this.ctx.world.get(ep.email)?.friendly ?? ep.email
    for (const p of session.participants) if (p.conn) p.conn.send(joinLines(this.me, friendly, PEER_CAPS))
    session.participants.push(this.me)
    this.send(lineBytes('JOI', ep.email, escargotArg(friendly), PEER_CAPS))
    if (session.ringing === ep.email) delete session.ringing
    for (const q of session.queued.splice(0)) {
      const from = session.participants.find((p) => p.email === q.from)
      if (from) relay(this.ctx, session, from, q.payload)
    }
  }

  private cal(trid: number, invitee: string): void {
    const session = this.session!
    const email = invitee.toLowerCase()
    if (!email.includes('@')) return this.send(lineBytes(208, trid))
    if (email === this.email) {
      this.send(lineBytes('CAL', trid, 'RINGING', session.id))
      return this.send(lineBytes('JOI', this.email, escargotArg(this.ctx.world.get(this.email)?.friendly ?? this.email), PEER_CAPS))
    }
    if (session.participants.some((p) => p.email === email)) return this.send(lineBytes(215, trid))
    const a = this.ctx.world.get(email)
    if (!a || !this.ctx.presence.visibleTo(a, this.email)) return this.send(lineBytes(217, trid))
    this.send(lineBytes('CAL', trid, 'RINGING', session.id))
    if (this.ctx.presence.real(email).length > 0) this.ctx.ring(session, this.me!, email)
    else setImmediate(() => addSimulated(this.ctx, session, email))
  }

  private msg(trid: number, ack: string, payload: Buffer | Uint8Array | null): void {
    const session = this.session!
    const bytes = payload ? Buffer.from(payload) : Buffer.alloc(0)
    // §5.6: over 1664 bytes, or a bad ack letter, closes the connection.
    if (bytes.length > MAX_PAYLOAD || !['U', 'N', 'A', 'D'].includes(ack)) return void this.conn.socket.destroy()
    const drop = this.ctx.dropOnMessage
    drop.count++
    if (drop.at !== null && drop.count === drop.at) {
      drop.at = null
      return void this.conn.socket.destroy()
    }
    const alone = !session.participants.some((p) => p !== this.me && p.email !== this.email)
    if (alone && this.ctx.nakWhenAlone && (ack === 'A' || ack === 'N')) return this.send(lineBytes('NAK', trid))
    relay(this.ctx, session, this.me!, bytes)
    if (ack === 'A' || ack === 'D') this.send(lineBytes('ACK', trid))
  }

  private gone(): void {
    clearTimeout(this.authTimer)
    const session = this.session
    if (!session || !this.me) return
    session.participants = session.participants.filter((p) => p !== this.me)
    const last = !session.participants.some((p) => p.email === this.email)
    for (const p of session.participants) {
      if (!p.conn) continue
      p.conn.send(lineBytes('BYE', `${this.email};{${this.guid}}`))
      if (last) p.conn.send(lineBytes('BYE', this.email))
    }
    if (!session.participants.some((p) => p.conn)) this.ctx.sessions.delete(session.id)
  }
}
