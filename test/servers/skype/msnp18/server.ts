// The MSNP18 reference server (msnp18.md §7.1): a notification server and a switchboard
// on plain TCP and one HTTP listener for RST2/RST and the address book, all on loopback,
// with the contacts it plays itself. A second reading of the spec: it shares with the
// client only the MSNP codec (framing) and the spec-pinned crypto (MBI derivation, QRY).

import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net'
import { addToList, handleAbch, handleRst, readRequest, type HttpContext } from './http'
import { DEFAULT_PRODUCTS, NsConnection, type NsContext } from './ns'
import { handleRsi, handleStore2, type OimContext } from './oim'
import { SimulatedContact } from './peer'
import { Presence18 } from './presence'
import { SbConnection, type Participant, type SbContext, type SbSession } from './sb'
import { keepWorld18In, type Store18 } from './state'
import { Usertiles } from './usertile'
import { escargotArg, lineBytes, randomHex } from './wire'
import { addSandboxAccounts, World18 } from './world'

export interface Msnp18ServerOptions {
  /** Where the server keeps accounts, lists, tickets and offline messages across restarts. */
  stateDir?: string
  /** §6.2 (historical behaviour): CHL after login, QRY required. Off by default, like Escargot. */
  challenge?: boolean
  /** §7.2 row 2: Escargot never answers QRY; false checks it and sends nothing back. */
  qryReply?: boolean
  qngSec?: number
  /** §1.3: the versions the server serves, in its order of preference (Escargot: 18 down, then 19–21). */
  versions?: string[]
  /** Serve RST.srf only. */
  rstOnly?: boolean
  nakWhenAlone?: boolean
  /** §5.9 switch: Store2 needs the correct lockkey, not just a non-empty one. */
  requireLockkey?: boolean
}

export interface Msnp18Server {
  world: World18
  restored: boolean
  nsPort: number
  sbPort: number
  httpUrl: string
  /** The Skype Connector's settings for this server: the Messenger (revival service) sign-in's default server. */
  config(): Record<string, unknown>
  peer(email: string): SimulatedContact
  /** Every NS endpoint of `email`. */
  endpoints(email: string): NsConnection[]
  /** Display pictures (usertile.ts): `set` gives a user a new one and re-sends their NLN; `served` lists what was asked. */
  usertiles: Usertiles
  /** Cuts every switchboard connection of `email`, as a network failure would. */
  dropSwitchboards(email: string): void
  /** Drops the switchboard connection that carries the `n`-th MSG from now, before relaying it. */
  dropOnMessage(n: number): void
  /** Cuts every NS connection of `email`. */
  dropNs(email: string): void
  /** §6.3: boots every endpoint of `email` as a login with the same GUID would. */
  signInElsewhere(email: string): void
  errors: unknown[]
  /** Switchboard sessions `email` is connected to. */
  sessionsWith(email: string): number
  /** How many switchboards were handed out (XFR SB), PNGs answered and correct QRYs taken. */
  counters: { switchboards: number; pings: number; qrys: number }
  /** The versions each VER offered (§1.3), oldest first. */
  offers: string[][]
  close(): Promise<void>
}

function listen(server: TcpServer | HttpServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })
}

/** §1.3: Escargot's order — 18 down to 2, then 19, 20, 21. */
const ESCARGOT_ORDER = ['MSNP18', 'MSNP17', 'MSNP16', 'MSNP15', 'MSNP14', 'MSNP13']

