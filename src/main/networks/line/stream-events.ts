// What each event of the operation stream means (spec §7.1, capture 002): default events
// carry one Operation (or an array, or `{operations}`), `ping` and `connInfoRevision` keep
// the stream alive, `reconnect`/`fullSync`/`partialFullSync`/`talkException` steer it.

import { ProtocolError } from '../../../shared/errors'
import type { SseEvent } from './sse'
import { parseOperationOrPassOver, type Operation } from './wire'

export type StreamEvent =
  | { kind: 'operations'; operations: Operation[] }
  | { kind: 'ping' }
  | { kind: 'connInfoRevision'; revision: string }
  | { kind: 'reconnect' }
  | { kind: 'fullSync'; nextRevision: string | null }
  | { kind: 'partialFullSync'; nextRevision: string | null }
  | { kind: 'talkException'; code: number; reason: string }
  | { kind: 'ignored'; event: string }

function json(data: string, what: string): unknown {
  if (data === '' || data === 'null') return null
  try {
    return JSON.parse(data)
  } catch (cause) {
    throw new ProtocolError(`The operation stream sent ${what} that is not JSON.`, { cause })
  }
}

function nextRevisionOf(value: unknown): string | null {
  const next = (value as { nextRevision?: unknown } | null)?.nextRevision
  return (typeof next === 'string' || typeof next === 'number') && /^\d+$/.test(String(next)) ? String(next) : null
}

export function decodeStreamEvent(e: SseEvent): StreamEvent {
  switch (e.event) {
    case 'message': {
      const value = json(e.data, 'an operation')
      if (value === null) return { kind: 'operations', operations: [] }
      // Go clients parse one object per event; OkLine also accepts an array or {operations:[…]} (spec §7.1).
      const list = Array.isArray(value)
        ? value
        : typeof value === 'object' && Array.isArray((value as { operations?: unknown }).operations)
          ? (value as { operations: unknown[] }).operations
          : [value]
      // Broken JSON is retried (a damaged frame) and skipped if it keeps coming (operation-stream.ts); an
      // operation that parsed but cannot be read is passed over at once, as asking again brings the same.
      return { kind: 'operations', operations: list.map((op) => parseOperationOrPassOver(op, 'an operation')) }
    }
    case 'ping':
      return { kind: 'ping' }
    case 'connInfoRevision':
      return { kind: 'connInfoRevision', revision: e.data.trim() }
    case 'reconnect':
      return { kind: 'reconnect' }
    case 'fullSync':
      return { kind: 'fullSync', nextRevision: nextRevisionOf(json(e.data, 'a full sync')) }
    case 'partialFullSync':
      return { kind: 'partialFullSync', nextRevision: nextRevisionOf(json(e.data, 'a partial sync')) }
    case 'talkException': {
      const value = json(e.data, 'an exception') as { code?: unknown; reason?: unknown } | null
      return {
        kind: 'talkException',
        code: typeof value?.code === 'number' ? value.code : -1,
        reason: typeof value?.reason === 'string' ? value.reason.slice(0, 200) : ''
      }
    }
    default:
      return { kind: 'ignored', event: e.event.slice(0, 64) }
  }
}
