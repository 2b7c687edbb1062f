// Media (spec §8): incoming media messages become messages with `media` and a stored
// reference (key, path, hashes) in the KeyStore, committed with the message, so `fetchMedia`
// works after a restart; the bytes are downloaded and verified only on demand (§8.4: MAC and
// fileSha256 MUST, fileEncSha256 SHOULD). Sending encrypts, uploads (§8.3) and builds the
// ImageMessage / DocumentMessage.

import { randomBytes } from 'node:crypto'
import { JunctionError } from '../../../../shared/errors'
import type { MediaInfo, MessageKind } from '../../../../shared/model'
import { thumbnailOf } from '../thumbnail'
import { decryptMedia, encryptMedia, type MediaType } from '../media-crypto'
import type { BinaryNode } from './binary'
import type { WAMediaMessage, WAMessage } from './proto'
import type { MdSession } from './session'
import { childOf, childrenOf, node, S_WHATSAPP_NET } from './stanza'

/** KeyStore namespace of media references, by `chat|message id`. */
export const MEDIA_NS = 'wamd.media'

/** spec §8.4: where Baileys fetches `directPath` media when media_conn gave no host. */
const DEFAULT_MEDIA_HOST = 'mmg.whatsapp.net'

/** What `fetchMedia` needs later: JSON in the KeyStore (bytes as base64). */
export interface MediaRef {
  type: MediaType
  mime: string
  mediaKey: string
  directPath?: string
  url?: string
  fileSha256?: string
  fileEncSha256?: string
  fileLength?: number
  /** spec §8.5 `rmr`: whose message it is (own, or in a group its author). */
  fromMe?: boolean
  participant?: string
}

export interface MediaBody {
  kind: MessageKind
  text: string
  media: MediaInfo
  ref: MediaRef | null
}

const b64 = (b: Uint8Array | undefined): string | undefined => (b && b.length ? Buffer.from(b).toString('base64') : undefined)
const unb64 = (s: string | undefined): Uint8Array | undefined => (s ? new Uint8Array(Buffer.from(s, 'base64')) : undefined)

function refOf(type: MediaType, m: WAMediaMessage, mime: string): MediaRef | null {
  if (!m.mediaKey || m.mediaKey.length !== 32 || (!m.directPath && !m.url)) return null
  const ref: MediaRef = { type, mime, mediaKey: b64(m.mediaKey)! }
  if (m.directPath) ref.directPath = m.directPath
  if (m.url) ref.url = m.url
  const sha = b64(m.fileSha256)
  const encSha = b64(m.fileEncSha256)
  if (sha) ref.fileSha256 = sha
  if (encSha) ref.fileEncSha256 = encSha
  if (m.fileLength) ref.fileLength = Number(m.fileLength)
  return ref
}

function info(mime: string, m: WAMediaMessage & { width?: number; height?: number; jpegThumbnail?: Uint8Array }, name?: string): MediaInfo {
  // spec §8.6: the preview travels inside the message; only pictures show it (a video's or document's is not drawn).
  const thumbnail = mime.startsWith('image/') ? thumbnailOf(m.jpegThumbnail) : undefined
  return {
    mime,
    ...(m.fileLength ? { size: Number(m.fileLength) } : {}),
    ...(m.width ? { width: m.width } : {}),
    ...(m.height ? { height: m.height } : {}),
    ...(name ? { name } : {}),
    ...(thumbnail ? { thumbnail } : {})
  }
}

/** The display name of a file, never a path (MediaInfo.name). */
function safeName(name: string | undefined): string | undefined {
  const base = [...(name?.split(/[\\/]/).pop() ?? '')]
    .filter((ch) => ch.charCodeAt(0) >= 0x20)
    .join('')
    .trim()
  return base ? base.slice(0, 255) : undefined
}

/** spec §7.8: an image, video, audio, document or sticker content as a message body, or null. */
export function mediaBody(c: WAMessage): MediaBody | null {
  if (c.imageMessage) {
    const m = c.imageMessage
    const mime = m.mimetype || 'image/jpeg'
    return { kind: 'image', text: m.caption ?? '', media: info(mime, m), ref: refOf('image', m, mime) }
  }
  if (c.stickerMessage) {
    const m = c.stickerMessage
    const mime = m.mimetype || 'image/webp'
    return { kind: 'sticker', text: '', media: info(mime, m), ref: refOf('sticker', m, mime) }
  }
  const video = c.videoMessage ?? c.ptvMessage
  if (video) {
    const mime = video.mimetype || 'video/mp4'
    return { kind: 'file', text: video.caption ?? '', media: info(mime, video), ref: refOf('video', video, mime) }
  }
  if (c.audioMessage) {
    const m = c.audioMessage
    const mime = m.mimetype || 'audio/ogg'
    return { kind: 'file', text: '', media: info(mime, m), ref: refOf('audio', m, mime) }
  }
  if (c.documentMessage) {
    const m = c.documentMessage
    const mime = m.mimetype || 'application/octet-stream'
    const name = safeName(m.fileName ?? m.title)
    return { kind: 'file', text: m.caption ?? '', media: info(mime, m, name), ref: refOf('document', m, mime) }
  }
  return null
}

