// The reference server's media upload (spec §6.3 `mediaConn`, §7.4): it hands out an auth
// token and one host name, takes `POST /mms/<type>/<token>?auth=…&token=…` with the WA Web
// Origin, checks that the token is the SHA-256 of the body it received, and stores the blob
// until a relayed message names it. The phone that receives such a message then decrypts
// it with its own reading of §7.3 (wire.ts) and keeps what came out, for the tests and the
// sandbox phone page. Test knobs: a slow link, a size limit, refused types, a failing host.

import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { decryptMediaFile } from './wire'
import type { StoredMessage } from './world'

/** What the media connection names; the Connector's `mediaHost` setting points it here. */
export const UPLOAD_HOSTNAME = 'mmg.whatsapp.net'
const MMS_TYPES = new Set(['image', 'video', 'audio', 'document'])
/** spec §7.3: the HKDF info per message kind (stickers use the image keys). */
const INFO: Record<string, string> = { imageMessage: 'WhatsApp Image Keys', documentMessage: 'WhatsApp Document Keys' }

export interface UploadScript {
  /** Read uploads at this rate (a slow link), for progress bars; null reads at once. */
  bytesPerSecond: number | null
  /** Answer 413 to bigger uploads. */
  maxBytes: number | null
  /** mms types answered with 415 (e.g. `document`). */
  refusedTypes: string[]
  /** The next uploads are answered with these statuses, in order (e.g. 401 for an expired token, 503). */
  nextStatuses: number[]
}

/** What the contact's phone got out of a media message. */
export interface PhoneReceived {
  chat: string
  id: string
  kind: 'image' | 'document'
  mime: string
  name?: string
  caption?: string
  /** What a photo's message says of it before the download (spec §7.2 ImageMessage 6, 7, 16). */
  width?: number
  height?: number
  jpegThumbnail?: Buffer
  /** The decrypted file, or null with `problem` when the phone could not open it. */
  file: Buffer | null
  problem?: string
}

export class UploadHost {
  readonly script: UploadScript = { bytesPerSecond: null, maxBytes: null, refusedTypes: [], nextStatuses: [] }
  /** Uploaded blobs not yet named by a message, by download path. */
  readonly pending = new Map<string, Buffer>()
  readonly received: PhoneReceived[] = []
  readonly stats = { mediaConns: 0, uploads: 0, refused: 0 }
  private readonly auths = new Set<string>()

  constructor(
    private readonly mediaUrlBase: string,
    private readonly origin: string,
    private readonly onStored: (path: string, blob: Buffer, message: StoredMessage) => void
  ) {}

  /** spec §6.3: `{"status":200,"media_conn":{auth, ttl, hosts:[{hostname}]}}`. */
  mediaConn(): Record<string, unknown> {
    const auth = randomBytes(24).toString('base64url')
    this.auths.add(auth)
    this.stats.mediaConns++
    return { status: 200, media_conn: { auth, ttl: 3600, hosts: [{ hostname: UPLOAD_HOSTNAME, ips: [] }] } }
  }

  /** Forgets every token, as when they expire: the next upload with an old one gets 401. */
  expireTokens(): void {
    this.auths.clear()
  }

  /** Handles the request if it is an upload; false when it is not one. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://x')
    const match = /^\/mms\/([a-z]+)\/([A-Za-z0-9_-]+=*)$/.exec(url.pathname)
    if (req.method !== 'POST' || !match) return false
    const [, type, token] = match as unknown as [string, string, string]
    const reject = (status: number): void => {
      this.stats.refused++
      req.resume()
      res.writeHead(status).end()
    }
    if (req.headers.origin !== this.origin) return (reject(403), true)
    if (!MMS_TYPES.has(type) || url.searchParams.get('token') !== token) return (reject(400), true)
    const scripted = this.script.nextStatuses.shift()
    if (scripted !== undefined) return (reject(scripted), true)
    if (!this.auths.has(url.searchParams.get('auth') ?? '')) return (reject(401), true)
    if (this.script.refusedTypes.includes(type)) return (reject(415), true)
    const declared = Number(req.headers['content-length'] ?? NaN)
    const max = this.script.maxBytes
    if (max !== null && Number.isFinite(declared) && declared > max) return (reject(413), true)
    void this.read(req).then(
      (blob) => {
        if (max !== null && blob.length > max) return reject(413)
        // spec §7.4 step 2: the token is base64url(fileEncSha256), with or without padding.
        if (createHash('sha256').update(blob).digest('base64url') !== token.replace(/=+$/, '')) return reject(400)
        const path = `/d/f/${randomBytes(18).toString('base64url')}.enc`
        this.pending.set(path, blob)
        this.stats.uploads++
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: `${this.mediaUrlBase}${path}` }))
      },
      () => reject(400)
    )
    return true
  }

  /** The body, read at the scripted rate: paused between chunks so the sender sees a slow link. */
  private read(req: IncomingMessage): Promise<Buffer> {
    const rate = this.script.bytesPerSecond
    return new Promise((resolve, reject) => {
      const parts: Buffer[] = []
      req.on('data', (chunk: Buffer) => {
        parts.push(chunk)
        if (rate === null) return
        req.pause()
        setTimeout(() => req.resume(), Math.ceil((chunk.length / rate) * 1000))
      })
      req.on('end', () => resolve(Buffer.concat(parts)))
      req.on('error', reject)
    })
  }

  /** A relayed message that names an upload: the blob is stored with it, and the contact's phone opens it. */
  phoneReceives(message: StoredMessage): void {
    const content = message.content ?? {}
    for (const field of ['imageMessage', 'documentMessage'] as const) {
      const m = content[field] as
        | {
            url?: string
            mimetype?: string
            mediaKey?: Uint8Array
            fileSha256?: Uint8Array
            fileEncSha256?: Uint8Array
            fileLength?: number
            fileName?: string
            caption?: string
            width?: number
            height?: number
            jpegThumbnail?: Uint8Array
          }
        | undefined
      if (!m) continue
      const entry: PhoneReceived = {
        chat: message.chat,
        id: message.id,
        kind: field === 'imageMessage' ? 'image' : 'document',
        mime: m.mimetype ?? '',
        file: null
      }
      if (m.fileName) entry.name = m.fileName
      if (m.caption) entry.caption = m.caption
      if (m.width) entry.width = m.width
      if (m.height) entry.height = m.height
      if (m.jpegThumbnail?.length) entry.jpegThumbnail = Buffer.from(m.jpegThumbnail)
      this.received.push(entry)
      let path: string
      try {
        path = new URL(m.url ?? '').pathname
      } catch {
        entry.problem = 'no url'
        return
      }
      const blob = this.pending.get(path)
      if (!blob) {
        entry.problem = 'url names no upload'
        return
      }
      if (!m.fileEncSha256 || !createHash('sha256').update(blob).digest().equals(Buffer.from(m.fileEncSha256))) {
        entry.problem = 'fileEncSha256 mismatch'
        return
      }
      // The phone checks the plain file's hash and length as well (spec §7.3); a message without them is not opened.
      if (!m.fileSha256 || m.fileLength === undefined) {
        entry.problem = 'fileSha256 or fileLength missing'
        return
      }
      const opened = decryptMediaFile(blob, Buffer.from(m.mediaKey ?? []), INFO[field]!, {
        fileSha256: Buffer.from(m.fileSha256),
        fileLength: Number(m.fileLength)
      })
      if ('problem' in opened) {
        entry.problem = opened.problem
        return
      }
      entry.file = opened.file
      this.pending.delete(path)
      this.onStored(path, blob, message)
      return
    }
  }
}
