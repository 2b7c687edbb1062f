// The one owner of "keep the session up", for every network alike (docs/architecture.md,
// "The supervisor"). A Connector supplies one connection attempt and, optionally, what its
// errors mean; the supervisor owns the timers, the attempts, the capped and jittered
// back-off, the `status` events and "reconnect now". It reconnects at once when the
// machine's network comes back (Connectivity) or, where nothing reports that, on the next
// successful probe while it waits. Code that sends and receives never reconnects on its own.

import { JunctionError, verdictForError, type Reason, type SessionVerdict } from '../../shared/errors'
import type { AccountStatus, ConnectionState } from '../../shared/model'
import { backoffDelay, type BackoffOptions } from '../base/backoff'
import type { Logger } from '../base/log'
import type { Connectivity } from './connector'

/** A live connection, as the supervisor sees it. */
export interface SupervisedSession {
  /** Settles (never rejects) when the connection is gone, with why: an error, or undefined for a plain close. */
  readonly ended: Promise<unknown>
  /** Tears the connection down; `ended` then settles. */
  close(): void
}

export interface SessionTarget {
  /** One attempt: connect and authenticate; resolves once online, rejects with why it could not. */
  connectOnce(signal: AbortSignal): Promise<SupervisedSession>
  /** What an error means for the session; `verdictForError` (shared/errors.ts) where absent. */
  classify?(error: unknown): SessionVerdict
  /** A cheap reachability check (a TCP connect to the endpoint), used while waiting after the network was unreachable. */
  probe?(): Promise<boolean>
}

export interface SupervisorOptions {
  emitStatus(status: AccountStatus): void
  log: Logger
  backoff?: BackoffOptions
  connectivity?: Connectivity
  /** How often to probe while waiting out a back-off after an unreachable network. */
  probeIntervalMs?: number
  /** A session that stayed up this long resets the back-off; one that drops at once keeps climbing it. */
  stableAfterMs?: number
  clock?: () => number
  random?: () => number
}

export const SUPERVISOR_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 60_000, jitter: 0.3 }
const PROBE_INTERVAL_MS = 3_000
const STABLE_AFTER_MS = 10_000

type Phase = 'idle' | 'connecting' | 'online' | 'waiting' | 'stopped'

export class SessionSupervisor {
  private phase: Phase = 'idle'
  private started = false
  private attempt = 0
  private session: SupervisedSession | null = null
  private abort: AbortController | null = null
  private waitTimer: NodeJS.Timeout | null = null
  private probeTimer: NodeJS.Timeout | null = null
  private onlineSince = 0
  private lastReason: Reason | undefined
  private status: AccountStatus = { state: 'offline' }
  private readonly unsubscribeConnectivity: () => void
  private firstSettled: ((error?: JunctionError) => void) | null = null

  constructor(
    private readonly target: SessionTarget,
    private readonly o: SupervisorOptions
  ) {
    this.unsubscribeConnectivity = o.connectivity?.onOnline(() => this.onMachineOnline()) ?? (() => {})
  }

  get state(): ConnectionState {
    return this.status.state
  }

  /**
   * Whether anything can still reconnect on its own: an attempt in flight, a back-off or probe
   * timer armed. False after a terminal verdict (needs a login, offline) and after `stop()`, so
   * a test proves "no reconnect loop" by reading it instead of sleeping.
   */
  get pending(): boolean {
    return this.phase === 'connecting' || this.waitTimer !== null || this.probeTimer !== null
  }

  /**
   * Starts keeping the session up. Resolves once the first attempt settled (online, or a retry
   * is scheduled); rejects with the error when it needs a login, or when it went offline for good.
   */
  start(): Promise<void> {
    if (this.phase === 'stopped') return Promise.reject(new JunctionError('cancelled', 'The connection was closed.'))
    return new Promise<void>((resolve, reject) => {
      this.firstSettled = (error) => (error ? reject(error) : resolve())
      this.started = true
      this.attempt = 0
      this.setStatus({ state: 'connecting' })
      void this.connect()
    })
  }

  /** A session established elsewhere (a fresh login) that the supervisor keeps up from now on. */
  adopt(session: SupervisedSession): void {
    if (this.phase === 'stopped') {
      session.close()
      return
    }
    this.attempt = 0
    this.started = true
    this.online(session)
  }

  /**
   * Skips the back-off (the rail's "Reconnect now", the machine's network back), or tries again
   * an account that went offline (signed in elsewhere: the person asked to take it back). No-op
   * while online or connecting, and while a login is needed.
   */
  reconnectNow(): void {
    if (this.phase !== 'waiting' && !(this.phase === 'idle' && this.started && this.status.state === 'offline')) return
    this.o.log.info({}, 'reconnecting now')
    this.clearWait()
    void this.connect()
  }

