// OBS, LINE's media store (spec §10.1), and sticker images (spec §10.4): downloads of
// plain (`/r/talk/m/<messageId>`) and sealed (`/r/talk/<sid>/<oid>`) objects, uploads of
// plain images after the send and of sealed images before it, reporting upload progress.

import { randomUUID } from 'node:crypto'
import { JunctionError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import { decryptMedia } from './crypto'
import { LineError } from './errors'
import { progressBody, type UploadProgress } from '../../base/upload-body'
import { failureOf, fetchTyped, lineApplication, MAX_JSON_BYTES, MAX_MEDIA_BYTES, readBounded } from './http'
import type { MediaBytes } from '../connector'
import type { LineAccount } from './account'
import { CONTENT } from './messages'
import type { TalkApi } from './session'
import { encodeStruct, MessageSchema } from './thrift'

export interface MediaOptions {
  obsUrl: string
  stickerUrl: string
  chromeVersion: string
  userAgent: string
  requestTimeoutMs: number
  log: Logger
}

/** The picture's type from its first bytes; LINE's metadata rarely says. */
export function sniffImageMime(b: Uint8Array): string {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png'
  if (b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg'
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return 'image/gif'
  if (b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45) return 'image/webp'
  return 'application/octet-stream'
}

export class ObsClient {
  private token: { value: string; expiresAtMs: number } | null = null

  constructor(
    private readonly talk: TalkApi,
    private readonly o: MediaOptions
  ) {}

  /** spec §10.1: the OBS token from acquireEncryptedAccessToken, kept until 30 s before expiry. */
  private async obsToken(): Promise<string> {
    if (this.token && this.token.expiresAtMs - 30_000 > Date.now()) return this.token.value
    const t = await this.talk.acquireEncryptedAccessToken()
    this.token = { value: t.token, expiresAtMs: t.expiresAtMs }
    return t.token
  }

  private async headers(extra: Record<string, string> = {}): Promise<Record<string, string>> {
    return {
      'x-line-access': await this.obsToken(),
      // spec §2.1: the extension sends X-Line-Application only on OBS requests.
      'x-line-application': lineApplication(this.o.chromeVersion),
      'user-agent': this.o.userAgent,
      ...extra
    }
  }

  private check(res: Response, what: string): void {
    if (res.status === 404) throw new JunctionError('not-found', `The ${what} is no longer on LINE’s servers.`)
    if (res.status === 202) throw new JunctionError('unavailable', `The ${what} is still being prepared; try again shortly.`)
    if (!res.ok) throw new LineError({ outer: null, httpStatus: res.status })
  }

  /** spec §10.1 download: preflight object_info.obs, then the object. */
  private async download(sid: string, oid: string, talkMeta: string | null): Promise<Uint8Array> {
    const base = `${this.o.obsUrl}/r/talk/${encodeURIComponent(sid)}/${encodeURIComponent(oid)}`
    const extra: Record<string, string> = talkMeta ? { 'x-talk-meta': talkMeta } : {}
    const info = await fetchTyped(`${base}/object_info.obs`, { method: 'GET', headers: await this.headers(extra), timeoutMs: this.o.requestTimeoutMs })
    this.check(info, 'picture')
    const status = JSON.parse(Buffer.from(await readBounded(info, MAX_JSON_BYTES)).toString('utf8') || '{}') as { status?: string }
    if (status.status === 'notexist') throw new JunctionError('not-found', 'The picture is no longer on LINE’s servers.')
    const res = await fetchTyped(base, { method: 'GET', headers: await this.headers(extra), timeoutMs: this.o.requestTimeoutMs * 4 })
    this.check(res, 'picture')
    return readBounded(res, MAX_MEDIA_BYTES)
  }

  /** spec §10.1: X-Talk-Meta = base64(JSON{message: base64(TBinary Message{4: id, 27: []})}). */
  static talkMeta(messageId: string): string {
    const message = Buffer.from(encodeStruct(MessageSchema, { id: messageId, reactions: [] }, 'binary')).toString('base64')
    return Buffer.from(JSON.stringify({ message })).toString('base64')
  }

  /** A plain picture: sid `m`, oid = the message id. */
  async downloadPlain(messageId: string): Promise<Uint8Array> {
    return this.download('m', messageId, ObsClient.talkMeta(messageId))
  }

  /** A sealed picture: fetched by SID/OID, opened with the key material of its sealed payload. */
  async downloadSealed(sid: string, oid: string, keyMaterialB64: string): Promise<Uint8Array> {
    const blob = await this.download(sid, oid, null)
    return decryptMedia(new Uint8Array(Buffer.from(keyMaterialB64, 'base64')), blob)
  }

  private static obsParams(fields: Record<string, string>): string {
    return Buffer.from(JSON.stringify({ ver: '2.0', ...fields })).toString('base64')
  }

  /** A POST of `bytes` that reports how much of them the socket took (issue 12 §2), with fetchTyped's typed failures. */
  private async post(url: string, headers: Record<string, string>, bytes: Uint8Array, onProgress: UploadProgress | undefined): Promise<Response> {
    const { body, duplex, length } = progressBody(bytes, onProgress)
    // Four request times, and one more per 4 MB: a large file on a slow link is not cut off.
    const deadline = AbortSignal.timeout(this.o.requestTimeoutMs * (4 + Math.floor(length / (4 * 1024 * 1024))))
    try {
      return await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(length) },
        body,
        duplex,
        signal: deadline,
        redirect: 'error'
      } as RequestInit)
    } catch (cause) {
      throw failureOf(cause, undefined, deadline)
    }
  }

  /** spec §10.1 plain flow step 2: the bytes of an already sent message. */
  async uploadPlain(messageId: string, bytes: Uint8Array, type: 'image' | 'file', onProgress?: UploadProgress): Promise<void> {
    const headers = await this.headers({ 'content-type': 'application/octet-stream', 'x-obs-params': ObsClient.obsParams({ name: String(Date.now()), type }) })
    const res = await this.post(`${this.o.obsUrl}/r/talk/m/${encodeURIComponent(messageId)}`, headers, bytes, onProgress)
    this.check(res, 'picture')
    await res.body?.cancel().catch(() => undefined)
  }

  /** spec §10.1 sealed flow step 2: uploads the encrypted blob; resolves with its OID. */
  async uploadSealed(sid: string, blob: Uint8Array, onProgress?: UploadProgress): Promise<string> {
    const headers = await this.headers({
      'content-type': 'application/octet-stream',
      'x-obs-params': ObsClient.obsParams({ name: String(Date.now()), type: 'file' })
    })
    const res = await this.post(`${this.o.obsUrl}/r/talk/${encodeURIComponent(sid)}/reqid-${randomUUID()}`, headers, blob, onProgress)
    this.check(res, 'picture')
    await res.body?.cancel().catch(() => undefined)
    const oid = res.headers.get('x-obs-oid')
    if (!oid) throw new JunctionError('protocol', 'LINE stored the picture without saying where.')
    return oid
  }

  /** spec §10.4: the modern sticker URL (animated stickers have their own file). */
  async sticker(stickerId: string, animated: boolean): Promise<Uint8Array> {
    const file = animated ? 'sticker_animation.png' : 'sticker.png'
    const res = await fetchTyped(`${this.o.stickerUrl}/stickershop/v1/sticker/${encodeURIComponent(stickerId)}/android/${file}`, {
      method: 'GET',
      headers: { 'user-agent': this.o.userAgent },
      timeoutMs: this.o.requestTimeoutMs
    })
    this.check(res, 'sticker')
    return readBounded(res, MAX_MEDIA_BYTES)
  }
}

