// One connection of a signed-in account, as the SessionSupervisor asks for it
// (networks/supervisor.ts, `connectOnce`): the first one proves the session (token refresh
// when due, getProfile, localRev); every one opens the operation source from localRev. The
// source is the SSE stream (spec §7.1), or the long poll (spec §7.2) on the legacy transport,
// when configured, or once the gateway said it has no stream. The source ending is the
// session's `ended`; an auth failure there gets one token refresh (spec §4.3) before it counts.

import { JunctionError } from '../../../shared/errors'
import type { SupervisedSession } from '../supervisor'
import type { LineAccount } from './account'
import { isSessionDead } from './errors'
import { startPolling } from './operation-poller'
import type { SourceConnection } from './operation-source'
import { OperationStream } from './operation-stream'

export class AccountConnections {
  private readonly stream: OperationStream
  /** The gateway answered that it has no event stream: long-poll from now on (spec §7.2). */
  private noStream: boolean

  constructor(
    private readonly account: LineAccount,
    private readonly localRev: string | null
  ) {
    const { config } = account
    this.stream = new OperationStream({
      gateway: account.gateway,
      chromeVersion: account.chromeVersion,
      locale: config.locale,
      timing: config.timing,
      sink: account,
      log: account.log
    })
    this.noStream = config.transport === 'legacy' || config.events === 'poll'
  }

  async connectOnce(signal: AbortSignal): Promise<SupervisedSession> {
    await this.account.prove(this.localRev)
    if (signal.aborted) throw new JunctionError('cancelled', 'The connection was closed.')
    let source: SourceConnection
    try {
      source = await this.openSource(signal)
    } catch (error) {
      // spec §4.3: a stream refused for its token (401/403) gets one refresh before it counts.
      if (!isSessionDead(error) || signal.aborted || !(await this.account.reauthenticate().catch(() => false))) throw error
      source = await this.openSource(signal)
    }
    return { ended: this.afterEnd(source.ended), close: () => source.close() }
  }

  private async openSource(signal: AbortSignal): Promise<SourceConnection> {
    const { account } = this
    if (!this.noStream) {
      const opened = await this.stream.open(signal)
      if (opened !== 'unavailable') return opened
      if (account.config.events !== 'auto')
        throw new JunctionError('unavailable', 'LINE’s operation stream is not available.', { reason: { code: 'server-unavailable' } })
      account.log.info({}, 'the gateway offers no operation stream; long polling instead')
      this.noStream = true
    }
    return startPolling({ legacy: account.legacy, timing: account.config.timing, sink: account, log: account.log })
  }

  /** spec §4.3: 401/403 or an auth TalkException on the source: one refresh, then it is retried like a drop. */
  private async afterEnd(ended: Promise<JunctionError | undefined>): Promise<JunctionError | undefined> {
    const error = await ended
    // A garbled event or an oversized one ends this connection, not the session: the next one
    // resumes from localRev, and an event that keeps failing is skipped (operation-stream.ts).
    if (error && (error.code === 'protocol' || error.code === 'rejected')) {
      return new JunctionError('network', 'The operation stream sent something unreadable; reconnecting.', {
        reason: { code: 'protocol-error' },
        retryable: true,
        cause: error
      })
    }
    if (!isSessionDead(error)) return error
    try {
      if (await this.account.reauthenticate())
        return new JunctionError('network', 'LINE asked for a fresh token; reconnecting.', {
          reason: { code: 'session-expired' },
          retryable: true,
          cause: error
        })
    } catch {
      // reauthenticate reports a dead refresh itself; the original error stands.
    }
    return error
  }
}
