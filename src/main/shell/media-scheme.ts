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

/** Answers one request: the message id from the URL, its bytes from `media`, the headers that keep it inert. */
export async function answerMediaRequest(
  url: string,
  method: string,
  media: (messageId: string) => Promise<{ mime: string; bytes: Uint8Array; name?: string }>
): Promise<MediaAnswer> {
  const plain = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' }
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: plain, body: null }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { status: 400, headers: plain, body: null }
  }
  const id = /^\/(\d{1,18})$/.exec(parsed.pathname)?.[1]
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.host !== 'media' || !id) return { status: 404, headers: plain, body: null }
  try {
    const { mime, bytes, name } = await media(id)
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
    const status = code === 'not-found' ? 404 : code === 'unavailable' || code === 'timeout' || code === 'network' ? 503 : 500
    return { status, headers: plain, body: null }
  }
}
