// Profile pictures of the legacy reference server (spec §6.3 `["query","ProfilePicThumb",JID]` →
// `{"eurl","tag"}` or `{"status":404}`; §6.5 `["Cmd",{"type":"picture","jid"}]` when one changes).
// The `eurl` names WhatsApp's picture host; the client's `mediaHost` setting points it here, and
// the server's HTTP side serves `/v/t61/<tag>.png`. Each picture is a small PNG drawn from its tag.

import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { PNG } from 'pngjs'

/** What `eurl`s say; WA Web loaded profile pictures from pps.whatsapp.net. */
export const PICTURE_URL_BASE = 'https://pps.whatsapp.net'

function picturePng(tag: string): Buffer {
  const size = 48
  const png = new PNG({ width: size, height: size })
  const n = [...tag].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 11)
  const colour = [64 + (n & 0x7f), 64 + ((n >> 8) & 0x7f), 64 + ((n >> 16) & 0x7f), 255]
  for (let i = 0; i < size * size; i++) png.data.set(colour, i * 4)
  return PNG.sync.write(png)
}

export class ProfilePictures {
  /** The picture tag of each JID that has one. */
  private readonly tags = new Map<string, string>()
  /** Downloads served and ProfilePicThumb queries answered, for tests. */
  readonly served: string[] = []
  readonly queries: string[] = []

  /** Gives `jid` a new picture; returns its tag. */
  set(jid: string): string {
    const tag = randomBytes(6).toString('hex')
    this.tags.set(jid, tag)
    return tag
  }

  tagOf(jid: string): string | undefined {
    return this.tags.get(jid)
  }

  /** spec §6.3: the ProfilePicThumb answer for `jid`. */
  answer(jid: string): unknown {
    this.queries.push(jid)
    const tag = this.tags.get(jid.replace(/@s\.whatsapp\.net$/, '@c.us'))
    return tag ? { eurl: `${PICTURE_URL_BASE}/v/t61/${tag}.png?oe=5F000000`, tag } : { status: 404 }
  }

  /** The HTTP side: true when the request was a picture's (served or 404). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const m = /^\/v\/t61\/([0-9a-f]{12})\.png$/.exec(path)
    if (!m) return false
    if (req.method !== 'GET' || ![...this.tags.values()].includes(m[1]!)) {
      res.writeHead(404).end()
      return true
    }
    const bytes = picturePng(m[1]!)
    this.served.push(m[1]!)
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': bytes.length }).end(bytes)
    return true
  }

  /** The bytes served for a tag, for tests to compare with what the client shows. */
  static bytesOf(tag: string): Buffer {
    return picturePng(tag)
  }
}
