// One switchboard session (msnp18.md §5): a TCP connection per conversation, opened with
// a cookie from `XFR SB` (then `USR` + `CAL`) or from an `RNG` invitation (then `ANS`,
// answered by `IRO` lines and `ANS OK`). Messages are `MSG <trid> <ack> <len>`; a text
// counts as sent only once its `ACK` arrives (§5.6), a `NAK` fails it. The session closes
// itself when the last other participant leaves or after an idle time (§5.7).

import { JunctionError, ProtocolError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import { msnpError } from '../errors'
import type { MsnpCommand } from '../msnp/framing'
import { MsnpSocket, type SocketTarget } from '../transport'
import { decodeArg, splitEndpoint } from './args'
import { MAX_SB_PAYLOAD, parseSbMessage, type SbMessage } from './sb-message'

/** §5.6: `U` none, `N` NAK on failure, `A` ACK or NAK, `D` like A (P2P). */
export type AckMode = 'U' | 'N' | 'A'

export interface SwitchboardOptions {
  log: Logger
  timeoutMs: number
  /** Our account, lower case. */
  account: string
  /** The machine GUID of the NS login, bare. */
  guid: string
  /** §5.7: close after this long without traffic. */
  idleMs: number
  onMessage(sb: Switchboard, from: string, friendly: string, message: SbMessage): void
  /** The session is over; `error` when it was lost rather than left. */
  onClosed(sb: Switchboard, error: JunctionError | null): void
}

function cmd(name: string, trid: number | null, args: string[], payload: Uint8Array | null = null): MsnpCommand {
  return { name, trid, args, payload }
}

function closedError(): JunctionError {
  return new JunctionError('network', 'The Messenger conversation was closed before the server confirmed the message.')
}

export class Switchboard {
  /** Other participants' accounts (§5.4: keyed by account, endpoints only noted). */
  readonly participants = new Set<string>()
  /** §5.3: the session id from `CAL … RINGING` or `RNG`. */
  sessionId: string | null = null
  private idleTimer: NodeJS.Timeout | null = null
  private closed = false
  private readonly joinWaiters: { account: string; resolve(): void; reject(e: JunctionError): void; timer: NodeJS.Timeout }[] = []

  private constructor(
    private readonly socket: MsnpSocket,
    private readonly o: SwitchboardOptions
  ) {
    socket.onCommand = (c) => this.onCommand(c)
    socket.onClose = (error) => this.finish(error)
  }

  get isClosed(): boolean {
    return this.closed
  }

  private get self(): string {
    return `${this.o.account};{${this.o.guid}}`
  }

  /** §5.1–§5.3: authenticate with the XFR cookie and invite `contact`; resolves once it is ringing. */
  static async call(target: SocketTarget, cookie: string, contact: string, o: SwitchboardOptions): Promise<Switchboard> {
    const sb = new Switchboard(await MsnpSocket.connect(target, o.log, o.timeoutMs), o)
    try {
      const usr = await sb.socket.request((t) => cmd('USR', t, [sb.self, cookie]))
      if (usr.args[0] !== 'OK') throw new ProtocolError('The switchboard did not accept Junction.')
      const cal = await sb.socket.request((t) => cmd('CAL', t, [contact]))
      if (cal.args[0] !== 'RINGING') throw new ProtocolError('The switchboard did not ring the contact.')
      sb.sessionId = cal.args[1] ?? null
    } catch (error) {
      sb.close(false)
      // §5.3: 215 "already in the session" is success, but then no JOI comes for a session just opened; it cannot happen here.
      throw error
    }
    sb.touch()
    return sb
  }

  /** §5.5: answer an invitation; resolves after `ANS OK`, with the roster from the IRO lines. */
  static async answer(target: SocketTarget, cookie: string, sessionId: string, o: SwitchboardOptions): Promise<Switchboard> {
    const sb = new Switchboard(await MsnpSocket.connect(target, o.log, o.timeoutMs), o)
    sb.sessionId = sessionId
    try {
      await sb.answer(cookie, sessionId)
    } catch (error) {
      sb.close(false)
      throw error
    }
    sb.touch()
    return sb
  }

  private answerTrid = -1
  private answered: { resolve(): void; reject(e: JunctionError): void } | null = null

  /** IRO lines share the ANS TrID, so the reply is matched here rather than by the socket's request table. */
  private answer(cookie: string, sessionId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new JunctionError('timeout', 'The switchboard did not answer in time.')), this.o.timeoutMs)
      this.answered = {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (e) => (clearTimeout(timer), reject(e))
      }
      this.answerTrid = this.socket.nextTrid()
      try {
        this.socket.write(cmd('ANS', this.answerTrid, [this.self, cookie, sessionId]))
      } catch (error) {
        this.answered.reject(error instanceof JunctionError ? error : closedError())
      }
    })
  }

  /** Resolves once `account` has joined (§5.4), or at once when it is already here. */
  waitForJoin(account: string, timeoutMs: number): Promise<void> {
    if (this.participants.has(account)) return Promise.resolve()
    if (this.closed) return Promise.reject(closedError())
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.joinWaiters.findIndex((w) => w.timer === timer)
        if (i >= 0) this.joinWaiters.splice(i, 1)
        reject(new JunctionError('timeout', 'The contact did not join the conversation in time.', { reason: { code: 'timeout' } }))
      }, timeoutMs)
      this.joinWaiters.push({ account, resolve, reject, timer })
    })
  }

  /**
   * Sends one MSG. With `A` it resolves on the ACK and rejects on NAK, an error or a lost
   * connection (§5.6, §7.2 row 18); with `U`/`N` it resolves once written.
   */
  async send(payload: Uint8Array, ack: AckMode): Promise<void> {
    if (payload.byteLength > MAX_SB_PAYLOAD)
      throw new JunctionError('rejected', 'The message is too long for Messenger.', { reason: { code: 'refused', params: { detail: 'too long' } } })
    if (this.closed) throw closedError()
    this.touch()
    if (ack !== 'A') {
      this.socket.write(cmd('MSG', this.socket.nextTrid(), [ack], payload))
      return
    }
    let reply: MsnpCommand
    try {
      reply = await this.socket.request((t) => cmd('MSG', t, ['A'], payload))
    } catch (error) {
      if (error instanceof JunctionError && error.code === 'network') throw closedError()
      throw error
    }
    if (reply.name === 'NAK') {
      throw new JunctionError('rejected', 'Messenger could not deliver the message.', {
        retryable: false,
        reason: { code: 'refused', params: { detail: 'not delivered' } }
      })
    }
    if (reply.name !== 'ACK') throw new ProtocolError('The switchboard answered a message with something else than ACK.')
  }

  /** §5.7: `OUT`, then the server closes; we close our side too. */
  close(sayOut = true): void {
    if (this.closed) return
    if (sayOut && !this.socket.isClosed) {
      try {
        this.socket.write(cmd('OUT', null, []))
      } catch {
        // already gone
      }
    }
    this.socket.close()
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => {
      this.o.log.debug({ session: this.sessionId }, 'switchboard idle, leaving')
      this.close()
    }, this.o.idleMs)
    this.idleTimer.unref?.()
  }

  private finish(error: JunctionError | null): void {
    if (this.closed) return
    this.closed = true
    if (this.idleTimer) clearTimeout(this.idleTimer)
    const e = error ?? closedError()
    for (const w of this.joinWaiters.splice(0)) {
      clearTimeout(w.timer)
      w.reject(e)
    }
    this.answered?.reject(e)
    this.o.onClosed(this, error)
  }

  private join(token: string | undefined): void {
    const { account } = splitEndpoint(token ?? '')
    if (!account || account === this.o.account) return // §5.3/§5.4: our own endpoints are not participants
    this.participants.add(account)
    for (const w of this.joinWaiters.filter((x) => x.account === account)) {
      clearTimeout(w.timer)
      w.resolve()
    }
    this.joinWaiters.splice(0, this.joinWaiters.length, ...this.joinWaiters.filter((x) => x.account !== account))
  }

  private onCommand(c: MsnpCommand): void {
    this.touch()
    switch (c.name) {
      case 'JOI':
        return this.join(c.args[0])
      case 'IRO':
        // `IRO <trid> <n> <total> <account>[;{guid}] <friendly> <caps>` (§5.5).
        if (c.trid === this.answerTrid) this.join(c.args[2])
        return
      case 'ANS':
        if (c.trid === this.answerTrid && c.args[0] === 'OK') this.answered?.resolve()
        return
      case 'BYE': {
        const { account, guid } = splitEndpoint(c.args[0] ?? '')
        // §5.7: `BYE acct;{guid}` per endpoint, bare `BYE acct` when the account's last endpoint left.
        if (guid || !account) return
        this.participants.delete(account)
        if (this.participants.size === 0) this.close()
        return
      }
      case 'MSG': {
        if (!c.payload) return
        const from = (c.args[0] ?? '').toLowerCase()
        if (!from || from === this.o.account) return
        let message: SbMessage
        try {
          message = parseSbMessage(c.payload)
        } catch (error) {
          this.o.log.warn({ error }, 'unreadable switchboard message')
          return
        }
        this.o.onMessage(this, from, decodeArg(c.args[1] ?? ''), message)
        return
      }
      default:
        if (/^\d{3}$/.test(c.name)) {
          if (c.trid === this.answerTrid) this.answered?.reject(msnpError(Number(c.name)))
          else this.o.log.warn({ code: c.name }, 'unsolicited switchboard error')
        }
    }
  }
}
