// The reference server's MSNP21 side (spec §4, §7, §8, §12), modelled on what Escargot
// does plus what it lacks (1:1 SDG, PUT /user, NFY): VER/CVR/USR SSO with the Passport
// ticket and a verified MBI blob, XFR with the hop blob, CHL/QRY checked, ADL, CHG, PUT,
// SDG routing, PNG/QNG and OUT.

import { createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Socket } from 'node:net'
// Shared with the client only because spec §4.4/§4.5's vectors pin them (MBI key derivation, QRY); see server.ts.
import { challengeResponse, deriveMbiKey, MBI_ENCRYPTION_MAGIC, MBI_HASH_MAGIC, MSNP21_PRODUCT } from '../../../src/main/networks/skype/crypto'
import { fieldsOf } from './msnp24'
import { presencePush, sdgPush, signOutPush } from './pushes'
import { bare, blocks, epidOf, line, parseBlocks, serveCommands, withPayload, WireReader, type WireCommand } from './wire'
import type { Endpoint, SkypeUser, StoredMessage, Thread } from './records'
import type { SkypeWorld } from './world'

export interface Msnp21Options {
  world: SkypeWorld
  /** spec §4.1: the first USR SSO I without a hop is redirected here, to test XFR. */
  redirectTo?: () => { host: string; port: number } | null
  qngSec: number
  /** A network's delay on each read (wire.ts). */
  latencyMs: number
}

/** spec §4.4: checks the blob against the nonce and the ticket's proof key, as a server would. */
export function verifyMbi(blobBase64: string, nonce: string, secretBase64: string): boolean {
  const blob = Buffer.from(blobBase64, 'base64')
  if (blob.length !== 128 || blob.readUInt32LE(0) !== 28 || blob.readUInt32LE(8) !== 0x6603 || blob.readUInt32LE(24) !== 72) return false
  const secret = Buffer.from(secretBase64, 'base64')
  const iv = blob.subarray(28, 36)
  const hash = blob.subarray(36, 56)
  const ct = blob.subarray(56)
  try {
    const decipher = createDecipheriv('des-ede3-cbc', deriveMbiKey(secret, MBI_ENCRYPTION_MAGIC), iv)
    const plain = Buffer.concat([decipher.update(ct), decipher.final()])
    const expected = createHmac('sha1', deriveMbiKey(secret, MBI_HASH_MAGIC)).update(plain).digest()
    return plain.toString('latin1') === nonce && timingSafeEqual(expected, hash)
  } catch {
    return false
  }
}

export class Msnp21Connection implements Endpoint {
  readonly dialect = 'msnp21' as const
  readonly watching = new Set<string>()
  user!: SkypeUser
  epid = ''
  private readonly reader = new WireReader('msnp21')
  private state: 'new' | 'versioned' | 'challenged' | 'ready' = 'new'
  private account = ''
  private nonce = ''
  private challenge = ''
  private hop = '0'
  private delivered = false
  private closed = false

  constructor(
    private readonly socket: Socket,
    private readonly o: Msnp21Options
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
    if (this.state === 'ready') this.o.world.detach(this)
  }

  private write(bytes: Buffer): void {
    if (!this.closed && !this.socket.destroyed) this.socket.write(bytes)
  }

