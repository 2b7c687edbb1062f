// What an operation source (the SSE stream or the long poll) needs from the account. A
// source is one connection: it reads until it fails or is closed, and its end is the `ended`
// of the supervised session (networks/supervisor.ts), which owns every reconnect.

import type { JunctionError } from '../../../shared/errors'
import type { Operation } from './wire'

export interface OperationSink {
  /** Where to resume: the highest revision applied. */
  localRev(): string
  /** Applies operations in order; rejects only on a failure that may go differently (errors.ts `mayGoDifferently`), so they are fetched again. */
  apply(operations: Operation[]): Promise<void>
  /** Moves past a revision that cannot be applied (a malformed event that keeps coming). */
  skipTo(revision: string): void
  /** spec §7.1 fullSync / partialFullSync: resync, then continue from `nextRevision`. */
  resync(nextRevision: string | null): Promise<void>
}

/** One live operation connection. */
export interface SourceConnection {
  /** Settles (never rejects) with the error that ended the connection, or undefined for a plain end. */
  readonly ended: Promise<JunctionError | undefined>
  close(): void
}
