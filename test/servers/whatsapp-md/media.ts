// The reference server's media side (spec §8), a second reading: media_conn tokens, the
// upload route `POST /mms/TYPE/TOKEN?auth=…&token=…` (TOKEN must be base64url(SHA-256(body))),
// downloads by direct path, and the simulated phones' own media encryption (§8.2) written
// here on node:crypto, sharing nothing with the client's.

import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { BinaryNode } from '../../../src/main/networks/whatsapp/md/binary'
import { decodeProto, encodeProto } from '../../../src/main/networks/whatsapp/md/proto'
import { bytesOf, child, node, SERVER } from './stanzas'

/** spec §8.2 table. */
const INFO: Record<string, string> = {
  image: 'WhatsApp Image Keys',
  sticker: 'WhatsApp Image Keys',
  video: 'WhatsApp Video Keys',
  audio: 'WhatsApp Audio Keys',
  document: 'WhatsApp Document Keys',
  history: 'WhatsApp History Keys',
  'app-state': 'WhatsApp App State Keys'
}

const MAX_UPLOAD = 64 * 1024 * 1024

function keys(mediaKey: Uint8Array, kind: string): { iv: Buffer; cipher: Buffer; mac: Buffer } {
  const okm = Buffer.from(hkdfSync('sha256', mediaKey, Buffer.alloc(32), INFO[kind] ?? '', 112))
  return { iv: okm.subarray(0, 16), cipher: okm.subarray(16, 48), mac: okm.subarray(48, 80) }
}

export interface SealedMedia {
  blob: Buffer
  mediaKey: Buffer
  fileSha256: Buffer
  fileEncSha256: Buffer
}

/** What a phone does before uploading: AES-256-CBC, then HMAC-SHA256(iv ‖ enc) truncated to 10 bytes. */
export function sealMedia(file: Uint8Array, kind: string, mediaKey: Buffer = randomBytes(32)): SealedMedia {
  const k = keys(mediaKey, kind)
  const c = createCipheriv('aes-256-cbc', k.cipher, k.iv)
  const enc = Buffer.concat([c.update(file), c.final()])
  const mac = createHmac('sha256', k.mac).update(k.iv).update(enc).digest().subarray(0, 10)
  const blob = Buffer.concat([enc, mac])
  return { blob, mediaKey, fileSha256: createHash('sha256').update(file).digest(), fileEncSha256: createHash('sha256').update(blob).digest() }
}

/** What a phone does after downloading: MAC first, then decrypt, then the plaintext hash. */
export function openMedia(blob: Uint8Array, kind: string, mediaKey: Uint8Array, fileSha256?: Uint8Array): Buffer {
  const k = keys(mediaKey, kind)
  const enc = blob.subarray(0, blob.length - 10)
  const mac = createHmac('sha256', k.mac).update(k.iv).update(enc).digest().subarray(0, 10)
  if (!timingSafeEqual(mac, blob.subarray(blob.length - 10))) throw new Error('media MAC mismatch')
  const d = createDecipheriv('aes-256-cbc', k.cipher, k.iv)
  const file = Buffer.concat([d.update(enc), d.final()])
  if (fileSha256 && !createHash('sha256').update(file).digest().equals(Buffer.from(fileSha256))) throw new Error('media hash mismatch')
  return file
}

/** Blobs by direct path, and the media_conn auth tokens handed out. */
export class MediaStore {
  readonly blobs = new Map<string, Buffer>()
  private readonly auths = new Set<string>()
  /** Upload paths seen (`/mms/TYPE`), for tests. */
  readonly uploads: string[] = []
  /** What the phones sent, by message id: they can upload it again (spec §8.5). */
  readonly sent = new Map<string, { mediaKey: Buffer; blob: Buffer; kind: string; directPath: string }>()
  /** Re-upload requests answered, by message id. */
  readonly retried: string[] = []
  /** Direct paths of history chunks the phones uploaded (spec §10.1), for tests. */
  readonly historyBlobs: string[] = []

  /** The server drops a file (old media): downloads answer 404 until the phone uploads it again. */
  expire(id: string): void {
    const s = this.sent.get(id)
    if (s) this.blobs.delete(s.directPath)
  }

