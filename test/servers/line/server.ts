// The LINE reference server: the Chrome gateway (JSON + SSE, spec §1–§7), the legacy
// Thrift endpoints (/S3, /S4, /P4, spec §9), OBS and the sticker shop (spec §10), on one
// loopback port, following spec §11's checklist and capture 002's exact shapes.
//
// It is a second reading of the spec: it imports nothing of the client's transport,
// session or Connector code. It shares only the Thrift codec (src/main/networks/line/thrift),
// whose bytes the spec §9.4 vectors pin; its crypto is its own (server-crypto.ts).

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AuthState } from './auth-state'
import { legacyCall } from './legacy-routes'
import { loginPoll, operationStream, thriftCall, tokenRefresh, type GatewayState, type Reply } from './gateway-routes'
import type { ServerOptions } from './handlers'
import { readBody } from './http-util'
import { obsRoute } from './obs-routes'
import { PROFILE_PREFIX, profilePictureRoute } from './profile-pictures'
import { autosave, loadWorld } from './persist'
import { TestSigner } from './test-signer'
import { LineWorld } from './world'

export interface LineServer {
  url: string
  world: LineWorld
  auth: AuthState
  state: GatewayState
  signer: TestSigner | null
  /** True when the world was resumed from the state folder (a restart), not made new. */
  restored: boolean
  /** A Connector configuration pointing at this server, with quick timings for tests. */
  config(extra?: Record<string, unknown>): Record<string, unknown>
  /** Cuts every open event stream, as a dropped connection would. */
  dropStreams(): void
  /** Writes raw event-stream text into every open stream (steering events, garbage). */
  streamWrite(text: string): number
  close(): Promise<void>
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  qrPollSec: 150,
  qrMaxPolls: 2,
  maxLongPollMs: 180_000,
  ssePingMs: 20_000,
  sseWindowMs: 140_000,
  legacyPollMs: 110_000,
  tooOldVersions: ['3.6.0', '3.5.1'],
  bareTokenRefresh: false
}

export interface StartOptions extends Partial<ServerOptions> {
  signer?: TestSigner | null
  world?: LineWorld
  /** Where the world is kept across restarts (issue 11 point 8); in memory only when absent. */
  stateDir?: string
  /** 0 (the default) for any free port. */
  port?: number
}

export async function startLineServer(input: StartOptions = {}): Promise<LineServer> {
  const { signer: givenSigner, world: givenWorld, stateDir, port, ...rest } = input
  const options: ServerOptions = { ...DEFAULT_SERVER_OPTIONS, ...rest }
  const saved = !givenWorld && stateDir ? loadWorld(stateDir) : null
  const world = givenWorld ?? saved ?? new LineWorld()
  const saver = stateDir ? autosave(world, stateDir) : null
  if (saver) world.onOps(() => saver.changed())
  const auth = new AuthState(world)
  const signer = givenSigner === undefined ? new TestSigner() : givenSigner
  const state: GatewayState = { world, auth, options, signer, sseAvailable: true, streams: new Set() }
  const sockets = new Set<import('node:net').Socket>()

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, signal: AbortSignal): Promise<Reply | null> => {
    const path = url.pathname
    const text = body.toString('utf8')
    if (req.method === 'POST' && path.startsWith('/api/talk/thrift/')) return thriftCall(state, req, path, text, signal)
    if (req.method === 'POST' && path === '/api/auth/tokenRefresh') return tokenRefresh(state, req, path, text)
    if (req.method === 'GET' && (path === '/api/talk/long-polling/JQ' || path === '/api/talk/long-polling/LF1')) {
      return loginPoll(state, req, path.endsWith('JQ') ? 'JQ' : 'LF1', path + url.search, signal)
    }
    if (req.method === 'GET' && path === '/api/operation/receive') {
      operationStream(state, req, res, url)
      return null
    }
    if (req.method === 'POST' && (path === '/S3' || path === '/S4' || path === '/P4')) return legacyCall(state, req, path, body, signal)
    if (path.startsWith('/r/talk/') || path.startsWith('/stickershop/')) return obsRoute(state, req, path, body)
    if (path.startsWith(`${PROFILE_PREFIX}/`))
      return profilePictureRoute(path, req.method ?? '', (p) =>
        [...world.users.values(), ...world.chats.values()].some((x: { picturePath?: string }) => x.picturePath === p)
      )
    return { status: 404, body: 'not found', headers: { 'content-type': 'text/plain' } }
  }

  const server = createServer((req, res) => {
    const abort = new AbortController()
    res.on('close', () => abort.abort())
    const url = new URL(req.url ?? '/', 'http://line.invalid')
    void (async () => {
      let body: Buffer = Buffer.alloc(0)
      try {
        body = await readBody(req)
        const reply = await route(req, res, url, body, abort.signal)
        if (!reply) {
          world.requests.push({
            method: req.method ?? '',
            path: url.pathname + url.search,
            headers: flat(req),
            body: '',
            status: 200,
            response: '',
            responseHeaders: {}
          })
          return
        }
        world.requests.push({
          method: req.method ?? '',
          path: url.pathname + url.search,
          headers: flat(req),
          body: isText(req) ? body.toString('utf8') : '',
          status: reply.status,
          response: typeof reply.body === 'string' ? reply.body : '',
          responseHeaders: reply.headers
        })
        if (!res.destroyed) res.writeHead(reply.status, reply.headers).end(reply.body)
      } catch (error) {
        if (!res.headersSent && !res.destroyed) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error instanceof Error ? error.message : error))
      } finally {
        // Tokens, certificates and sends change with requests: keep them (issue 11 point 8).
        saver?.changed()
      }
    })()
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port ?? 0, '127.0.0.1', () => resolve())
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url,
    world,
    auth,
    state,
    signer,
    restored: saved !== null,
    config: (extra = {}) => ({
      gatewayUrl: url,
      obsUrl: url,
      stickerUrl: url,
      legacyUrl: url,
      profileUrl: `${url}${PROFILE_PREFIX}`,
      ...(signer ? { signer } : {}),
      ...extra,
      timing: {
        qrRetryBaseMs: 20,
        qrRetryMaxMs: 100,
        reconnectBaseMs: 20,
        reconnectMaxMs: 200,
        refreshEarlySec: 0,
        ...((extra.timing as object | undefined) ?? {})
      }
    }),
    dropStreams: () => {
      for (const res of state.streams) res.socket?.destroy()
    },
    streamWrite: (text) => {
      for (const res of state.streams) res.write(text)
      return state.streams.size
    },
    close: async () => {
      saver?.changed()
      saver?.flush()
      for (const res of state.streams) res.end()
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

function flat(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v
  return out
}

function isText(req: IncomingMessage): boolean {
  return !(req.headers['content-type'] ?? '').includes('octet-stream') && !(req.headers['content-type'] ?? '').includes('x-thrift')
}
