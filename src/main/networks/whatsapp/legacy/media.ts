// spec §7.3/§7.4: downloading a picture and decrypting it. The file comes over plain HTTPS
// with the WA Web Origin; a configured media host replaces the URL's origin (for a
// reference server). 404/410 mean the file expired and the phone must re-upload it.

import { JunctionError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import type { WhatsAppConfig } from './config'
import { decryptMedia } from './crypto'
import type { MessageIndex } from './message-index'
import { decodeBatch, type MediaRef } from './messages'
import { PAGE_SIZE, type WASession } from './session'

/** How far back a picture not seen in this run is looked for (pages of 50). */
const MEDIA_SEARCH_PAGES = 10

/** spec §7.4: where WA Web fetched `directPath`-only media from. */
const DEFAULT_MEDIA_ORIGIN = 'https://mmg.whatsapp.net'

export function mediaUrl(ref: Pick<MediaRef, 'url' | 'directPath'>, mediaHost: string | null): string {
  const raw = ref.url ?? `${DEFAULT_MEDIA_ORIGIN}${ref.directPath ?? ''}`
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new JunctionError('protocol', 'The message names an invalid media address.')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new JunctionError('protocol', 'The message names an invalid media address.')
  if (mediaHost) {
    const host = new URL(mediaHost)
    url.protocol = host.protocol
    url.host = host.host
  }
  return url.toString()
}

export class MediaExpiredError extends JunctionError {
  constructor(status: number) {
    super('not-found', 'The picture is no longer on WhatsApp’s servers.', { detail: String(status), retryable: false })
  }
}

async function readCapped(res: Response, max: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > max) throw new JunctionError('rejected', 'The picture is too large to download.')
  if (!res.body) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length
    if (total > max) throw new JunctionError('rejected', 'The picture is too large to download.')
    chunks.push(chunk)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

/** Downloads and decrypts one media file, checking its MAC and (when the message gives them) hashes and length. */
export async function fetchDecryptedMedia(ref: MediaRef, config: WhatsAppConfig): Promise<Uint8Array> {
  const url = mediaUrl(ref, config.mediaHost)
  let res: Response
  try {
    res = await fetch(url, {
      headers: { Origin: config.origin, Referer: `${config.origin}/` },
      signal: AbortSignal.timeout(Math.max(config.requestTimeoutMs, 30_000)),
      redirect: 'follow'
    })
  } catch (cause) {
    throw new JunctionError('network', 'The picture could not be downloaded.', { cause })
  }
  if (res.status === 404 || res.status === 410) {
    await res.body?.cancel()
    throw new MediaExpiredError(res.status)
  }
  if (!res.ok) {
    await res.body?.cancel()
    throw new JunctionError(res.status >= 500 ? 'unavailable' : 'rejected', `The picture could not be downloaded (HTTP ${res.status}).`)
  }
  let blob: Uint8Array
  try {
    blob = await readCapped(res, config.maxMediaBytes)
  } catch (error) {
    if (error instanceof JunctionError) throw error
    throw new JunctionError('network', 'The picture download was interrupted.', { cause: error })
  }
  return decryptMedia(blob, ref.mediaKey, ref.type, { fileSha256: ref.fileSha256, fileEncSha256: ref.fileEncSha256, fileLength: ref.fileLength })
}

/** spec §7.4: a 404/410 means expired: the `media` query makes the phone re-upload it, then one more try. */
export async function fetchMediaWithRefresh(ref: MediaRef, config: WhatsAppConfig, refreshUrl: () => Promise<string | null>): Promise<Uint8Array> {
  try {
    return await fetchDecryptedMedia(ref, config)
  } catch (error) {
    if (!(error instanceof MediaExpiredError)) throw error
    const url = await refreshUrl()
    if (!url) throw error
    return fetchDecryptedMedia({ ...ref, url }, config)
  }
}

/** A picture not seen in this run (after a restart): page back through the chat until it turns up. */
export async function findMediaRef(
  deps: { session: WASession; index: MessageIndex; log: Logger },
  chat: string,
  messageId: string
): Promise<MediaRef | undefined> {
  let anchor: { id: string; fromMe: boolean } | null = null
  for (let page = 0; page < MEDIA_SEARCH_PAGES; page++) {
    const result = await deps.session.queryMessages(chat, 'before', PAGE_SIZE, anchor)
    if (!result.found) return undefined
    const decoded = decodeBatch(result.messages, deps)
    for (const m of decoded) deps.index.note(m.message, m.media)
    const ref = deps.index.mediaOf(messageId)
    const oldest = decoded[0]
    if (ref || !oldest || result.messages.length < PAGE_SIZE) return ref
    anchor = { id: oldest.message.remoteId, fromMe: oldest.message.fromMe }
  }
  return undefined
}
