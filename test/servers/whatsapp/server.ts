// The WhatsApp Web reference server: the websocket endpoint (Origin checked, spec §1.1), the
// media host (spec §7.4), the phone accounts, and the pushes that follow what the phones do.
// Tests start it on an ephemeral port and drive it through `SimulatedPhone` and `script`.
//
// A second reading of the spec: it imports nothing of the client's socket, login, session
// or connector code. It shares only src/main/networks/whatsapp/legacy/binary (the node codec),
// whose bytes the spec's §5.10 vectors pin; its crypto and protobuf schema are its own.

import { EventEmitter } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { ProfilePictures } from './profile-pictures'
import { PresenceBook } from './presence'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { WebSocketServer } from 'ws'
import type { WANode } from '../../../src/main/networks/whatsapp/legacy/binary'
import { Connection, messageNode } from './connection'
import { loadState, saveState } from './state'
import { UploadHost } from './upload-host'
import { buildSecret } from './wire'
import { PhoneAccount, randomToken, type Pairing, type ServerChat, type StoredMessage } from './world'

export const WA_ORIGIN = 'https://web.whatsapp.com'
/** What media URLs in messages say; the Connector's `mediaHost` setting points them here. */
export const MEDIA_URL_BASE = 'https://mmg.whatsapp.net'

export interface ServerOptions {
  ttlMs: number
  maxRerefs: number
  /** The contact's phone receives every relayed message at once (delivery receipt). */
  autoDeliver: boolean
  /** Where the state lives across restarts (state.ts); in memory only when absent. */
  stateDir?: string
  /** 0 (the default) for an ephemeral port. */
  port?: number
}

export interface Script {
  /** Statuses for the next rerefs, consumed in order (then 200 until `maxRerefs`, then 429). */
  rerefStatuses: number[]
  /** A status for the next login, once. */
  nextLoginStatus: number | null
  challengeNextLogin: boolean
  upgradeMd: boolean
  /** Stop answering keep-alives (a dead link that stays open). */
  silent: boolean
  /** Store the next relay, then cut the connection before acking it. */
  dropOnNextRelay: boolean
  /** Do not push the chat and contact lists after login (the client must query). */
  withholdLists: boolean
  minVersion: [number, number]
}

export class WhatsAppServer extends EventEmitter {
  readonly accounts: Map<string, PhoneAccount>
  readonly media: Map<string, { blob: Buffer; message: StoredMessage }>
  /** Blobs of expired media, kept so that the phone can re-upload them. */
  readonly expired: Map<string, { blob: Buffer; message: StoredMessage }>
  /** spec §7.4 uploads from the web client, and what the contacts' phones opened of them. */
  readonly uploads: UploadHost
  /** True when the accounts came from the state dir (a restart), not from a fresh start. */
  readonly restored: boolean
  private saveTimer: NodeJS.Timeout | null = null
  readonly connections = new Set<Connection>()
  /** Profile pictures (profile-pictures.ts). */
  readonly pictures = new ProfilePictures()
  /** The contacts' online state and last seen (presence.ts). */
  readonly presence = new PresenceBook()
  private readonly active = new Map<string, Connection>()
  readonly options: ServerOptions
  readonly script: Script = {
    rerefStatuses: [],
    nextLoginStatus: null,
    challengeNextLogin: false,
    upgradeMd: false,
    silent: false,
    dropOnNextRelay: false,
    withholdLists: false,
    minVersion: [2, 2000]
  }
  readonly stats = {
    logins: 0,
    keepAlives: 0,
    refsIssued: 0,
    duplicateRelays: 0,
    historyQueries: [] as { chat: string; kind: string; index: string | null; count: number }[],
    relays: [] as { wid: string; chat: string; id: string; text: string; flag: number }[],
    /** Message ids whose relay was acknowledged, in the order the acks went out. */
    acked: [] as string[],
    presences: [] as { wid: string; type: string; to: string | null }[],
    reads: [] as { wid: string; chat: string; index: string; owner: boolean }[],
    /** spec §6.3 GroupMetadata queries, by group. */
    groupQueries: [] as string[],
    mediaDownloads: 0
  }
  readonly notes: { kind: string; data: Record<string, unknown> }[] = []
  private http!: Server
  private wss!: WebSocketServer
  port = 0

  private constructor(options: Partial<ServerOptions>) {
    super()
    this.options = { ttlMs: 20_000, maxRerefs: 5, autoDeliver: true, ...options }
    const saved = this.options.stateDir ? loadState(this.options.stateDir) : null
    this.accounts = saved?.accounts ?? new Map()
    this.media = saved?.media ?? new Map()
    this.expired = saved?.expired ?? new Map()
    this.restored = saved !== null
    this.uploads = new UploadHost(MEDIA_URL_BASE, WA_ORIGIN, (path, blob, message) => {
      this.media.set(path, { blob, message })
      this.changed()
    })
  }

  /** Something worth keeping changed: written to the state dir shortly (coalesced), and on close. */
  changed(): void {
    if (!this.options.stateDir || this.saveTimer) return
    this.saveTimer = setTimeout(() => this.saveNow(), 25)
  }

