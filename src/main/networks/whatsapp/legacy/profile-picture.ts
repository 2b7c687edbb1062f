// Profile pictures on the legacy protocol (issue 12 §3; spec §6.3 `["query","ProfilePicThumb",JID]`
// → `{"eurl":"https://…","tag":"<picture id>"}` or `{"status":401|404}`; §6.5
// `["Cmd",{"type":"picture","jid":J}]`: a picture changed). The chat and contact lists carry no
// picture id, so after the login sync the chats' pictures are asked for in the background, one
// at a time (WA Web asked for the chats it showed); the tag is the token Core keeps, '' when
// there is none. A `picture` command asks again for that JID.

import { z } from 'zod'
import { JunctionError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import type { MediaBytes } from '../../connector'
import type { WhatsAppConfig } from './config'
import { mediaUrl } from './media'
import type { Reply } from './transport'

/** A thumbnail is a few kB; anything near this is not one. Core bounds it again. */
const MAX_THUMB_BYTES = 1024 * 1024
/** How many chats' pictures the background pass asks for (the most recent first). */
export const MAX_RESOLVED = 200

const thumbReply = z.looseObject({ eurl: z.string().min(1).max(4096), tag: z.union([z.string().max(128), z.number()]).optional() })
const statusReply = z.looseObject({ status: z.number() })

export type Request = (value: unknown) => Promise<Reply>

/** The picture tags of one session's JIDs: undefined until asked, '' for none. */
export class PictureTags {
  private readonly tags = new Map<string, string>()

  token(jid: string): string | undefined {
    return this.tags.get(jid)
  }

  /** Records what the server said; true when it changed. */
  set(jid: string, tag: string): boolean {
    if (this.tags.get(jid) === tag) return false
    this.tags.set(jid, tag)
    return true
  }
}

/** spec §6.3: where the JID's thumbnail is and its id, or null when it has none (404) or hides it from us (401). */
export async function queryProfilePicThumb(request: Request, jid: string): Promise<{ eurl: string; tag: string } | null> {
  const reply = await request(['query', 'ProfilePicThumb', jid])
  if (reply.kind !== 'json') throw new JunctionError('protocol', 'WhatsApp answered the profile picture query unexpectedly.')
  const thumb = thumbReply.safeParse(reply.value)
  // Without a tag, the URL's path (without its expiring query) names the picture.
  if (thumb.success) return { eurl: thumb.data.eurl, tag: thumb.data.tag !== undefined ? String(thumb.data.tag) : urlPath(thumb.data.eurl) }
  const status = statusReply.safeParse(reply.value)
  if (status.success && (status.data.status === 404 || status.data.status === 401)) return null
  throw new JunctionError('protocol', 'WhatsApp answered the profile picture query unexpectedly.', {
    detail: status.success ? String(status.data.status) : 'shape'
  })
}

/** The thumbnail bytes of a JID (a contact, a group, or the account itself), or null when there is none. */
export async function fetchProfilePicture(request: Request, jid: string, config: WhatsAppConfig): Promise<MediaBytes | null> {
  const thumb = await queryProfilePicThumb(request, jid)
  if (!thumb) return null
  const eurl = thumb.eurl
  // The same origin rules as message media: http(s) only; a configured media host stands in for WhatsApp's.
  const url = mediaUrl({ url: eurl, directPath: null }, config.mediaHost)
  let res: Response
  try {
    res = await fetch(url, {
      headers: { Origin: config.origin, Referer: `${config.origin}/` },
      signal: AbortSignal.timeout(config.requestTimeoutMs),
      redirect: 'error'
    })
  } catch (cause) {
    throw new JunctionError('network', 'The profile picture could not be downloaded.', { cause })
  }
  if (res.status === 404 || res.status === 410) {
    await res.body?.cancel()
    return null
  }
  if (!res.ok) {
    await res.body?.cancel()
    throw new JunctionError(res.status >= 500 ? 'unavailable' : 'rejected', `The profile picture could not be downloaded (HTTP ${res.status}).`)
  }
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > MAX_THUMB_BYTES) {
    await res.body?.cancel()
    throw new JunctionError('rejected', 'The profile picture is too large.')
  }
  const bytes = new Uint8Array(await res.arrayBuffer())
  if (bytes.byteLength > MAX_THUMB_BYTES) throw new JunctionError('rejected', 'The profile picture is too large.')
  return { mime: res.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream', bytes }
}

function urlPath(raw: string): string {
  try {
    return new URL(raw).pathname
  } catch {
    return raw.slice(0, 128)
  }
}

/**
 * Asks for each JID's picture in turn and reports those whose tag changed. Stops quietly when the
 * session ends (a network error); a refused or odd answer skips that JID.
 */
export async function resolvePictures(
  request: Request,
  jids: readonly string[],
  tags: PictureTags,
  changed: (jid: string, token: string) => void,
  log: Logger
): Promise<void> {
  for (const jid of jids.slice(0, MAX_RESOLVED)) {
    let thumb: { eurl: string; tag: string } | null
    try {
      thumb = await queryProfilePicThumb(request, jid)
    } catch (error) {
      if (error instanceof JunctionError && error.code === 'protocol') {
        log.debug({ error }, 'a profile picture query was not understood')
        continue
      }
      log.debug({ error }, 'profile picture queries stopped')
      return
    }
    const token = thumb?.tag ?? ''
    if (tags.set(jid, token)) changed(jid, token)
  }
}
