// Display pictures of Messenger (MSNP18) contacts, without P2P. The revival service keeps
// each user's picture at `GET <services>/storage/usertile/<user uuid>/static` (msnp18.md §7.3,
// on the one HTTP base of §8), and ABFindContactsPaged names each contact's user uuid as its
// `contactId` (§3.2). Whether a contact has a picture, and which, is the msnobj of their
// NLN (§4.1): `0`, empty or `<msnobj/>` is none, and its SHA1D changes with the picture.
//
// So a contact's picture token (ContactInfo.avatar) is `msnp18:<uuid>:<SHA1D>` once an NLN
// said which picture, '' once it said none, and `msnp18:<uuid>` ("ask once") for a contact
// never seen online, whose 404 then means "no picture". The uuid rides in the token so the
// fetch needs nothing but the address book; it is checked to be a uuid, and the URL is built
// on the account's configured HTTP base alone: nothing a server sends names an address.

import { JunctionError } from '../../../../shared/errors'
import type { AvatarKind, MediaBytes } from '../../connector'
import type { AddressBook } from '../contacts'
import { httpRequest, statusError } from '../http'
import type { PresenceUpdate } from '../msnp/read'
import { decodeArg } from './args'

/** A presence push with the picture token its msnobj gives; absent when it says nothing Junction can use. */
export type Presence18Update = PresenceUpdate & { picture?: string }

/** What an msnobj argument says about the display picture (§4.1). */
export type DisplayPicture = { kind: 'none' } | { kind: 'picture'; sha1d: string } | { kind: 'unknown' }

const SERVICE = 'the Messenger picture service'
/** A display picture is a small image; Core bounds it again (core/avatars.ts). */
export const MAX_PICTURE_BYTES = 2 * 1024 * 1024
const UUID = /^\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?$/
/** SHA1D is the base64 of a SHA-1 (28 characters); a little slack, nothing that is not base64. */
const SHA1D = /^[A-Za-z0-9+/]{20,40}={0,2}$/
const TOKEN = /^msnp18:([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})(?::([A-Za-z0-9+/=]{20,42}))?$/

/** §4.1: the msnobj argument of NLN/ILN/CHG, percent-encoded on the wire (§1.2). */
export function readMsnObject(arg: string | undefined): DisplayPicture {
  const raw = arg === undefined ? '' : decodeArg(arg).trim()
  if (raw === '' || raw === '0') return { kind: 'none' }
  if (!/^<msnobj[\s/>]/.test(raw)) return { kind: 'unknown' }
  if (/^<msnobj\s*\/>$/.test(raw) || /^<msnobj\s*><\/msnobj>$/.test(raw)) return { kind: 'none' }
  // Type 3 is the display picture (an NLN carries nothing else); another type is not one.
  const type = /\sType="([^"]*)"/.exec(raw)?.[1]
  if (type !== undefined && type !== '3') return { kind: 'unknown' }
  const sha1d = /\sSHA1D="([^"]*)"/.exec(raw)?.[1]
  return sha1d && SHA1D.test(sha1d) ? { kind: 'picture', sha1d } : { kind: 'unknown' }
}

/** The user uuid a `contactId` names, or null when it is not one (it goes into a URL path). */
export function userUuid(contactId: string | undefined): string | null {
  return UUID.exec(contactId ?? '')?.[1] ?? null
}

/** The token for what an NLN said, for a contact with user uuid `contactId`; undefined: keep the token as it is. */
export function pushedToken(contactId: string | undefined, picture: DisplayPicture): string | undefined {
  if (picture.kind === 'none') return ''
  const uuid = userUuid(contactId)
  if (picture.kind === 'unknown' || !uuid) return undefined
  return `msnp18:${uuid}:${picture.sha1d}`
}

/** An NLN's presence with its picture token, for the contact whose user uuid `contactIds` holds (from the address book). */
export function withPicture(update: PresenceUpdate, msnobj: string | undefined, contactIds: ReadonlyMap<string, string>): Presence18Update {
  const picture = pushedToken(contactIds.get(update.address.replace(/^1:/, '')), readMsnObject(msnobj))
  return picture === undefined ? update : { ...update, picture }
}

