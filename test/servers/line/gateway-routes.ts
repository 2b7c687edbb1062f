// The gateway endpoints of the reference server (spec §1, §2, §11.1–§11.3): Thrift-as-JSON
// methods with their header checks (X-Line-Chrome-Version, X-Hmac, X-Line-Access), the
// e-mail login long polls, tokenRefresh, and the operation stream (SSE, spec §7.1).

import type { IncomingMessage, ServerResponse } from 'node:http'
import { authHandlers, emailLongPoll, qrHandlers } from './auth-handlers'
import type { AuthState } from './auth-state'
import { e2eeHandlers } from './e2ee-handlers'
import type { Handler, ServerOptions } from './handlers'
import { cookie, GatewayFault, header, ok, outerError, talkError } from './http-util'
import { rsaHandler, talkHandlers } from './talk-handlers'
import type { TestSigner } from './test-signer'
import type { LineWorld } from './world'

export interface GatewayState {
  world: LineWorld
  auth: AuthState
  options: ServerOptions
  signer: TestSigner | null
  /** Off: the stream endpoint answers 404, so clients fall back to long polling (spec §7.2). */
  sseAvailable: boolean
  /** Open event streams, to cut them in tests (a dropped connection). */
  streams: Set<ServerResponse>
}

export interface Reply {
  status: number
  body: string | Buffer
  headers: Record<string, string | string[]>
}

const json = (status: number, body: unknown, headers: Record<string, string | string[]> = {}): Reply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers }
})

function services(lst: () => string | undefined): Record<string, Record<string, Handler>> {
  const talk = talkHandlers()
  const e2ee = e2eeHandlers()
  return {
    'Talk/TalkService': { ...talk, ...e2ee, getRSAKeyInfo: rsaHandler },
    'Talk/AuthService': authHandlers(),
    'LoginQrCode/SecondaryQrCodeLoginService': qrHandlers(lst),
    'LoginQrCode/SecondaryQrCodeLoginPermitNoticeService': qrHandlers(lst)
  }
}

/**
 * Methods that need no valid X-Line-Access (spec §4.1: the QR services; §4.2: loginV2,
 * getRSAKeyInfo; capture 002 step 0: logoutV2 answers OK after a dead session's code 1).
 */
function anonymous(service: string, method: string): boolean {
  return service.startsWith('LoginQrCode/') || service === 'Talk/AuthService' || (service === 'Talk/TalkService' && method === 'getRSAKeyInfo')
}

/** spec §11.2: version, signature, then the session. Resolves with the account (or '' before login). */
function preamble(g: GatewayState, req: IncomingMessage, pathWithQuery: string, body: string, needsLogin: boolean): string {
  const version = header(req, 'x-line-chrome-version')
  if (!version || g.options.tooOldVersions.includes(version)) throw outerError(10006, 'REQUEST_MUST_UPGRADE')
  const token = header(req, 'x-line-access') ?? ''
  if (g.signer && !g.signer.verify({ version, accessToken: token, path: pathWithQuery, body }, header(req, 'x-hmac')))
    throw outerError(10005, 'REQUEST_INVALID_HMAC')
  if (!needsLogin) return ''
  if (!token) throw outerError(10004, 'REQUEST_NEED_LOGIN')
  const record = g.world.tokens.get(token)
  // capture 002 step 0: an old session → TalkException 1 "Authentication Failed.".
  if (!record || record.revoked) throw talkError(1, 'Authentication Failed.')
  if (record.expiresAtMs < Date.now()) throw talkError(119, 'MUST_REFRESH_V3_TOKEN')
  return record.mid
}

export async function thriftCall(g: GatewayState, req: IncomingMessage, path: string, body: string, signal: AbortSignal): Promise<Reply> {
  const m = /^\/api\/talk\/thrift\/([^/]+\/[^/]+)\/([^/]+)$/.exec(path)
  const service = m?.[1] ?? ''
  const method = m?.[2] ?? ''
  const handler = services(() => header(req, 'x-lst'))[service]?.[method]
  const cookies: string[] = []
  try {
    const mid = preamble(g, req, path, body, !anonymous(service, method))
    if (!handler) throw outerError(10102, 'INVALID_ARGUMENTS')
    const unavailable = g.world.unavailableCalls.get(method) ?? 0
    if (unavailable > 0) {
      g.world.unavailableCalls.set(method, unavailable - 1)
      return json(503, { code: 503, message: 'Service Unavailable' })
    }
    let args: unknown
    try {
      args = JSON.parse(body)
    } catch {
      throw outerError(10102, 'INVALID_ARGUMENTS')
    }
    if (!Array.isArray(args)) throw outerError(10102, 'INVALID_ARGUMENTS')
    if (service.endsWith('PermitNoticeService')) {
      // spec §4.1: the permit-notice polls carry X-Line-Session-ID and X-LST.
      const sessionId = (args[0] as { authSessionId?: unknown } | undefined)?.authSessionId
      if (header(req, 'x-line-session-id') !== sessionId || !header(req, 'x-lst')) throw talkError(0, 'missing long-poll headers')
    }
    const data = await handler({
      world: g.world,
      auth: g.auth,
      options: g.options,
      mid,
      accessToken: header(req, 'x-line-access') ?? null,
      args,
      setCookie: (c) => cookies.push(c),
      signal
    })
    return json(200, ok(data), cookies.length ? { 'set-cookie': cookies } : {})
  } catch (error) {
    if (error instanceof GatewayFault) return json(error.status, error.body)
    throw error
  }
}

