// Contact pictures on Skype (issue 12 §3). The MSNP24 session and the address book carry none;
// the web-era contacts service does (spec §11.5): `GET <contacts>/contacts/v2/users/<own
// skypename>?delta&reason=default` with `X-Skypetoken` lists each contact's `profile.avatar_url`.
// The Skype token comes from `POST <api>/rps/skypetoken` with the skype.com access token
// (spec §10.4). The URL is the token Core keeps: a new picture is a new URL.
// Messenger (MSNP18) display pictures need no P2P: the revival service serves each user's at
// `GET <services>/storage/usertile/<user uuid>/static` (msnp18.md §7.3), the uuid being the
// contact's ABFindContactsPaged `contactId` (§3.2) and the token following the SHA1D of the
// msnobj in their NLN (§4.1). That lives in msnp18/pictures.ts, re-exported here, with the
// own account's picture by the `Me` entry's contactId.
// The own Skype account's picture: §11.5's single-profile request, `POST <api>/users/batch/
// profiles` `{"usernames":[<own skypename>]}`, answers an array of profiles whose `avatarUrl`
// is the picture (the field as skype4pidgin reads it; the spec gives no answer shape).

import { z } from 'zod'
import { JunctionError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import type { MediaBytes } from '../connector'
import type { SkypeConfig } from './config'
import type { AccountAuth } from './login/account-auth'
import { httpRequest, statusError } from './http'

export { fetchMessengerPicture } from './msnp18/pictures'

const API = 'the Skype account service'
const CONTACTS = 'the Skype contacts service'
/** A contact's picture is a small image; Core bounds it again. */
const MAX_PICTURE_BYTES = 2 * 1024 * 1024

const skypeTokenShape = z.looseObject({ skypetoken: z.string().min(1).max(8192), expiresIn: z.number().optional() })
const contactsShape = z.looseObject({
  contacts: z
    .array(
      z.looseObject({
        mri: z.string().max(256).optional(),
        id: z.string().max(256).optional(),
        profile: z.looseObject({ avatar_url: z.string().max(2048).nullish() }).nullish()
      })
    )
    .default([])
})

const profilesShape = z.array(z.looseObject({ username: z.string().max(256).optional(), avatarUrl: z.string().max(2048).nullish() })).max(100)

/** spec §10.4: the Skype token for the web-era services. */
export async function fetchSkypeToken(config: SkypeConfig, accessToken: string, signal?: AbortSignal): Promise<string> {
  const body = new URLSearchParams({ scopes: 'client', clientVersion: '0/7.0.0.0//', access_token: accessToken, partner: '999' }).toString()
  const res = await httpRequest(
    {
      method: 'POST',
      url: new URL('rps/skypetoken', withSlash(config.apiUrl)).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      timeoutMs: config.requestTimeoutMs,
      maxBytes: 64 * 1024,
      ...(signal ? { signal } : {})
    },
    API
  )
  if (res.status !== 200) throw statusError(res.status, API)
  const parsed = skypeTokenShape.safeParse(parseJson(res.body))
  if (!parsed.success) throw new JunctionError('protocol', 'The Skype account service answered the token request with something Junction cannot read.')
  return parsed.data.skypetoken
}

/** spec §11.5: each contact's picture URL by address (`8:bob.smith`), for the contacts that have one. */
export async function fetchAvatarUrls(config: SkypeConfig, skypeToken: string, skypeName: string, signal?: AbortSignal): Promise<Map<string, string>> {
  const url = new URL(`contacts/v2/users/${encodeURIComponent(skypeName)}`, withSlash(config.contactsUrl))
  url.search = 'delta&reason=default'
  const res = await httpRequest(
    { method: 'GET', url: url.toString(), headers: { 'X-Skypetoken': skypeToken }, timeoutMs: config.requestTimeoutMs, ...(signal ? { signal } : {}) },
    CONTACTS
  )
  if (res.status !== 200) throw statusError(res.status, CONTACTS)
  const parsed = contactsShape.safeParse(parseJson(res.body))
  if (!parsed.success) throw new JunctionError('protocol', 'The Skype contacts service answered with something Junction cannot read.')
  const out = new Map<string, string>()
  for (const c of parsed.data.contacts) {
    const raw = c.mri ?? c.id
    const address = raw && (/^\d{1,2}:/.test(raw) ? raw : `8:${raw}`)
    const picture = c.profile?.avatar_url
    if (address && picture && allowedPictureUrl(config, picture)) out.set(address, picture)
  }
  return out
}

/**
 * The picture URLs a contact list may name: https on Skype's own hosts, or the configured
 * service origins (a reference server). Anything else is dropped, so a contact list cannot
 * make Junction fetch an arbitrary address.
 */
export function allowedPictureUrl(config: Pick<SkypeConfig, 'apiUrl' | 'contactsUrl'>, raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (url.username || url.password) return false
  if (url.protocol === 'https:' && (url.hostname === 'skype.com' || url.hostname.endsWith('.skype.com') || url.hostname.endsWith('.skypeassets.com')))
    return true
  return [config.apiUrl, config.contactsUrl].some((base) => {
    try {
      return new URL(base).origin === url.origin
    } catch {
      return false
    }
  })
}

/** spec §11.5: the own picture URL; '' when the profile names none (or one Junction would not fetch). */
export async function fetchOwnAvatarUrl(config: SkypeConfig, skypeToken: string, skypeName: string, signal?: AbortSignal): Promise<string> {
  const res = await httpRequest(
    {
      method: 'POST',
      url: new URL('users/batch/profiles', withSlash(config.apiUrl)).toString(),
      headers: { 'X-Skypetoken': skypeToken, 'Content-Type': 'application/json' },
      body: JSON.stringify({ usernames: [skypeName] }),
      timeoutMs: config.requestTimeoutMs,
      maxBytes: 256 * 1024,
      ...(signal ? { signal } : {})
    },
    API
  )
  if (res.status !== 200) throw statusError(res.status, API)
  const parsed = profilesShape.safeParse(parseJson(res.body))
  if (!parsed.success) throw new JunctionError('protocol', 'The Skype account service answered the profile request with something Junction cannot read.')
  const own = parsed.data.find((p) => p.username?.toLowerCase() === skypeName.toLowerCase()) ?? (parsed.data.length === 1 ? parsed.data[0] : undefined)
  const url = own?.avatarUrl
  return url && allowedPictureUrl(config, url) ? url : ''
}

/** What the web-era services say of pictures: the contacts' URLs and the own one (`self`: '' = none, undefined = not known now). */
export interface AvatarUrls {
  contacts: Map<string, string>
  self?: string
}

/**
 * The pictures' URLs; null (logged) when the contacts service is unavailable, and no `self`
 * when the profile request failed: chatting never depends on either.
 */
export async function loadAvatarUrls(config: SkypeConfig, auth: AccountAuth, log: Logger, signal?: AbortSignal): Promise<AvatarUrls | null> {
  const creds = auth.credentials
  if (creds.method !== 'browser') return null
  try {
    const token = await fetchSkypeToken(config, await auth.token('skype'), signal)
    const [contacts, self] = await Promise.all([
      fetchAvatarUrls(config, token, creds.skypeName, signal),
      fetchOwnAvatarUrl(config, token, creds.skypeName, signal).catch((error: unknown) => {
        if (error instanceof JunctionError && error.code === 'cancelled') throw error
        log.warn({ error }, 'own picture unavailable')
        return undefined
      })
    ])
    return self === undefined ? { contacts } : { contacts, self }
  } catch (error) {
    if (error instanceof JunctionError && error.code === 'cancelled') throw error
    log.warn({ error }, 'contact pictures unavailable')
    return null
  }
}

/** Downloads a picture URL from the list (checked again here). */
export async function fetchPicture(config: SkypeConfig, pictureUrl: string): Promise<MediaBytes | null> {
  if (!allowedPictureUrl(config, pictureUrl)) return null
  // No redirects: a redirect could lead anywhere, past the check above.
  const res = await httpRequest(
    { method: 'GET', url: pictureUrl, timeoutMs: config.requestTimeoutMs, maxBytes: MAX_PICTURE_BYTES, redirect: 'manual' },
    CONTACTS
  )
  if (res.status === 404) return null
  if (res.status !== 200) throw new JunctionError('unavailable', 'Skype did not send the contact’s picture.', { detail: `HTTP ${res.status}` })
  return { mime: res.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream', bytes: new Uint8Array(res.body) }
}

function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}