export function mediaKeyOf(chat: string, id: string): string {
  return `${chat}|${id}`
}

export function encodeRef(ref: MediaRef): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(ref))
}

export function decodeRef(raw: Uint8Array): MediaRef {
  try {
    return JSON.parse(new TextDecoder().decode(raw)) as MediaRef
  } catch (cause) {
    throw new JunctionError('internal', 'A stored WhatsApp media reference is damaged.', { cause })
  }
}

/** spec §8.1: the media_conn answer. */
export interface MediaConn {
  auth: string
  hosts: string[]
  expiresAt: number
}

/** spec §8.1 */
export function mediaConnRequest(): BinaryNode {
  return node('iq', { to: S_WHATSAPP_NET, type: 'set', xmlns: 'w:m' }, [node('media_conn')])
}

/** Caches media_conn for its `ttl` (spec §8.1); `refresh` forces a new one (after a failed upload). */
export class MediaConnCache {
  private conn: MediaConn | null = null

  async get(session: MdSession, now = Date.now(), refresh = false): Promise<MediaConn> {
    if (this.conn && !refresh && this.conn.expiresAt > now) return this.conn
    const reply = await session.query(mediaConnRequest())
    const mc = childOf(reply, 'media_conn')
    if (!mc?.attrs.auth) throw new JunctionError('protocol', 'WhatsApp answered media_conn without an upload token.')
    const hosts = childrenOf(mc)
      .filter((h) => h.tag === 'host' && h.attrs.hostname)
      .map((h) => h.attrs.hostname!)
    const ttl = Math.max(0, Number(mc.attrs.ttl ?? 0)) || 300
    this.conn = { auth: mc.attrs.auth, hosts: hosts.length ? hosts : [DEFAULT_MEDIA_HOST], expiresAt: now + ttl * 1000 }
    return this.conn
  }

  clear(): void {
    this.conn = null
  }
}

export interface MediaHttp {
  /** `scheme://host[:port]` replacing the media_conn hosts (a reference server); null: the real hosts over https. */
  mediaHost: string | null
  origin: string
  timeoutMs: number
  maxBytes: number
}

function bases(hosts: string[], http: MediaHttp): string[] {
  if (http.mediaHost) return [http.mediaHost.replace(/\/+$/, '')]
  return hosts.map((h) => `https://${h}`)
}

function headers(http: MediaHttp): Record<string, string> {
  return { Origin: http.origin, Referer: `${http.origin}/` }
}

async function readCapped(res: Response, max: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > max) throw new JunctionError('rejected', 'The file is too large to download.')
  if (!res.body) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length
    if (total > max) throw new JunctionError('rejected', 'The file is too large to download.')
    chunks.push(chunk)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

/** spec §8.4: download from the first host that has it, then verify and decrypt. 403/404/410: the file expired. */
export async function downloadMedia(ref: MediaRef, hosts: string[], http: MediaHttp): Promise<Uint8Array> {
  const mediaKey = unb64(ref.mediaKey)
  if (!mediaKey) throw new JunctionError('internal', 'A stored WhatsApp media reference has no key.')
  const urls = ref.directPath ? bases(hosts, http).map((b) => `${b}${ref.directPath}`) : [rehost(ref.url!, http)]
  let lastError: unknown = null
  for (const url of urls) {
    let res: Response
    try {
      res = await fetch(url, { headers: headers(http), signal: AbortSignal.timeout(http.timeoutMs), redirect: 'follow' })
    } catch (cause) {
      lastError = new JunctionError('network', 'The file could not be downloaded.', { cause })
      continue
    }
    if (res.status === 403 || res.status === 404 || res.status === 410) {
      await res.body?.cancel()
      throw new JunctionError('not-found', 'The file is no longer on WhatsApp’s servers.', { detail: String(res.status), retryable: false })
    }
    if (!res.ok) {
      await res.body?.cancel()
      lastError = new JunctionError(res.status >= 500 ? 'unavailable' : 'rejected', `The file could not be downloaded (HTTP ${res.status}).`)
      continue
    }
    const blob = await readCapped(res, http.maxBytes).catch((error: unknown) => {
      throw error instanceof JunctionError ? error : new JunctionError('network', 'The download was interrupted.', { cause: error })
    })
    return decryptMedia(blob, mediaKey, ref.type, {
      fileSha256: unb64(ref.fileSha256) ?? null,
      fileEncSha256: unb64(ref.fileEncSha256) ?? null,
      fileLength: ref.fileLength ?? null
    })
  }
  throw lastError ?? new JunctionError('unavailable', 'WhatsApp named no media host.')
}

