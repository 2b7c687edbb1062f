// Keeps the V3 access token fresh (spec §4.3): a refresh scheduled before the refresh time,
// and on demand when a call fails with 119 MUST_REFRESH_V3_TOKEN. The gateway's 10202
// means "retry later" with the token's own retry policy; 10201 means log in again.

import { JunctionError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import { delay } from '../../base/timers'
import { refreshAtOf, retryPolicyOf, type LineCredentials } from './credentials'
import { GW, LineError, SESSION_EXPIRED } from './errors'
import type { GatewayClient } from './transport'
import { parseWire, TokenV3Wire } from './wire'

const MAX_TIMER_MS = 2 ** 31 - 1
const MAX_RETRIES = 8

export interface TokenKeeperOptions {
  gateway: GatewayClient
  log: Logger
  refreshEarlySec: number
  /** The credentials changed: core must persist them (a `credentials` event). */
  onRotated(credentials: LineCredentials): void
  /** The refresh token is dead: the account needs a new login. */
  onDead(error: JunctionError): void
  now?: () => number
}

export class TokenKeeper {
  private timer: NodeJS.Timeout | null = null
  private inflight: Promise<void> | null = null
  private readonly abort = new AbortController()

  constructor(
    private credentials: LineCredentials,
    private readonly o: TokenKeeperOptions
  ) {}

  private now(): number {
    return this.o.now?.() ?? Date.now()
  }

  get current(): LineCredentials {
    return this.credentials
  }

  /** True when the refresh time has passed (a restore after a long pause). */
  get due(): boolean {
    const at = this.credentials.refreshAtSec
    return at !== null && this.credentials.refreshToken !== null && at - this.o.refreshEarlySec <= this.now() / 1000
  }

  start(): void {
    this.schedule()
  }

  stop(): void {
    this.abort.abort()
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const at = this.credentials.refreshAtSec
    if (at === null || this.credentials.refreshToken === null || this.abort.signal.aborted) return
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, (at - this.o.refreshEarlySec) * 1000 - this.now()))
    this.timer = setTimeout(() => {
      this.timer = null
      this.refresh().catch((error: unknown) => {
        const e = error instanceof JunctionError ? error : new JunctionError('internal', 'The LINE token could not be refreshed.', { cause: error })
        if (e.code === 'cancelled') return
        if (e.code === 'auth-failed' || e.code === 'logged-out') this.o.onDead(e)
        else {
          this.o.log.warn({ error: e }, 'token refresh failed; trying again later')
          this.timer = setTimeout(() => this.schedule(), 60_000)
        }
      })
    }, wait)
  }

  /** spec §4.3: a legy response rotated the access token (`x-line-next-access`); keep and persist it. */
  adopt(accessToken: string): void {
    if (accessToken === this.credentials.accessToken) return
    this.credentials = { ...this.credentials, accessToken }
    this.o.gateway.setAccessToken(accessToken)
    this.o.onRotated(this.credentials)
  }

  /** One refresh at a time; concurrent callers share it. */
  refresh(): Promise<void> {
    this.inflight ??= this.refreshOnce().finally(() => {
      this.inflight = null
    })
    return this.inflight
  }

  private async refreshOnce(): Promise<void> {
    const refreshToken = this.credentials.refreshToken
    if (!refreshToken) throw new JunctionError('auth-failed', 'LINE needs you to log in again (no refresh token).', { reason: SESSION_EXPIRED })
    const policy = this.credentials.retryPolicy
    for (let attempt = 0; ; attempt++) {
      try {
        const data = await this.o.gateway.tokenRefresh(refreshToken, this.abort.signal)
        const token = parseWire(TokenV3Wire, data, 'a refreshed token')
        const next: LineCredentials = {
          ...this.credentials,
          accessToken: token.accessToken,
          // spec §4.3: the response is a partial tokenV3IssueResult; the refresh token may rotate.
          refreshToken: token.refreshToken ?? refreshToken,
          refreshAtSec: refreshAtOf(token, this.now()),
          retryPolicy: token.refreshApiRetryPolicy ? retryPolicyOf(token) : policy
        }
        this.credentials = next
        this.o.gateway.setAccessToken(next.accessToken)
        this.o.log.info({ refreshAtSec: next.refreshAtSec }, 'access token refreshed')
        this.o.onRotated(next)
        this.schedule()
        return
      } catch (error) {
        if (error instanceof LineError && error.info.outer === GW.AUTH_RETRY_REQUIRED && attempt < MAX_RETRIES) {
          // spec §4.3: initialDelay * multiplier^n ± jitter, up to maxDelay.
          const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** attempt)
          await delay(Math.max(0, Math.round(base * (1 + policy.jitterRate * (Math.random() * 2 - 1)))), this.abort.signal)
          continue
        }
        if (error instanceof LineError && error.info.outer === GW.AUTH_INVALID_REQUEST) {
          throw new JunctionError('auth-failed', 'LINE refused to renew the session. Log in again.', {
            cause: error,
            detail: 'gateway 10201',
            reason: SESSION_EXPIRED
          })
        }
        throw error
      }
    }
  }
}
