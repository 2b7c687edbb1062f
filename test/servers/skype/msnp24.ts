// The reference server's MSNP24 side (spec §5, §6.7, §9 P1–P5): CNT/ATH/BND and the
// challenge, the Registration cookie checked on every command (715 for a missing or stale
// one, §5.4), rotated on PNG and renewed by a BND on the live connection (§11.2), presence,
// contact list, subscriptions, recent conversations, SDG routing with Ack-Id and ACK
// (Client-Message-ID dedupe in the world), and XFR redirects.

import { randomBytes, randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
// Shared with the client only because spec §4.5's vectors pin it (QRY); see server.ts.
import { challengeResponse, MSNP24_PRODUCT } from '../../../src/main/networks/skype/crypto'
import { presencePush, recentConversationsXml, sdgPush, signOutPush, threadPush } from './pushes'
import { bare, blocks, epidOf, line, parseBlocks, tagText, serveCommands, withPayload, WireReader, type Block, type WireCommand } from './wire'
import type { Endpoint, SkypeUser, StoredMessage, Thread } from './records'
import type { SkypeWorld } from './world'

export interface Msnp24Options {
  world: SkypeWorld
  /** Set on the first listener to test XFR (spec §5.2): CNT without state is redirected here. */
  redirectTo?: () => { host: string; port: number } | null
  pingWaitSec: number
  /** spec §5.4: mint a new cookie on every PNG. */
  rotateCookie: boolean
  /** How many of the latest cookies are still accepted (spec §5.4 leaves the grace unknown): 2 tolerates one rotation in flight, 1 none. */
  cookieWindow: number
  /** A network's delay on each read (wire.ts). */
  latencyMs: number
}

export class Msnp24Connection implements Endpoint {
  readonly dialect = 'msnp24' as const
  readonly watching = new Set<string>()
  user!: SkypeUser
  epid = ''
  private readonly reader = new WireReader('msnp24')
  private state: 'new' | 'connected' | 'authed' | 'bound' | 'ready' = 'new'
  private cookies: string[] = []
  private nonce = ''
  private redirectState: string | null = null
  private readonly unacked = new Map<number, StoredMessage>()
  private nextAck = 5001
  private closed = false

  constructor(
    private readonly socket: Socket,
    private readonly o: Msnp24Options
  ) {
    serveCommands(
      socket,
      this.reader,
      { handle: (c) => this.handle(c), onServerError: (e) => this.o.world.events.emit('server-error', e), onClose: () => this.onClose() },
      o.latencyMs
    )
  }

  private onClose(): void {
    if (this.closed) return
    this.closed = true
    if (this.state === 'ready') this.o.world.detach(this, [...this.unacked.values()])
  }

  private write(bytes: Buffer): void {
    if (!this.closed && !this.socket.destroyed) this.socket.write(bytes)
  }

  private error(code: number, trid: number | null, reason: string): void {
    this.write(withPayload([code, trid ?? 0, 'CON'], `\r\n${reason}`))
  }

  private reply(c: WireCommand, top: Block, body = ''): void {
    this.write(withPayload([c.name, c.trid ?? 0, c.args[0] ?? 'CON'], blocks([top], body)))
  }

  private topOf(c: WireCommand): Map<string, string> {
    return c.payload && c.payload.length > 0 ? parseBlocks(c.payload, 1).blocks[0]! : new Map()
  }

  private xmlOf(c: WireCommand): string {
    const payload = c.payload ?? Buffer.alloc(0)
    const end = payload.indexOf('\r\n\r\n')
    return payload.toString('utf8', payload.subarray(0, 2).toString() === '\r\n' ? 2 : end + 4)
  }

  private handle(c: WireCommand): void {
    const typeId = c.args[0] ?? ''
    const key = `${c.name} ${typeId}`
    // BND is how an endpoint gets a cookie, so it needs none (spec §5.1, §11.2).
    if (this.state === 'ready' && c.name !== 'OUT' && key !== 'BND CON\\MSGR') {
      const presented = this.topOf(c).get('registration')
      if (!presented || !this.cookies.includes(presented)) {
        this.o.world.events.emit('registration-rejected', { user: this.user.key, command: key })
        return this.error(715, c.trid, 'Registration missing or stale')
      }
    }
    switch (key) {
      case 'CNT CON':
        return this.connect(c)
      case 'ATH CON\\USER':
        return this.authenticate(c)
      case 'BND CON\\MSGR':
        return this.bind(c)
      case 'PUT MSGR\\CHALLENGE':
        return this.challenge(c)
      case 'PNG CON':
        return this.ping(c)
      case 'OUT CON':
        this.socket.end()
        return
    }
    if (this.state !== 'ready') return this.error(715, c.trid, 'Not expected')
    switch (key) {
      case 'PUT MSGR\\PRESENCE':
        return this.presence(c)
      case 'PUT MSGR\\CONTACTS': {
        const names = [...this.xmlOf(c).matchAll(/<c n="([^"]+)" t="8"/g)].map((m) => m[1]!)
        const keys = names.map((n) => this.o.world.resolve(`8:${n}`)?.key).filter((k): k is string => k !== undefined)
        this.reply(c, [])
        this.o.world.watch(this, keys)
        return
      }
      case 'PUT MSGR\\SUBSCRIPTIONS':
        this.reply(c, [])
        for (const t of this.o.world.threads.values()) if (t.members.includes(this.user.key)) this.pushThread(t)
        for (const m of this.o.world.takeOffline(this.user.key)) this.pushMessage(m)
        return
      case 'GET MSGR\\RECENTCONVERSATIONS': {
        const xml = this.xmlOf(c)
        const start = Number(tagText(xml, 'start') ?? 0)
        const size = Number(tagText(xml, 'pagesize') ?? 100)
        return this.reply(c, [], recentConversationsXml(this.o.world, this.user.key, start, size))
      }
      case 'SDG MSGR':
        return this.sdg(c)
      case 'ACK MSGR': {
        const id = Number(this.topOf(c).get('ack-id'))
        if (this.unacked.delete(id)) this.o.world.events.emit('ack', { user: this.user.key, ackId: id })
        return
      }
      default:
        return this.error(715, c.trid, 'Not expected')
    }
  }

  private connect(c: WireCommand): void {
    const xml = this.xmlOf(c)
    const state = tagText(xml, 'state') ?? null
    const redirect = this.o.redirectTo?.()
    if (redirect && state === null) {
      this.redirectState = randomBytes(12).toString('hex')
      const body = `<xfr><target>${redirect.host}:${redirect.port}</target><state>${this.redirectState}</state></xfr>`
      this.write(withPayload(['XFR', c.trid ?? 0, 'CON'], `\r\n${body}`))
      this.socket.end()
      return
    }
    this.state = 'connected'
    this.o.world.events.emit('cnt', { state })
    this.reply(c, [], `<connect-response><ver>2</ver><qostest>false</qostest><nonce>${randomUUID()}</nonce></connect-response>`)
  }

  private authenticate(c: WireCommand): void {
    const xml = this.xmlOf(c)
    const ticket = tagText(xml, 'ssl-compact-ticket') ?? ''
    const user = ticket.startsWith('t=') ? this.o.world.checkToken(ticket.slice(2), /ssl\.live\.com/) : undefined
    const alias = tagText(xml, 'alias')
    if (!user || (alias !== undefined && alias !== user.skypeName) || (this.state !== 'connected' && this.user?.key !== user.key)) {
      this.error(911, c.trid, 'Authentication failed')
      return
    }
    this.user = user
    if (this.state === 'connected') this.state = 'authed'
    this.o.world.events.emit('ath', { user: user.key })
    this.reply(c, [], '<auth-response><new-thread-allowed>false</new-thread-allowed><p2p-migration-allowed>false</p2p-migration-allowed></auth-response>')
  }

  private mintCookie(): string {
    const cookie = Buffer.from(`Signature:2;Version:4;${randomBytes(24).toString('hex')}`).toString('base64')
    this.cookies = [cookie, ...this.cookies].slice(0, Math.max(1, this.o.cookieWindow))
    return cookie
  }

  /** Every cookie handed out so far stops being accepted, as if they had expired. */
  expireRegistration(): void {
    this.cookies = []
  }

  private bind(c: WireCommand): void {
    if (this.state === 'ready') return this.rebind(c)
    if (this.state !== 'authed') return this.error(715, c.trid, 'Not expected')
    const epid = (tagText(this.xmlOf(c), 'epid') ?? '').replace(/[{}]/g, '').toLowerCase()
    if (!/^[0-9a-f-]{36}$/.test(epid)) return this.error(201, c.trid, 'Bad epid')
    this.epid = epid
    this.state = 'bound'
    this.nonce = Array.from(randomBytes(20), (b) => String(b % 10)).join('')
    const now = Math.floor(this.o.world.now() / 1000)
    const top: Block = [
      ['UtcTime', String(now)],
      ['Set-Registration', this.mintCookie()],
      ['Registration-Token-Expiry', String(now + 86400)],
      ['Context', randomBytes(16).toString('hex')]
    ]
    this.reply(c, top, `<msgr-response><ver>2</ver><utctime>${now}</utctime><nonce>${this.nonce}</nonce><sample-window>0</sample-window></msgr-response>`)
  }

  /**
   * BND on a live connection registers the same endpoint again: a fresh cookie, and every
   * earlier one is void, as a web-API endpoint re-registration does (spec §11.2). The
   * endpoint answered its challenge already, so no nonce.
   */
  private rebind(c: WireCommand): void {
    const epid = (tagText(this.xmlOf(c), 'epid') ?? '').replace(/[{}]/g, '').toLowerCase()
    if (epid !== this.epid) return this.error(201, c.trid, 'Bad epid')
    this.cookies = []
    const now = Math.floor(this.o.world.now() / 1000)
    this.o.world.events.emit('bnd', { user: this.user.key, renewal: true })
    this.reply(
      c,
      [
        ['UtcTime', String(now)],
        ['Set-Registration', this.mintCookie()],
        ['Registration-Token-Expiry', String(now + 86400)]
      ],
      `<msgr-response><ver>2</ver><utctime>${now}</utctime><sample-window>0</sample-window></msgr-response>`
    )
  }

  private challenge(c: WireCommand): void {
    if (this.state !== 'bound') return this.error(715, c.trid, 'Not expected')
    const xml = this.xmlOf(c)
    if (tagText(xml, 'appId') !== MSNP24_PRODUCT.id || tagText(xml, 'response') !== challengeResponse(this.nonce, MSNP24_PRODUCT)) {
      this.error(540, c.trid, 'Challenge failed')
      this.socket.end()
      return
    }
    this.state = 'ready'
    this.reply(c, [])
    this.o.world.attach(this)
  }

  private ping(c: WireCommand): void {
    const top: Block = this.state === 'ready' && this.o.rotateCookie ? [['Set-Registration', this.mintCookie()]] : []
    this.o.world.events.emit('png', { user: this.user?.key, lastMsgId: this.topOf(c).get('last-msg-id') })
    this.reply(c, top, `<ping-response><wait>${this.o.pingWaitSec}</wait></ping-response>`)
  }

  private presence(c: WireCommand): void {
    const parsed = parseBlocks(c.payload!, 4)
    const doc = parsed.body.toString('utf8')
    const status = /<s n="IM"><Status>([A-Z]{3})<\/Status>/.exec(doc)?.[1] ?? 'NLN'
    this.reply(c, [], `<presence-response>${doc}<from>8:${this.user.skypeName}</from></presence-response>`)
    this.o.world.setStatus(this.user, status)
  }

  private sdg(c: WireCommand): void {
    const parsed = parseBlocks(c.payload!, 4)
    const [, routing, , content] = parsed.blocks as [Map<string, string>, Map<string, string>, Map<string, string>, Map<string, string>]
    if (this.o.world.failNextSdg !== null) {
      const code = this.o.world.failNextSdg
      this.o.world.failNextSdg = null
      return this.error(code, c.trid, 'Injected failure')
    }
    const from = routing.get('from') ?? ''
    if (bare(from).toLowerCase() !== `8:${this.user.skypeName}`.toLowerCase() || epidOf(from) !== this.epid) return this.error(201, c.trid, 'Bad From')
    const to = bare(routing.get('to') ?? '')
    if (!to.startsWith('19:') && !this.o.world.resolve(to)) return this.error(205, c.trid, 'Unknown user')
    const fields = fieldsOf(content, parsed.body)
    this.o.world.events.emit('sdg', { user: this.user.key, messageType: fields.messageType, clientMessageId: fields.clientMessageId })
    this.o.world.route(this.user, this.epid, to, fields)
  }

  pushMessage(m: StoredMessage): void {
    if (this.state !== 'ready') return
    const ackId = this.nextAck++
    this.unacked.set(ackId, m)
    this.write(sdgPush(m, this.o.world, 'msnp24', ackId))
  }

  pushPresence(from: SkypeUser, online: boolean): void {
    if (this.state === 'ready') this.write(presencePush(from, this.user, online, 'msnp24'))
  }

  pushThread(t: Thread): void {
    if (this.state === 'ready') this.write(threadPush(t, this.user, this.o.world))
  }

  kick(reason: 'OTH' | 'SSD'): void {
    this.write(line('OUT', reason))
    this.socket.end()
  }

  drop(): void {
    this.socket.destroy()
  }

  sendError(code: number): void {
    this.error(code, 0, code === 922 ? 'Ticket expired' : 'Error')
  }

  signOutRemotely(): void {
    this.write(signOutPush(this.user, this.epid, 'msnp24'))
  }
}

export function fieldsOf(content: Map<string, string>, body: Buffer): Omit<StoredMessage, 'id' | 'from' | 'to' | 'arrival' | 'fromEpid'> {
  const f: Omit<StoredMessage, 'id' | 'from' | 'to' | 'arrival' | 'fromEpid'> = {
    messageType: content.get('message-type') ?? 'Text',
    contentType: content.get('content-type') ?? 'text/plain; charset=UTF-8',
    body: body.toString('utf8')
  }
  const optional: [keyof typeof f, string][] = [
    ['clientMessageId', 'client-message-id'],
    ['editedId', 'skype-editedid'],
    ['displayName', 'im-display-name'],
    ['emoteOffset', 'skype-emoteoffset']
  ]
  for (const [k, h] of optional) {
    const v = content.get(h)
    if (v !== undefined) (f as Record<string, string>)[k] = v
  }
  return f
}
