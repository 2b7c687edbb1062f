// Profile pictures of contacts, groups and the account itself (issue 12 §3). The spec names the
// `w:profile:picture` namespace (whatsapp-md §4.5) and the `picture` notification (§7.5) but
// not the request; the one used here is what both open implementations send (Baileys
// `profilePictureUrl`, whatsmeow `GetProfilePictureInfo`):
//   <iq to="s.whatsapp.net" type="get" xmlns="w:profile:picture" target="JID"><picture type="preview" query="url"/></iq>
//   → <iq type="result"><picture id="…" url="https://…" direct_path="…" type="preview"/></iq>
// 404 (no picture) and 401/403 (hidden by the person's privacy setting) mean "no picture", not an
// error. The picture itself is a plain HTTPS download: profile pictures are not end-to-end
// encrypted (§8.2). Which chats have one is not known ahead, so every contact and group carries
// the token below until a `picture` notification names the picture's own id; Core asks only for
// the pictures the renderer shows, at most four at a time.

import { JunctionError } from '../../../../shared/errors'
import type { ChatInfo, ConnectorEvent, KeyStore, MediaBytes } from '../../connector'
import { userJidOf, type BinaryNode } from './binary'
import type { WhatsAppMdConfig } from './config'
import { rehost, type MediaHttp } from './media'
import type { MdSession } from './session'
import { childOf, childrenOf, node, S_WHATSAPP_NET } from './stanza'

/** The avatar token of a chat whose picture id is not known yet: "ask when shown". */
export const UNKNOWN_PICTURE = 'wa:ask'

/** A profile picture preview is a few kB; anything near this is not one. */
const MAX_PICTURE_BYTES = 2 * 1024 * 1024

/** iq error codes that mean there is no picture to show (none set, or hidden from us). */
const NO_PICTURE = new Set(['404', '401', '403'])

/** Asks for `target`'s picture preview and downloads it; null when there is none to show. */
export async function fetchProfilePicture(session: MdSession, target: string, config: WhatsAppMdConfig): Promise<MediaBytes | null> {
  const http: MediaHttp = {
    mediaHost: config.mediaHost ?? null,
    origin: config.origin,
    timeoutMs: Math.max(config.requestTimeoutMs, 30_000),
    maxBytes: MAX_PICTURE_BYTES
  }
  let answer: BinaryNode
  try {
    answer = await session.query(
      node('iq', { to: S_WHATSAPP_NET, type: 'get', xmlns: 'w:profile:picture', target }, [node('picture', { type: 'preview', query: 'url' })])
    )
  } catch (error) {
    if (error instanceof JunctionError && NO_PICTURE.has(error.detail ?? '')) return null
    throw error
  }
  const url = childOf(answer, 'picture')?.attrs.url
  if (!url) return null
  return download(pictureUrl(url, http), http)
}

/** The picture's address: https on WhatsApp's hosts, or the reference server's host standing in for them. */
function pictureUrl(raw: string, http: MediaHttp): string {
  const url = rehost(raw, http)
  if (!http.mediaHost && !url.startsWith('https://')) throw new JunctionError('protocol', 'WhatsApp named a profile picture address that is not https.')
  return url
}

async function download(url: string, http: MediaHttp): Promise<MediaBytes> {
  let res: Response
  try {
    res = await fetch(url, { headers: { Origin: http.origin, Referer: `${http.origin}/` }, signal: AbortSignal.timeout(http.timeoutMs), redirect: 'error' })
  } catch (cause) {
    throw new JunctionError('network', 'The profile picture could not be downloaded.', { cause })
  }
  if (!res.ok) {
    await res.body?.cancel()
    throw new JunctionError(res.status >= 500 ? 'unavailable' : 'rejected', `The profile picture could not be downloaded (HTTP ${res.status}).`)
  }
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > MAX_PICTURE_BYTES) {
    await res.body?.cancel()
    throw new JunctionError('rejected', 'That profile picture is too large.')
  }
  const bytes = new Uint8Array(await res.arrayBuffer())
  if (bytes.length > MAX_PICTURE_BYTES) throw new JunctionError('rejected', 'That profile picture is too large.')
  // Core checks the bytes are an image (core/avatars.ts) whatever the server called them.
  return { mime: res.headers.get('content-type') ?? 'image/jpeg', bytes }
}