/**
 * The token an address-book entry starts with: what the contact's last NLN gave (kept across
 * resyncs and reconnects), else "ask once" by their uuid; undefined without a uuid.
 */
export function bookToken(contactId: string | undefined, previous: string | undefined): string | undefined {
  const uuid = userUuid(contactId)
  if (previous === '' || (previous !== undefined && uuid !== null && uuidOfToken(previous) === uuid)) return previous
  return uuid ? `msnp18:${uuid}` : undefined
}

export function uuidOfToken(token: string): string | null {
  return TOKEN.exec(token)?.[1] ?? null
}

export interface PictureService {
  /** msnp18.md §8: the account's configured HTTP base (never one a server named). */
  servicesUrl: string
  timeoutMs: number
  signal?: AbortSignal
}

/**
 * `fetchAvatar` for a Messenger account: a contact's picture by the token in the address book,
 * the own one by our user uuid (`selfUuid`, the `Me` entry's contactId); null for none and for
 * groups. A contact not loaded yet or an unknown own uuid is "not now", not "none" (Core would
 * remember none).
 */
export async function fetchMessengerPicture(
  service: PictureService,
  book: AddressBook,
  kind: AvatarKind,
  remoteId: string,
  selfUuid?: string
): Promise<MediaBytes | null> {
  if (kind === 'self') {
    if (!selfUuid) throw new JunctionError('unavailable', 'Junction does not know this Messenger account’s picture yet.', { reason: { code: 'unreachable' } })
    return fetchUsertile(service, selfUuid)
  }
  if (kind !== 'contact') return null
  const entry = book.get(remoteId)
  // Not loaded yet (a restore still signing in): not "no picture", which Core would remember.
  if (!entry) throw new JunctionError('unavailable', 'Junction does not know this Messenger contact yet.', { reason: { code: 'unreachable' } })
  const uuid = entry.avatar ? uuidOfToken(entry.avatar) : null
  return uuid ? fetchUsertile(service, uuid) : null
}

/**
 * §7.3: `GET <base>/storage/usertile/<uuid>/static`; 404 is "no picture". `/static` (the picture
 * as set), not `/small`: Escargot makes `/small` a 21 × 21 thumbnail, blurred at the chat list's size.
 */
export async function fetchUsertile(service: PictureService, uuid: string): Promise<MediaBytes | null> {
  const checked = userUuid(uuid)
  if (!checked) throw new JunctionError('invalid-argument', 'That is not a Messenger user id.')
  const base = service.servicesUrl.endsWith('/') ? service.servicesUrl : `${service.servicesUrl}/`
  const url = new URL(`storage/usertile/${encodeURIComponent(checked)}/static`, base)
  let res
  try {
    // No redirects: one could lead anywhere, away from the configured service.
    res = await httpRequest(
      {
        method: 'GET',
        url: url.toString(),
        timeoutMs: service.timeoutMs,
        maxBytes: MAX_PICTURE_BYTES,
        redirect: 'manual',
        ...(service.signal ? { signal: service.signal } : {})
      },
      SERVICE
    )
  } catch (error) {
    if (error instanceof JunctionError && error.code === 'protocol') throw tooLarge(error)
    throw error
  }
  if (res.status === 404) return null
  if (res.status >= 300 && res.status < 400)
    throw new JunctionError('rejected', 'The Messenger picture service sent Junction elsewhere; Junction does not follow it.', {
      detail: `HTTP ${res.status}`,
      reason: { code: 'refused', params: { what: 'avatar-redirect' } }
    })
  if (res.status !== 200) throw statusError(res.status, SERVICE)
  const mime = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? ''
  if (!/^image\/[\w.+-]{1,64}$/.test(mime) || res.body.length === 0)
    throw new JunctionError('rejected', 'The Messenger picture service sent something that is not a picture.', {
      detail: mime ? `Content-Type ${mime.slice(0, 64)}` : 'no Content-Type',
      reason: { code: 'refused', params: { what: 'avatar-type' } }
    })
  return { mime, bytes: new Uint8Array(res.body) }
}

function tooLarge(cause: JunctionError): JunctionError {
  return new JunctionError('rejected', 'That Messenger display picture is too large.', {
    cause,
    reason: { code: 'refused', params: { what: 'avatar-size', limit: String(MAX_PICTURE_BYTES) } }
  })
}
