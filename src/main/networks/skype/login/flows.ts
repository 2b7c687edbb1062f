// The ways to add a Skype account. The browser sign-in (spec §10): open Live's
// authorize page, take the tokens from the redirect fragment, ask `rps/me` and
// `usermap` who this is, then exchange the refresh token for the four service tokens.
// The Passport sign-in (§4.3) is for MSNP21 servers, which only know passwords; the
// Messenger sign-in (issue 16) for revival services, which negotiate MSNP18 or MSNP21.

import { randomInt } from 'node:crypto'
import { JunctionError } from '../../../../shared/errors'
import { randomToken } from '../../../base/ids'
import type { Logger } from '../../../base/log'
import type { LoginIO } from '../../connector'
import { DEFAULT_SERVICE_SCOPES, type ServiceName, type SkypeConfig } from '../config'
import { randomGuid } from '../crypto'
import { storedToken } from './account-auth'
import type { BrowserCredentials, MessengerCredentials, MessengerServer, PassportCredentials, StoredToken } from '../credentials'
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

/** What a password sign-in saves besides its method (spec §4.3): the `1:` identity, a new endpoint id and device id. */
function passwordAccount(fields: Record<string, string>, whose: string): Omit<PassportCredentials, 'method'> {
  const email = (fields.email ?? '').trim().toLowerCase()
  const password = fields.password ?? ''
  if (!/^[^\s@]{1,128}@[^\s@]{1,253}$/.test(email)) throw new JunctionError('invalid-argument', `Enter the e-mail address of your ${whose}.`)
  if (!password) throw new JunctionError('invalid-argument', 'Enter your password.')
  return { v: 1, selfId: `1:${email}`, email, displayName: email.slice(0, email.indexOf('@')), epid: randomGuid(), deviceId: newDeviceId(), password }
}

export async function passportLogin(config: SkypeConfig, fields: Record<string, string>, io: LoginIO, now: () => number): Promise<PassportCredentials> {
  const account = passwordAccount(fields, 'Microsoft account')
  io.step({ kind: 'progress', stage: 'verifying' })
  await Promise.race([requestPassportTickets(config, account.email, account.password, now, io.signal), untilAborted(io.signal)])
  return { ...account, method: 'passport' }
}

/**
 * The server field of the Messenger sign-in: empty = the configured default (msnp18.md §8);
 * `host` or `host:port` = that notification server (port 1863, §1.1) with its HTTP services
 * at `https://host` (§7.3: one host serves them all, behind TLS on public deployments).
 */
export function parseMessengerServer(raw: string | undefined): MessengerServer | undefined {
  const value = (raw ?? '').trim()
  if (!value) return undefined
  const m = /^(?:https?:\/\/)?([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:]{2,45}\])(?::(\d{1,5}))?\/?$/.exec(value)
  const port = m?.[2] === undefined ? 1863 : Number(m[2])
  if (!m || port < 1 || port > 65535)
    throw new JunctionError('invalid-argument', 'Enter the Messenger server as a host name, optionally with a port (msnmsgr.example:1863).')
  const host = m[1]!.replace(/^\[|\]$/g, '').toLowerCase()
  return { host, port, servicesUrl: `https://${m[1]!.toLowerCase()}` }
}

/** Checks the fields; the password is tried by the first connection (SSO, msnp18.md §2), which is the sign-in. */
export function messengerLogin(fields: Record<string, string>, io: LoginIO): MessengerCredentials {
  const account = passwordAccount(fields, 'Messenger account')
  const server = parseMessengerServer(fields.server)
  io.step({ kind: 'progress', stage: 'verifying' })
  return { ...account, method: 'messenger', ...(server ? { server } : {}) }
}
