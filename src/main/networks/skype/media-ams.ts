// The AMS object store Skype keeps photos and files in. The spec (§6.5, §11.3) names the
// message types only; the store is as public clients use it:
// - create: `POST <ams>/v1/objects` `{"type":"pish/image"|"sharing/file","permissions":
//   {"<conversation>":["read"]},"filename":…}` → `{"id":"0-…"}` (skype4pidgin
//   `skypeweb_xfer_send_init` / `skypeweb_got_object_for_file`; SkPy `SkypeChat.sendFile`);
// - content: `PUT <ams>/v1/objects/<id>/content/imgpsh` for a photo, `/content/original` for a
//   file (SkPy sendFile; skype4pidgin `skypeweb_xfer_send_begin`);
// - views: `GET …/views/imgpsh_fullsize` (SkPy SkypeImgMsg.fileContent), `…/views/original`
//   (SkPy SkypeFileMsg.fileContent; skype4pidgin `skypeweb_init_file_download`);
// - authorised with the Skype token as `Authorization: skype_token <token>` (skype4pidgin,
//   "slightly different to normal"), the token from `rps/skypetoken` (spec §10.4, avatars.ts).
// Redirects are never followed (a redirect could lead past the AMS origin check), every answer
// is capped, and a token that is refused (401) is fetched anew once.

import { JunctionError } from '../../../shared/errors'
import { progressBody } from '../../base/upload-body'
import type { MediaBytes, MediaStream } from '../connector'
import { isObjectId, type UriObjectKind } from './media-uriobject'

const AMS = 'Skype’s file service'
/** A download up to this is returned whole; a larger one (or one of unknown size) streams. */
const WHOLE_DOWNLOAD_BYTES = 8 * 1024 * 1024
/** What Junction downloads at most; Core caps what it keeps on its own. */
export const MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024
const MAX_JSON_BYTES = 64 * 1024

export interface AmsOptions {
  /** `https://api.asm.skype.com/` or a reference server's. */
  amsUrl: string
  timeoutMs: number
  /** A fresh Skype token (spec §10.4); called again after a 401. */
  skypeToken(): Promise<string>
}

/** The store's names for the two kinds (SkPy sendFile: "pish/image" / "sharing/file", "imgpsh" / "original"). */
const OBJECT_TYPE: Record<UriObjectKind, string> = { image: 'pish/image', file: 'sharing/file' }
const CONTENT: Record<UriObjectKind, string> = { image: 'imgpsh', file: 'original' }
const FULL_VIEW: Record<UriObjectKind, string> = { image: 'imgpsh_fullsize', file: 'original' }

export class AmsClient {
  private token: Promise<string> | null = null

  constructor(private readonly o: AmsOptions) {}

  /** `<ams>/v1/objects/<id>`, the `uri` of the message's URIObject. */
  objectUrl(id: string): string {
    return new URL(`v1/objects/${encodeURIComponent(id)}`, withSlash(this.o.amsUrl)).toString()
  }

  /** Creates an object readable by the conversation; resolves with its id. */
  async create(kind: UriObjectKind, conversation: string, filename: string): Promise<string> {
    const body = JSON.stringify({ type: OBJECT_TYPE[kind], permissions: { [conversation]: ['read'] }, filename })
    const res = await this.authorised((token) =>
      this.request(new URL('v1/objects', withSlash(this.o.amsUrl)).toString(), {
        method: 'POST',
        headers: { ...auth(token), 'Content-Type': 'application/json', 'X-Client-Version': '0/0.0.0.0' },
        body
      })
    )
    if (res.status !== 200 && res.status !== 201) throw await refusal(res, kind)
    const json = await readJson(res)
    const id = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined
    if (typeof id !== 'string' || !isObjectId(id)) throw new JunctionError('protocol', `${AMS} did not say where it keeps the file.`)
    return id
  }

  /** Puts the object's bytes, reporting each chunk handed to the socket. */
  async upload(kind: UriObjectKind, id: string, bytes: Uint8Array, onProgress?: (sent: number, total: number) => void): Promise<void> {
    const url = `${this.objectUrl(id)}/content/${CONTENT[kind]}`
    // A large file on a slow link: a minute per 4 MB, never less than the usual request time.
    const timeoutMs = Math.max(this.o.timeoutMs, 60_000 * Math.ceil(bytes.length / (4 * 1024 * 1024)))
    const res = await this.authorised((token) => {
      const { body, duplex, length } = progressBody(bytes, onProgress)
      return this.request(
        url,
        {
          method: 'PUT',
          headers: { ...auth(token), 'Content-Type': 'application/octet-stream', 'Content-Length': String(length) },
          body,
          duplex
        } as RequestInit,
        timeoutMs
      )
    })
    await res.body?.cancel().catch(() => {})
    if (res.status !== 200 && res.status !== 201) throw await refusal(res, kind)
  }

