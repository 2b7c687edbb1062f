// Display pictures on the MSNP18 reference server: `GET /storage/usertile/<uuid>/static` and
// `/small` (msnp18.md §7.3) answer a user's picture as PNG bytes, 404 for a user without
// one; the user's NLN carries the msnobj describing it (§3.5, §4.1), percent-encoded the way
// Escargot re-encodes it, Python `quote(…, safe='')` (§1.2), and `0` when there is none.
// Each picture is drawn from a seed; its SHA1D is the base64 SHA-1 of the static picture,
// so a new picture is a new SHA1D and everyone watching hears a new NLN.

import { createHash, randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { PNG } from 'pngjs'
import type { Presence18 } from './presence'
import { quoteAll } from './wire'
import type { Account, World18 } from './world'

export type TileSize = 'static' | 'small'

/** What a test makes the server answer instead of the picture (a hostile or broken service). */
export interface UsertileAnswer {
  status: number
  headers?: Record<string, string>
  body?: Buffer
}

const PIXELS: Record<TileSize, number> = { static: 96, small: 48 }

export function picturePng(seed: string, size: TileSize): Buffer {
  const side = PIXELS[size]
  const png = new PNG({ width: side, height: side })
  const h = createHash('sha256').update(seed).digest()
  const [r, g, b] = [64 + (h[0]! & 0x7f), 64 + (h[1]! & 0x7f), 64 + (h[2]! & 0x7f)]
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      // A diagonal band, so the picture is plainly not a flat brand colour in a screenshot.
      const band = Math.abs(x - y) < side / 6
      png.data.set(band ? [255 - r, 255 - g, 255 - b, 255] : [r, g, b, 255], (y * side + x) * 4)
    }
  return PNG.sync.write(png)
}

function xmlAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')
}

/** §3.5: the msnobj of the account's picture (unencoded), or null when it has none. */
export function msnObjectXml(a: Account): string | null {
  if (a.msnobj !== undefined) return a.msnobj
  const p = a.picture
  if (!p) return null
  const fields = `Creator${a.email}Size${p.size}Type3Location0FriendlyAAA=SHA1D${p.sha1d}`
  const sha1c = createHash('sha1').update(fields).digest('base64')
  return `<msnobj Creator="${xmlAttr(a.email)}" Size="${p.size}" Type="3" Location="0" Friendly="AAA=" SHA1D="${p.sha1d}" SHA1C="${sha1c}"/>`
}

/** §1.2 / §4.1: the msnobj argument as it goes out in NLN: fully percent-encoded, or `0`. */
export function msnObjectArg(a: Account): string {
  const xml = msnObjectXml(a)
  return xml === null ? '0' : quoteAll(xml)
}

export class Usertiles {
  /** Every usertile request path, in order (tests check what Junction asked for). */
  readonly served: string[] = []
  /** Test switch: answer every usertile request with this (null: serve the pictures). */
  override: ((uuid: string, size: TileSize) => UsertileAnswer | null) | null = null

  constructor(
    private readonly world: World18,
    private readonly presence: Presence18
  ) {}

  /** Gives `email` a new picture and tells their watchers (NLN); returns its SHA1D. */
  set(email: string): string {
    const a = this.account(email)
    const seed = randomBytes(8).toString('hex')
    const data = picturePng(`${a.email}/${seed}`, 'static')
    a.picture = { seed, sha1d: createHash('sha1').update(data).digest('base64'), size: data.length }
    this.changed(a)
    return a.picture.sha1d
  }

  /** Takes the picture away (NLN with msnobj `0`). */
  remove(email: string): void {
    const a = this.account(email)
    delete a.picture
    this.changed(a)
  }

  /** Test switch: advertise this raw msnobj for `email` (undefined: their picture's own again). */
  advertise(email: string, msnobj: string | undefined): void {
    const a = this.account(email)
    if (msnobj === undefined) delete a.msnobj
    else a.msnobj = msnobj
    this.changed(a)
  }

  bytesOf(email: string, size: TileSize): Buffer | null {
    const a = this.world.get(email)
    return a?.picture ? picturePng(`${a.email}/${a.picture.seed}`, size) : null
  }

  /** Answers `GET /storage/usertile/<uuid>/static|small`; false for any other path. */
  handle(path: string, res: ServerResponse): boolean {
    const m = /^\/storage\/usertile\/([^/]+)\/(static|small)$/.exec(path)
    if (!m) return false
    this.served.push(path)
    const uuid = decodeURIComponent(m[1]!)
    const size = m[2] as TileSize
    const answer = this.override?.(uuid, size)
    if (answer) {
      res.writeHead(answer.status, answer.headers ?? {})
      res.end(answer.body ?? Buffer.alloc(0))
      return true
    }
    const a = [...this.world.accounts.values()].find((x) => x.uuid === uuid)
    const bytes = a ? this.bytesOf(a.email, size) : null
    if (!bytes) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
      return true
    }
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': bytes.length }).end(bytes)
    return true
  }

  private account(email: string): Account {
    const a = this.world.get(email)
    if (!a) throw new Error(`no account ${email}`)
    return a
  }

  private changed(a: Account): void {
    this.world.changed()
    this.presence.announce(a)
  }
}
