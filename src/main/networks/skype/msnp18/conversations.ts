// The switchboards of one NS session (msnp18.md §5): at most one live conversation per
// contact, opened on demand (`XFR SB` → `USR` → `CAL`, messages queued until the contact's
// `JOI`, §5.8) or on an `RNG` invitation (§5.5), and re-opened for the next message once
// the contact left or the session idled out (§5.7). Sends to one contact go one at a time,
// so they reach the switchboard in the order they were made.

import { JunctionError, ProtocolError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import type { MsnpCommand } from '../msnp/framing'
import { randomGuid } from '../crypto'
import type { SocketTarget } from '../transport'
import { decodeArg, readHostPort } from './args'
import { ChunkAssembler, nudgePayload, textPayloads, typingPayload, type SbMessage } from './sb-message'
import { Switchboard, type SwitchboardOptions } from './switchboard'

export interface ConversationsOptions {
  log: Logger
  timeoutMs: number
  account: string
  guid: string
  idleMs: number
  /** How long a called contact has to join before the message fails (§5.3: RINGING is only "invited"). */
  joinTimeoutMs: number
  /** §5.1: `XFR <trid> SB` on the NS. */
  requestSwitchboard(): Promise<{ target: SocketTarget; cookie: string }>
  /** A message from `from`, chunked texts already put back together. */
  onMessage(from: string, friendly: string, message: SbMessage): void
}

/** §5.5: `RNG <session id> <host:port> CKI <cookie> <inviter> <friendly> U messenger.hotmail.com 1`. */
export function readRing(c: MsnpCommand): { sessionId: string; target: { host: string; port: number }; cookie: string; inviter: string; friendly: string } {
  // A session id of digits alone (the real service's form) is taken by the codec for a TrID.
  const args = c.trid !== null ? [String(c.trid), ...c.args] : c.args
  const [sessionId, address, cki, cookie, inviter, friendly] = args
  if (!sessionId || !/^[\x21-\x7e]{1,64}$/.test(sessionId) || cki !== 'CKI' || !cookie || !/^[\x21-\x7e]{1,128}$/.test(cookie) || !inviter?.includes('@')) {
    throw new ProtocolError('The Messenger server sent an invitation Junction cannot read.')
  }
  return { sessionId, target: readHostPort(address), cookie, inviter: inviter.toLowerCase(), friendly: decodeArg(friendly ?? '') }
}

export class Conversations {
  private readonly byContact = new Map<string, Switchboard>()
  private readonly opening = new Map<string, Promise<Switchboard>>()
  private readonly queues = new Map<string, Promise<unknown>>()
  private readonly chunks = new ChunkAssembler()
  private readonly all = new Set<Switchboard>()
  private closed = false

  constructor(private readonly o: ConversationsOptions) {}

  /** Resolves once the switchboard acknowledged every part of the text (§5.6 ack `A`). */
  sendText(contact: string, text: string): Promise<void> {
    return this.queued(contact, async () => {
      for (const payload of textPayloads(text, randomGuid())) await (await this.switchboardFor(contact)).send(payload, 'A')
    })
  }

  /** §9 E7 (ack `N`: no reply on success). */
  sendNudge(contact: string): Promise<void> {
    return this.queued(contact, async () => (await this.switchboardFor(contact)).send(nudgePayload(), 'N'))
  }

  /**
   * §9 E6: on the open conversation at once; otherwise the conversation is opened as WLM
   * does when someone starts typing, in the contact's queue, and nothing waits for it
   * (a contact who cannot be reached just does not see it).
   */
  async sendTyping(contact: string): Promise<void> {
    const sb = this.byContact.get(contact)
    if (sb && !sb.isClosed && sb.participants.has(contact)) return sb.send(typingPayload(this.o.account), 'U')
    if (this.opening.has(contact) || this.queues.has(contact)) return
    this.queued(contact, async () => (await this.switchboardFor(contact)).send(typingPayload(this.o.account), 'U')).catch((error: unknown) =>
      this.o.log.debug({ error }, 'typing notice not delivered')
    )
  }

  /** §5.5: an invitation from the NS. */
  async onRing(c: MsnpCommand): Promise<void> {
    if (this.closed) return
    const ring = readRing(c)
    const sb = await Switchboard.answer({ ...ring.target, tls: false }, ring.cookie, ring.sessionId, this.sbOptions())
    if (this.closed) return sb.close()
    this.all.add(sb)
    // §5.5: two invitations to one conversation make two sessions; the newest one carries the conversation.
    if (sb.participants.has(ring.inviter)) this.byContact.set(ring.inviter, sb)
  }

  closeAll(): void {
    this.closed = true
    for (const sb of this.all) sb.close()
    this.all.clear()
    this.byContact.clear()
  }

  private queued<T>(contact: string, task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new JunctionError('network', 'The Messenger connection is closed.'))
    const prev = this.queues.get(contact) ?? Promise.resolve()
    const run = prev.then(task, task)
    const tail = run.catch(() => {})
    this.queues.set(contact, tail)
    void tail.then(() => {
      if (this.queues.get(contact) === tail) this.queues.delete(contact)
    })
    return run
  }

  private sbOptions(): SwitchboardOptions {
    return {
      log: this.o.log,
      timeoutMs: this.o.timeoutMs,
      account: this.o.account,
      guid: this.o.guid,
      idleMs: this.o.idleMs,
      onMessage: (sb, from, friendly, message) => {
        this.byContact.set(from, sb)
        if (message.kind === 'text') {
          const whole = this.chunks.add(from, message)
          if (whole) this.o.onMessage(from, friendly, whole)
          return
        }
        this.o.onMessage(from, friendly, message)
      },
      onClosed: (sb) => {
        this.all.delete(sb)
        for (const [contact, s] of this.byContact) if (s === sb) this.byContact.delete(contact)
      }
    }
  }

  /** The live conversation with `contact`, or a new one once the contact has joined it. */
  private async switchboardFor(contact: string): Promise<Switchboard> {
    const current = this.byContact.get(contact)
    if (current && !current.isClosed && current.participants.has(contact)) return current
    if (current) {
      // §7.2 row 19: a session the contact left still ACKs; do not talk into it.
      this.byContact.delete(contact)
      current.close()
    }
    let opening = this.opening.get(contact)
    if (!opening) {
      opening = this.open(contact).finally(() => this.opening.delete(contact))
      this.opening.set(contact, opening)
    }
    return opening
  }

  private async open(contact: string): Promise<Switchboard> {
    const { target, cookie } = await this.o.requestSwitchboard()
    const sb = await Switchboard.call(target, cookie, contact, this.sbOptions())
    this.all.add(sb)
    try {
      await sb.waitForJoin(contact, this.o.joinTimeoutMs)
    } catch (error) {
      sb.close()
      throw error
    }
    if (this.closed) {
      sb.close()
      throw new JunctionError('network', 'The Messenger connection is closed.')
    }
    this.byContact.set(contact, sb)
    return sb
  }
}
