// What a LINE account keeps between runs (sealed in core's vault): the V3 tokens and when
// to refresh them (spec §4.3), the login certificate that lets a later login skip the
// PIN (spec §4.1), and the Letter Sealing keychain delivered at login (spec §8.1).

import { z } from 'zod'
import { JunctionError } from '../../../shared/errors'
import type { Credentials } from '../connector'
import type { Keychain } from './keychain'
import type { TokenV3 } from './wire'

export interface RetryPolicy {
  initialDelayMs: number
  maxDelayMs: number
  multiplier: number
  jitterRate: number
}

export interface LineCredentials {
  mid: string
  accessToken: string
  refreshToken: string | null
  /** Epoch seconds: tokenIssueTimeEpochSec + durationUntilRefreshInSec (spec §4.3). */
  refreshAtSec: number | null
  retryPolicy: RetryPolicy
  /** 64 hex chars; replayed in verifyCertificate / loginV2 to skip the PIN. */
  certificate: string | null
  keychain: Keychain | null
  loginMethod: 'qr' | 'email'
}

/** spec §4.1 sample policy: 200 ms doubling, ±30 %, up to 104857600 ms. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { initialDelayMs: 200, maxDelayMs: 104_857_600, multiplier: 2, jitterRate: 0.3 }

const keySchema = z.object({ keyId: z.number().int(), version: z.number().int(), publicKey: z.string(), privateKey: z.string() })
const schema = z.object({
  mid: z.string().min(1),
  accessToken: z.string().min(1),
  refreshToken: z.string().nullable(),
  refreshAtSec: z.number().nullable(),
  retryPolicy: z.object({ initialDelayMs: z.number(), maxDelayMs: z.number(), multiplier: z.number(), jitterRate: z.number() }).default(DEFAULT_RETRY_POLICY),
  certificate: z.string().nullable(),
  keychain: z.object({ activeKeyId: z.number().int(), keys: z.array(keySchema).min(1) }).nullable(),
  loginMethod: z.enum(['qr', 'email'])
})

export function parseCredentials(raw: Credentials): LineCredentials {
  const result = schema.safeParse(raw)
  if (!result.success)
    throw new JunctionError('auth-failed', 'The saved LINE session could not be read. Log in again.', { reason: { code: 'credentials-damaged' } })
  return result.data
}

export function toCredentials(c: LineCredentials): Credentials {
  return { ...c }
}

export function retryPolicyOf(token: TokenV3): RetryPolicy {
  const p = token.refreshApiRetryPolicy
  if (!p) return DEFAULT_RETRY_POLICY
  return {
    initialDelayMs: Number(p.initialDelayInMillis ?? DEFAULT_RETRY_POLICY.initialDelayMs),
    maxDelayMs: Number(p.maxDelayInMillis ?? DEFAULT_RETRY_POLICY.maxDelayMs),
    multiplier: p.multiplier ?? DEFAULT_RETRY_POLICY.multiplier,
    jitterRate: p.jitterRate ?? DEFAULT_RETRY_POLICY.jitterRate
  }
}

/** spec §4.3: schedule the refresh at tokenIssueTimeEpochSec + durationUntilRefreshInSec. */
export function refreshAtOf(token: Pick<TokenV3, 'tokenIssueTimeEpochSec' | 'durationUntilRefreshInSec'>, nowMs: number): number | null {
  if (token.durationUntilRefreshInSec === undefined) return null
  const issued = token.tokenIssueTimeEpochSec !== undefined ? Number(token.tokenIssueTimeEpochSec) : Math.floor(nowMs / 1000)
  return issued + Number(token.durationUntilRefreshInSec)
}
