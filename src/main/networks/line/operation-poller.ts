// Long polling for operations (spec §7.2): `fetchOperations(localRev, count)` over the
// legacy Thrift transport, blocking until there is something or the window elapses (HTTP
// 410, an empty answer). Used when the gateway has no event stream, and always on the
// legacy transport.

import { JunctionError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import { delay } from '../../base/timers'
import type { LineTiming } from './config'
import { failureOf } from './http'
import type { LegacyClient } from './legacy'
import { reconnectDelay, type OperationSink, type OperationSource } from './operation-source'

/** An empty answer faster than this is not a long poll: pause before asking again. */
const MIN_EMPTY_POLL_MS = 500

export class OperationPoller implements OperationSource {
  private readonly stopper = new AbortController()
  private attempt = 0
  private up = false

  constructor(
    private readonly o: { legacy: LegacyClient; timing: LineTiming; sink: OperationSink; log: Logger }
  ) {}

  start(): void {
    void this.run()
  }

  stop(): void {
    this.stopper.abort()
  }

  private async run(): Promise<void> {
    const { sink, timing } = this.o
    while (!this.stopper.signal.aborted) {
      try {
        const started = Date.now()
        const ops = await this.o.legacy.fetchOperations(sink.localRev(), timing.pollCount, this.stopper.signal)
        if (!this.up) {
          this.up = true
          this.attempt = 0
          sink.connected()
        }
        await sink.apply(ops)
        if (ops.length === 0 && Date.now() - started < MIN_EMPTY_POLL_MS) await delay(timing.reconnectBaseMs, this.stopper.signal).catch(() => undefined)
      } catch (error) {
        if (this.stopper.signal.aborted) return
        const e = error instanceof JunctionError ? error : failureOf(error, this.stopper.signal, null)
        if (e.code === 'auth-failed' || e.code === 'logged-out') {
          if (await sink.reauthenticate()) continue
          sink.dead(e)
          return
        }
        this.up = false
        const wait = reconnectDelay(this.attempt++, timing)
        this.o.log.info({ error: e, wait }, 'operation poll failed; retrying')
        sink.disconnected(Date.now() + wait, e)
        await delay(wait, this.stopper.signal).catch(() => undefined)
      }
    }
  }
}