  /** The object's full view: whole bytes when small, else a stream with its size (for progress). */
  async download(kind: UriObjectKind, id: string, fallbackMime: string): Promise<MediaBytes | MediaStream> {
    const url = `${this.objectUrl(id)}/views/${FULL_VIEW[kind]}`
    const res = await this.authorised((token) => this.request(url, { method: 'GET', headers: { ...auth(token), Accept: '*/*' } }))
    if (res.status === 404) {
      await res.body?.cancel().catch(() => {})
      throw new JunctionError('not-found', `${AMS} no longer has this file.`)
    }
    if (res.status !== 200) throw await refusal(res, kind)
    const mime = contentType(res.headers.get('content-type'), kind, fallbackMime)
    const declared = Number(res.headers.get('content-length') ?? NaN)
    if (declared > MAX_DOWNLOAD_BYTES) {
      await res.body?.cancel().catch(() => {})
      throw tooLarge()
    }
    const known = Number.isSafeInteger(declared) && declared >= 0
    if (known && declared <= WHOLE_DOWNLOAD_BYTES) return { mime, bytes: await readCapped(res, WHOLE_DOWNLOAD_BYTES) }
    return { mime, ...(known ? { size: declared } : {}), chunks: cappedChunks(res, MAX_DOWNLOAD_BYTES) }
  }

  /** Runs a request with the cached token; a 401 drops it and tries once more with a new one. */
  private async authorised(send: (token: string) => Promise<Response>): Promise<Response> {
    const first = await send(await this.skypeToken(false))
    if (first.status !== 401) return first
    await first.body?.cancel().catch(() => {})
    return send(await this.skypeToken(true))
  }

  private skypeToken(fresh: boolean): Promise<string> {
    if (fresh || !this.token) {
      const pending = this.o.skypeToken()
      this.token = pending
      // A failed fetch is not cached: the next call asks again.
      pending.catch(() => {
        if (this.token === pending) this.token = null
      })
    }
    return this.token
  }

  private async request(url: string, init: RequestInit, timeoutMs = this.o.timeoutMs): Promise<Response> {
    // The deadline covers the answer's start; a download's body is read under Core's own timeout.
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    let res: Response
    try {
      res = await fetch(url, { ...init, signal: controller.signal, redirect: 'manual' })
    } catch (cause) {
      clearTimeout(timer)
      if (controller.signal.aborted) throw new JunctionError('timeout', `${AMS} did not answer in time.`)
      throw new JunctionError('network', `${AMS} could not be reached.`, { cause })
    }
    clearTimeout(timer)
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => {})
      throw new JunctionError('protocol', `${AMS} sent Junction elsewhere, which it does not follow.`, { detail: `HTTP ${res.status}` })
    }
    return res
  }
}

function auth(token: string): Record<string, string> {
  return { Authorization: `skype_token ${token}` }
}

function refused(what: 'attachment-size' | 'attachment-type', message: string): JunctionError {
  return new JunctionError('invalid-argument', message, { reason: { code: 'refused', params: { what } } })
}

function tooLarge(): JunctionError {
  return new JunctionError('rejected', 'That file is too large to open.', { reason: { code: 'refused', params: { limit: String(MAX_DOWNLOAD_BYTES) } } })
}

/** A refusal in the contract's words (connector.ts sendFile): size, type, permission; others by status. */
async function refusal(res: Response, kind: UriObjectKind): Promise<JunctionError> {
  await res.body?.cancel().catch(() => {})
  const detail = `HTTP ${res.status}`
  if (res.status === 413) return refused('attachment-size', `${AMS} does not take ${kind === 'image' ? 'pictures' : 'files'} this large.`)
  if (res.status === 415) return refused('attachment-type', `${AMS} does not take ${kind === 'image' ? 'pictures' : 'files'} of this type.`)
  if (res.status === 403)
    return new JunctionError('rejected', `${AMS} refused this conversation.`, { detail, reason: { code: 'refused', params: { detail: 'forbidden' } } })
  if (res.status === 401) return new JunctionError('auth-failed', `${AMS} refused the sign-in.`, { detail })
  if (res.status === 429) return new JunctionError('rate-limited', `${AMS} asked Junction to slow down.`, { detail })
  if (res.status >= 500) return new JunctionError('unavailable', `${AMS} is having trouble right now.`, { detail })
  return new JunctionError('rejected', `${AMS} refused the request.`, { detail })
}

async function readJson(res: Response): Promise<unknown> {
  const bytes = await readCapped(res, MAX_JSON_BYTES)
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    return undefined
  }
}

async function readCapped(res: Response, max: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let total = 0
  for await (const chunk of cappedChunks(res, max)) {
    parts.push(chunk)
    total += chunk.byteLength
  }
  return new Uint8Array(Buffer.concat(parts, total))
}

async function* cappedChunks(res: Response, max: number): AsyncGenerator<Uint8Array> {
  if (!res.body) return
  const reader = res.body.getReader()
  let total = 0
  try {
    for (;;) {
      let step: Awaited<ReturnType<typeof reader.read>>
      try {
        step = await reader.read()
      } catch (cause) {
        throw new JunctionError('network', `The connection to ${AMS} dropped.`, { cause })
      }
      if (step.done) return
      total += step.value.byteLength
      if (total > max) throw tooLarge()
      yield step.value
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}

/** The server's type when it names one of the kind's; otherwise what the message said. */
function contentType(header: string | null, kind: UriObjectKind, fallback: string): string {
  const mime = header?.split(';')[0]?.trim().toLowerCase() ?? ''
  if (!/^[a-z0-9.+-]{1,64}\/[a-z0-9.+-]{1,100}$/.test(mime) || mime === 'application/octet-stream') return fallback
  if (kind === 'image' && !mime.startsWith('image/')) return fallback
  return mime
}

function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`
}