  private handle(c: WireCommand): void {
    switch (c.name) {
      case 'VER':
        this.state = 'versioned'
        return this.write(line('VER', c.trid ?? 0, c.args.includes('MSNP21') ? 'MSNP21' : '0'))
      case 'CVR':
        this.account = c.args[7] ?? ''
        this.hop = c.args[8] ?? '0'
        return this.write(line('CVR', c.trid ?? 0, '15.4.3502.0922', '15.4.3502.0922', '15.4.3502.0922', 'https://example.invalid', 'https://example.invalid'))
      case 'USR':
        return c.args[1] === 'I' ? this.usrInitial(c) : this.usrSubsequent(c)
      case 'PNG':
        return this.write(line('QNG', this.o.qngSec))
      case 'OUT':
        this.socket.end()
        return
    }
    if (this.state !== 'ready') return this.write(line(715, c.trid ?? 0))
    switch (c.name) {
      case 'QRY': {
        const answer = c.payload?.toString('latin1') ?? ''
        if (c.args[0] !== MSNP21_PRODUCT.id || answer !== challengeResponse(this.challenge, MSNP21_PRODUCT)) {
          this.write(line(540, c.trid ?? 0))
          this.socket.end()
          return
        }
        this.o.world.events.emit('qry', { user: this.user.key })
        return this.write(line('QRY', c.trid ?? 0))
      }
      case 'ADL': {
        const xml = c.payload?.toString('utf8') ?? ''
        const keys: string[] = []
        for (const d of xml.matchAll(/<d n="([^"]+)">([\s\S]*?)<\/d>/g)) {
          for (const cm of d[2]!.matchAll(/<c n="([^"]+)"/g)) {
            const u = this.o.world.resolve(`1:${cm[1]}@${d[1]}`)
            if (u && u.key !== this.user.key) keys.push(u.key)
          }
        }
        this.write(line('ADL', c.trid ?? 0, 'OK'))
        this.o.world.watch(this, keys)
        return
      }
      case 'CHG':
        this.write(line('CHG', c.trid ?? 0, ...c.args))
        this.o.world.setStatus(this.user, c.args[0] ?? 'NLN')
        return
      case 'UUX':
        return this.write(line('UUX', c.trid ?? 0, 0))
      case 'PUT':
        return this.put(c)
      case 'SDG':
        return this.sdg(c)
      default:
        return this.write(line(715, c.trid ?? 0))
    }
  }

  private usrInitial(c: WireCommand): void {
    const redirect = this.o.redirectTo?.()
    if (redirect && this.hop === '0') {
      const hop = Buffer.from('Version: 1\r\nXfrCount: 2\r\n').toString('base64')
      this.write(line('XFR', c.trid ?? 0, 'NS', `${redirect.host}:${redirect.port}`, 'U', 'D', hop))
      this.socket.end()
      return
    }
    this.nonce = randomBytes(48).toString('base64')
    const policies =
      '<Policies><Policy type="SHIELDS"><config><shield><cli maj="7" min="0" minbld="0" maxbld="9999" deny=" " /></shield></config></Policy></Policies>'
    this.write(Buffer.concat([withPayload(['GCF', 0], policies), line('USR', c.trid ?? 0, 'SSO', 'S', 'MBI_KEY_OLD', this.nonce)]))
    this.state = 'challenged'
  }

  private usrSubsequent(c: WireCommand): void {
    const [, , ticket = '', blob = '', guid = ''] = c.args
    const grant = this.o.world.passportTickets.get(ticket)
    const user = grant && grant.scope === 'messengerclear.live.com' && grant.expiresAt > this.o.world.now() ? this.o.world.users.get(grant.user) : undefined
    const epid = guid.replace(/[{}]/g, '').toLowerCase()
    if (
      this.state !== 'challenged' ||
      !user ||
      user.email !== this.account.toLowerCase() ||
      !grant?.secret ||
      !verifyMbi(blob, this.nonce, grant.secret) ||
      !/^[0-9a-f-]{36}$/.test(epid)
    ) {
      this.write(line(911, c.trid ?? 0))
      this.socket.end()
      return
    }
    this.user = user
    this.epid = epid
    this.state = 'ready'
    this.challenge = Array.from(randomBytes(20), (b) => String(b % 10)).join('')
    const profile = `MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile; charset=UTF-8\r\nLoginTime: ${Math.floor(this.o.world.now() / 1000)}\r\nMPOPEnabled: 1\r\n\r\n`
    this.write(
      Buffer.concat([line('USR', c.trid ?? 0, 'OK', user.email, 1, 0), line('CHL', 0, this.challenge), withPayload(['MSG', 'Hotmail', 'Hotmail'], profile)])
    )
    this.o.world.attach(this)
  }

  private put(c: WireCommand): void {
    const parsed = parseBlocks(c.payload!, 3)
    const status = /<s n="IM"><Status>([A-Z]{3})<\/Status>/.exec(parsed.body.toString('utf8'))?.[1] ?? 'NLN'
    const echo = blocks([
      [
        ['Routing', '1.0'],
        ['To', parsed.blocks[0]!.get('to') ?? ''],
        ['From', parsed.blocks[0]!.get('from') ?? '']
      ],
      [['Reliability', '1.0']]
    ])
    this.write(withPayload(['PUT', c.trid ?? 0, 'OK'], echo))
    this.o.world.setStatus(this.user, status)
    if (!this.delivered) {
      // Offline messages follow the first presence publication, when the client is fully signed in.
      this.delivered = true
      for (const m of this.o.world.takeOffline(this.user.key)) this.pushMessage(m)
    }
  }

  private sdg(c: WireCommand): void {
    const parsed = parseBlocks(c.payload!, 3)
    const [routing, , content] = parsed.blocks as [Map<string, string>, Map<string, string>, Map<string, string>]
    if (this.o.world.failNextSdg !== null) {
      const code = this.o.world.failNextSdg
      this.o.world.failNextSdg = null
      return this.write(line(code, c.trid ?? 0))
    }
    const from = routing.get('from') ?? ''
    if (bare(from).toLowerCase() !== `1:${this.user.email}` || epidOf(from) !== this.epid) return this.write(line(201, c.trid ?? 0))
    const to = bare(routing.get('to') ?? '')
    if (!to.startsWith('19:') && !this.o.world.resolve(to)) return this.write(line(205, c.trid ?? 0))
    this.o.world.route(this.user, this.epid, to, fieldsOf(content, parsed.body))
  }

  pushMessage(m: StoredMessage): void {
    if (this.state === 'ready') this.write(sdgPush(m, this.o.world, 'msnp21', null))
  }

  pushPresence(from: SkypeUser, online: boolean): void {
    if (this.state === 'ready') this.write(presencePush(from, this.user, online, 'msnp21'))
  }

  pushThread(_t: Thread): void {}

  kick(reason: 'OTH' | 'SSD'): void {
    this.write(line('OUT', reason))
    this.socket.end()
  }

  drop(): void {
    this.socket.destroy()
  }

  sendError(code: number): void {
    this.write(line(code, 0))
  }

  signOutRemotely(): void {
    this.write(signOutPush(this.user, this.epid, 'msnp21'))
  }
}