/** GET /api/talk/long-polling/JQ|LF1 (spec §4.2). */
export async function loginPoll(g: GatewayState, req: IncomingMessage, kind: 'JQ' | 'LF1', path: string, signal: AbortSignal): Promise<Reply> {
  try {
    preamble(g, req, path, '', false)
    const lst = Number(header(req, 'x-lst'))
    const ms = Math.min(g.options.maxLongPollMs, Number.isFinite(lst) && lst > 0 ? lst : g.options.maxLongPollMs)
    return json(200, ok(await emailLongPoll(g.auth, kind, header(req, 'x-line-session-id'), ms, signal)))
  } catch (error) {
    if (error instanceof GatewayFault) return json(error.status, error.body)
    throw error
  }
}

/** POST /api/auth/tokenRefresh (spec §4.3): a JSON object body, X-Line-Access present. */
export function tokenRefresh(g: GatewayState, req: IncomingMessage, path: string, body: string): Reply {
  try {
    preamble(g, req, path, body, false)
    if (!header(req, 'x-line-access')) throw outerError(10004, 'REQUEST_NEED_LOGIN')
    if (g.world.refreshRetries > 0) {
      g.world.refreshRetries--
      throw outerError(10202, 'AUTH_RETRY_REQUIRED')
    }
    let refreshToken: unknown
    try {
      refreshToken = (JSON.parse(body) as { refreshToken?: unknown }).refreshToken
    } catch {
      throw outerError(10102, 'INVALID_ARGUMENTS')
    }
    const old = typeof refreshToken === 'string' ? g.world.refreshTokens.get(refreshToken) : undefined
    if (!old || old.revoked) throw outerError(10201, 'AUTH_INVALID_REQUEST')
    // The refresh token rotates: the old pair is gone.
    old.revoked = true
    g.world.refreshTokens.delete(old.refreshToken)
    const next = g.world.issueTokens(old.mid)
    const result = g.world.tokenResult(next)
    return json(200, g.options.bareTokenRefresh ? result : ok(result))
  } catch (error) {
    if (error instanceof GatewayFault) return json(error.status, error.body)
    throw error
  }
}

/** GET /api/operation/receive (spec §7.1): replays ops past localRev, then streams, pings, and closes after its window. */
export function operationStream(g: GatewayState, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const token = cookie(req, 'lct') || header(req, 'x-line-access') || ''
  const record = g.world.tokens.get(token)
  if (!g.sseAvailable) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    return
  }
  if (!record || record.revoked) {
    res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized')
    return
  }
  const hmac = header(req, 'x-hmac')
  const version = header(req, 'x-line-chrome-version') ?? ''
  if (hmac && g.signer && !g.signer.verify({ version, accessToken: header(req, 'x-line-access') ?? '', path: url.pathname + url.search, body: '' }, hmac)) {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 10005, message: 'REQUEST_INVALID_HMAC' }))
    return
  }
  const localRev = url.searchParams.get('localRev') ?? ''
  if (!/^-?\d+$/.test(localRev)) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad localRev')
    return
  }
  const mid = record.mid
  let sent = BigInt(localRev)
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
  res.write('event: ping\ndata: null\n\nevent: connInfoRevision\ndata: 396\n\n')
  const flush = (): void => {
    if (res.writableEnded) return
    for (const op of g.world.opsAfter(mid, sent)) {
      const data = g.world.malformedRevisions.has(op.revision) ? JSON.stringify(op).slice(0, 40) : JSON.stringify(op)
      res.write(`id: ${op.revision}\ndata: ${data}\n\n`)
      sent = BigInt(op.revision)
    }
  }
  flush()
  const off = g.world.onOps((who) => who === mid && flush())
  const ping = setInterval(() => !res.writableEnded && res.write('event: ping\ndata: null\n\n'), g.options.ssePingMs)
  const window = setTimeout(() => res.end(), g.options.sseWindowMs)
  g.streams.add(res)
  const cleanup = (): void => {
    off()
    clearInterval(ping)
    clearTimeout(window)
    g.streams.delete(res)
  }
  res.on('close', cleanup)
  res.on('finish', cleanup)
}
