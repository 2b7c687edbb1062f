// The Skype reference server (spec §15.4): one HTTP listener for the login.live.com,
// api.skype.com, address-book and ActiveSync stand-ins, and MSNP listeners for both
// dialects (MSNP24 over TLS, MSNP21 over plain TCP), each with a second listener that
// XFR redirects can point at.
//
// It is a second reading of the spec: it does not import the client's socket, session,
// framing, MIME or connector code. It shares only codecs that the spec's known-answer
// vectors pin: the QRY algorithm and MBI key derivation (§4.4/§4.5, crypto.ts), and the
// WBXML codec and ActiveSync query value (§14.2–§14.4, activesync/).

import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { LoginService, readBody } from './http-login'
import { SkypeAms } from './ams'
import { SkypeAvatars } from './avatars'
import { SkypeServices } from './http-services'
import { Msnp21Connection } from './msnp21'
import { Msnp24Connection } from './msnp24'
import { SimulatedUser } from './peer'
import { keepWorldIn, type WorldStore } from './state'
import { TEST_CERT, TEST_KEY } from './tls'
import { addSandboxUsers } from './users'
import type { Dialect, StoredMessage } from './records'
import { SkypeWorld } from './world'

export const TEST_CA = TEST_CERT

export interface SkypeServerOptions {
  /** MSNP24 over TLS (default), as the real gateway; false for plain TCP. */
  tls?: boolean
  tokenLifetimeSec?: number
  /** The primary MSNP listeners answer the first connection with an XFR to the secondary ones. */
  redirect?: boolean
  pingWaitSec?: number
  qngSec?: number
  rotateCookie?: boolean
  /** How many of the latest Registration cookies are accepted (default 2: one rotation may be in flight). */
  cookieWindow?: number
  /** Each MSNP read is handled this much later, as over a real network (default 0). */
  latencyMs?: number
  /** Bytes one AMS object may hold (ams.ts; 413 above). */
  amsMaxObjectBytes?: number
  /** Seeds a first conversation (the sandbox); skipped when the state dir held an earlier run. */
  seed?: boolean
  /** Where the server keeps its state across restarts (issue 11 point 8); in memory only when absent. */
  stateDir?: string
}

export interface SkypeServer {
  world: SkypeWorld
  /** Contact pictures (avatars.ts). */
  avatars: SkypeAvatars
  /** The photo and file store (ams.ts). */
  ams: SkypeAms
  /** The state came back from the state dir: an earlier run's accounts, tokens and messages. */
  restored: boolean
  httpUrl: string
  ca: string
  msnp24: { port: number; redirectPort: number; tls: boolean }
  msnp21: { port: number; redirectPort: number }
  /** The Skype Connector's configuration for this server. */
  config(dialect?: Dialect): Record<string, unknown>
  peer(key: string): SimulatedUser
  /** Messages a simulated user has received. */
  inbox(key: string): StoredMessage[]
  /** spec §12.3: tells every endpoint of a user it signed in elsewhere, and closes them. */
  signInElsewhere(key: string): void
  /** Cuts every connection of a user without a word, as a network failure would. */
  dropConnections(key: string): void
  /** Sends an unsolicited error code (922: ticket expired) to every endpoint of a user. */
  sendError(key: string, code: number): void
  /** Signs every endpoint of a user out as if from another of its endpoints (NFY DEL of its own epid). */
  signOutRemotely(key: string): void
  /** spec §5.4: voids every Registration cookie of a user's MSNP24 endpoints; their next command gets 715. */
  expireRegistration(key: string): void
  close(): Promise<void>
}

function listen(server: TcpServer | HttpServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })
}

