// The headless host: the same Core under plain Node, serving the renderer build on
// 127.0.0.1 and the Api over a WebSocket. It binds to loopback only, answers only to
// its own Host header (no DNS rebinding), and the Api needs a random per-launch token.

import { timingSafeEqual } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { join } from 'node:path'
import type { NetworkId } from '../../shared/model'
import { randomToken } from '../base/ids'
import type { Logger } from '../base/log'
import { createDispatcher } from '../bridge/dispatch'
import { Core } from '../core/core'
import { openProfileStore, VAULT_KEY_FILE } from '../core/profile'
import { openFileVault, type Vault } from '../core/vault'
import type { NetworkDefinition } from '../networks/connector'
import { AUTH_CALLBACK_HTML, AUTH_CALLBACK_JS, AUTH_CALLBACK_PATH, AUTH_CALLBACK_SCRIPT, AUTH_COMPLETE_PATH } from './auth-callback'
import { guardRequestListener, guardUpgradeListener, loggablePath, parseRequestUrl } from './guard'
import { badRequest, securityHeaders, sendFile, serveStatic } from './static'
import { AVATAR_PATH, MEDIA_PATH, sendAvatar, sendMedia } from './media-route'
import { createWsApi } from './ws-api'

export interface HostOptions {
  dataDir: string
  /** The renderer build (`out/renderer`). */
  rendererDir: string
  networks: readonly NetworkDefinition[]
  networkConfig?: Partial<Record<NetworkId, Record<string, unknown>>>
  log: Logger
  version: string
  /** 0 picks a free port. */
  port?: number
  vault?: Vault
  /** A fixed token, for tests only; by default every launch gets a fresh random one. */
  token?: string
}

export interface Host {
  /** The URL to open, token included. */
  url: string
  origin: string
  port: number
  core: Core
  close(): Promise<void>
}

const MAX_CALLBACK_BODY = 16 * 1024
const EXPORTS_PATH = '/exports/'
/** 204 while `?token=` is this launch's token, 403 once not (the renderer's ws-bridge asks). */
const SESSION_PATH = '/api/session'

function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? randomToken()
  const log = options.log.child({ part: 'host' })
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`
  const hostHeader = `127.0.0.1:${port}`

  const store = openProfileStore(options.dataDir)
  const core = new Core({
    store,
    vault: options.vault ?? openFileVault(join(options.dataDir, VAULT_KEY_FILE)),
    networks: options.networks,
    networkConfig: options.networkConfig ?? {},
    log: options.log,
    shell: 'headless',
    dataDir: options.dataDir,
    version: options.version,
    authBrowser: null,
    authRedirectBase: `${origin}${AUTH_CALLBACK_PATH}`,
    openExternal: null,
    exportUrl: (fileName) => `${EXPORTS_PATH}${fileName}`,
    mediaUrl: { base: MEDIA_PATH, query: `?token=${encodeURIComponent(token)}` },
    avatarUrl: { base: AVATAR_PATH, query: `?token=${encodeURIComponent(token)}` }
  })
  const dispatch = createDispatcher(core.handlers, log)
  const wsApi = createWsApi(dispatch, core.events, log)

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.headers.host !== hostHeader) {
      res.writeHead(421).end()
      return
    }
    const url = parseRequestUrl(req.url, origin)
    if (!url) return badRequest(res)
    const path = url.pathname
    if (req.method === 'POST' && path.startsWith(AUTH_COMPLETE_PATH)) return completeSignIn(path.slice(AUTH_COMPLETE_PATH.length), req, res)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end()
      return
    }
    if (path === '/favicon.ico') return void res.writeHead(204).end()
    // A page left open from an earlier launch asks whether its token is still this launch's.
    if (path === SESSION_PATH) return void res.writeHead(sameToken(url.searchParams.get('token'), token) ? 204 : 403, { 'Cache-Control': 'no-store' }).end()
    if (path === AUTH_CALLBACK_SCRIPT) return sendText(res, 'text/javascript; charset=utf-8', AUTH_CALLBACK_JS)
    if (path.startsWith(AUTH_CALLBACK_PATH)) return sendText(res, 'text/html; charset=utf-8', AUTH_CALLBACK_HTML)
    if (path.startsWith(EXPORTS_PATH)) return sendExport(path.slice(EXPORTS_PATH.length), url.searchParams.get('token'), res)
    // Media holds people's pictures and files: only a holder of the launch token may load it.
    if (path.startsWith(MEDIA_PATH)) {
      if (!sameToken(url.searchParams.get('token'), token)) return void res.writeHead(403).end()
      return sendMedia(core, path.slice(MEDIA_PATH.length), res, log)
    }
    if (path.startsWith(AVATAR_PATH)) {
      if (!sameToken(url.searchParams.get('token'), token)) return void res.writeHead(403).end()
      return sendAvatar(core, path.slice(AVATAR_PATH.length), res, log)
    }
    serveStatic(options.rendererDir, origin, path, req, res)
  }

  const sendText = (res: ServerResponse, type: string, body: string): void => {
    res.writeHead(200, { ...securityHeaders(origin), 'Content-Type': type })
    res.end(body)
  }

  // Exports hold the whole history: only a holder of the launch token may download one.
  const sendExport = (fileName: string, given: string | null, res: ServerResponse): void => {
    if (!sameToken(given, token)) return void res.writeHead(403).end()
    if (!/^junction-export-[\w.-]+\.(json|html)$/.test(fileName)) return void res.writeHead(404).end()
    const file = join(options.dataDir, 'exports', fileName)
    if (!existsSync(file)) return void res.writeHead(404).end()
    sendFile(
      file,
      {
        ...securityHeaders(origin),
        'Content-Type': fileName.endsWith('.json') ? 'application/json' : 'text/html; charset=utf-8',
        'Content-Disposition': `attachment; filename="${fileName}"`
      },
      false,
      res
    )
  }

  const completeSignIn = (loginId: string, req: IncomingMessage, res: ServerResponse): void => {
    if (req.headers.origin !== undefined && req.headers.origin !== origin) return void res.writeHead(403).end()
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      if (size > MAX_CALLBACK_BODY) return
      size += chunk.length
      if (size > MAX_CALLBACK_BODY) {
        chunks.length = 0
        res.writeHead(413, { Connection: 'close' }).end()
        req.destroy()
      } else chunks.push(chunk)
    })
    req.on('end', () => {
      if (size > MAX_CALLBACK_BODY) return
      dispatch('completeBrowserLogin', { loginId, redirectUrl: Buffer.concat(chunks).toString('utf8') })
        .then((reply) => void res.writeHead(reply.ok ? 204 : 404).end())
        .catch((error: unknown) => {
          log.error({ error }, 'sign-in completion failed')
          if (!res.headersSent) res.writeHead(500).end()
        })
    })
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = parseRequestUrl(req.url, origin)
    const allowed =
      url !== null &&
      url.pathname === '/api' &&
      req.headers.host === hostHeader &&
      req.headers.origin === origin &&
      sameToken(url.searchParams.get('token'), token)
    if (!allowed) {
      log.warn({ path: loggablePath(req.url), origin: req.headers.origin?.slice(0, 128) ?? null }, 'refused an api connection')
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wsApi.handleUpgrade(req, socket, head)
  }

  server.on('request', guardRequestListener(log, onRequest))
  server.on('upgrade', guardUpgradeListener(log, onUpgrade))
  // Accept failures (EMFILE) are emitted on the server; unheard, they would end the process.
  server.on('error', (error) => log.error({ error }, 'server error'))

  await core.start()

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    core,
    async close() {
      wsApi.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await core.close()
    }
  }
}
