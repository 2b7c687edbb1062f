// `junction-media://media/<messageId>`: the Electron side of issue 13 §7. The renderer's
// <img src> loads a message's media straight from Core's media cache, with no base64
// through the Api and no blob URL to revoke. Pure: the glue in media-protocol.ts hands it
// Electron's request and Core.

import { JunctionError } from '../../shared/errors'
import { attachmentDisposition } from '../core/downloads'

export const MEDIA_SCHEME = 'junction-media'
export const MEDIA_URL_BASE = `${MEDIA_SCHEME}://media/`

const INLINE = /^(image\/(png|jpeg|gif|webp|avif)|video\/(mp4|webm)|audio\/(mpeg|ogg|mp4|aac|webm|wav))$/

export interface MediaAnswer {
  status: number
  headers: Record<string, string>
  body: Uint8Array | null
}

export const AVATAR_URL_BASE = `${MEDIA_SCHEME}://avatar/`

/** A profile picture's source (Core.avatar): the account and the remote id the picture belongs to. */
export type AvatarSource = (accountId: string, remoteId: string) => Promise<{ mime: string; bytes: Uint8Array }>

/**
 * `avatar/<accountId>/<remoteId, URI-encoded>/<version>` (AppInfo.avatars, issue 12 §3): the
 * parts, or null when the path is not one. The version only keeps a changed picture from
 * being served from the page's cache; Core serves the picture of the token it holds.
 */
export function parseAvatarPath(path: string): { accountId: string; remoteId: string } | null {
  const m = /^\/?([A-Za-z0-9_-]{1,64})\/([^/]{1,768})\/[a-z0-9]{1,32}$/.exec(path)
  if (!m) return null
  let remoteId: string
  try {
    remoteId = decodeURIComponent(m[2]!)
  } catch {
    return null
  }
  return remoteId.length > 0 && remoteId.length <= 512 && !/\p{Cc}/u.test(remoteId) ? { accountId: m[1]!, remoteId } : null
}

/** Answers one request: the message id from the URL, its bytes from `media`, the headers that keep it inert. */
export async function answerMediaRequest(
  url: string,
  method: string,
  media: (messageId: string) => Promise<{ mime: string; bytes: Uint8Array; name?: string }>,
  avatar?: AvatarSource
): Promise<MediaAnswer> {
  const plain = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' }
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: plain, body: null }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { status: 400, headers: plain, body: null }
  }
  if (parsed.protocol !== `${MEDIA_SCHEME}:`) return { status: 404, headers: plain, body: null }
  const id = parsed.host === 'media' ? /^\/(\d{1,18})$/.exec(parsed.pathname)?.[1] : undefined
  const picture = parsed.host === 'avatar' && avatar ? parseAvatarPath(parsed.pathname) : null
  if (!id && !picture) return { status: 404, headers: plain, body: null }
  try {
    const { mime, bytes, name }: { mime: string; bytes: Uint8Array; name?: string } = picture
      ? await avatar!(picture.accountId, picture.remoteId)
      : await media(id!)
    // A file (it has a name) always downloads, even of a type a browser could show (issue 12 §2).
    const inline = INLINE.test(mime) && name === undefined
    return {
      status: 200,
      headers: {
        'Content-Type': inline ? mime : 'application/octet-stream',
        'Content-Length': String(bytes.byteLength),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, max-age=86400',
        ...(inline ? {} : { 'Content-Disposition': attachmentDisposition(name) })
      },
      body: method === 'HEAD' ? null : bytes
    }
  } catch (error) {
    const code = error instanceof JunctionError ? error.code : 'internal'
    // A profile picture that does not exist is "no content" (initials), not an error the page logs.
    const status = code === 'not-found' ? (picture ? 204 : 404) : code === 'unavailable' || code === 'timeout' || code === 'network' ? 503 : 500
    return { status, headers: plain, body: null }
  }
}
