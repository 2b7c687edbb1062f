// Long polling for operations (spec §7.2): `fetchOperations(localRev, count)` over the
// legacy Thrift transport, blocking until there is something or the window elapses (HTTP
// 410, an empty answer). Used when the gateway has no event stream, and always on the
// legacy transport. One `startPolling` is one connection: it polls until a poll fails,
// and that failure is the `ended` the supervisor reconnects after.

import { JunctionError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import { delay } from '../../base/timers'
import type { LineTiming } from './config'
import { failureOf } from './http'
import type { LegacyClient } from './legacy-transport'
import type { OperationSink, SourceConnection } from './operation-source'

/** An empty answer faster than this is not a long poll: pause before asking again. */
const MIN_EMPTY_POLL_MS = 500

export function startPolling(o: { legacy: LegacyClient; timing: LineTiming; sink: OperationSink; log: Logger }): SourceConnection {
  const stopper = new AbortController()
  const run = async (): Promise<JunctionError | undefined> => {
    while (!stopper.signal.aborted) {
      try {
        const started = Date.now()
        const ops = await o.legacy.fetchOperations(o.sink.localRev(), o.timing.pollCount, stopper.signal)
        await o.sink.apply(ops)
        if (ops.length === 0 && Date.now() - started < MIN_EMPTY_POLL_MS) await delay(o.timing.reconnectBaseMs, stopper.signal).catch(() => undefined)
      } catch (error) {
        if (stopper.signal.aborted) return undefined
        const e = error instanceof JunctionError ? error : failureOf(error, stopper.signal, null)
        o.log.info({ error: e }, 'operation poll failed')
        return e
      }
    }
    return undefined
  }
  return { ended: run(), close: () => stopper.abort() }
}
