// Profile pictures (issue 12 §3; spec §6.7): a Profile, Contact and Chat carry `picturePath`
// (Profile and Contact also the older `pictureStatus`), and the picture itself is public at
// `https://profile.line-scdn.net/<picturePath or pictureStatus>[/preview]`. The path is
// the token Core keeps: a new picture is a new path. `/preview` is the small rendition, all
// an avatar needs.

import { JunctionError } from '../../../shared/errors'
import type { MediaBytes } from '../connector'
import { fetchTyped, readBounded } from './http'
import { sniffImageMime } from './media'

/** A profile picture is small; the preview is a few kB. Core bounds it again. */
const MAX_PICTURE_BYTES = 2 * 1024 * 1024

/**
 * The token of a Profile, Contact or Chat: `picturePath`, else `pictureStatus` (spec §6.7),
 * normalised to one leading slash; '' when there is none, or when it is not a plain path
 * (it goes into a URL: no `..`, no query, no scheme, no host).
 */
export function pictureToken(wire: { picturePath?: string | null; pictureStatus?: string | null }): string {
  const raw = (wire.picturePath || wire.pictureStatus || '').trim()
  if (raw === '') return ''
  const path = `/${raw.replace(/^\/+/, '')}`
  if (path.length > 256 || !/^(\/[A-Za-z0-9._~-]+)+$/.test(path) || path.split('/').some((part) => part === '.' || part === '..')) return ''
  return path
}

export interface PictureOptions {
  profileUrl: string
  userAgent: string
  requestTimeoutMs: number
}

/** Downloads the preview of a picture token; null when LINE has none (404). */
export async function fetchPicture(token: string, o: PictureOptions): Promise<MediaBytes | null> {
  if (token === '' || pictureToken({ picturePath: token }) !== token) return null
  const res = await fetchTyped(`${o.profileUrl}${token}/preview`, { method: 'GET', headers: { 'user-agent': o.userAgent }, timeoutMs: o.requestTimeoutMs })
  if (res.status === 404) {
    await res.body?.cancel().catch(() => undefined)
    return null
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined)
    throw new JunctionError('network', 'LINE did not send the profile picture.', { detail: `HTTP ${res.status}`, reason: { code: 'server-unavailable' } })
  }
  const bytes = await readBounded(res, MAX_PICTURE_BYTES)
  return { mime: sniffImageMime(bytes), bytes }
}

/** The picture tokens of one account's contacts, groups and own profile, as last reported. */
export class PictureBook {
  private readonly tokens = new Map<string, string>()

  /** Remembers a token and returns it, for the ContactInfo/ChatInfo/profile event that carries it. */
  note(mid: string, token: string): string {
    this.tokens.set(mid, token)
    return token
  }

  tokenOf(mid: string): string | undefined {
    return this.tokens.get(mid)
  }
}

/** What fetchAvatar needs of the account: its tokens and how to ask LINE again for one it has not seen. */
export interface PictureSource {
  readonly pictures: PictureBook
  readonly config: PictureOptions
  refreshProfile(): Promise<void>
  refreshContact(mid: string): Promise<void>
  refreshChat(mid: string): Promise<void>
}

/** Connector.fetchAvatar: the picture of the token last reported for `mid` (asked for once when unknown). */
export async function fetchAvatar(source: PictureSource, kind: 'contact' | 'chat' | 'self', mid: string): Promise<MediaBytes | null> {
  let token = source.pictures.tokenOf(mid)
  if (token === undefined) {
    if (kind === 'self') await source.refreshProfile()
    else if (kind === 'chat') await source.refreshChat(mid)
    else await source.refreshContact(mid)
    token = source.pictures.tokenOf(mid)
  }
  return token ? fetchPicture(token, source.config) : null
}
