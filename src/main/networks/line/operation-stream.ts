// The operation stream (spec §7.1): Server-Sent Events from /api/operation/receive,
// resumed from `localRev` on every reconnect, with an idle timeout (a silent stream is a
// dead one), back-off on failures, and a switch to long polling when the gateway has no
// stream to offer (404/405/501 or not an event stream).

import { JunctionError, ProtocolError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import { delay } from '../../base/timers'
import type { LineTiming } from './config'
import { LineError } from './errors'
import { unwrapEnvelope, type GatewayClient } from './client'
import { failureOf, MAX_JSON_BYTES, readBounded } from './http'
import { reconnectDelay, type OperationSink, type OperationSource } from './operation-source'
import { SseParser, type SseEvent } from './sse'
import { decodeStreamEvent } from './stream-events'

export interface OperationStreamOptions {
  gateway: GatewayClient
  chromeVersion: string
  locale: string
  timing: LineTiming
  sink: OperationSink
  log: Logger
  /** Called when the gateway offers no stream; null keeps retrying SSE. */
  fallback: (() => void) | null
}

type Outcome = 'ended' | 'unavailable'

/** After this many failures on the same malformed event, it is skipped rather than stalling the account. */
const MAX_BAD_EVENT_TRIES = 3

export class OperationStream implements OperationSource {
  private readonly stopper = new AbortController()
  private connection: AbortController | null = null
  private attempt = 0
  private bad: { id: string; count: number } | null = null

  constructor(private readonly o: OperationStreamOptions) {}

  start(): void {
    void this.run()
  }

  stop(): void {
    this.stopper.abort()
    this.connection?.abort()
  }

  private get stopped(): boolean {
    return this.stopper.signal.aborted
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if ((await this.connectOnce()) === 'unavailable') {
          if (this.o.fallback) {
            this.o.log.info({}, 'the gateway offers no operation stream; long polling instead')
            this.o.fallback()
            return
          }
          throw new JunctionError('unavailable', 'LINE’s operation stream is not available.')
        }
      } catch (error) {
        if (this.stopped) return
        const e = error instanceof JunctionError ? error : failureOf(error, this.stopper.signal, null)
        if (e.code === 'auth-failed' || e.code === 'logged-out') {
          if (await this.o.sink.reauthenticate()) continue
          this.o.sink.dead(e)
          return
        }
        const wait = reconnectDelay(this.attempt++, this.o.timing)
        this.o.log.info({ error: e, wait }, 'operation stream dropped; reconnecting')
        this.o.sink.disconnected(Date.now() + wait, e)
        await delay(wait, this.stopper.signal).catch(() => undefined)
      }
    }
  }

  private async connectOnce(): Promise<Outcome> {
    const connection = new AbortController()
    this.connection = connection
    const { sink, timing } = this.o
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

    this.attempt = 0
    sink.connected()
    const queue: SseEvent[] = []
    const parser = new SseParser((e) => queue.push(e))
    const reader = res.body.getReader()
    let idle: NodeJS.Timeout | undefined
    const armIdle = (): void => {
      clearTimeout(idle)
      idle = setTimeout(() => connection.abort(), timing.streamIdleMs)
    }
    try {
      armIdle()
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>
        try {
          chunk = await reader.read()
        } catch (cause) {
          if (this.stopped) throw new JunctionError('cancelled', 'Stopped.')
          throw connection.signal.aborted ? new JunctionError('timeout', 'The operation stream went silent.') : failureOf(cause, undefined, null)
        }
        if (chunk.done) break
        armIdle()
        parser.push(chunk.value)
        // Operations are applied before more is read: back-pressure, and order.
        if ((await this.drain(queue)) === 'reconnect') break
      }
      parser.end()
      return 'ended'
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
