// The MSNP18 notification server of the reference server (msnp18.md §1–§4, §6, checklist
// §7.1), read from the spec apart from the client: VER/CVR, USR SSO with the ticket and MBI
// blob checked, BLP/PRP/UUX/CHG, ADL/RML with the list bits, presence to watchers, XFR SB,
// UUM offline messages, PNG/QNG, CHL/QRY (a switch), OUT.

import { createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import type { Socket } from 'node:net'
import { challengeResponse, deriveMbiKey, MBI_ENCRYPTION_MAGIC, MBI_HASH_MAGIC } from '../../../../src/main/networks/skype/crypto'
import type { MsnpCommand } from '../../../../src/main/networks/skype/msnp/framing'
import { Presence18, type Endpoint } from './presence'
import { escargotArg, lineBytes, payloadBytes, quoteAll, readMime, serve, unquote, type Connection } from './wire'
import { AL, BL, FL, PL, RL, type World18 } from './world'

export interface NsContext {
  world: World18
  presence: Presence18
  now(): number
  /** §5.1: a single-use switchboard cookie for `email`. */
  xfrCookie(email: string, guid: string): { address: string; cookie: string }
  /** §6.2 switch: send CHL after login and require a correct QRY. */
  challenge: boolean
  qryReply: boolean
  onQry(): void
  qngSec: number
  /** Product ids the server accepts in QRY (§6.2: any of the MSNP15+ pairs). */
  products: { id: string; key: string }[]
  /** Offered dialect lists → chosen one (§1.3). */
  pickVersion(offered: string[]): string | null
  onServerError(e: unknown): void
  onPing(): void
  /** A signed-in endpoint arrived (for the first CHG's OIM notice). */
  pendingOims(email: string): { id: string; from: string; fromName: string; at: number }[]
}

/** §2.2: any well-formed policy document; bare LF and tabs like Escargot's. */
const POLICIES =
  '<Policies>\n\t<Policy type="SHIELDS"><config><shield><cli maj="7" min="0" minbld="0" maxbld="9999" deny=" " /></shield><block></block></config></Policy>\n</Policies>'
const GUID = /^\{?([0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12})\}?$/

const PRODUCTS_MSNP15_PLUS = [
  { id: 'PROD0120PW!CCV9@', key: 'C1BX{V4W}Q3*10SM' },
  { id: 'PROD0119GSJUC$18', key: 'ILTXC!4IXB5FB*PX' },
  { id: 'PROD0118R6%2WYOS', key: 'YIXPX@5I2P0UT*LK' },
  { id: 'PROD0114ES4Z%Q5W', key: 'PK}_A_0N_K%O?A9S' },
  { id: 'PROD0113H11T8$X_', key: 'RG@XY*28Q5QHS%Q5' }
]
export const DEFAULT_PRODUCTS = PRODUCTS_MSNP15_PLUS

/** §2.7: the server's own check of the MBI blob: header, HMAC over the nonce, 3DES of the padded nonce. */
export function verifyMbi(secretB64: string, nonce: string, blobB64: string): boolean {
  const blob = Buffer.from(blobB64, 'base64')
  if (blob.length < 56) return false
  const header = [0, 1, 2, 3, 4, 5, 6].map((i) => blob.readUInt32LE(i * 4))
  const [size, mode, alg, hashAlg, ivLen, hashLen, ctLen] = header
  if (size !== 28 || mode !== 1 || alg !== 0x6603 || hashAlg !== 0x8004 || ivLen !== 8 || hashLen !== 20 || blob.length !== 28 + 8 + 20 + ctLen!) return false
  const secret = Buffer.from(secretB64, 'base64')
  const iv = blob.subarray(28, 36)
  const hash = blob.subarray(36, 56)
  const ct = blob.subarray(56)
  const expected = createHmac('sha1', deriveMbiKey(secret, MBI_HASH_MAGIC)).update(nonce, 'latin1').digest()
  if (!expected.equals(hash)) return false
  try {
    const d = createDecipheriv('des-ede3-cbc', deriveMbiKey(secret, MBI_ENCRYPTION_MAGIC), iv)
    return Buffer.concat([d.update(ct), d.final()]).toString('latin1') === nonce
  } catch {
    return false
  }
}

export class NsConnection implements Endpoint {
  email = ''
  guid = ''
  status: string | null = null
  caps = '0:0'
  msnobj = '0'
  epName = ''
  private readonly conn: Connection
  private version: string | null = null
  private nonce: string | null = null
  private signedIn = false
  private challengeText: string | null = null
  private challengeTimer: NodeJS.Timeout | null = null

  constructor(
    socket: Socket,
    private readonly ctx: NsContext
  ) {
    this.conn = serve(
      socket,
      (c) => this.handle(c),
      ctx.onServerError,
      () => this.gone()
    )
  }

  /** §6.2: a CHL is waiting for its QRY. */
  get challengePending(): boolean {
    return this.challengeText !== null
  }

  get isSignedIn(): boolean {
    return this.signedIn
  }

  send(bytes: Buffer): void {
    this.conn.send(bytes)
  }

  /** §6.3: OUT OTH, or a plain OUT, and close. */
  out(reason?: string): void {
    this.conn.send(reason ? lineBytes('OUT', reason) : lineBytes('OUT'))
    this.conn.close()
  }

  drop(): void {
    this.conn.socket.destroy()
  }

  private fail(code: number, trid: number | null, close: boolean): void {
    this.conn.send(lineBytes(code, trid ?? 0))
    if (close) this.conn.close()
  }

  private handle(c: MsnpCommand): void {
    const trid = c.trid ?? 0
    const args = c.args.map(unquote)
    if (!this.signedIn && !['VER', 'CVR', 'USR', 'OUT'].includes(c.name)) {
      // §1.6: PNG before authentication closes the connection; other commands get nothing.
      if (c.name === 'PNG') this.conn.socket.destroy()
      return
    }
    switch (c.name) {
      case 'VER': {
        if (this.version) return this.fail(715, trid, true)
        const chosen = this.ctx.pickVersion(args.filter((a) => /^MSNP\d+$/.test(a)))
        if (!chosen) {
          this.conn.send(lineBytes('VER', trid, 0))
          return this.conn.close()
        }
        this.version = chosen
        return this.conn.send(lineBytes('VER', trid, chosen))
      }
      case 'CVR': {
        const v = args[5] ?? '14.0.8117.0416'
        return this.conn.send(lineBytes('CVR', trid, v, v, v, 'https://junction.invalid', 'https://junction.invalid'))
      }
      case 'USR':
        return this.usr(trid, args)
      case 'PNG':
        this.ctx.onPing()
        return this.conn.send(lineBytes('QNG', this.ctx.qngSec))
      case 'QRY':
        return this.qry(trid, args, c.payload)
      case 'BLP': {
        const a = this.account()
        if (args[0] !== 'AL' && args[0] !== 'BL') return void this.conn.socket.destroy()
        if (a) a.blp = args[0]
        this.ctx.world.changed()
        this.conn.send(lineBytes('BLP', trid, args[0]))
        if (a) this.ctx.presence.announce(a)
        return
      }
      case 'PRP': {
        const a = this.account()
        if (args[0] === 'MFN' && a && args[1] !== undefined) {
          a.friendly = args[1].slice(0, 387)
          this.ctx.world.changed()
          this.conn.send(lineBytes('PRP', trid, 'MFN', escargotArg(a.friendly)))
          return this.ctx.presence.announce(a)
        }
        return this.conn.send(lineBytes('PRP', trid, ...c.args))
      }
      case 'UUX':
        return this.uux(trid, c.payload)
      case 'CHG':
        return this.chg(trid, args, c.args)
      case 'ADL':
      case 'RML':
        return this.list(c.name, trid, c.payload)
      case 'XFR': {
        if (args[0] !== 'SB') return this.fail(201, trid, false)
        if (this.status === null) return this.fail(913, trid, false)
        const { address, cookie } = this.ctx.xfrCookie(this.email, this.guid)
        return this.conn.send(lineBytes('XFR', trid, 'SB', address, 'CKI', cookie, 'U', 'messenger.msn.com', 1))
      }
      case 'UUM':
        return this.uum(args, c.payload)
      case 'FQY':
        return this.conn.send(
          payloadBytes(['FQY', trid], (c.payload ? Buffer.from(c.payload).toString('utf8') : '').replace(/<c n="([^"]*)"\s*\/>/g, '<c n="$1" t="1" />'))
        )
      case 'OUT':
        return this.conn.close()
      case 'PUT':
      case 'SDG':
      case 'DEL':
        // Issue 16: an MSNP18 server that accepted an MSNP21 login takes these and answers nothing.
        return
      default:
        return this.fail(200, trid, false)
    }
  }

  private account(): ReturnType<World18['get']> {
    return this.ctx.world.get(this.email)
  }

  private usr(trid: number, args: string[]): void {
    if (this.signedIn) return this.fail(205, trid, false)
    if (args[0] === 'SSO' && args[1] === 'I') {
      const email = (args[2] ?? '').toLowerCase()
      if (!email.includes('@')) return this.fail(911, trid, true)
      this.email = email
      this.nonce = randomBytes(48).toString('base64')
      // §2.1: GCF and the challenge may share one segment.
      return this.conn.send(Buffer.concat([payloadBytes(['GCF', 0], POLICIES), lineBytes('USR', trid, 'SSO', 'S', 'MBI_KEY_OLD', this.nonce)]))
    }
    if (args[0] === 'SSO' && args[1] === 'S' && this.nonce) {
      const [, , ticket = '', blob = '', guid] = args
      // §2.8: without the GUID Escargot never answers; so does this server.
      if (guid === undefined) return
      const t = this.ctx.world.ticketOf(ticket, this.ctx.now())
      const g = GUID.exec(guid)
      if (!t || t.email !== this.email || !g || !verifyMbi(t.secret, this.nonce, blob)) return this.fail(911, trid, true)
      this.guid = g[1]!.toLowerCase()
      this.epName = 'PC'
      const a = this.account()
      if (!a) return this.fail(911, trid, true)
      // §6.3: a login with the same GUID boots the old session; another GUID is one more endpoint (MPOP).
      for (const other of this.ctx.presence.real(this.email)) if (other.guid === this.guid && other !== this) (other as NsConnection).out('OTH')
      this.signedIn = true
      let set = this.ctx.presence.endpoints.get(this.email)
      if (!set) this.ctx.presence.endpoints.set(this.email, (set = new Set()))
      set.add(this)
      const mspauth = ticket.replace(/^t=/, '')
      const profile =
        'MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile; charset=UTF-8\r\n' +
        `LoginTime: ${Math.floor(this.ctx.now() / 1000)}\r\nEmailEnabled: 0\r\nMemberIdHigh: 1\r\nMemberIdLow: 2\r\nlang_preference: 1033\r\n` +
        `Flags: 536872513\r\nsid: 507\r\nMSPAuth: ${mspauth}\r\nClientIP: ${this.conn.socket.remoteAddress ?? ''}\r\nClientPort: ${this.conn.socket.remotePort ?? 0}\r\nABCHMigrated: 1\r\nMPOPEnabled: 1\r\n\r\n`
      this.conn.send(
        Buffer.concat([
          lineBytes('USR', trid, 'OK', this.email, 1, 0),
          lineBytes('SBS', 0, 'null'),
          payloadBytes(['MSG', 'Hotmail', 'Hotmail'], profile),
          payloadBytes(['UBX', `1:${this.email}`], '')
        ])
      )
      if (this.ctx.challenge) this.sendChallenge()
      return
    }
    this.fail(911, trid, true)
  }

  /** §6.2 (historical): `CHL 0 <20 digits>`, a correct QRY within 50 s or 540. */
  sendChallenge(): void {
    this.challengeText = Array.from(randomBytes(20), (b) => String(b % 10)).join('')
    this.conn.send(lineBytes('CHL', 0, this.challengeText))
    if (this.challengeTimer) clearTimeout(this.challengeTimer)
    this.challengeTimer = setTimeout(() => this.fail(540, 0, true), 50_000).unref()
  }

  private qry(trid: number, args: string[], payload: Buffer | Uint8Array | null): void {
    if (!this.challengeText) return // Escargot: no pending challenge, no answer
    const product = this.ctx.products.find((p) => p.id === args[0])
    const answer = payload ? Buffer.from(payload).toString('latin1') : ''
    if (!product || answer !== challengeResponse(this.challengeText, product)) return this.fail(540, trid, true)
    this.challengeText = null
    if (this.challengeTimer) clearTimeout(this.challengeTimer)
    this.ctx.onQry()
    if (this.ctx.qryReply) this.conn.send(lineBytes('QRY', trid))
  }

  private uux(trid: number, payload: Buffer | Uint8Array | null): void {
    const xml = payload ? Buffer.from(payload).toString('utf8') : ''
    const a = this.account()
    const psm = /<PSM>([\s\S]*?)<\/PSM>/.exec(xml)
    if (a && xml.startsWith('<Data>') && psm) {
      a.psm = psm[1]!
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&')
      this.ctx.world.changed()
    }
    const name = /<EpName>([\s\S]*?)<\/EpName>/.exec(xml)
    if (name) this.epName = name[1]!
    this.conn.send(lineBytes('UUX', trid, 0))
    if (a && psm && this.status !== null) this.ctx.presence.announce(a)
  }

  private chg(trid: number, args: string[], raw: string[]): void {
    const [status, caps] = args
    if (!status) return
    if (status === 'FLN') return this.fail(201, trid, false)
    if (!['NLN', 'BSY', 'IDL', 'BRB', 'AWY', 'PHN', 'LUN', 'HDN'].includes(status)) return void this.conn.socket.destroy()
    if (!caps) return // §3.5: no capabilities, no reply
    const first = this.status === null
    this.status = status
    this.caps = caps
    this.msnobj = args[2] === undefined ? quoteAll('<msnobj/>') : args[2] === '0' ? '0' : quoteAll(args[2])
    const echo = raw.length >= 3 ? [raw[0]!, raw[1]!, this.msnobj] : [raw[0]!, raw[1]!]
    this.conn.send(lineBytes('CHG', trid, ...echo))
    const a = this.account()
    if (!a) return
    if (first) {
      // §3.5: contacts' presence, then the mail data (with OIMs, §5.9), then our own NLN/UBX.
      for (const [other, bits] of Object.entries(a.lists)) {
        const o = this.ctx.world.get(other)
        if (o && bits & FL && this.ctx.presence.visibleTo(o, a.email)) this.send(Buffer.concat([this.ctx.presence.nln(o), this.ctx.presence.ubx(o, false)]))
      }
      this.send(payloadBytes(['MSG', 'Hotmail', 'Hotmail'], mailData(this.ctx.pendingOims(a.email))))
    }
    this.send(Buffer.concat([this.ctx.presence.nln(a), this.ctx.presence.ubx(a, true)]))
    this.ctx.presence.announce(a)
  }

  private list(name: 'ADL' | 'RML', trid: number, payload: Buffer | Uint8Array | null): void {
    const xml = payload ? Buffer.from(payload).toString('utf8') : ''
    if (!/^<ml(\s+l="1")?\s*>[\s\S]*<\/ml>$/.test(xml.trim())) return this.fail(241, trid, true)
    if (/<d n="[^"]*"\s*>\s*<\/d>/.test(xml)) return this.fail(240, trid, true)
    const initial = /^<ml\s+l="1"/.test(xml.trim())
    const changes: { email: string; bits: number }[] = []
    for (const d of xml.matchAll(/<d n="([^"]+)"\s*>([\s\S]*?)<\/d>/g)) {
      for (const cm of d[2]!.matchAll(/<c\s+([^>]*?)\/?>/g)) {
        const attrs = Object.fromEntries([...cm[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]))
        const bits = Number(attrs.l ?? 0)
        if (!Number.isInteger(bits) || bits & (RL | PL)) return this.fail(241, trid, true)
        if (attrs.t !== undefined && attrs.t !== '1') return this.fail(204, trid, true)
        changes.push({ email: `${attrs.n ?? ''}@${d[1]}`.toLowerCase(), bits })
      }
    }
    // §3.4: the initial ADL's content is ignored (the server already keeps the lists).
    if (initial) return this.conn.send(lineBytes(name, trid, 'OK'))
    for (const ch of changes) if (!this.ctx.world.get(ch.email)) return this.fail(208, trid, false)
    const a = this.account()!
    for (const ch of changes) {
      if (name === 'ADL') this.ctx.world.setBits(a.email, ch.email, ch.bits & (FL | AL | BL))
      else this.ctx.world.setBits(a.email, ch.email, 0, ch.bits & (FL | AL | BL))
      const other = this.ctx.world.get(ch.email)!
      if (ch.bits & FL && name === 'ADL' && this.ctx.presence.visibleTo(other, a.email))
        this.send(Buffer.concat([this.ctx.presence.nln(other), this.ctx.presence.ubx(other, false)]))
      // §3.10: blocking or unblocking changes what the other side sees of us.
      if (ch.bits & (AL | BL))
        for (const e of this.ctx.presence.real(other.email))
          if (e.status !== null && this.ctx.world.bits(other.email, a.email) & FL)
            e.send(this.ctx.presence.visibleTo(a, other.email) ? this.ctx.presence.nln(a) : lineBytes('FLN', `1:${a.email}`, '0:0'))
    }
    this.conn.send(lineBytes(name, trid, 'OK'))
  }

  /** §5.9: `UUM <account> 1 1 <len>` stores an OIM for an offline recipient; never answered. */
  private uum(args: string[], payload: Buffer | Uint8Array | null): void {
    const to = this.ctx.world.get(args[0] ?? '')
    const a = this.account()
    if (!to || !a || !payload || this.ctx.presence.statusOf(to) !== null) return
    const { body } = readMime(Buffer.from(payload))
    this.ctx.world.storeOim({ from: a.email, fromName: a.friendly, to: to.email, text: body.toString('utf8'), at: this.ctx.now() })
  }

  private gone(): void {
    if (this.challengeTimer) clearTimeout(this.challengeTimer)
    const set = this.ctx.presence.endpoints.get(this.email)
    if (!set?.delete(this)) return
    if (set.size === 0) this.ctx.presence.endpoints.delete(this.email)
    const a = this.account()
    if (a && this.status !== null) this.ctx.presence.announce(a)
  }
}

/** §5.9: the initial mail-data notice, one `<M>` per stored OIM. */
export function mailData(oims: { id: string; from: string; fromName: string; at: number }[]): string {
  const ms = oims
    .slice(0, 25)
    .map(
      (o) =>
        `<M><T>11</T><S>6</S><RT>${new Date(o.at).toISOString().replace(/\.\d{3}Z$/, 'Z')}</RT><RS>0</RS><SZ>900</SZ><E>${o.from}</E><I>${o.id}</I><F>00000000-0000-0000-0000-000000000009</F><N>=?utf-8?B?${Buffer.from(o.fromName).toString('base64')}?=</N></M>`
    )
    .join('')
  const md = oims.length > 25 ? 'too-large' : `<MD><E><I>0</I><IU>0</IU><O>0</O><OU>0</OU></E><Q><QTM>409600</QTM><QNM>204800</QNM></Q>${ms}</MD>`
  return `MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinitialmdatanotification; charset=UTF-8\r\n\r\nMail-Data: ${md}\r\n`
}