  /** Ends the live session for a reason found inside it (a stream error): it is classified like any other end. */
  fail(error: unknown): void {
    if (this.phase !== 'online' || !this.session) return
    const session = this.session
    this.session = null
    session.close()
    this.afterFailure(error)
  }

  /** Stops for good: closes the live session and every timer. */
  async stop(): Promise<void> {
    if (this.phase === 'stopped') return
    this.phase = 'stopped'
    this.clearWait()
    this.abort?.abort()
    this.unsubscribeConnectivity()
    const session = this.session
    this.session = null
    if (session) {
      session.close()
      await session.ended
    }
    this.settleFirst(new JunctionError('cancelled', 'The connection was closed.'))
  }

  private async connect(): Promise<void> {
    if (this.phase === 'stopped') return
    this.phase = 'connecting'
    if (this.attempt > 0) this.setStatus({ state: 'reconnecting', ...(this.lastReason ? { reason: this.lastReason } : {}) })
    const abort = new AbortController()
    this.abort = abort
    let session: SupervisedSession
    try {
      session = await this.target.connectOnce(abort.signal)
    } catch (error) {
      if (this.abort === abort) this.abort = null
      if (this.isStopped()) return
      this.afterFailure(error)
      return
    }
    if (this.abort === abort) this.abort = null
    if (this.isStopped()) {
      session.close()
      return
    }
    this.online(session)
  }

  private online(session: SupervisedSession): void {
    this.phase = 'online'
    this.session = session
    this.onlineSince = this.now()
    this.lastReason = undefined
    this.setStatus({ state: 'online' })
    this.settleFirst()
    void session.ended.then((why) => {
      if (this.session !== session) return
      this.session = null
      if (this.now() - this.onlineSince >= (this.o.stableAfterMs ?? STABLE_AFTER_MS)) this.attempt = 0
      this.afterFailure(why ?? new JunctionError('network', 'The connection closed.'))
    })
  }

  private afterFailure(error: unknown): void {
    const verdict = this.classify(error)
    this.o.log.warn({ action: verdict.action, reason: verdict.reason.code, error }, 'session ended')
    if (verdict.action === 'needs-login' || verdict.action === 'offline') {
      this.phase = 'idle'
      this.setStatus({ state: verdict.action, reason: verdict.reason })
      this.settleFirst(asJunctionError(error, verdict))
      return
    }
    this.lastReason = verdict.reason
    const wait = backoffDelay(this.attempt++, this.o.backoff ?? SUPERVISOR_BACKOFF, this.o.random)
    this.phase = 'waiting'
    this.setStatus({ state: 'reconnecting', retryAt: this.now() + wait, reason: verdict.reason })
    this.settleFirst()
    this.waitTimer = setTimeout(() => {
      this.waitTimer = null
      this.clearWait()
      void this.connect()
    }, wait)
    if (verdict.reason.code === 'unreachable' || verdict.reason.code === 'timeout') this.armProbe()
  }

  /** Read through a method: `stop()` may run while an attempt awaits, which narrowing cannot see. */
  private isStopped(): boolean {
    return this.phase === 'stopped'
  }

  private classify(error: unknown): SessionVerdict {
    try {
      return this.target.classify?.(error) ?? verdictForError(error)
    } catch {
      return verdictForError(error)
    }
  }

  /** headless: no one reports the machine's network coming back, so ask the endpoint now and then. */
  private armProbe(): void {
    const probe = this.target.probe
    if (!probe) return
    const interval = this.o.probeIntervalMs ?? PROBE_INTERVAL_MS
    const tick = (): void => {
      this.probeTimer = setTimeout(() => {
        this.probeTimer = null
        if (this.phase !== 'waiting') return
        probe.call(this.target).then(
          (ok) => (ok ? this.reconnectNow() : this.phase === 'waiting' && tick()),
          () => this.phase === 'waiting' && tick()
        )
      }, interval)
    }
    tick()
  }

  private onMachineOnline(): void {
    if (this.phase === 'waiting') this.reconnectNow()
  }

  private clearWait(): void {
    if (this.waitTimer) clearTimeout(this.waitTimer)
    if (this.probeTimer) clearTimeout(this.probeTimer)
    this.waitTimer = null
    this.probeTimer = null
  }

  private settleFirst(error?: JunctionError): void {
    const settle = this.firstSettled
    this.firstSettled = null
    settle?.(error)
  }

  private setStatus(status: AccountStatus): void {
    this.status = status
    this.o.emitStatus(status)
  }

  private now(): number {
    return (this.o.clock ?? Date.now)()
  }
}

function asJunctionError(error: unknown, verdict: SessionVerdict): JunctionError {
  if (error instanceof JunctionError) return error
  const code = verdict.action === 'needs-login' ? 'auth-failed' : 'network'
  return new JunctionError(code, 'The session could not be resumed.', { cause: error, reason: verdict.reason })
}
