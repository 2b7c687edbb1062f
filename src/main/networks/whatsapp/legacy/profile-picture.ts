// Profile pictures on the legacy protocol (issue 12 §3; spec §6.3 `["query","ProfilePicThumb",JID]`
// → `{"eurl":"https://…","tag":"<picture id>"}` or `{"status":401|404}`; §6.5
// `["Cmd",{"type":"picture","jid":J}]`: a picture changed). The contact and chat lists carry no
// picture id, so the token Core keeps is a generation per JID that the `picture` command
// moves on: Core asks once per generation, and the query says whether there is a picture.

import { z } from 'zod'
import { JunctionError } from '../../../../shared/errors'
import type { MediaBytes } from '../../connector'
import type { WhatsAppConfig } from './config'
import { mediaUrl } from './media'
import type { Reply } from './transport'

/** A thumbnail is a few kB; anything near this is not one. Core bounds it again. */
const MAX_THUMB_BYTES = 1024 * 1024

const thumbReply = z.looseObject({ eurl: z.string().min(1).max(4096), tag: z.union([z.string(), z.number()]).optional() })
const statusReply = z.looseObject({ status: z.number() })

/** The picture generations of one session: the token of a JID, and the next one after a `picture` command. */
export class PictureGenerations {
  private readonly generation = new Map<string, number>()

  token(jid: string): string {
    return `thumb.${this.generation.get(jid) ?? 0}`
  }

  /** spec §6.5 `Cmd picture`: the JID's picture changed; returns its new token. */
  bump(jid: string): string {
    this.generation.set(jid, (this.generation.get(jid) ?? 0) + 1)
    return this.token(jid)
  }
}

/** spec §6.3: where the JID's thumbnail is, or null when it has none (404) or hides it from us (401). */
export async function queryProfilePicThumb(request: (value: unknown) => Promise<Reply>, jid: string): Promise<string | null> {
  const reply = await request(['query', 'ProfilePicThumb', jid])
  if (reply.kind !== 'json') throw new JunctionError('protocol', 'WhatsApp answered the profile picture query unexpectedly.')
  const thumb = thumbReply.safeParse(reply.value)
  if (thumb.success) return thumb.data.eurl
  const status = statusReply.safeParse(reply.value)
  if (status.success && (status.data.status === 404 || status.data.status === 401)) return null
  throw new JunctionError('protocol', 'WhatsApp answered the profile picture query unexpectedly.', {
    detail: status.success ? String(status.data.status) : 'shape'
  })
}

/** The thumbnail bytes of a JID (a contact, a group, or the account itself), or null when there is none. */
export async function fetchProfilePicture(request: (value: unknown) => Promise<Reply>, jid: string, config: WhatsAppConfig): Promise<MediaBytes | null> {
  const eurl = await queryProfilePicThumb(request, jid)
  if (!eurl) return null
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