export async function startSkypeServer(options: SkypeServerOptions = {}): Promise<SkypeServer> {
  const world = new SkypeWorld()
  addSandboxUsers(world)
  const store: WorldStore | null = options.stateDir ? keepWorldIn(world, options.stateDir) : null
  const restored = store?.restored ?? false
  const useTls = options.tls ?? true
  const sockets = new Set<Socket>()
  const track = (s: Socket): void => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  }

  const http = createHttpServer()
  const httpPort = await listen(http)
  const origin = `http://127.0.0.1:${httpPort}`
  const login = new LoginService({ world, origin: () => origin, tokenLifetimeSec: options.tokenLifetimeSec ?? 86_400 })
  const services = new SkypeServices({ world, host: () => `127.0.0.1:${httpPort}` })
  const avatars = new SkypeAvatars(world, () => origin)
  const ams = new SkypeAms({ world, avatars, origin: () => origin, ...(options.amsMaxObjectBytes ? { maxObjectBytes: options.amsMaxObjectBytes } : {}) })
  http.on('connection', track)
  http.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', origin)
    const route = async (): Promise<void> => {
      const path = url.pathname
      if (req.method === 'GET' && path === '/oauth20_authorize.srf') return login.authorizePage(url, res)
      if (req.method === 'GET' && path === '/oauth20_desktop.srf')
        return void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Signed in</title>')
      if (req.method === 'GET' && (path === '/rps/me' || path === '/partners/999/usermap')) return services.glue(url, res)
      if (avatars.handle(req, url, () => readBody(req), res)) return
      if (ams.handle(req, url, res)) return
      if (req.method !== 'POST') return void res.writeHead(404).end()
      const body = await readBody(req)
      if (path === '/ppsecure/post.srf') return login.post(url, new URLSearchParams(body.toString('utf8')), res)
      if (path === '/oauth20_token.srf') return login.token(new URLSearchParams(body.toString('utf8')), res)
      if (path === '/RST2.srf') return login.rst2(body.toString('utf8'), res)
      if (path === '/abservice/SharingService.asmx' || path === '/abservice/abservice.asmx') return services.addressBook(body.toString('utf8'), res)
      if (path === '/Microsoft-Server-ActiveSync') return services.activeSync(url, req.headers.authorization, body, res)
      res.writeHead(404).end()
    }
    route().catch((error: unknown) => {
      world.events.emit('server-error', error)
      if (!res.headersSent) res.writeHead(500).end()
    })
  })

  const pingWaitSec = options.pingWaitSec ?? 50
  const msnp24Listener = (redirect: boolean): TcpServer => {
    const opts = {
      world,
      pingWaitSec,
      rotateCookie: options.rotateCookie ?? true,
      cookieWindow: options.cookieWindow ?? 2,
      latencyMs: options.latencyMs ?? 0,
      redirectTo: () => (redirect ? { host: '127.0.0.1', port: msnp24Redirect } : null)
    }
    const onSocket = (socket: Socket): void => {
      track(socket)
      new Msnp24Connection(socket, opts)
    }
    return useTls ? createTlsServer({ cert: TEST_CA, key: TEST_KEY }, onSocket) : createTcpServer(onSocket)
  }
  const msnp21Listener = (redirect: boolean): TcpServer =>
    createTcpServer((socket) => {
      track(socket)
      new Msnp21Connection(socket, {
        world,
        qngSec: options.qngSec ?? 60,
        latencyMs: options.latencyMs ?? 0,
        redirectTo: () => (redirect ? { host: '127.0.0.1', port: msnp21Redirect } : null)
      })
    })

  const servers: TcpServer[] = []
  const start = async (s: TcpServer): Promise<number> => {
    servers.push(s)
    return listen(s)
  }
  const msnp24Redirect = await start(msnp24Listener(false))
  const msnp24Port = await start(msnp24Listener(options.redirect ?? false))
  const msnp21Redirect = await start(msnp21Listener(false))
  const msnp21Port = await start(msnp21Listener(options.redirect ?? false))

  const inboxes = new Map<string, StoredMessage[]>()
  world.events.on('delivered', ({ to, message }: { to: string; message: StoredMessage }) => {
    inboxes.set(to, [...(inboxes.get(to) ?? []), message])
  })
  const peers = new Map<string, SimulatedUser>()
  if (options.seed && !restored) {
    const bob = new SimulatedUser(world, world.user('bob'))
    bob.say('alice', 'Welcome to the Junction sandbox! Write to me here.')
  }

  return {
    world,
    avatars,
    ams,
    restored,
    httpUrl: origin,
    ca: TEST_CA,
    msnp24: { port: msnp24Port, redirectPort: msnp24Redirect, tls: useTls },
    msnp21: { port: msnp21Port, redirectPort: msnp21Redirect },
    config(dialect: Dialect = 'msnp24') {
      return {
        authorizeUrl: `${origin}/oauth20_authorize.srf`,
        tokenUrl: `${origin}/oauth20_token.srf`,
        desktopRedirectUri: `${origin}/oauth20_desktop.srf`,
        passportUrl: `${origin}/RST2.srf`,
        apiUrl: origin,
        contactsUrl: origin,
        amsUrl: `${origin}/`,
        abchUrl: `${origin}/abservice`,
        activeSyncUrl: `${origin}/Microsoft-Server-ActiveSync`,
        msnpDialect: dialect,
        msnpHost: '127.0.0.1',
        msnpPort: dialect === 'msnp24' ? msnp24Port : msnp21Port,
        msnpTls: dialect === 'msnp24' ? useTls : false,
        ...(dialect === 'msnp24' && useTls ? { msnpCa: TEST_CA } : {})
      }
    },
    peer(key) {
      let p = peers.get(key)
      if (!p) peers.set(key, (p = new SimulatedUser(world, world.user(key))))
      return p
    },
    inbox: (key) => inboxes.get(key) ?? [],
    signInElsewhere(key) {
      for (const ep of world.endpointsOf(key)) ep.kick('OTH')
    },
    dropConnections(key) {
      for (const ep of world.endpointsOf(key)) ep.drop()
    },
    sendError(key, code) {
      for (const ep of world.endpointsOf(key)) ep.sendError(code)
    },
    signOutRemotely(key) {
      for (const ep of world.endpointsOf(key)) ep.signOutRemotely()
    },
    expireRegistration(key) {
      for (const ep of world.endpointsOf(key)) if (ep instanceof Msnp24Connection) ep.expireRegistration()
    },
    async close() {
      for (const s of sockets) s.destroy()
      await Promise.all([...servers, http].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
      // After the sockets: what endpoints never acknowledged is queued for them by then (spec §6.7).
      store?.close()
    }
  }
}
