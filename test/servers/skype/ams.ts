// The AMS object store of the Skype reference server: where photos and files live. Not in the
// spec (§6.5 names the message types only); written from how public clients use it:
// - `POST /v1/objects` `{"type":"pish/image"|"sharing/file","permissions":{"<who>":["read"]},
//   "filename"}` with `Authorization: skype_token <token>` → 201 `{"id":"0-…"}` (skype4pidgin
//   skypeweb_contacts.c: "POST to api.asm.skype.com /v1/objects", its `{"id": "0-cus-d3-…"}`);
// - `PUT /v1/objects/<id>/content/imgpsh|original` the bytes (SkPy chat.py sendFile);
// - `GET /v1/objects/<id>/views/imgpsh_fullsize|imgt1|original` the bytes (SkPy msg.py), and
//   `GET /v1/objects/<id>/views/original/status` the status JSON skype4pidgin quotes
//   (`content_length`, `content_state`, `view_state`, `view_location`, …).
// Only the owner writes; a reader must be named in the permissions (a `19:` thread names its
// members), anyone else gets 403. The simulated contacts share photos and files from here.
// Nothing is imported from the client's skype folder.

import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SkypeAvatars } from './avatars'
import type { SimulatedUser } from './peer'
import type { SkypeUser, StoredMessage } from './records'
import type { SkypeWorld } from './world'

export type AmsKind = 'image' | 'file'

export interface AmsObject {
  id: string
  owner: string
  kind: AmsKind
  filename?: string
  permissions: Record<string, string[]>
  bytes?: Buffer
  mime?: string
}

export interface AmsOptions {
  world: SkypeWorld
  avatars: SkypeAvatars
  origin: () => string
  /** Bytes an object may hold (413 above). */
  maxObjectBytes?: number
}

/** What a contact got: the URIObject message and the object it names, as the contact's client would read them. */
export interface ReceivedMedia {
  message: StoredMessage
  kind: AmsKind
  objectId?: string
  name?: string
  size?: number
  bytes?: Buffer
}

const TYPES: Record<string, AmsKind> = { 'pish/image': 'image', 'sharing/file': 'file' }
const CONTENT_OF: Record<AmsKind, string> = { image: 'imgpsh', file: 'original' }

export class SkypeAms {
  readonly objects = new Map<string, AmsObject>()
  /** Every AMS request as `METHOD path`, for tests. */
  readonly requests: string[] = []
  private readonly maxBytes: number

  constructor(private readonly o: AmsOptions) {
    this.maxBytes = o.maxObjectBytes ?? 50 * 1024 * 1024
  }