/** The bytes of a picture or sticker (spec §10): sealed ones are opened with the key their message carried. */
export async function fetchMedia(s: LineAccount, chat: string, messageId: string): Promise<MediaBytes> {
  let entry = s.cache.get(messageId)
  if (!entry) {
    // After a restart nothing is remembered: the chat's recent messages usually hold it.
    for (const m of await s.talk.getRecentMessagesV2(chat, 50)) await s.mapMessage(m)
    entry = s.cache.get(messageId)
  }
  let bytes: Uint8Array
  if (entry?.contentType === CONTENT.STICKER) {
    const stickerId = entry.metadata.STKID
    if (!stickerId) throw new JunctionError('not-found', 'The sticker has no id.')
    bytes = await s.obs.sticker(stickerId, entry.metadata.STKOPT === 'A')
    const mime = sniffImageMime(bytes)
    return { mime: mime === 'application/octet-stream' ? 'image/png' : mime, bytes }
  }
  const keyMaterial = entry?.payload?.keyMaterial
  const oid = entry?.metadata.OID
  if (typeof keyMaterial === 'string' && oid) bytes = await s.obs.downloadSealed(entry?.metadata.SID ?? 'emi', oid, keyMaterial)
  else bytes = await s.obs.downloadPlain(messageId)
  // A file keeps the type its name says; only pictures are sniffed (spec §10.3: files carry no type).
  if (entry?.contentType === CONTENT.FILE) return { mime: entry.incoming.media?.mime ?? 'application/octet-stream', bytes }
  const mime = sniffImageMime(bytes)
  return { mime: mime === 'application/octet-stream' ? 'image/jpeg' : mime, bytes }
}