  private saveNow(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer)
    this.saveTimer = null
    if (this.options.stateDir) saveState(this.options.stateDir, this)
  }

  static async start(options: Partial<ServerOptions> = {}): Promise<WhatsAppServer> {
    const server = new WhatsAppServer(options)
    server.http = createServer((req, res) => server.onHttp(req, res))
    // spec §1.1: without `Origin: https://web.whatsapp.com` the upgrade is refused.
    server.wss = new WebSocketServer({
      server: server.http,
      path: '/ws',
      verifyClient: (info: { origin: string }, done: (ok: boolean, code?: number) => void) => done(info.origin === WA_ORIGIN, 403)
    })
    server.wss.on('connection', (ws) => {
      const conn = new Connection(server, ws)
      server.connections.add(conn)
      server.note('connection', {})
    })
    await new Promise<void>((resolve) => server.http.listen(options.port ?? 0, '127.0.0.1', resolve))
    server.port = (server.http.address() as AddressInfo).port
    return server
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws`
  }

  get mediaHost(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** The Connector settings that point at this server. */
  clientConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { url: this.url, mediaHost: this.mediaHost, ...extra }
  }

  note(kind: string, data: Record<string, unknown>): void {
    this.notes.push({ kind, data })
    this.emit('note', kind, data)
  }

  addAccount(wid: string, pushname: string): PhoneAccount {
    const account = new PhoneAccount(wid, pushname)
    this.accounts.set(wid, account)
    this.changed()
    return account
  }

  findPairing(clientId: string): { account: PhoneAccount; pairing: Pairing } | undefined {
    for (const account of this.accounts.values()) {
      const pairing = account.pairings.get(clientId)
      if (pairing) return { account, pairing }
    }
    return undefined
  }

  activeConnection(account: PhoneAccount): Connection | undefined {
    const conn = this.active.get(account.wid)
    return conn?.isOpen ? conn : undefined
  }

  /** One web session per phone: a new one replaces the old, which is told so (spec §2.8). */
  activate(account: PhoneAccount, conn: Connection): void {
    const old = this.active.get(account.wid)
    this.active.set(account.wid, conn)
    if (old && old !== conn && old.isOpen) {
      old.pushJson(['Cmd', { type: 'disconnect', kind: 'replaced' }])
      old.close()
      this.note('replaced', { wid: account.wid })
    }
    this.note('online', { wid: account.wid })
  }

  forget(conn: Connection): void {
    this.connections.delete(conn)
    for (const [wid, c] of this.active) if (c === conn) this.active.delete(wid)
    this.note('closed', {})
  }

  /**
   * The phone scans `ref,publicKey,clientId` (spec §2.2) and pairs that browser: fresh
   * encKey/macKey and tokens, `secret` built per spec §2.6, then the `Conn` push.
   */
  scan(payload: string, wid: string): string {
    const account = this.accounts.get(wid)
    if (!account) throw new Error(`no phone account ${wid}`)
    const [ref, pub, clientId] = payload.split(',')
    const conn = [...this.connections].find((c) => c.stage === 'pairing' && c.ref === ref && c.clientId === clientId)
    if (!conn) throw new Error('This QR code is not (or no longer) shown by any WhatsApp Web client.')
    if (Date.now() > conn.refExpiresAt) throw new Error('This QR code has expired.')
    const clientPublic = Buffer.from(pub ?? '', 'base64')
    if (clientPublic.length !== 32) throw new Error('The QR code does not carry a public key.')
    const pairing: Pairing = {
      clientId: clientId!,
      clientToken: randomToken(),
      serverToken: randomToken(),
      browserToken: randomToken(),
      previous: null,
      encKey: randomBytes(32),
      macKey: randomBytes(32),
      browser: conn.browser,
      revoked: false
    }
    account.pairings.set(pairing.clientId, pairing)
    conn.paired(account, pairing, buildSecret(clientPublic, pairing))
    this.note('paired', { wid, clientId })
    this.changed()
    return `Paired with ${conn.browser || 'a browser'} as ${account.pushname}.`
  }

  /** Pushes to the account's web session, if one is open. */
  pushNode(account: PhoneAccount, node: WANode): boolean {
    const conn = this.activeConnection(account)
    conn?.pushNode(node)
    return conn !== undefined
  }

  pushJson(account: PhoneAccount, value: unknown): boolean {
    const conn = this.activeConnection(account)
    conn?.pushJson(value)
    return conn !== undefined
  }

  /** A message the phone has (from a contact or typed on the phone): stored, and relayed to the web if it is online. */
  deliver(account: PhoneAccount, message: StoredMessage): StoredMessage {
    account.store(message)
    this.pushNode(account, ['action', { add: 'relay' }, [messageNode(message)]])
    this.emit('message', message)
    this.changed()
    return message
  }

  recordRelay(account: PhoneAccount, message: StoredMessage, flag: number): void {
    const content = message.content as { conversation?: string } | undefined
    this.stats.relays.push({ wid: account.wid, chat: message.chat, id: message.id, text: content?.conversation ?? '', flag })
    this.emit('relay', message)
  }

  /** The contact's phone receives what the web sent: delivery receipt (spec §6.6 `received`). */
  afterRelay(account: PhoneAccount, message: StoredMessage): void {
    if (!this.options.autoDeliver) return
    setImmediate(() => this.markDelivered(account, message))
  }

  markDelivered(account: PhoneAccount, message: StoredMessage): void {
    if (message.status >= 3) return
    message.status = 3
    this.changed()
    this.pushNode(account, ['action', { add: 'relay' }, [['received', { jid: message.chat, index: message.id, owner: 'true', type: 'message' }, null]]])
  }

  /**
   * A contact reads the account's messages: status READ and an ack push (spec §6.5 `Msg` /
   * `MsgInfo`, ack 3): `from` is who read, `to` is the chat, `participant` the reader in groups.
   */
  markReadBy(account: PhoneAccount, chat: ServerChat, reader: string): string[] {
    const ids = chat.messages.filter((m) => m.fromMe && m.status < 4).map((m) => m.id)
    for (const m of chat.messages) if (m.fromMe && m.status < 4) m.status = 4
    if (ids.length === 0) return ids
    const ack: Record<string, unknown> = {
      cmd: 'ack',
      id: ids.length === 1 ? ids[0] : ids,
      ack: 3,
      from: reader,
      to: chat.jid,
      t: Math.floor(Date.now() / 1000)
    }
    if (chat.group) ack.participant = reader
    this.pushJson(account, [ids.length === 1 ? 'Msg' : 'MsgInfo', ack])
    this.changed()
    return ids
  }

  recordPresence(account: PhoneAccount, presence: { type: string; to: string | null }): void {
    this.stats.presences.push({ wid: account.wid, ...presence })
    this.emit('presence', presence)
  }

  recordRead(account: PhoneAccount, chat: ServerChat, index: string, owner: boolean): void {
    chat.unread = 0
    for (const m of chat.messages) if (!m.fromMe) m.read = true
    this.stats.reads.push({ wid: account.wid, chat: chat.jid, index, owner })
    this.emit('read', { chat: chat.jid, index })
  }

  /** Media storage: `/d/f/<token>.enc`, served to GETs with the WA Web Origin. */
  storeMedia(blob: Buffer, message: StoredMessage): string {
    const path = `/d/f/${randomBytes(18).toString('base64url')}.enc`
    this.media.set(path, { blob, message })
    this.changed()
    return `${MEDIA_URL_BASE}${path}`
  }

  /** spec §6.2 `media` query: the phone re-uploads the file under a new URL. */
  reupload(message: StoredMessage): string | null {
    const entry = [...this.media.values()].find((e) => e.message === message) ?? this.expired.get(message.id)
    if (!entry) return null
    const url = this.storeMedia(entry.blob, message)
    this.note('reupload', { id: message.id })
    return url
  }

  /** Makes a message's media URL expire, as the real media hosts do after days (spec §7.4: 404/410). */
  expireMediaOf(message: StoredMessage): void {
    for (const [path, entry] of this.media) {
      if (entry.message !== message) continue
      this.expired.set(message.id, entry)
      this.media.delete(path)
    }
    this.changed()
  }

  private onHttp(req: IncomingMessage, res: ServerResponse): void {
    if (this.uploads.handle(req, res)) return
    if (this.pictures.handle(req, res)) return
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const entry = req.method === 'GET' ? this.media.get(path) : undefined
    if (req.method === 'GET' && path.startsWith('/d/f/') && req.headers.origin !== WA_ORIGIN) {
      res.writeHead(403).end()
      return
    }
    if (!entry) {
      res.writeHead(path.startsWith('/d/f/') ? 404 : 400).end()
      return
    }
    this.stats.mediaDownloads++
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': entry.blob.length }).end(entry.blob)
  }

  /** `jid` changes its picture: every open connection that knows them hears `["Cmd",{"type":"picture","jid"}]` (spec §6.5). */
  changePicture(jid: string): string {
    const tag = this.pictures.set(jid)
    for (const c of this.connections) if (c.isOpen && c.account?.contacts.has(jid)) c.pushJson(['Cmd', { type: 'picture', jid }])
    return tag
  }

  /** A contact comes online or goes offline (at `atSeconds`): pushed to the web sessions that subscribed (spec §6.5). */
  setPresence(jid: string, online: boolean, atSeconds?: number): void {
    this.presence.set(jid, online, this.connections, atSeconds)
  }

  /** The open connections stop reaching the client (a half-dead link); the server still handles what they send. */
  deafenAll(): void {
    for (const c of this.connections) c.deaf = true
  }

  /** Cuts every web connection without a goodbye (a network failure). */
  dropAll(): void {
    for (const c of this.connections) c.drop()
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.drop()
    this.saveNow()
    await new Promise<void>((resolve) => this.wss.close(() => resolve()))
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()))
    this.http.closeAllConnections()
    await closed
  }
}
