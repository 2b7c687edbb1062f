import { JunctionError } from '../../shared/errors'
import type { MediaBytes, MediaStream } from '../networks/connector'

/** Media larger than this is refused rather than held in memory. */
export const MAX_MEDIA_BYTES = 512 * 1024 * 1024

/** A Connector's media, whole: a streamed answer is gathered chunk by chunk, bounded. */
export async function readMedia(pending: Promise<MediaBytes | MediaStream>): Promise<MediaBytes> {
  const media = await pending
  if ('bytes' in media) return media
  const parts: Uint8Array[] = []
  let total = 0
  for await (const chunk of media.chunks) {
    total += chunk.byteLength
    if (total > MAX_MEDIA_BYTES)
      throw new JunctionError('rejected', 'That file is too large to open.', { reason: { code: 'refused', params: { limit: String(MAX_MEDIA_BYTES) } } })
    parts.push(chunk)
  }
  return { mime: media.mime, bytes: Buffer.concat(parts, total) }
}
