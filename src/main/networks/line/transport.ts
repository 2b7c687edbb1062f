// The Chrome-extension gateway transport (spec §1–§3, capture 002): Thrift methods as
// `POST /api/talk/thrift/<Namespace>/<Service>/<method>` with a JSON array body, success
// and error envelopes, and the headers exactly as captured. Every request is signed.

import { JunctionError, ProtocolError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import { ErrorDataWire, parseWire } from './wire'
import { GW, LineError, TALK } from './errors'
import { fetchTyped, MAX_JSON_BYTES, readBounded } from './http'
import type { RequestSigner } from './signer'
import { EXTENSION_ORIGIN } from './signer/extension'

export interface GatewayOptions {
  baseUrl: string
  chromeVersion: string
  locale: string
  userAgent: string
  signer: RequestSigner
  requestTimeoutMs: number
  longPollGraceMs: number
  log: Logger
}

export interface CallOptions {
  /** Long polls add X-Line-Session-ID and X-LST (spec §2.1). */
  longPoll?: { sessionId: string; waitMs: number }
  signal?: AbortSignal
}

/** Services by their path below /api/talk/thrift (spec §1.1). */
export const SERVICE = {
  talk: 'Talk/TalkService',
  auth: 'Talk/AuthService',
  qrLogin: 'LoginQrCode/SecondaryQrCodeLoginService',
  qrPermit: 'LoginQrCode/SecondaryQrCodeLoginPermitNoticeService'
} as const

export class GatewayClient {
  /** The V3 access token once logged in; null before login and after logout. */
  private token: string | null = null
  /** The `lct` cookie (spec §2.1): set by the login response, cleared by logoutV2's. */
  private lct: string | null = null
  /** Refreshes the token on TalkException 119 (spec §4.3); the call is replayed once. */
  refresher: (() => Promise<void>) | null = null

  constructor(readonly o: GatewayOptions) {}

  get accessToken(): string | null {
    return this.token
  }

  setAccessToken(token: string | null): void {
    this.token = token
    this.lct = token
  }

  /** Headers in the captured order; `x-line-access` and the cookie only once logged in. */
  async headers(path: string, body: string, extra: { json: boolean; longPoll?: CallOptions['longPoll']; accept?: string }): Promise<Record<string, string>> {
    const h: Record<string, string> = {
      accept: extra.accept ?? 'application/json, text/plain, */*',
      'accept-language': this.o.locale.replace('_', '-')
    }
    if (extra.json) h['content-type'] = 'application/json'
    h.origin = EXTENSION_ORIGIN
    h['user-agent'] = this.o.userAgent
    h['x-lal'] = this.o.locale
    h['x-line-chrome-version'] = this.o.chromeVersion
    h['x-hmac'] = await this.o.signer.sign({ version: this.o.chromeVersion, accessToken: this.token ?? '', path, body })
    if (this.token) {
      h['x-line-access'] = this.token
      if (this.lct) h.cookie = `lct=${this.lct}`
    }
    if (extra.longPoll) {
      h['x-line-session-id'] = extra.longPoll.sessionId
      h['x-lst'] = String(extra.longPoll.waitMs)
    }
    return h
  }

  /** A Thrift method: `args` are positional, in argument order (spec §3). Resolves with `data`. */
  async call(service: string, method: string, args: unknown[], options: CallOptions = {}): Promise<unknown> {
    try {
      return await this.callOnce(service, method, args, options)
    } catch (error) {
      if (error instanceof LineError && error.isTalk(TALK.MUST_REFRESH_V3_TOKEN) && this.refresher) {
        await this.refresher()
        return this.callOnce(service, method, args, options)
      }
      throw error
    }
  }

  private async callOnce(service: string, method: string, args: unknown[], options: CallOptions): Promise<unknown> {
    const path = `/api/talk/thrift/${service}/${method}`
    const body = JSON.stringify(args)
    const json = await this.request('POST', path, body, options)
    return unwrapEnvelope(json)
  }

  /** GET long polls of the e-mail login (spec §4.2: JQ, LF1). */
  async longPollGet(path: string, options: CallOptions): Promise<unknown> {
    return unwrapEnvelope(await this.request('GET', path, '', options))
  }

  /** spec §4.3: a plain JSON object body; the answer may be an envelope or a bare object. */
  async tokenRefresh(refreshToken: string, signal?: AbortSignal): Promise<unknown> {
    const json = await this.request('POST', '/api/auth/tokenRefresh', JSON.stringify({ refreshToken }), signal ? { signal } : {})
    if (isEnvelope(json)) return unwrapEnvelope(json)
    return json
  }

  /** Opens the operation stream (spec §7.1); the caller reads the body. */
  async openStream(pathWithQuery: string, signal: AbortSignal): Promise<Response> {
    const headers = await this.headers(pathWithQuery, '', { json: false, accept: 'text/event-stream' })
    headers['cache-control'] = 'no-cache'
    const url = `${this.o.baseUrl}${pathWithQuery}`
    try {
      return await fetch(url, { method: 'GET', headers, signal, redirect: 'error' })
    } catch (cause) {
      if (signal.aborted) throw new JunctionError('cancelled', 'Cancelled.', { cause })
      throw new LineError({ outer: null }, { cause })
    }
  }

  private async request(method: 'GET' | 'POST', path: string, body: string, options: CallOptions): Promise<unknown> {
    const headers = await this.headers(path, body, { json: method === 'POST', ...(options.longPoll ? { longPoll: options.longPoll } : {}) })
    const timeoutMs = options.longPoll ? options.longPoll.waitMs + this.o.longPollGraceMs : this.o.requestTimeoutMs
    const res = await fetchTyped(`${this.o.baseUrl}${path}`, {
      method,
      headers,
      ...(method === 'POST' ? { body } : {}),
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {})
    })
    this.noteCookies(res)
    const bytes = await readBounded(res, MAX_JSON_BYTES, options.signal)
    let json: unknown
    try {
      json = bytes.length === 0 ? null : JSON.parse(Buffer.from(bytes).toString('utf8'))
    } catch (cause) {
      if (!res.ok) throw new LineError({ outer: null, httpStatus: res.status }, { cause })
      throw new ProtocolError('LINE answered with something that is not JSON.', { cause, detail: path })
    }
    if (!res.ok && !isEnvelope(json)) throw new LineError({ outer: null, httpStatus: res.status })
    this.o.log.debug({ path, status: res.status }, 'gateway call')
    return json
  }

  /** Follows `set-cookie: lct=…` from the login and its expiry on logout (capture 002). */
  private noteCookies(res: Response): void {
    for (const cookie of res.headers.getSetCookie()) {
      const m = /^lct=([^;]*)/.exec(cookie)
      if (!m) continue
      const expired = /expires=Thu, 01 Jan 1970/i.test(cookie) || /max-age=0\b/i.test(cookie)
      this.lct = expired || m[1] === '' ? null : m[1]!
    }
  }

  /** spec §4.3: the extension deletes the cookie on logout; so do we, with the token. */
  clearSession(): void {
    this.token = null
    this.lct = null
  }

  get cookie(): string | null {
    return this.lct
  }
}