/** spec §7.5 `picture`: whose picture changed and its new token (the picture id), or null when it was removed. */
export function pictureChange(n: BinaryNode): { jid: string; token: string | null } | null {
  for (const c of childrenOf(n)) {
    const jid = c.attrs.jid ?? n.attrs.from
    if (!jid) continue
    if (c.tag === 'delete') return { jid, token: null }
    if (c.tag === 'set' || c.tag === 'add') return { jid, token: c.attrs.id ? `wa:${c.attrs.id}` : UNKNOWN_PICTURE }
  }
  return null
}

/** The most chats whose last report is kept to re-announce a picture change (a few hundred is usual). */
const MAX_REMEMBERED = 5_000

/**
 * Gives every chat and the own profile a picture token on their way to Core: the picture id a
 * `picture` notification named, else UNKNOWN_PICTURE ("ask when shown"). It keeps each chat's last
 * report, so a notification can re-announce that chat with its new token without a title of its own.
 */
export class PictureTokens {
  private readonly known = new Map<string, string | null>()
  private readonly chats = new Map<string, ChatInfo>()

  decorate(event: ConnectorEvent): ConnectorEvent {
    if (event.type === 'profile' && event.avatar === undefined) return { ...event, avatar: UNKNOWN_PICTURE }
    if (event.type !== 'chat' || event.chat.avatar !== undefined) return event
    const chat = { ...event.chat, avatar: this.tokenOf(event.chat.remoteId) }
    this.chats.delete(chat.remoteId)
    this.chats.set(chat.remoteId, chat)
    if (this.chats.size > MAX_REMEMBERED) this.chats.delete(this.chats.keys().next().value!)
    return { type: 'chat', chat }
  }

  /** '' (no picture) after a delete, the named id after a set, else "ask when shown". */
  tokenOf(remoteId: string): string {
    const known = this.known.get(remoteId)
    return known === null ? '' : (known ?? UNKNOWN_PICTURE)
  }

  /**
   * spec §7.5 `picture`: the event announcing the change, the chat's (again, with its new token) or the own
   * profile's; null when it names no one or a chat not reported yet. `chatOf` maps a LID to the phone-number chat.
   */
  notified(n: BinaryNode, me: { jid: string; name?: string }, chatOf: (jid: string) => string): ConnectorEvent | null {
    const change = pictureChange(n)
    if (!change) return null
    const jid = chatOf(change.jid)
    if (jid === userJidOf(me.jid)) return { type: 'profile', displayName: me.name ?? `+${jid.split('@')[0]}`, avatar: change.token ?? '' }
    return this.change(jid, change.token)
  }

  /** A notification changed `remoteId`'s picture: the chat event that tells Core, if the chat was reported before. */
  change(remoteId: string, token: string | null): ConnectorEvent | null {
    this.known.delete(remoteId)
    this.known.set(remoteId, token)
    if (this.known.size > MAX_REMEMBERED) this.known.delete(this.known.keys().next().value!)
    const chat = this.chats.get(remoteId)
    if (!chat) return null
    const { avatar: _old, ...rest } = chat
    return this.decorate({ type: 'chat', chat: rest })
  }
}

/** The KeyStore as the protocol's parts see it: events committed with their writes get their picture tokens too. */
export function withPictureTokens(inner: KeyStore, tokens: PictureTokens): KeyStore {
  return {
    get: (namespace, key) => inner.get(namespace, key),
    list: (namespace) => inner.list(namespace),
    commit: (writes, events) =>
      inner.commit(
        writes,
        events?.map((e) => tokens.decorate(e))
      )
  }
}
