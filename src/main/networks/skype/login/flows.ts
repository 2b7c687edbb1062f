// The two ways to add a Skype account. The browser sign-in (spec §10): open Live's
// authorize page, take the tokens from the redirect fragment, ask `rps/me` and
// `usermap` who this is, then exchange the refresh token for the four service tokens.
// The Passport sign-in (§4.3) is for MSNP21 servers, which only know passwords.

import { randomInt } from 'node:crypto'
import { JunctionError } from '../../../../shared/errors'
import { randomToken } from '../../../base/ids'
import type { Logger } from '../../../base/log'
import type { LoginIO } from '../../connector'
import { DEFAULT_SERVICE_SCOPES, type ServiceName, type SkypeConfig } from '../config'
import { randomGuid } from '../crypto'
import { storedToken } from './account-auth'
import type { BrowserCredentials, PassportCredentials, StoredToken } from '../credentials'
import { fetchProfile, fetchUserMap, type SkypeProfile } from './glue'
import { authorizeUrl, parseAuthorizeRedirect, refreshGrant } from './oauth'
import { requestPassportTickets } from './passport'

/** spec §14.2: Skype's ActiveSync device ids look like `Skype-3026547794`. */
export function newDeviceId(): string {
  return `Skype-${randomInt(1_000_000_000, 10_000_000_000)}`
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (): void => reject(new JunctionError('cancelled', 'The sign-in was cancelled.'))
    if (signal.aborted) fail()
    else signal.addEventListener('abort', fail, { once: true })
  })
}

const MICROSOFT_SIGN_IN_ORIGINS = ['https://login.microsoftonline.com', 'https://account.microsoft.com']

export async function browserLogin(config: SkypeConfig, io: LoginIO, log: Logger, now: () => number): Promise<BrowserCredentials> {
  const state = randomToken(16)
  // Under the headless host the sign-in comes back to the host; in Electron the sign-in window watches for Live's desktop URI.
  const redirectUri = io.redirectUri ?? config.desktopRedirectUri
  // A Microsoft account's sign-in may pass through Entra ID's and the account site's pages.
  io.step({ kind: 'browser', url: authorizeUrl(config, redirectUri, state), redirectPrefix: redirectUri, origins: MICROSOFT_SIGN_IN_ORIGINS })
  const redirect = await Promise.race([io.waitForRedirect(), untilAborted(io.signal)])
  io.step({ kind: 'progress', stage: 'verifying' })
  const grant = parseAuthorizeRedirect(redirect, state, now())

  const [profile, usermap] = await Promise.all([
    fetchProfile(config, grant.accessToken, io.signal).catch((error: unknown) => {
      // spec §10.4: rps/me is a nicety (a name to show); usermap is what names the account.
      if (error instanceof JunctionError && error.code === 'protocol') {
        log.warn({ error }, 'rps/me was unreadable')
        return {} as SkypeProfile
      }
      throw error
    }),
    fetchUserMap(config, grant.accessToken, io.signal)
  ])

  let refreshToken = grant.refreshToken!
  const tokens: Record<string, StoredToken> = { skype: storedToken(grant, now()) }
  for (const name of Object.keys(DEFAULT_SERVICE_SCOPES) as ServiceName[]) {
    const service = await refreshGrant(config, refreshToken, config.serviceScopes[name], now, io.signal)
    if (service.refreshToken) refreshToken = service.refreshToken
    tokens[name] = storedToken(service, now())
  }
  const email = usermap.partnerUsername ?? profile.email ?? ''
  const fullName = [profile.firstName, profile.lastName].filter(Boolean).join(' ')
  return {
    v: 1,
    method: 'browser',
    selfId: `8:${usermap.skypeName}`,
    skypeName: usermap.skypeName,
    email,
    displayName: fullName || usermap.skypeName,
    epid: randomGuid(),
    deviceId: newDeviceId(),
    refreshToken,
    tokens
  }
}

export async function passportLogin(config: SkypeConfig, fields: Record<string, string>, io: LoginIO, now: () => number): Promise<PassportCredentials> {
  const email = (fields.email ?? '').trim().toLowerCase()
  const password = fields.password ?? ''
  if (!/^[^\s@]{1,128}@[^\s@]{1,253}$/.test(email)) throw new JunctionError('invalid-argument', 'Enter the e-mail address of your Microsoft account.')
  if (!password) throw new JunctionError('invalid-argument', 'Enter your password.')
  io.step({ kind: 'progress', stage: 'verifying' })
  await Promise.race([requestPassportTickets(config, email, password, now, io.signal), untilAborted(io.signal)])
  return {
    v: 1,
    method: 'passport',
    selfId: `1:${email}`,
    email,
    displayName: email.slice(0, email.indexOf('@')),
    epid: randomGuid(),
    deviceId: newDeviceId(),
    password
  }
}
