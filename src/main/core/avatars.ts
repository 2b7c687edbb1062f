// Profile pictures (issue 12 §3). Networks report an opaque token per contact, group and
// own profile; Core keeps it (store/avatars.ts) and fetches the bytes only when the
// renderer asks for a picture, once per token. Only real images leave here: the first bytes
// must be PNG, JPEG, GIF or WebP (whatever type the network claimed), within a size bound.

import { JunctionError } from '../../shared/errors'
import type { Logger } from '../base/log'
import type { Connector, MediaBytes } from '../networks/connector'
import type { Store } from './store'

/** A profile picture is a small image; anything larger is not one (LINE previews and Skype tiles are tens of kB). */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024
/** Pictures fetched from networks at once: a chat list asks for dozens when it opens. */
const MAX_PARALLEL = 4

/** The image type from the first bytes, or null when they are not one of the four a picture may be. */
export function sniffImage(bytes: Uint8Array): 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | null {
  const b = bytes
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a)
    return 'image/png'
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return 'image/gif'
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'image/webp'
  return null
}

/** Checks a network's answer is a picture Junction may show; the type is the one the bytes say. */
export function checkAvatar(media: MediaBytes): MediaBytes {
  if (media.bytes.byteLength > AVATAR_MAX_BYTES)
    throw new JunctionError('rejected', 'That profile picture is too large.', {
      reason: { code: 'refused', params: { what: 'avatar-size', limit: String(AVATAR_MAX_BYTES) } }
    })
  const mime = sniffImage(media.bytes)
  if (!mime)
    throw new JunctionError('rejected', 'The network sent a profile picture that is not an image.', {
      reason: { code: 'refused', params: { what: 'avatar-type' } }
    })
  return { mime, bytes: media.bytes }
}

export interface AvatarsOptions {
  store: Store
  log: Logger
  clock: () => number
  connectorFor(accountId: string): Connector | undefined
}

/** How many "the network has no picture" answers are remembered (per token, for this run). */
const MAX_MISSING = 10_000

export class Avatars {
  private readonly inFlight = new Map<string, Promise<MediaBytes>>()
  /** Tokens the network said have no picture: not asked again until the token changes (or Junction restarts). */
  private readonly missing = new Set<string>()
  private running = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly o: AvatarsOptions) {}

  /** The picture of `remoteId` on the account (a contact, a group, or the account itself): cached, else fetched once for its token. */
  async get(accountId: string, remoteId: string): Promise<MediaBytes> {
    const { store } = this.o
    if (!store.accounts.get(accountId)) throw new JunctionError('not-found', 'That account no longer exists.')
    const known = store.avatars.tokenOf(accountId, remoteId)
    if (!known) throw new JunctionError('not-found', 'There is no picture for this.')
    const cached = store.avatars.get(accountId, remoteId)
    if (cached && cached.token === known.token) return { mime: cached.mime, bytes: cached.bytes }
    const key = `${accountId}\u0000${remoteId}\u0000${known.token}`
    if (this.missing.has(key)) throw new JunctionError('not-found', 'The network has no picture for this.')
    let pending = this.inFlight.get(key)
    if (!pending) {
      pending = this.fetch(accountId, remoteId, known.kind, known.token).finally(() => this.inFlight.delete(key))
      this.inFlight.set(key, pending)
    }
    return pending
  }

  private async fetch(accountId: string, remoteId: string, kind: 'self' | 'chat' | 'contact', token: string): Promise<MediaBytes> {
    const connector = this.o.connectorFor(accountId)
    if (!connector) throw new JunctionError('unavailable', 'The account is not connected right now.', { reason: { code: 'unreachable' } })
    if (!connector.fetchAvatar) throw new JunctionError('unsupported', 'This network does not share profile pictures.')
    await this.slot()
    let answer: MediaBytes | null
    try {
      answer = await connector.fetchAvatar(kind, remoteId)
    } finally {
      this.release()
    }
    if (!answer) {
      if (this.missing.size >= MAX_MISSING) this.missing.clear()
      this.missing.add(`${accountId}\u0000${remoteId}\u0000${token}`)
      throw new JunctionError('not-found', 'The network has no picture for this.')
    }
    let picture: MediaBytes
    try {
      picture = checkAvatar(answer)
    } catch (error) {
      this.o.log.warn({ accountId, kind, size: answer.bytes.byteLength, error }, 'a profile picture was refused')
      throw error
    }
    // Stored only if the token is still the one asked for: a picture that changed meanwhile is fetched again next time.
    if (this.o.store.avatars.tokenOf(accountId, remoteId)?.token === token) this.o.store.avatars.put(accountId, remoteId, { token, ...picture }, this.o.clock())
    return picture
  }

  private async slot(): Promise<void> {
    if (this.running < MAX_PARALLEL) {
      this.running++
      return
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  private release(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.running--
  }
}
