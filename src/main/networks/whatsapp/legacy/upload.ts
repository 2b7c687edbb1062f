// Sending a picture or a document (spec §7.3, §7.4): the file is encrypted end to end with a
// fresh media key, the encrypted blob goes to a media host named by `["query","mediaConn"]`
// with that answer's auth token, and the address the host gives back goes into the
// `imageMessage` / `documentMessage` that is relayed. The media connection is cached for its
// `ttl`; a host that fails is skipped for the next one, and a refused token is fetched anew.

import { randomBytes } from 'node:crypto'
import { JunctionError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import { progressBody, type UploadProgress } from '../../../base/upload-body'
import type { WhatsAppConfig } from './config'
import { encryptMedia } from '../media-crypto'
import type { UploadedMedia } from './messages'
import type { WASession } from './session'
import { uploadReplySchema } from './wire-schemas'

export type UploadKind = 'image' | 'document'

/**
 * What this client sends, declared as the account's capabilities: WhatsApp's documented
 * limit for photos and videos is 16 MB (documents went to 100 MB, but one limit covers both
 * here, and the bridge caps a draft at 20 MB anyway). Any type goes as a document.
 */
export const LEGACY_MAX_UPLOAD_BYTES = 16 * 1024 * 1024

interface MediaConn {
  auth: string
  hosts: string[]
  expiresAt: number
}

/** spec §7.4 step 2: the upload token is base64url(fileEncSha256), unpadded as Baileys sends it (go keeps `=`; both worked). */
export function uploadToken(fileEncSha256: Uint8Array): string {
  return Buffer.from(fileEncSha256).toString('base64url')
}

/** spec §7.4 step 3: `https://<host>/mms/<image|document>/<token>?auth=…&token=…`; a configured media host replaces the origin. */
export function uploadUrl(hostname: string, kind: UploadKind, token: string, auth: string, mediaHost: string | null): string {
  const url = new URL(`https://${hostname}/mms/${kind}/${token}`)
  url.searchParams.set('auth', auth)
  url.searchParams.set('token', token)
  if (mediaHost) {
    const host = new URL(mediaHost)
    url.protocol = host.protocol
    url.host = host.host
  }
  return url.toString()
}

/** A host's failure that moves on to the next host, or (`refreshToken`) to a fresh media connection. */
class HostFailure extends Error {
  constructor(
    readonly status: number,
    readonly refreshToken: boolean
  ) {
    super(`media host answered ${status}`)
  }
}

function refused(what: 'attachment-size' | 'attachment-type', message: string): JunctionError {
  return new JunctionError('invalid-argument', message, { reason: { code: 'refused', params: { what } } })
}

export class MediaUploader {
  private conn: MediaConn | null = null

  constructor(
    private readonly config: WhatsAppConfig,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now
  ) {}

  /** spec §7.4 step 1: cached for `ttl` seconds. */
  private async mediaConn(session: WASession, fresh: boolean): Promise<MediaConn> {
    if (!fresh && this.conn && this.conn.expiresAt > this.clock()) return this.conn
    const answer = await session.queryMediaConn()
    this.conn = { auth: answer.auth, hosts: answer.hosts, expiresAt: this.clock() + answer.ttlSeconds * 1000 }
    return this.conn
  }

  /** Encrypts and uploads one file; resolves with the fields its message carries. */
  async upload(session: WASession, file: Uint8Array, kind: UploadKind, mime: string, onProgress?: UploadProgress): Promise<UploadedMedia> {
    if (file.length > LEGACY_MAX_UPLOAD_BYTES) throw refused('attachment-size', 'WhatsApp does not take files this large.')
    const mediaKey = new Uint8Array(randomBytes(32))
    const { blob, fileSha256, fileEncSha256 } = encryptMedia(file, mediaKey, kind)
    const token = uploadToken(fileEncSha256)
    let lastStatus = 0
    // One pass over the hosts with the cached token, and one more with a fresh media connection.
    for (let pass = 0; pass < 2; pass++) {
      const conn = await this.mediaConn(session, pass > 0)
      for (const host of conn.hosts) {
        try {
          const { url, directPath } = await this.post(uploadUrl(host, kind, token, conn.auth, this.config.mediaHost), blob, onProgress)
          return {
            url,
            directPath,
            mimetype: mime,
            mediaKey,
            fileSha256,
            fileEncSha256,
            fileLength: file.length,
            mediaKeyTimestamp: Math.floor(this.clock() / 1000)
          }
        } catch (error) {
          if (!(error instanceof HostFailure)) throw error
          lastStatus = error.status
          this.log.warn({ host, status: error.status }, 'media host refused the upload; trying the next')
          if (error.refreshToken) break
        }
      }
    }
    throw new JunctionError('unavailable', 'WhatsApp’s media servers did not take the file.', { detail: String(lastStatus) })
  }

  private async post(url: string, blob: Uint8Array, onProgress: UploadProgress | undefined): Promise<{ url: string; directPath: string }> {
    const { body, duplex, length } = progressBody(blob, onProgress)
    let res: Response
    try {
      res = await fetch(url, {
        method: 'POST',
        body,
        duplex,
        headers: {
          Origin: this.config.origin,
          Referer: `${this.config.origin}/`,
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(length)
        },
        // A large file on a slow link: a minute per 4 MB, never less than the usual request time.
        signal: AbortSignal.timeout(Math.max(this.config.requestTimeoutMs, 60_000 * Math.ceil(length / (4 * 1024 * 1024)))),
        redirect: 'error'
      } as RequestInit)
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'TimeoutError') throw new JunctionError('timeout', 'The upload to WhatsApp took too long.', { cause })
      throw new JunctionError('network', 'The file could not be uploaded to WhatsApp.', { cause })
    }
    const text = await res.text().catch(() => '')
    if (res.status === 413) throw refused('attachment-size', 'WhatsApp does not take files this large.')
    if (res.status === 415) throw refused('attachment-type', 'WhatsApp does not take files of this type.')
    // 401/403: the auth token expired before its ttl (spec §7.4: "refresh mediaConn").
    if (res.status === 401 || res.status === 403) throw new HostFailure(res.status, true)
    if (!res.ok) throw new HostFailure(res.status, false)
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new JunctionError('protocol', 'WhatsApp’s media server answered the upload unexpectedly.')
    }
    const parsed = uploadReplySchema.safeParse(json)
    if (!parsed.success) throw new JunctionError('protocol', 'WhatsApp’s media server did not say where it stored the file.')
    let where: URL
    try {
      where = new URL(parsed.data.url)
    } catch {
      throw new JunctionError('protocol', 'WhatsApp’s media server named an invalid address.')
    }
    if (where.protocol !== 'https:' && where.protocol !== 'http:') throw new JunctionError('protocol', 'WhatsApp’s media server named an invalid address.')
    // spec §7.2 directPath: the host's `direct_path` where it gives one, else the URL's path and query.
    return { url: parsed.data.url, directPath: parsed.data.direct_path ?? `${where.pathname}${where.search}` }
  }
}
