// What the two login flows share: their dependencies, their outcome, and the polling of a
// long-poll window that may end in a wrapped HTTP 410 (spec §1.3, §4.1).

import { JunctionError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import type { LoginIO } from '../../connector'
import type { LineTiming } from '../config'
import { refreshAtOf, retryPolicyOf, type LineCredentials } from '../credentials'
import { LineError } from '../errors'
import type { GatewayClient } from '../transport'
import type { Keychain } from '../keychain'
import type { TalkApi } from '../session'
import type { TokenV3 } from '../wire'

export interface LoginDeps {
  gateway: GatewayClient
  talk: TalkApi
  timing: LineTiming
  systemName: string
  log: Logger
  io: LoginIO
}

export interface LoginOutcome {
  mid: string
  token: TokenV3
  certificate: string | null
  keychain: Keychain | null
}

export function credentialsOf(outcome: LoginOutcome, method: 'qr' | 'email', nowMs: number): LineCredentials {
  return {
    mid: outcome.mid,
    accessToken: outcome.token.accessToken,
    refreshToken: outcome.token.refreshToken ?? null,
    refreshAtSec: refreshAtOf(outcome.token, nowMs),
    retryPolicy: retryPolicyOf(outcome.token),
    certificate: outcome.certificate,
    keychain: outcome.keychain,
    loginMethod: method
  }
}

export function cancelled(): JunctionError {
  return new JunctionError('cancelled', 'The login was cancelled.', { reason: { code: 'unknown' } })
}

/**
 * Runs one long poll up to `windows` times while each window ends with the wrapped 410
 * (spec §4.1), backing off between windows. Resolves with the answer, or null when every
 * window ended without one. Other failures are thrown as they are.
 */
export async function pollWindows<T>(deps: LoginDeps, windows: number, poll: () => Promise<T>, backoff: (n: number) => Promise<void>): Promise<T | null> {
  for (let n = 0; n < windows; n++) {
    if (deps.io.signal.aborted) throw cancelled()
    try {
      return await poll()
    } catch (error) {
      if (deps.io.signal.aborted) throw cancelled()
      const windowEnded = (error instanceof LineError && error.isPollTimeout) || (error instanceof JunctionError && error.code === 'timeout')
      if (!windowEnded) throw error
      deps.log.debug({ window: n + 1, of: windows }, 'long-poll window ended')
      if (n + 1 < windows) await backoff(n)
    }
  }
  return null
}