/** A media address from a message or an iq answer, moved to the configured host when a reference server stands in (https otherwise). */
export function rehost(raw: string, http: MediaHttp): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new JunctionError('protocol', 'The message names an invalid media address.')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new JunctionError('protocol', 'The message names an invalid media address.')
  if (http.mediaHost) {
    const host = new URL(http.mediaHost)
    url.protocol = host.protocol
    url.host = host.host
  }
  return url.toString()
}

/** spec §8.3 MMS_TYPE per media type. */
const MMS_TYPE: Record<MediaType, string> = {
  image: 'image',
  sticker: 'image',
  video: 'video',
  audio: 'audio',
  document: 'document',
  history: 'md-msg-hist',
  'app-state': 'md-app-state'
}

export interface Uploaded {
  url: string
  directPath: string
  mediaKey: Uint8Array
  fileSha256: Uint8Array
  fileEncSha256: Uint8Array
  fileLength: number
  mediaKeyTimestamp: number
}

/** spec §8.3: encrypt with a fresh key and POST `enc ‖ mac` to each host in turn until one takes it. */
export async function uploadMedia(file: Uint8Array, type: MediaType, conn: MediaConn, http: MediaHttp, nowMs = Date.now()): Promise<Uploaded> {
  const mediaKey = new Uint8Array(randomBytes(32))
  const { blob, fileSha256, fileEncSha256 } = encryptMedia(file, mediaKey, type)
  // Baileys strips the padding (encodeBase64EncodedStringForUpload); the vector in §8.2 shows it.
  const token = Buffer.from(fileEncSha256).toString('base64url')
  let lastError: unknown = null
  for (const base of bases(conn.hosts, http)) {
    const url = `${base}/mms/${MMS_TYPE[type]}/${token}?auth=${encodeURIComponent(conn.auth)}&token=${token}`
    try {
      const res = await fetch(url, {
        method: 'POST',
        body: blob,
        headers: { ...headers(http), 'Content-Type': 'application/octet-stream' },
        signal: AbortSignal.timeout(http.timeoutMs)
      })
      if (!res.ok) {
        await res.body?.cancel()
        lastError = new JunctionError(res.status >= 500 ? 'unavailable' : 'rejected', `WhatsApp refused the upload (HTTP ${res.status}).`)
        continue
      }
      const answer = (await res.json()) as { url?: unknown; direct_path?: unknown }
      if (typeof answer.url !== 'string' || typeof answer.direct_path !== 'string') {
        lastError = new JunctionError('protocol', 'WhatsApp answered the upload without a URL.')
        continue
      }
      return {
        url: answer.url,
        directPath: answer.direct_path,
        mediaKey,
        fileSha256,
        fileEncSha256,
        fileLength: file.length,
        mediaKeyTimestamp: Math.floor(nowMs / 1000)
      }
    } catch (cause) {
      lastError = cause instanceof JunctionError ? cause : new JunctionError('network', 'The file could not be uploaded.', { cause })
    }
  }
  throw lastError ?? new JunctionError('unavailable', 'WhatsApp named no media host.')
}

function mediaFields(u: Uploaded, mime: string): WAMediaMessage {
  return {
    url: u.url,
    mimetype: mime,
    fileSha256: u.fileSha256,
    fileLength: u.fileLength,
    mediaKey: u.mediaKey,
    fileEncSha256: u.fileEncSha256,
    directPath: u.directPath,
    mediaKeyTimestamp: u.mediaKeyTimestamp
  }
}

/** spec §8.3: the message that refers to an upload. */
export function imageContent(
  u: Uploaded,
  mime: string,
  caption: string | undefined,
  preview: { thumbnailBase64?: string; width?: number; height?: number } = {}
): WAMessage {
  // spec §8.6: the preview travels inside the message (phones show it before they download); only a JPEG goes.
  const thumb = preview.thumbnailBase64 ? new Uint8Array(Buffer.from(preview.thumbnailBase64, 'base64')) : undefined
  const jpegThumbnail = thumb && thumbnailOf(thumb) ? thumb : undefined
  return {
    imageMessage: {
      ...mediaFields(u, mime),
      ...(caption ? { caption } : {}),
      ...(preview.width && preview.height ? { width: preview.width, height: preview.height } : {}),
      ...(jpegThumbnail ? { jpegThumbnail } : {})
    }
  }
}

export function documentContent(u: Uploaded, mime: string, fileName: string): WAMessage {
  return { documentMessage: { ...mediaFields(u, mime), fileName, title: fileName } }
}

/** The reference an own sent message keeps, so `fetchMedia` shows what was sent. */
export function refOfContent(content: WAMessage): MediaRef | null {
  return mediaBody(content)?.ref ?? null
}
