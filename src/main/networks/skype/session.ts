// The MSNP session as the Connector sees it, whatever the dialect (msnp21/, msnp24/): what
// a live session reports and offers, how both open (connect, handshake, follow XFR
// redirects, spec §4.1/§5.2), and their one lifecycle: start, keep-alive, teardown.

import { JunctionError, ProtocolError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import type { InboundMessaging, PresenceUpdate, RecentMessage, ThreadInfo } from './msnp/read'
import type { MsnpCommand } from './msnp/framing'
import type { OutgoingMessaging } from './msnp/messaging'
import { MsnpSocket, type SocketTarget } from './transport'

export type Dialect = 'msnp24' | 'msnp21' | 'msnp18'

export interface SessionHandlers {
  /** A pushed message; an MSNP24 session ACKs it after this returns (core has stored it by then). */
  onMessaging(message: InboundMessaging): void
  onPresence(update: PresenceUpdate): void
  onThreads(threads: ThreadInfo[]): void
  /** The server says the address book changed (NFY MSGR\ABCH, spec §13.5). */
  onAddressBookChanged(): void
  /** The MSNP24 server asked for a fresh ticket (error 922, spec §5.1). */
  onTicketExpired(): void
  /** The session is over; `end` says whether reconnecting makes sense. */
  onEnded(end: SessionEnd): void
}

export type SessionEnd =
  /** Lost or ended by the server in a way a reconnect fixes; `redirect` when it named another server. */
  | { kind: 'dropped'; error: JunctionError; redirect?: SocketTarget }
  /** spec §12.3: OUT OTH, remote sign-out or 733; never reconnect (two logins would kick each other forever). */
  | { kind: 'elsewhere' }
  /** We closed it. */
  | { kind: 'closed' }

/** A message to send: everything but the top block and our own From address, which the session adds. */
export type SessionMessage = Omit<OutgoingMessaging, 'top' | 'from'>

export interface MsnpSession {
  readonly dialect: Dialect
  /** `8:live:alice_1` (MSNP24) or `1:alice@hotmail.co.uk` (MSNP21, MSNP18). */
  readonly selfAddress: string
  /** Resolves only once the server has taken this SDG (spec §7.2: it never replies on success, so a PNG after it is the proof). */
  sendMessaging(message: SessionMessage): Promise<void>
  /** A signal no one waits on (typing, spec §6.5): written in its turn, without a keep-alive after it. */
  sendSignal(message: SessionMessage): Promise<void>
  /** spec §5.3: recent conversations from `startMs` (MSNP24; MSNP21 keeps no history). */
  recentConversations(startMs: number, pageSize: number): Promise<{ conversations: { id: string; topic?: string }[]; messages: RecentMessage[] }>
  /** spec §5.1: re-sends ATH with a fresh ticket on the live connection (MSNP24). */
  reauthenticate(): Promise<void>
  /** Publishes the contact list again, e.g. after an address-book change. */
  updateContacts(addresses: string[]): Promise<void>
  /** Sends OUT and closes. */
  logout(): Promise<void>
  close(): void
}

/** The lifecycle both dialects share: after the handshake, keep-alives on a timer; one teardown for every way a session ends. */
export abstract class SessionLifecycle {
  private ended = false
  private pingTimer: NodeJS.Timeout | null = null

  protected constructor(
    protected readonly socket: MsnpSocket,
    protected readonly handlers: SessionHandlers
  ) {}

  protected get isEnded(): boolean {
    return this.ended
  }

  /** One keep-alive exchange (spec §2.3 PNG/QNG, §5.5 PNG CON); a failure means the connection is gone (§12.4). */
  protected abstract keepAlive(): Promise<void>
  /** Milliseconds until the next keep-alive, as the server last asked. */
  protected abstract keepAliveIntervalMs(): number
  /** The dialect's OUT (spec §5.6, §7.1). */
  protected abstract writeOut(): void
  /** What a dialect must release besides the socket (waiters for replies). */
  protected onTeardown(_error: JunctionError): void {}

  /** The handshake is done: a closed socket now ends the session, and keep-alives run. */
  start(): void {
    this.socket.onClose = (error) => this.end(error ? { kind: 'dropped', error } : { kind: 'closed' })
    if (this.socket.isClosed) return this.end({ kind: 'dropped', error: new JunctionError('network', 'The Skype server closed the connection.') })
    this.schedulePing()
  }

  /** A handshake that failed or was redirected: no session to report. */
  abandon(): void {
    this.ended = true
    if (this.pingTimer) clearTimeout(this.pingTimer)
    this.socket.close()
  }

  async logout(): Promise<void> {
    if (this.ended || this.socket.isClosed) return
    try {
      this.writeOut()
    } finally {
      this.close()
    }
  }

  close(): void {
    this.end({ kind: 'closed' })
  }

  protected end(end: SessionEnd): void {
    if (this.ended) return
    this.ended = true
    if (this.pingTimer) clearTimeout(this.pingTimer)
    this.onTeardown(end.kind === 'dropped' ? end.error : new JunctionError('network', 'The Skype connection is closed.'))
    this.socket.close()
    this.handlers.onEnded(end)
  }

  private schedulePing(): void {
    if (this.ended) return
    this.pingTimer = setTimeout(() => {
      this.keepAlive().then(
        () => this.schedulePing(),
        (error: unknown) => {
          if (!this.ended)
            this.end({
              kind: 'dropped',
              error: error instanceof JunctionError ? error : new JunctionError('network', 'The Skype connection stopped answering.')
            })
        }
      )
    }, this.keepAliveIntervalMs())
  }
}

/**
 * The notification-server keep-alive of MSNP21 and MSNP18 (spec §2.3, msnp18.md §6.1): `PNG`
 * (no TrID) is answered by `QNG <seconds>`, in order, and the seconds set the pace of the next
 * one. A QNG that does not come ends the session (§12.4): a late one could no longer be matched
 * to its PNG, and an MSNP21 SDG would be counted as taken on another one's QNG.
 */
export class QngPings {
  private readonly waiting: { resolve(): void; reject(e: JunctionError): void; timer: NodeJS.Timeout }[] = []
  /** Seconds until the next PNG, as the server last asked. */
  seconds: number

  constructor(
    private readonly socket: MsnpSocket,
    private readonly timeoutMs: number,
    initialSeconds: number,
    /** The session's end, with the timeout as its reason. */
    private readonly onSilent: (error: JunctionError) => void
  ) {
    this.seconds = initialSeconds
  }

  ping(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiting.findIndex((p) => p.timer === timer)
        if (i >= 0) this.waiting.splice(i, 1)
        const error = new JunctionError('timeout', 'The Messenger server stopped answering.')
        reject(error)
        this.onSilent(error)
      }, this.timeoutMs)
      this.waiting.push({ resolve, reject, timer })
      try {
        this.socket.write({ name: 'PNG', trid: null, args: [], payload: null })
      } catch (error) {
        clearTimeout(timer)
        this.waiting.pop()
        reject(error instanceof JunctionError ? error : closedError())
      }
    })
  }

  onQng(c: MsnpCommand): void {
    const seconds = Number(c.args[0])
    // MSNPSharp re-arms a little early so the next PNG lands inside the server's window.
    if (Number.isFinite(seconds) && seconds > 0) this.seconds = Math.max(1, Math.floor(Math.min(seconds, 3600) * 0.8))
    const p = this.waiting.shift()
    if (p) {
      clearTimeout(p.timer)
      p.resolve()
    }
  }

  /** The session is over: every PNG still waiting fails. */
  rejectAll(): void {
    for (const p of this.waiting.splice(0)) {
      clearTimeout(p.timer)
      p.reject(closedError())
    }
  }
}

