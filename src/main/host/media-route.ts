// Media for the page (issue 13 §7): `GET /media/<messageId>?token=…` streams a message's
// picture or file from Core's media cache (fetching it once from the network), so an
// <img src> needs neither base64 through the Api nor a blob URL that is never revoked.

import type { ServerResponse } from 'node:http'
import { JunctionError } from '../../shared/errors'
import type { Logger } from '../base/log'
import { attachmentDisposition } from '../core/downloads'
import { parseAvatarPath } from '../shell/media-scheme'

export const MEDIA_PATH = '/media/'
/** Profile pictures (issue 12 §3): `/avatar/<accountId>/<remoteId>/<version>?token=…`. */
export const AVATAR_PATH = '/avatar/'
const CHUNK = 64 * 1024
/** Types a browser may show inline; anything else downloads, so a file can never run as a page. */
const INLINE = /^(image\/(png|jpeg|gif|webp|avif)|video\/(mp4|webm)|audio\/(mpeg|ogg|mp4|aac|webm|wav))$/

export interface MediaSource {
  media(messageId: string): Promise<{ mime: string; bytes: Uint8Array; name?: string }>
}

export interface AvatarSource {
  avatar(accountId: string, remoteId: string): Promise<{ mime: string; bytes: Uint8Array }>
}

/** A profile picture; the path after AVATAR_PATH, still URI-encoded (the shell's parser decodes and checks it). */
export function sendAvatar(source: AvatarSource, rawPath: string, res: ServerResponse, log: Logger): void {
  const picture = parseAvatarPath(rawPath)
  if (!picture) return void res.writeHead(404).end()
  // No picture is not a failure: 204, so the page shows the initials without a failed request in its console.
  serve(source.avatar(picture.accountId, picture.remoteId), res, log, 204)
}

export function sendMedia(source: MediaSource, rawId: string, res: ServerResponse, log: Logger): void {
  if (!/^\d{1,18}$/.test(rawId)) return void res.writeHead(404).end()
  serve(source.media(rawId), res, log)
}

function serve(pending: Promise<{ mime: string; bytes: Uint8Array; name?: string }>, res: ServerResponse, log: Logger, missing = 404): void {
  pending.then(
    ({ mime, bytes, name }) => {
      // A file (it has a name) always downloads, even of a type a browser could show (issue 12 §2).
      const inline = INLINE.test(mime) && name === undefined
      res.writeHead(200, {
        'Content-Type': inline ? mime : 'application/octet-stream',
        'Content-Length': String(bytes.byteLength),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cross-Origin-Resource-Policy': 'same-origin',
        'Cache-Control': 'private, max-age=86400',
        ...(inline ? {} : { 'Content-Disposition': attachmentDisposition(name) })
      })
      writeChunks(res, bytes)
    },
    (error: unknown) => {
      const code = error instanceof JunctionError ? error.code : 'internal'
      if (code === 'internal') log.error({ error }, 'media not served')
      if (res.headersSent) return void res.destroy()
      res
        .writeHead(code === 'not-found' ? missing : code === 'unavailable' || code === 'timeout' || code === 'network' ? 503 : 500, {
          'Cache-Control': 'no-store'
        })
        .end()
    }
  )
}

/** Streams in chunks, waiting for the socket to drain, so a large file is not queued whole. */
function writeChunks(res: ServerResponse, bytes: Uint8Array, at = 0): void {
  while (at < bytes.byteLength) {
    const chunk = bytes.subarray(at, Math.min(bytes.byteLength, at + CHUNK))
    at += chunk.byteLength
    if (!res.write(chunk)) {
      res.once('drain', () => writeChunks(res, bytes, at))
      return
    }
  }
  res.end()
}