export async function startMsnp18Server(options: Msnp18ServerOptions = {}): Promise<Msnp18Server> {
  const world = new World18()
  addSandboxAccounts(world)
  const store: Store18 | null = options.stateDir ? keepWorld18In(world, options.stateDir) : null
  const presence = new Presence18(world)
  const usertiles = new Usertiles(world, presence)
  const errors: unknown[] = []
  const now = (): number => Date.now()
  const cookies = new Map<string, { email: string; sessionId?: string; expires: number }>()
  const sessions = new Map<string, SbSession>()
  const sockets = new Set<Socket>()
  const nsConns = new Set<NsConnection>()
  const sbConns = new Set<SbConnection>()
  let sbPort = 0
  const onServerError = (e: unknown): void => void errors.push(e)
  const versions = options.versions ?? ESCARGOT_ORDER

  const httpCtx: HttpContext = { world, presence, now, rstOnly: options.rstOnly ?? false }
  const oimCtx: OimContext = { world, presence, now, requireLockkey: options.requireLockkey ?? false }
  const counters = { switchboards: 0, pings: 0, qrys: 0 }
  const offers: string[][] = []
  const sbCtx: SbContext = {
    world,
    presence,
    now,
    sessions,
    dropOnMessage: { count: 0, at: null },
    nakWhenAlone: options.nakWhenAlone ?? false,
    onServerError,
    addContact: (from, to) => {
      const a = world.get(from)
      const b = world.get(to)
      if (a && b) addToList(httpCtx, a, b)
    },
    takeCookie: (cookie) => {
      const c = cookies.get(cookie)
      cookies.delete(cookie)
      return c
    },
    ring: (session: SbSession, inviter: Participant, invitee: string) => {
      const friendly = world.get(inviter.email)?.friendly ?? inviter.email
      for (const e of presence.real(invitee)) {
        const cookie = randomHex(20)
        cookies.set(cookie, { email: invitee, sessionId: session.id, expires: now() + 120_000 })
        e.send(lineBytes('RNG', session.id, `127.0.0.1:${sbPort}`, 'CKI', cookie, inviter.email, escargotArg(friendly), 'U', 'messenger.hotmail.com', 1))
      }
    }
  }
  const nsCtx: NsContext = {
    world,
    presence,
    now,
    challenge: options.challenge ?? false,
    qryReply: options.qryReply ?? true,
    onQry: () => void counters.qrys++,
    qngSec: options.qngSec ?? 60,
    products: DEFAULT_PRODUCTS,
    onServerError,
    pickVersion: (offered) => {
      offers.push([...offered])
      return versions.find((v) => offered.includes(v)) ?? null
    },
    onPing: () => void counters.pings++,
    xfrCookie: (email) => {
      counters.switchboards++
      const cookie = randomHex(20)
      cookies.set(cookie, { email, expires: now() + 120_000 })
      return { address: `127.0.0.1:${sbPort}`, cookie }
    },
    pendingOims: (email) => world.oims.filter((o) => o.to === email)
  }

  const track = (s: Socket): void => {
    // Replies go out at once, as from a real server; Nagle's wait would pace every ACK.
    s.setNoDelay(true)
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  }
  const ns = createTcpServer((s) => {
    track(s)
    const c = new NsConnection(s, nsCtx)
    nsConns.add(c)
    s.on('close', () => nsConns.delete(c))
  })
  const sb = createTcpServer((s) => {
    track(s)
    const c = new SbConnection(s, sbCtx)
    sbConns.add(c)
    s.on('close', () => sbConns.delete(c))
  })
  const http = createHttpServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    readRequest(req)
      .then((body) => {
        // §7.3: the display pictures are the one GET path.
        if (req.method === 'GET' && usertiles.handle(path, res)) return
        if (req.method !== 'POST') return void res.writeHead(405).end()
        if (path === '/RST2.srf' || path === '/RST.srf') return handleRst(httpCtx, path, body, res)
        if (path === '/abservice/SharingService.asmx' || path === '/abservice/abservice.asmx') return handleAbch(httpCtx, body, res)
        if (path === '/OimWS/oim.asmx') return handleStore2(oimCtx, body, res)
        if (path === '/rsi/rsi.asmx') return handleRsi(oimCtx, body, res)
        res.writeHead(404).end()
      })
      .catch((error: unknown) => {
        errors.push(error)
        if (!res.headersSent) res.writeHead(500).end()
      })
  })
  const nsPort = await listen(ns)
  sbPort = await listen(sb)
  const httpPort = await listen(http)
  const httpUrl = `http://127.0.0.1:${httpPort}`

  return {
    world,
    restored: store?.restored ?? false,
    nsPort,
    sbPort,
    httpUrl,
    errors,
    counters,
    offers,
    sessionsWith: (email) => [...sessions.values()].filter((s) => s.participants.some((p) => p.email === email.toLowerCase() && p.conn)).length,
    config: () => ({ messengerHost: '127.0.0.1', messengerPort: nsPort, messengerServicesUrl: httpUrl }),
    usertiles,
    peer: (email) => new SimulatedContact(email.toLowerCase(), sbCtx),
    endpoints: (email) => [...nsConns].filter((c) => c.email === email.toLowerCase() && c.isSignedIn),
    dropSwitchboards: (email) => {
      for (const c of sbConns) if (c.email === email.toLowerCase()) c.drop()
    },
    dropOnMessage: (n) => {
      sbCtx.dropOnMessage.at = sbCtx.dropOnMessage.count + n
    },
    dropNs: (email) => {
      for (const c of nsConns) if (c.email === email.toLowerCase()) c.drop()
    },
    signInElsewhere: (email) => {
      for (const c of nsConns) if (c.email === email.toLowerCase() && c.isSignedIn) c.out('OTH')
    },
    async close() {
      store?.close()
      for (const s of sockets) s.destroy()
      // An answer a client stopped reading (an oversized picture) would hold the HTTP server open.
      http.closeAllConnections()
      await Promise.all([ns, sb, http].map((s) => new Promise<void>((r) => s.close(() => r()))))
    }
  }
}
