// The contacts the MSNP18 reference server plays itself (msnp18.md §5): they sit on a
// virtual endpoint, join a switchboard as soon as they are called, and — driven by tests
// or the sandbox phone — write, type and nudge. Writing to someone with no conversation
// open makes a switchboard session and rings their NS endpoints (RNG, §5.5); a message
// to someone offline is stored as an offline message (§5.9).

import { addSimulated, newSessionId, relay, type SbContext, type SbSession } from './sb'
import type { Received } from './world'

const FONT = 'FN=Segoe%20UI; EF=; CO=0; CS=1; PF=0'

function textPayload(text: string): Buffer {
  return Buffer.from(`MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: ${FONT}\r\n\r\n${text}`, 'utf8')
}

export class SimulatedContact {
  constructor(
    readonly email: string,
    private readonly ctx: SbContext
  ) {}

  say(to: string, text: string): void {
    this.deliver(to, textPayload(text), text)
  }

  typing(to: string): void {
    this.deliver(to, Buffer.from(`MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: ${this.email}\r\n\r\n\r\n`, 'utf8'), null)
  }

  nudge(to: string): void {
    this.deliver(to, Buffer.from('MIME-Version: 1.0\r\nContent-Type: text/x-msnmsgr-datacast\r\n\r\nID: 1\r\n\r\n', 'utf8'), null)
  }

  /** §3.5 / §4.1: a status change (`FLN` = signs out), pushed to everyone who watches this contact. */
  setStatus(status: string): void {
    const a = this.ctx.world.get(this.email)!
    a.status = status
    this.ctx.world.changed()
    this.ctx.presence.announce(a)
  }

  /** §5.7: leaves every conversation it is in (the others get BYE). */
  leave(): void {
    for (const session of this.ctx.sessions.values()) {
      const me = session.participants.find((p) => p.email === this.email && !p.conn)
      if (!me) continue
      session.participants = session.participants.filter((p) => p !== me)
      for (const p of session.participants) if (p.conn) p.conn.send(Buffer.from(`BYE ${this.email};{${me.guid}}\r\nBYE ${this.email}\r\n`))
    }
  }

  /** §3.8 from the other side: this contact adds `to`, who sees a pending request (ADL 0 + NOT when online). */
  addContact(to: string): void {
    this.ctx.addContact(this.email, to.toLowerCase())
  }

  /** What this contact received, in order. */
  inbox(from?: string): Received[] {
    return this.ctx.world.received.filter((r) => r.to === this.email && (from === undefined || r.from === from))
  }

  /** A session this contact shares with `to`, preferring one where `to` is connected. */
  private sessionWith(to: string): SbSession | undefined {
    for (const s of this.ctx.sessions.values()) {
      if (s.participants.some((p) => p.email === this.email && !p.conn) && s.participants.some((p) => p.email === to && p.conn)) return s
    }
    return undefined
  }

  private deliver(to: string, payload: Buffer, offlineText: string | null): void {
    const target = to.toLowerCase()
    const me = this.ctx.world.get(this.email)!
    // §5.3: someone who blocks this contact cannot be reached (CAL would answer 217).
    if (!this.ctx.world.allows(target, this.email)) return
    const ringing = [...this.ctx.sessions.values()].find(
      (s) => s.ringing === target && s.queued.length > 0 && s.participants.some((p) => p.email === this.email)
    )
    if (ringing) return void ringing.queued.push({ from: this.email, payload })
    const existing = this.sessionWith(target)
    if (existing) {
      const from = existing.participants.find((p) => p.email === this.email && !p.conn)!
      return relay(this.ctx, existing, from, payload)
    }
    if (this.ctx.presence.real(target).length === 0) {
      if (offlineText !== null) this.ctx.world.storeOim({ from: this.email, fromName: me.friendly, to: target, text: offlineText, at: this.ctx.now() })
      return
    }
    const session: SbSession = { id: newSessionId(), participants: [], queued: [{ from: this.email, payload }], ringing: target }
    this.ctx.sessions.set(session.id, session)
    addSimulated(this.ctx, session, this.email)
    this.ctx.ring(session, session.participants[0]!, target)
  }
}
