// App-state writes made while WhatsApp is not reachable (spec §9.6 "Writing" needs the server):
// a pin, mute, archive or unread mark is queued in the KeyStore with the time it was made (its
// SyncActionValue.timestamp, so a later change on the phone still wins), and sent in order once
// a connection is up and the keys are there. A queued write survives a restart.

import type { ChatStateChange, KeyStore } from '../../../connector'
import { APP_STATE_NS } from './store'

export interface QueuedWrite {
  chat: string
  change: ChatStateChange
  /** ms since the epoch: when the person made the change. */
  at: number
}

/** Keys sort in the order the writes were made. */
const keyOf = (seq: number): string => String(seq).padStart(16, '0')

export function queuedWrites(keyStore: KeyStore): Array<[string, QueuedWrite]> {
  const out: Array<[string, QueuedWrite]> = []
  for (const [key, raw] of keyStore.list(APP_STATE_NS.outbox).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    try {
      const w = JSON.parse(new TextDecoder().decode(raw)) as QueuedWrite
      if (typeof w.chat === 'string' && typeof w.at === 'number' && w.change && typeof w.change === 'object') out.push([key, w])
      else keyStore.commit([{ namespace: APP_STATE_NS.outbox, key, value: null }])
    } catch {
      keyStore.commit([{ namespace: APP_STATE_NS.outbox, key, value: null }])
    }
  }
  return out
}

export function enqueueWrite(keyStore: KeyStore, write: QueuedWrite): void {
  const last = keyStore
    .list(APP_STATE_NS.outbox)
    .map(([key]) => Number(key))
    .reduce((a, b) => Math.max(a, Number.isSafeInteger(b) ? b : 0), 0)
  keyStore.commit([{ namespace: APP_STATE_NS.outbox, key: keyOf(last + 1), value: new TextEncoder().encode(JSON.stringify(write)) }])
}

export function dequeueWrite(keyStore: KeyStore, key: string): void {
  keyStore.commit([{ namespace: APP_STATE_NS.outbox, key, value: null }])
}