function isEnvelope(json: unknown): json is { code?: unknown; message?: unknown; data?: unknown } {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && ('code' in json || 'message' in json)
}

/** spec §1.2/§1.3: `{code:0,message:"OK",data}` (either field suffices) or a typed error. */
export function unwrapEnvelope(json: unknown): unknown {
  if (!isEnvelope(json)) throw new ProtocolError('LINE answered without an envelope.')
  if (json.code === GW.OK || json.message === 'OK') return json.data ?? null
  if (typeof json.code !== 'number') throw new ProtocolError('LINE answered with an envelope without a code.')
  const data = json.data === undefined || json.data === null ? {} : parseWire(ErrorDataWire, json.data, 'an error')
  const info: ConstructorParameters<typeof LineError>[0] = { outer: json.code }
  // spec §1.3: the QR services wrap a SecondaryQrCodeException `{code, alertMessage}` without a name.
  if (data.name !== undefined) info.exception = data.name
  else if (data.alertMessage) info.exception = 'SecondaryQrCodeException'
  if (data.code !== undefined) info.talkCode = data.code
  const reason = data.reason ?? data.alertMessage
  if (reason) info.reason = reason.slice(0, 200)
  if (data.statusCode !== undefined) info.statusCode = data.statusCode
  throw new LineError(info)
}