  /** Answers `/v1/objects…`; false for any other path. */
  handle(req: IncomingMessage, url: URL, res: ServerResponse): boolean {
    const path = url.pathname
    if (!path.startsWith('/v1/objects')) return false
    this.requests.push(`${req.method} ${path}`)
    const header = String(req.headers.authorization ?? '')
    const user = header.startsWith('skype_token ') ? this.o.avatars.userOfSkypeToken(header.slice('skype_token '.length)) : undefined
    if (!user) {
      req.resume()
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"status":{"code":401,"text":"token invalid"}}')
      return true
    }
    if (req.method === 'POST' && path === '/v1/objects') {
      void this.readBody(req, 64 * 1024).then((body) => this.create(user, body, res))
      return true
    }
    const m = /^\/v1\/objects\/(0-[a-z0-9-]+)(?:\/(content|views)\/([a-z0-9_]+)(\/status)?)?\/?$/.exec(path)
    const object = m ? this.objects.get(m[1]!) : undefined
    if (!m || !object) {
      req.resume()
      res.writeHead(404).end()
      return true
    }
    if (req.method === 'PUT' && m[2] === 'content') {
      this.upload(user, object, m[3]!, req, res)
      return true
    }
    req.resume()
    if (req.method !== 'GET') res.writeHead(405).end()
    else if (!this.mayRead(user, object)) res.writeHead(403).end()
    else if (!m[2] || m[4]) this.status(object, res)
    else if (m[2] === 'views') this.view(object, m[3]!, res)
    else res.writeHead(404).end()
    return true
  }

  /** Stores an object as its owner's client would have uploaded it; returns its id. */
  put(owner: string, kind: AmsKind, readers: string[], filename: string, bytes: Buffer): string {
    const id = `0-ref-d1-${randomBytes(16).toString('hex')}`
    const permissions = Object.fromEntries(readers.map((r) => [r, ['read']]))
    this.objects.set(id, {
      id,
      owner,
      kind,
      filename,
      permissions,
      bytes,
      mime: kind === 'image' ? (imageType(bytes) ?? 'image/jpeg') : 'application/octet-stream'
    })
    return id
  }

  objectUrl(id: string): string {
    return `${this.o.origin()}/v1/objects/${id}`
  }

  /**
   * A contact shares a photo: the object is stored first, readable by the conversation, then the
   * `RichText/UriObject` goes out with the body Skype's web client writes (doc_id, width, height,
   * OriginalName, FileSize, meta; the capture quoted in the client's unit tests).
   */
  sharePhoto(
    from: SimulatedUser,
    to: string,
    name: string,
    bytes: Buffer,
    size: { width: number; height: number } = { width: 640, height: 480 }
  ): StoredMessage {
    const id = this.put(from.user.key, 'image', [this.readerOf(to)], name, bytes)
    const u = this.objectUrl(id)
    const body =
      `<URIObject uri="${u}" url_thumbnail="${u}/views/imgt1_anim" type="Picture.1" doc_id="${id}" width="${size.width}" height="${size.height}">` +
      `To view this shared photo, go to: <a href="https://login.skype.com/login/sso?go=xmmfallback?pic=${id}">https://login.skype.com/login/sso?go=xmmfallback?pic=${id}</a>` +
      `<OriginalName v="${esc(name)}"></OriginalName><FileSize v="${bytes.length}"></FileSize><meta type="photo" originalName="${esc(name)}"></meta></URIObject>`
    return from.shareMedia(to, 'RichText/UriObject', body)
  }

  /** A contact shares a file, as SkPy's sendFile writes it (File.1, Title, Description, the link, OriginalName, FileSize). */
  shareFile(from: SimulatedUser, to: string, name: string, bytes: Buffer): StoredMessage {
    const id = this.put(from.user.key, 'file', [this.readerOf(to)], name, bytes)
    const u = this.objectUrl(id)
    const body =
      `<URIObject type="File.1" uri="${u}" url_thumbnail="${u}/views/thumbnail"><Title>Title: ${esc(name)}</Title><Description> Description: ${esc(name)}</Description>` +
      `<a href="https://login.skype.com/login/sso?go=webclient.xmm&amp;docid=${id}"> https://login.skype.com/login/sso?go=webclient.xmm&amp;docid=${id}</a>` +
      `<OriginalName v="${esc(name)}"/><FileSize v="${bytes.length}"/></URIObject>`
    return from.shareMedia(to, 'RichText/Media_GenericFile', body)
  }

  /** The photos and files a simulated contact received, with the bytes of the objects they name. */
  received(inbox: StoredMessage[]): ReceivedMedia[] {
    return inbox.flatMap((message) => {
      const type = message.messageType.toLowerCase()
      const kind: AmsKind | undefined = type === 'richtext/uriobject' ? 'image' : type === 'richtext/media_genericfile' ? 'file' : undefined
      if (!kind) return []
      const prefix = `${this.objectUrl('')}`
      const uri = /\buri="([^"]*)"/.exec(message.body)?.[1]
      const objectId = uri?.startsWith(prefix) ? uri.slice(prefix.length).split('/')[0] : undefined
      const name = /<OriginalName v="([^"]*)"/.exec(message.body)?.[1]
      const size = /<FileSize v="(\d+)"/.exec(message.body)?.[1]
      const bytes = objectId ? this.objects.get(objectId)?.bytes : undefined
      return [
        {
          message,
          kind,
          ...(objectId ? { objectId } : {}),
          ...(name ? { name: unesc(name) } : {}),
          ...(size ? { size: Number(size) } : {}),
          ...(bytes ? { bytes } : {})
        }
      ]
    })
  }

  /** The permission key a conversation gets: a thread's id, or the contact's Skype name (skype4pidgin's `8:eionrobb`). */
  private readerOf(to: string): string {
    return to.startsWith('19:') ? to : `8:${this.o.world.user(to).skypeName}`
  }

  private create(user: SkypeUser, body: Buffer | null, res: ServerResponse): void {
    if (!body) return void res.writeHead(413).end()
    let meta: { type?: unknown; permissions?: unknown; filename?: unknown }
    try {
      meta = JSON.parse(body.toString('utf8')) as typeof meta
    } catch {
      return void res.writeHead(400).end()
    }
    const kind = typeof meta.type === 'string' ? TYPES[meta.type] : undefined
    const permissions = meta.permissions
    if (!kind || typeof permissions !== 'object' || permissions === null || Array.isArray(permissions)) return void res.writeHead(400).end()
    const entries = Object.entries(permissions as Record<string, unknown>)
    if (entries.length === 0 || entries.some(([, v]) => !Array.isArray(v) || !v.includes('read'))) return void res.writeHead(400).end()
    for (const [who] of entries) {
      if (who.startsWith('19:')) {
        const thread = this.o.world.threads.get(who)
        // Sharing into a conversation one is not in: AMS refuses it.
        if (!thread || !thread.members.includes(user.key)) return void res.writeHead(403).end()
      } else if (!this.o.world.resolve(who)) return void res.writeHead(400).end()
    }
    const id = `0-ref-d1-${randomBytes(16).toString('hex')}`
    const filename = typeof meta.filename === 'string' ? meta.filename.slice(0, 255) : undefined
    this.objects.set(id, { id, owner: user.key, kind, ...(filename ? { filename } : {}), permissions: permissions as Record<string, string[]> })
    res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id }))
  }

  private upload(user: SkypeUser, object: AmsObject, content: string, req: IncomingMessage, res: ServerResponse): void {
    if (object.owner !== user.key) return void (req.resume(), res.writeHead(403).end())
    if (content !== CONTENT_OF[object.kind]) return void (req.resume(), res.writeHead(400).end())
    // The whole body is read (and dropped past the limit) before the answer, so the client hears the 413.
    void this.readBody(req, this.maxBytes).then((bytes) => {
      if (!bytes) return void res.writeHead(413).end()
      const mime = object.kind === 'image' ? imageType(bytes) : 'application/octet-stream'
      // A "photo" that is no picture is refused as AMS's imgpsh pipeline would.
      if (!mime) return void res.writeHead(415).end()
      object.bytes = bytes
      object.mime = mime
      res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: object.id }))
    })
  }

  private view(object: AmsObject, view: string, res: ServerResponse): void {
    const views = object.kind === 'image' ? ['imgpsh_fullsize', 'imgt1', 'imgt1_anim'] : ['original']
    if (!views.includes(view) || !object.bytes) return void res.writeHead(404).end()
    res.writeHead(200, { 'Content-Type': object.mime ?? 'application/octet-stream', 'Content-Length': object.bytes.length }).end(object.bytes)
  }

  private status(object: AmsObject, res: ServerResponse): void {
    const view = object.kind === 'image' ? 'imgpsh_fullsize' : 'original'
    const length = object.bytes?.length ?? 0
    const ready = object.bytes !== undefined
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({
        content_length: length,
        content_full_length: length,
        view_length: length,
        content_state: ready ? 'ready' : 'no content',
        view_state: ready ? 'ready' : 'none',
        view_location: `${this.objectUrl(object.id)}/views/${view}`,
        status_location: `${this.objectUrl(object.id)}/views/${view}/status`,
        scan: { status: 'passed' },
        ...(object.filename ? { original_filename: object.filename } : {})
      })
    )
  }

  private mayRead(user: SkypeUser, object: AmsObject): boolean {
    if (object.owner === user.key) return true
    return Object.keys(object.permissions).some((who) =>
      who.startsWith('19:') ? (this.o.world.threads.get(who)?.members.includes(user.key) ?? false) : this.o.world.resolve(who)?.key === user.key
    )
  }

  /** The body, or null past `limit` (the rest is drained so the answer still reaches the client). */
  private async readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > limit) over = true
      if (!over) chunks.push(chunk as Buffer)
    }
    return over ? null : Buffer.concat(chunks)
  }
}

/** PNG, JPEG, GIF or WebP by their first bytes. */
function imageType(b: Buffer): string | undefined {
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) return 'image/gif'
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp'
  return undefined
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function unesc(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
}