  /**
   * spec §8.5 on the phone: a `server-error` receipt for a message it has. The request must open
   * under the key derived from the media key (proof the companion holds it); the file goes to a new
   * path, announced in a `mediaretry` notification encrypted the same way.
   */
  retryAnswer(n: BinaryNode): BinaryNode {
    const id = n.attrs.id ?? ''
    const rmr = child(n, 'rmr')
    const reply = (content: BinaryNode[]): BinaryNode => node('notification', { from: SERVER, type: 'mediaretry', id }, [...(rmr ? [rmr] : []), ...content])
    const s = this.sent.get(id)
    if (!s) return reply([node('error', { code: '2' })])
    const key = Buffer.from(hkdfSync('sha256', s.mediaKey, Buffer.alloc(32), 'WhatsApp Media Retry Notification', 32))
    try {
      const sealed = Buffer.from(bytesOf(child(child(n, 'encrypt'), 'enc_p')) ?? [])
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(bytesOf(child(child(n, 'encrypt'), 'enc_iv')) ?? []))
      d.setAAD(Buffer.from(id))
      d.setAuthTag(sealed.subarray(sealed.length - 16))
      const request = decodeProto<{ stanzaId?: string }>('ServerErrorReceipt', Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]))
      if (request.stanzaId !== id) throw new Error('another message')
    } catch {
      return reply([node('error', { code: '3' })])
    }
    s.directPath = this.put(s.blob, s.kind)
    this.retried.push(id)
    const iv = randomBytes(12)
    const c = createCipheriv('aes-256-gcm', key, iv)
    c.setAAD(Buffer.from(id))
    const plain = encodeProto('MediaRetryNotification', { stanzaId: id, directPath: s.directPath, result: 1 })
    const sealed = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()])
    return reply([node('encrypt', {}, [node('enc_p', {}, sealed), node('enc_iv', {}, iv)])])
  }

  /** spec §8.1: the answer's attributes and the hosts (the real host name; clients configure where it really is). */
  issueAuth(): { auth: string; ttl: string; hosts: string[] } {
    const auth = randomBytes(24).toString('base64')
    this.auths.add(auth)
    return { auth, ttl: '3600', hosts: ['mmg.whatsapp.net'] }
  }

  /** Stores a blob as an upload would and returns its direct path. */
  put(blob: Buffer, kind: string): string {
    const id = randomBytes(12).toString('hex')
    const directPath = `/v/t62.7118-24/${id}_n.enc?ccb=11-4&oh=${kind}&oe=00&_nc_sid=5e03e0`
    this.blobs.set(directPath, blob)
    return directPath
  }

  /** The HTTP routes; false when the request is not a media route. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://media.invalid')
    if (req.method === 'POST' && url.pathname.startsWith('/mms/')) {
      void this.upload(req, res, url)
      return true
    }
    if (req.method === 'GET' && url.pathname.startsWith('/v/')) {
      // spec §8.4: whatsmeow appends `&hash=…&mms-type=…&__wa-mms=`; the stored path is what precedes them.
      const path = `${url.pathname}${url.search}`.replace(/&(hash|mms-type|__wa-mms)=[^&]*/g, '')
      const blob = this.blobs.get(path)
      if (!blob) return (void res.writeHead(404).end(), true)
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.length) }).end(blob)
      return true
    }
    return false
  }

  private async upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const [, , type = '', token = ''] = url.pathname.split('/')
    const auth = url.searchParams.get('auth') ?? ''
    if (!this.auths.has(auth)) return void res.writeHead(401).end()
    if (req.headers.origin !== 'https://web.whatsapp.com') return void res.writeHead(403).end()
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > MAX_UPLOAD) return void res.writeHead(413).end()
      chunks.push(chunk)
    }
    const body = Buffer.concat(chunks)
    // spec §8.3: the token is base64url(fileEncSha256), with or without padding.
    const expected = createHash('sha256').update(body).digest('base64url')
    if (token.replace(/=+$/, '') !== expected || body.length < 26) return void res.writeHead(400).end()
    this.uploads.push(`/mms/${type}`)
    const directPath = this.put(body, type)
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ url: `https://mmg.whatsapp.net${directPath}`, direct_path: directPath, handle: null }))
  }
}

export interface OpenedFile {
  kind: 'image' | 'document' | 'video' | 'audio' | 'sticker'
  mime: string
  fileName?: string
  caption?: string
  bytes: Buffer
}

type MediaFields = { mediaKey?: Uint8Array; directPath?: string; mimetype?: string; fileSha256?: Uint8Array; fileEncSha256?: Uint8Array }

/** A phone receiving a media message: fetch the blob the message names, check fileEncSha256, open it. */
export function openFromStore(store: MediaStore, m: Record<string, unknown>): OpenedFile | null {
  for (const kind of ['image', 'document', 'video', 'audio', 'sticker'] as const) {
    const f = m[`${kind}Message`] as (MediaFields & { fileName?: string; caption?: string }) | undefined
    if (!f) continue
    if (!f.mediaKey || !f.directPath) throw new Error(`${kind}Message without mediaKey/directPath`)
    const blob = store.blobs.get(f.directPath)
    if (!blob) throw new Error(`no blob at ${f.directPath}`)
    if (f.fileEncSha256 && !createHash('sha256').update(blob).digest().equals(Buffer.from(f.fileEncSha256))) throw new Error('fileEncSha256 mismatch')
    const bytes = openMedia(blob, kind, f.mediaKey, f.fileSha256)
    return { kind, mime: f.mimetype ?? '', ...(f.fileName ? { fileName: f.fileName } : {}), ...(f.caption ? { caption: f.caption } : {}), bytes }
  }
  return null
}
