// Microsoft-account OAuth for Skype (spec §10.1, §10.3): the implicit-grant authorize
// URL, the redirect fragment that carries the tokens, and refresh-token grants for the
// per-service scopes.

import { z } from 'zod'
import { JunctionError } from '../../../../shared/errors'
import type { SkypeConfig } from '../config'
import { httpRequest, statusError } from '../http'

export interface TokenGrant {
  accessToken: string
  /** Epoch ms. */
  expiresAt: number
  scope: string
  refreshToken?: string
  /** The Windows Live CID in hex (spec §10.1 `user_id`). */
  userId?: string
}

/** spec §10.2 step 5: when `expires_in` is missing, assume a day. */
const DEFAULT_LIFETIME_S = 86_400
const SIGN_IN = 'the Microsoft sign-in service'

export function authorizeUrl(config: SkypeConfig, redirectUri: string, state: string): string {
  const url = new URL(config.authorizeUrl)
  url.searchParams.set('client_id', config.clientId)
  url.searchParams.set('scope', config.scope)
  url.searchParams.set('response_type', 'token')
  url.searchParams.set('redirect_uri', redirectUri)
  url.searchParams.set('state', state)
  return url.toString()
}

function lifetime(value: string | number | null | undefined): number {
  const n = typeof value === 'number' ? value : Number(value ?? NaN)
  return Number.isFinite(n) && n > 0 && n < 10 * 365 * 86_400 ? n : DEFAULT_LIFETIME_S
}

/**
 * Reads the URL a sign-in ended on (`oauth20_desktop.srf?lc=…#access_token=…`). Cancelling
 * at the Microsoft page (`error=access_denied` or `res=cancel`, which Miranda checks for)
 * is a `cancelled` error; any other failure is `auth-failed`.
 */
export function parseAuthorizeRedirect(redirect: string, expectedState: string, now: number): TokenGrant {
  let url: URL
  try {
    url = new URL(redirect)
  } catch {
    throw new JunctionError('protocol', 'The sign-in ended on an address Junction cannot read.')
  }
  const params = new URLSearchParams(url.search)
  for (const [k, v] of new URLSearchParams(url.hash.replace(/^#/, ''))) params.set(k, v)
  const error = params.get('error')
  if (error === 'access_denied' || params.get('res') === 'cancel') {
    throw new JunctionError('cancelled', 'The Microsoft sign-in was cancelled.')
  }
  if (error !== null) {
    const safe = /^[a-z_]{1,40}$/i.test(error) ? error : 'unknown'
    throw new JunctionError('auth-failed', `Microsoft refused the sign-in (${safe}).`, { detail: safe })
  }
  if (params.get('state') !== expectedState) throw new JunctionError('auth-failed', 'The sign-in came back for a different request. Try again.')
  const accessToken = params.get('access_token')
  const refreshToken = params.get('refresh_token')
  if (!accessToken) throw new JunctionError('auth-failed', 'The Microsoft sign-in gave Junction no access token.')
  if (!refreshToken) throw new JunctionError('auth-failed', 'The Microsoft sign-in gave Junction no refresh token, so it could not stay signed in.')
  const grant: TokenGrant = {
    accessToken,
    refreshToken,
    expiresAt: now + lifetime(params.get('expires_in')) * 1000,
    scope: params.get('scope') ?? ''
  }
  const userId = params.get('user_id')
  if (userId) grant.userId = userId
  return grant
}

const tokenReply = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string()]).optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  user_id: z.string().optional()
})

/** spec §10.3: exchanges the refresh token for a token of one service scope. */
export async function refreshGrant(config: SkypeConfig, refreshToken: string, scope: string, now: () => number, signal?: AbortSignal): Promise<TokenGrant> {
  const body = new URLSearchParams({ client_id: config.clientId, scope, grant_type: 'refresh_token', refresh_token: refreshToken })
  const res = await httpRequest(
    {
      method: 'POST',
      url: config.tokenUrl,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
      timeoutMs: config.requestTimeoutMs,
      maxBytes: 256 * 1024,
      ...(signal ? { signal } : {})
    },
    SIGN_IN
  )
  let json: unknown
  try {
    json = JSON.parse(res.body.toString('utf8'))
  } catch {
    throw res.status === 200
      ? new JunctionError('protocol', 'The Microsoft sign-in service answered with something other than JSON.')
      : statusError(res.status, SIGN_IN)
  }
  if (res.status === 400 || res.status === 401) {
    const code = typeof (json as { error?: unknown })?.error === 'string' ? (json as { error: string }).error : 'invalid_grant'
    const safe = /^[a-z_]{1,40}$/i.test(code) ? code : 'invalid_grant'
    throw new JunctionError('auth-failed', 'Microsoft no longer accepts this sign-in. Sign in again.', { detail: safe })
  }
  if (res.status !== 200) throw statusError(res.status, SIGN_IN)
  const parsed = tokenReply.safeParse(json)
  if (!parsed.success) throw new JunctionError('protocol', 'The Microsoft sign-in service sent a token reply Junction cannot read.')
  const grant: TokenGrant = {
    accessToken: parsed.data.access_token,
    expiresAt: now() + lifetime(parsed.data.expires_in) * 1000,
    scope: parsed.data.scope ?? scope
  }
  if (parsed.data.refresh_token) grant.refreshToken = parsed.data.refresh_token
  if (parsed.data.user_id) grant.userId = parsed.data.user_id
  return grant
}
