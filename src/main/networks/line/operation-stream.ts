// The operation stream (spec §7.1): Server-Sent Events from /api/operation/receive,
// opened from `localRev`, with an idle timeout (a silent stream is a dead one). One
// `open()` is one connection; when it ends, the supervisor reconnects (networks/
// supervisor.ts) and the next `open()` resumes from the revision applied last. A gateway
// with no stream to offer (404/405/501, or not an event stream) answers `unavailable`, and
// connection.ts long-polls instead.

import { JunctionError, ProtocolError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import type { LineTiming } from './config'
import { LineError } from './errors'
import { unwrapEnvelope, type GatewayClient } from './transport'
import { failureOf, MAX_JSON_BYTES, readBounded } from './http'
import type { OperationSink, SourceConnection } from './operation-source'
import { SseParser, type SseEvent } from './sse'
import { decodeStreamEvent } from './stream-events'

export interface OperationStreamOptions {
  gateway: GatewayClient
  chromeVersion: string
  locale: string
  timing: LineTiming
  sink: OperationSink
  log: Logger
}

/** After this many failures on the same malformed event, it is skipped rather than stalling the account. */
const MAX_BAD_EVENT_TRIES = 3

/** Opens stream connections for one account; remembers a malformed event across them. */
export class OperationStream {
  private bad: { id: string; count: number } | null = null

  constructor(private readonly o: OperationStreamOptions) {}

  /** Opens one connection; resolves once the event stream answered, or with `unavailable`. */
  async open(signal: AbortSignal): Promise<SourceConnection | 'unavailable'> {
    const connection = new AbortController()
    const onAbort = (): void => connection.abort()
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      const { sink } = this.o
      const query = `localRev=${encodeURIComponent(sink.localRev())}&version=${encodeURIComponent(this.o.chromeVersion)}&lastPartialFullSyncs=%7B%7D&language=${encodeURIComponent(this.o.locale)}`
      const res = await this.o.gateway.openStream(`/api/operation/receive?${query}`, connection.signal)
      const type = res.headers.get('content-type') ?? ''
      if (res.status === 404 || res.status === 405 || res.status === 501) {
        await res.body?.cancel().catch(() => undefined)
        return 'unavailable'
      }
      if (!res.ok || !type.includes('text/event-stream')) {
        if (type.includes('json')) {
          const bytes = await readBounded(res, MAX_JSON_BYTES)
          unwrapEnvelope(JSON.parse(Buffer.from(bytes).toString('utf8') || 'null'))
        } else await res.body?.cancel().catch(() => undefined)
        if (res.ok) return 'unavailable'
        throw new LineError({ outer: null, httpStatus: res.status })
      }
      if (!res.body) throw new ProtocolError('The operation stream has no body.')
      const body = res.body
      return { ended: this.read(body, connection).then(settled, settled), close: () => connection.abort() }
    } catch (error) {
      connection.abort()
      throw error instanceof SyntaxError ? new ProtocolError('The operation stream answered with broken JSON.', { cause: error }) : error
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  /** Reads until the stream ends, goes silent, is closed, or sends what ends the session. */
  private async read(body: ReadableStream<Uint8Array>, connection: AbortController): Promise<JunctionError | undefined> {
    const queue: SseEvent[] = []
    const parser = new SseParser((e) => queue.push(e))
    const reader = body.getReader()
    let idle: NodeJS.Timeout | undefined
    let silent = false
    const armIdle = (): void => {
      clearTimeout(idle)
      idle = setTimeout(() => {
        silent = true
        connection.abort()
      }, this.o.timing.streamIdleMs)
    }
    try {
      armIdle()
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>
        try {
          chunk = await reader.read()
        } catch (cause) {
          if (silent) throw new JunctionError('timeout', 'The operation stream went silent.', { reason: { code: 'timeout' } })
          if (connection.signal.aborted) return undefined
          throw failureOf(cause, undefined, null)
        }
        if (chunk.done) break
        armIdle()
        parser.push(chunk.value)
        // Operations are applied before more is read: back-pressure, and order.
        if ((await this.drain(queue)) === 'reconnect') break
      }
      parser.end()
      return new JunctionError('network', 'The operation stream ended.', { reason: { code: 'unreachable' } })
    } catch (error) {
      const e = error instanceof JunctionError ? error : failureOf(error, undefined, null)
      this.o.log.info({ error: e }, 'operation stream dropped')
      return e
    } finally {
      clearTimeout(idle)
      connection.abort()
      reader.releaseLock()
    }
  }

  private async drain(queue: SseEvent[]): Promise<'reconnect' | 'continue'> {
    while (queue.length > 0) {
      const raw = queue.shift()!
      let event
      try {
        event = decodeStreamEvent(raw)
      } catch (error) {
        if (this.skipBadEvent(raw, error)) continue
        throw error
      }
      switch (event.kind) {
        case 'operations':
          await this.o.sink.apply(event.operations)
          this.bad = null
          break
        case 'reconnect':
          return 'reconnect'
        case 'fullSync':
        case 'partialFullSync':
          await this.o.sink.resync(event.nextRevision)
          break
        case 'talkException':
          // spec §1.3: 1/7/8 mean the session is dead; anything else is logged.
          if (event.code === 1 || event.code === 7 || event.code === 8) {
            throw new LineError({ outer: 10051, exception: 'TalkException', talkCode: event.code, reason: event.reason })
          }
          this.o.log.warn({ code: event.code }, 'operation stream reported an exception')
          break
        case 'connInfoRevision':
        case 'ping':
        case 'ignored':
          break
      }
    }
    return 'continue'
  }

  /** A malformed event with a revision id is retried by reconnecting, and skipped once it keeps failing. */
  private skipBadEvent(raw: SseEvent, error: unknown): boolean {
    const id = raw.id && /^\d+$/.test(raw.id) ? raw.id : null
    if (!id) return false
    this.bad = this.bad?.id === id ? { id, count: this.bad.count + 1 } : { id, count: 1 }
    if (this.bad.count < MAX_BAD_EVENT_TRIES) return false
    this.o.log.error({ id, error }, 'skipping an operation the stream keeps sending malformed')
    this.o.sink.skipTo(id)
    this.bad = null
    return true
  }
}

/** `ended` never rejects: whatever went wrong is the reason it ended. */
function settled(value: unknown): JunctionError | undefined {
  if (value === undefined || value instanceof JunctionError) return value
  return failureOf(value, undefined, null)
}
