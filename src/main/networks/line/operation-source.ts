// What an operation source (the SSE stream or the long poll) reports to the session, and
// the reconnect back-off both use (spec §7.1: 1 s doubling to 30 s).

import type { JunctionError } from '../../../shared/errors'
import { backoffDelay } from '../../base/backoff'
import type { LineTiming } from './config'
import type { Operation } from './types'

export interface OperationSink {
  /** Where to resume: the highest revision applied. */
  localRev(): string
  /** Applies operations in order; rejects on a transient failure, so they are fetched again. */
  apply(operations: Operation[]): Promise<void>
  /** Moves past a revision that cannot be applied (a malformed event that keeps coming). */
  skipTo(revision: string): void
  /** spec §7.1 fullSync / partialFullSync: resync, then continue from `nextRevision`. */
  resync(nextRevision: string | null): Promise<void>
  /** The connection is up, or down until `retryAt`. */
  connected(): void
  disconnected(retryAt: number, error: JunctionError): void
  /** 401/403 or an auth TalkException: try a token refresh; false when the session is over. */
  reauthenticate(): Promise<boolean>
  /** The session is over (auth): the account needs a new login. */
  dead(error: JunctionError): void
}

export interface OperationSource {
  start(): void
  stop(): void
}

export function reconnectDelay(attempt: number, timing: LineTiming): number {
  return backoffDelay(attempt, { baseMs: timing.reconnectBaseMs, maxMs: timing.reconnectMaxMs, jitter: 0.2 })
}
