// The shapes Ingest's coalescing queue works with (ingest.ts explains the queue): the
// limits that bound it, a queued event, and what the renderer hears once a batch committed.

import type { ApiEvents } from '../../shared/api'
import type { Message } from '../../shared/model'
import type { ConnectorEvent } from '../networks/connector'

export type EmitApiEvent = <K extends keyof ApiEvents>(name: K, payload: ApiEvents[K]) => void

export interface IngestHooks {
  /** A status change, a rotated credential or a profile change: the account manager owns these. */
  onAccountEvent(accountId: string, event: Extract<ConnectorEvent, { type: 'status' | 'credentials' | 'profile' }>): void
}

/** Events queued in one coalesced transaction at most. */
export const MAX_PENDING = 2_000
/** The oldest queued event waits at most this long (a frame is 16 ms). */
export const MAX_DELAY_MS = 8
/** How long a queue waits for more while a stream is running. */
export const STREAM_WINDOW_MS = 4

export type AccountEvent = Extract<ConnectorEvent, { type: 'status' | 'credentials' | 'profile' }>

export interface Queued {
  accountId: string
  event: ConnectorEvent
}

/** What the renderer hears once the transaction it belongs to has committed. */
export interface Session {
  emits: Array<() => void>
  chats: Set<number>
  fresh: Message[]
}

export function isAccountEvent(event: ConnectorEvent): event is AccountEvent {
  return event.type === 'status' || event.type === 'credentials' || event.type === 'profile'
}
