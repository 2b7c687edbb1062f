// Profile pictures on the reference server (issue 12 §3; whatsapp-md §4.5 names the namespace,
// §7.5 the `picture` notification). The iq is answered as the open implementations expect it:
// `<picture id url direct_path type="preview"/>`, 404 when there is none, 401 when the owner's
// privacy setting hides it. The bytes are served over plain HTTP on the media port (pictures are
// not end-to-end encrypted, §8.2), under a path naming the picture id.

import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { BinaryNode } from '../../../src/main/networks/whatsapp/md/binary'
import { node } from './stanzas'

interface Picture {
  id: string
  bytes: Buffer
  hidden: boolean
}

export class PictureHost {
  /** By the owner's JID (`number@s.whatsapp.net` or a group's `…@g.us`). */
  private readonly pictures = new Map<string, Picture>()
  /** Every picture iq's target, in order (tests read it). */
  readonly asked: string[] = []

  /** Sets (bytes) or removes (null) `jid`'s picture; returns the new picture id, or null when removed. */
  set(jid: string, bytes: Buffer | null, options: { hidden?: boolean } = {}): string | null {
    if (!bytes) {
      this.pictures.delete(jid)
      return null
    }
    const id = String(1_700_000_000 + randomBytes(3).readUIntBE(0, 3))
    this.pictures.set(jid, { id, bytes, hidden: options.hidden ?? false })
    return id
  }

  /** The iq's answer: the `<picture>` node, or an error code. */
  answer(iq: BinaryNode): { error: string } | BinaryNode[] {
    const target = iq.attrs.target ?? ''
    this.asked.push(target)
    const picture = this.pictures.get(target)
    if (!picture) return { error: '404' }
    if (picture.hidden) return { error: '401' }
    const path = `/pp/${picture.id}.jpg`
    return [node('picture', { id: picture.id, type: 'preview', url: `https://pps.whatsapp.net${path}?oh=junction`, direct_path: path })]
  }

  /** GET /pp/<id>.jpg; false when the request is not for a picture. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://pictures.invalid')
    if (req.method !== 'GET' || !url.pathname.startsWith('/pp/')) return false
    const id = url.pathname.slice('/pp/'.length).replace(/\.jpg$/, '')
    const picture = [...this.pictures.values()].find((p) => p.id === id)
    if (!picture) return (void res.writeHead(404).end(), true)
    res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': String(picture.bytes.length) }).end(picture.bytes)
    return true
  }
}