function closedError(): JunctionError {
  return new JunctionError('network', 'The Messenger connection is closed.')
}

const MAX_REDIRECTS = 5

export interface OpenOptions<S extends SessionLifecycle, H> {
  target: SocketTarget
  log: Logger
  timeoutMs: number
  signal?: AbortSignal | undefined
  /** e.g. "The Skype server", for the error when redirects never end. */
  server: string
  /** What the first handshake carries (MSNP24's XFR state, MSNP21's hop blob). */
  firstHop: H
  create(socket: MsnpSocket): S
  /** Resolves with where to go next, or null once the session is up. */
  handshake(session: S, hop: H): Promise<{ target: SocketTarget; hop: H } | null>
}

/** Connects, runs the handshake and follows XFR redirects (up to a limit); resolves with the started session. */
export async function openSession<S extends SessionLifecycle, H>(o: OpenOptions<S, H>): Promise<S> {
  let target = o.target
  let hop = o.firstHop
  for (let n = 0; n <= MAX_REDIRECTS; n++) {
    const socket = await MsnpSocket.connect(target, o.log, o.timeoutMs, o.signal)
    const session = o.create(socket)
    let redirect: { target: SocketTarget; hop: H } | null
    try {
      redirect = await o.handshake(session, hop)
    } catch (error) {
      session.abandon()
      throw error
    }
    if (!redirect) {
      session.start()
      return session
    }
    session.abandon()
    ;({ target, hop } = redirect)
    o.log.info({ host: target.host, port: target.port }, 'msnp redirect')
  }
  throw new ProtocolError(`${o.server} redirected Junction too many times.`)
}
