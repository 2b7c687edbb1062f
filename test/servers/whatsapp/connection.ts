// One WhatsApp Web connection as the reference server sees it (spec §1–§2, §6): JSON
// commands (init, reref, login + takeover + challenge, logout), keep-alives, and encrypted
// nodes, which it decodes with the tolerant codec and answers from the phone's state.

import { randomBytes } from 'node:crypto'
import type { WebSocket } from 'ws'
import { decodeNode, encodeNode, type WANode } from '../../../src/main/networks/whatsapp/legacy/binary'
import { encodeInfo } from './proto'
import type { WhatsAppServer } from './server'
import { expectedChallengeAnswer, openSealed, parseClientFrame, seal, type ClientFrame } from './wire'
import { randomToken, toInfo, type Pairing, type PhoneAccount, type StoredMessage } from './world'
import { handleNode } from './node-handlers'

export const CURRENT_VERSION = '2.2147.14'

type Stage = 'new' | 'pairing' | 'open' | 'closed'

export class Connection {
  stage: Stage = 'new'
  clientId: string | null = null
  browser = ''
  ref: string | null = null
  refExpiresAt = 0
  rerefs = 0
  account: PhoneAccount | null = null
  pairing: Pairing | null = null
  /** Chats the client subscribed to (`["action","presence","subscribe",jid]`). */
  readonly subscriptions = new Set<string>()
  /** A link dead towards the client: what it sends is still read and answered into the void. */
  deaf = false
  pushedChats = false
  pushedContacts = false
  /** Decoded nodes the client sent, for assertions. */
  readonly received: { tag: string; metric: number; flag: number; node: WANode }[] = []
  private pushCount = 0
  /** How the last JSON command was framed (`tag,json` or `tag,,json`). */
  private lastJson: { tag: string; doubleComma: boolean } | null = null
  private preemptCount = 0
  private challenge: { bytes: Buffer; loginTag: string; serverToken: string } | null = null
  readonly openedAt = Math.floor(Date.now() / 1000)

  constructor(
    readonly server: WhatsAppServer,
    private readonly ws: WebSocket
  ) {
    ws.on('message', (data, isBinary) => {
      try {
        this.onFrame(Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer), isBinary)
      } catch (error) {
        server.note('bad-frame', { error: String(error) })
      }
      // Logins rotate tokens, relays store messages, reads clear counts: keep it (state.ts).
      server.changed()
    })
    ws.on('close', () => this.closed())
  }

  get isOpen(): boolean {
    return this.stage === 'open' && this.ws.readyState === this.ws.OPEN
  }

  private closed(): void {
    this.stage = 'closed'
    this.server.forget(this)
  }

  /** Cuts the socket without a goodbye, as a network failure would. */
  drop(): void {
    this.ws.terminate()
  }

  close(): void {
    this.ws.close()
  }

  sendText(text: string): void {
    if (this.ws.readyState === this.ws.OPEN && !this.deaf) this.ws.send(text)
  }

  reply(tag: string, value: unknown): void {
    this.sendText(`${tag},${JSON.stringify(value)}`)
  }

  /** Unsolicited JSON pushes carry `s1`, `s2`, … (spec §1.2). */
  pushJson(value: unknown): void {
    this.reply(`s${++this.pushCount}`, value)
  }

  /** An encrypted node: `TAG,HMAC IV CT` in a binary frame, no metric/flag (spec §1.2). */
  sendNode(tag: string, node: WANode): void {
    if (!this.pairing || this.ws.readyState !== this.ws.OPEN || this.deaf) return
    this.ws.send(Buffer.concat([Buffer.from(`${tag},`, 'latin1'), seal(this.pairing, encodeNode(node))]), { binary: true })
  }

  pushNode(node: WANode): void {
    this.sendNode(`${this.openedAt}.--${++this.pushCount}`, node)
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    const frame: ClientFrame = parseClientFrame(data, isBinary)
    if (frame.kind === 'keepalive') {
      this.server.stats.keepAlives++
      if (!this.server.script.silent) this.sendText(`!${Date.now()}`)
      return
    }
    if (frame.kind === 'binary') return this.onBinary(frame)
    this.lastJson = { tag: frame.tag, doubleComma: frame.doubleComma }
    this.onJson(frame.tag, frame.value)
  }

  private onBinary(frame: Extract<ClientFrame, { kind: 'binary' }>): void {
    if (!this.pairing || this.stage !== 'open') return this.server.note('binary-before-login', {})
    let node: WANode
    try {
      node = decodeNode(openSealed(this.pairing, frame.sealed))
    } catch (error) {
      return this.server.note('bad-binary', { error: String(error) })
    }
    this.received.push({ tag: frame.tag, metric: frame.metric, flag: frame.flag, node })
    handleNode(this, frame.tag, node, frame.flag)
  }

  private onJson(tag: string, value: unknown): void {
    if (!Array.isArray(value)) return this.reply(tag, { status: 400 })
    const [a, b] = value as unknown[]
    if (a === 'admin' && b === 'init') return this.onInit(tag, value)
    if (a === 'admin' && b === 'Conn' && value[2] === 'reref') return this.onReref(tag)
    if (a === 'admin' && b === 'Conn' && value[2] === 'disconnect') return this.onLogout()
    if (a === 'admin' && b === 'login') return this.onLogin(tag, value)
    if (a === 'admin' && b === 'challenge') return this.onChallenge(tag, value)
    if (a === 'admin' && b === 'test') return this.reply(tag, ['Pong', true])
    if (this.stage !== 'open' || !this.account) return this.reply(tag, { status: 401 })
    if (a === 'action' && b === 'presence' && value[2] === 'subscribe' && typeof value[3] === 'string') {
      this.subscriptions.add(value[3].replace(/@s\.whatsapp\.net$/, '@c.us'))
      return this.reply(tag, { status: 200 })
    }
    // spec §6.3: when the contact was last online (presence.ts), or 404.
    if (a === 'query' && b === 'Presence' && value[2] === 'lastseen' && typeof value[3] === 'string')
      return this.reply(tag, this.server.presence.answerLastSeen(value[3].replace(/@s\.whatsapp\.net$/, '@c.us')))
    // spec §6.3: the media connection an upload (§7.4) needs.
    if (a === 'query' && b === 'mediaConn' && value.length === 2) return this.reply(tag, this.server.uploads.mediaConn())
    // spec §6.3: a profile picture's URL and tag (profile-pictures.ts).
    if (a === 'query' && b === 'ProfilePicThumb' && typeof value[2] === 'string') return this.reply(tag, this.server.pictures.answer(value[2]))
    // spec §6.3: a group's subject and participants (the account itself among them); 404 for a group it is not in.
    if (a === 'query' && b === 'GroupMetadata' && typeof value[2] === 'string') {
      this.server.stats.groupQueries.push(value[2])
      return this.reply(tag, groupMetadata(this.account, value[2]))
    }
    if (a === 'query' && b === 'exist' && typeof value[2] === 'string') {
      const jid = value[2].replace(/@s\.whatsapp\.net$/, '@c.us')
      return this.reply(tag, this.account.contacts.has(jid) ? { status: 200, jid } : { status: 404 })
    }
    this.reply(tag, { status: 404 })
  }

  /** spec §2.1 */
  private onInit(tag: string, value: unknown[]): void {
    const [, , version, browser, clientId] = value
    const versionOk = Array.isArray(version) && version.length === 3 && version.every((n) => Number.isInteger(n))
    const idOk = typeof clientId === 'string' && Buffer.from(clientId, 'base64').length === 16 && clientId.length === 24
    if (!versionOk || !idOk || !Array.isArray(browser)) return this.reply(tag, { status: 400 })
    const v = version as number[]
    const min = this.server.script.minVersion
    if (v[0]! < min[0] || (v[0] === min[0] && v[1]! < min[1])) return this.reply(tag, ['Cmd', { type: 'update' }])
    this.clientId = clientId
    this.browser = String(browser[0] ?? '')
    if (this.stage === 'new') this.stage = 'pairing'
    this.issueRef()
    this.reply(tag, { status: 200, ref: this.ref, ttl: this.server.options.ttlMs, update: false, curr: CURRENT_VERSION, time: Date.now() })
  }

  private issueRef(): void {
    this.ref = `1@${randomBytes(45).toString('base64')}`
    this.refExpiresAt = Date.now() + this.server.options.ttlMs
    this.server.stats.refsIssued++
  }

  /** spec §2.3: 200 with a new ref, 304 keep the old one, 429 after about five. */
  private onReref(tag: string): void {
    if (this.stage !== 'pairing') return this.reply(tag, { status: 400 })
    this.rerefs++
    const scripted = this.server.script.rerefStatuses.shift()
    const status = scripted ?? (this.rerefs > this.server.options.maxRerefs ? 429 : 200)
    if (status === 200) {
      this.issueRef()
      return this.reply(tag, { status: 200, ref: this.ref, ttl: this.server.options.ttlMs })
    }
    if (status === 304) this.refExpiresAt = Date.now() + this.server.options.ttlMs
    this.reply(tag, { status })
  }

  /** Called by the phone's scan (spec §2.4–§2.6): the pairing exists; push Conn with the secret. */
  paired(account: PhoneAccount, pairing: Pairing, secret: Buffer): void {
    this.account = account
    this.pairing = pairing
    this.stage = 'open'
    this.server.activate(account, this)
    this.pushJson(['Conn', this.connInfo({ secret: secret.toString('base64') })])
    this.afterLogin()
  }

  private connInfo(extra: Record<string, unknown>): Record<string, unknown> {
    const { account, pairing } = this
    return {
      ref: this.ref,
      wid: account!.wid,
      connected: true,
      isResponse: 'true',
      serverToken: pairing!.serverToken,
      clientToken: pairing!.clientToken,
      browserToken: pairing!.browserToken,
      lc: 'US',
      lg: 'en',
      is24h: true,
      protoVersion: [0, 17],
      binVersion: 11,
      battery: 87,
      plugged: false,
      platform: 'android',
      pushname: account!.pushname,
      tos: 0,
      features: { URL: true },
      phone: {
        wa_version: '2.21.23.23',
        mcc: '310',
        mnc: '260',
        os_version: '11',
        device_manufacturer: 'Sandbox',
        device_model: 'Phone',
        os_build_number: 'RQ3A'
      },
      ...extra
    }
  }

  /** spec §2.7 */
  private onLogin(tag: string, value: unknown[]): void {
    const [, , clientToken, serverToken, clientId, mode] = value
    this.server.stats.logins++
    if (typeof clientId !== 'string' || typeof clientToken !== 'string' || typeof serverToken !== 'string') return this.reply(tag, { status: 400 })
    this.server.note('login', { clientId, mode })
    const found = this.server.findPairing(clientId)
    const scripted = this.server.script.nextLoginStatus
    if (scripted !== null) {
      this.server.script.nextLoginStatus = null
      return this.reply(tag, scripted === 403 ? { status: 403, tos: 0 } : { status: scripted })
    }
    if (this.server.script.upgradeMd) return this.pushJson(['Cmd', { type: 'upgrade_md_prod', version: '2.2147.14' }])
    if (!found || found.pairing.revoked) return this.reply(tag, { status: 401 })
    const active = this.server.activeConnection(found.account)
    if (mode === 'reconnect' && active && active !== this && active.isOpen) return this.reply(tag, { status: 409 })
    if (mode !== 'takeover' && mode !== 'reconnect') return this.reply(tag, { status: 400 })
    this.account = found.account
    this.pairing = found.pairing
    const stale = clientToken !== found.pairing.clientToken || serverToken !== found.pairing.serverToken
    if (stale || this.server.script.challengeNextLogin) {
      this.server.script.challengeNextLogin = false
      this.challenge = { bytes: randomBytes(32), loginTag: tag, serverToken }
      return this.pushJson(['Cmd', { type: 'challenge', challenge: this.challenge.bytes.toString('base64') }])
    }
    this.completeLogin(tag)
  }

  private onChallenge(tag: string, value: unknown[]): void {
    const [, , answer, serverToken, clientId] = value
    const pending = this.challenge
    if (!pending || !this.pairing || clientId !== this.pairing.clientId) return this.reply(tag, { status: 400 })
    this.challenge = null
    // spec §2.7: HMAC-SHA256(macKey, challenge), with the server token the login presented.
    const ok = typeof answer === 'string' && answer === expectedChallengeAnswer(this.pairing.macKey, pending.bytes) && serverToken === pending.serverToken
    this.server.note('challenge', { ok })
    if (!ok) {
      this.reply(tag, { status: 401 })
      return this.close()
    }
    this.reply(tag, { status: 200 })
    this.completeLogin(pending.loginTag)
  }

  /** Tokens rotate on every login (spec §2.7), then `Conn` and the login's 200, then the sync pushes. */
  private completeLogin(loginTag: string): void {
    const pairing = this.pairing!
    pairing.previous = { clientToken: pairing.clientToken, serverToken: pairing.serverToken }
    pairing.clientToken = randomToken()
    pairing.serverToken = randomToken()
    this.stage = 'open'
    this.server.activate(this.account!, this)
    this.pushJson(['Conn', this.connInfo({})])
    this.reply(loginTag, { status: 200 })
    this.afterLogin()
  }

  /** spec §2.4/§6.6: Stream, Props, Blocklist, then the preempt lists and `action add=last`. */
  private afterLogin(): void {
    const account = this.account!
    this.pushJson(['Stream', 'update', false, CURRENT_VERSION])
    this.pushJson(['Props', { imageMaxKBytes: 1024, maxParticipants: 257, videoMaxEdge: 960, imageMaxEdge: 1600, maxSubject: 25, media: 64 }])
    this.pushJson(['Blocklist', { id: 1, blocklist: account.blocklist }])
    if (this.server.script.withholdLists) return
    this.sendNode(`preempt-${++this.preemptCount}`, this.chatList())
    this.pushedChats = true
    this.sendNode(`preempt-${++this.preemptCount}`, this.contactList())
    this.pushedContacts = true
    const last = [...account.chats.values()].flatMap((c) => account.lastMessage(c) ?? []).sort((x, y) => x.timestamp - y.timestamp)
    this.pushNode(['action', { add: 'last' }, last.map((m) => messageNode(m))])
  }

  chatList(): WANode {
    const account = this.account!
    const chats = [...account.chats.values()].map((c): WANode => {
      const attrs: Record<string, string> = {
        jid: c.jid,
        count: String(c.unread),
        t: String(account.lastMessage(c)?.timestamp ?? 0),
        spam: 'false',
        modify_tag: String(100000 + c.messages.length)
      }
      if (c.name) attrs.name = c.name
      return ['chat', attrs, null]
    })
    return ['response', { type: 'chat' }, chats]
  }

  contactList(): WANode {
    const users = [...this.account!.contacts.values()].map((c): WANode => [
      'user',
      { jid: c.jid, notify: c.notify ?? '', name: c.name ?? '', short: c.short ?? '' },
      null
    ])
    return ['response', { type: 'contacts' }, users]
  }

  /** spec §2.8: the server invalidates the tokens and closes; the phone forgets the browser. */
  private onLogout(): void {
    if (this.pairing) this.pairing.revoked = true
    this.server.note('logout', { clientId: this.pairing?.clientId ?? this.clientId, ...this.lastJson })
    this.close()
  }

  /** The challenge a test can see; null when none is pending. */
  get pendingChallenge(): Buffer | null {
    return this.challenge?.bytes ?? null
  }
}

export function messageNode(m: StoredMessage): WANode {
  return ['message', null, encodeInfo(toInfo(m))]
}

/** spec §6.3: the account created every group here (its super admin); others are admins once promoted. */
function groupMetadata(account: PhoneAccount, gid: string): unknown {
  const chat = account.chats.get(gid)
  if (!chat?.group) return { status: 404 }
  const admins = new Set(chat.admins ?? [])
  const participants = [account.wid, ...chat.participants].map((id) => ({
    id,
    isAdmin: id === account.wid || admins.has(id),
    isSuperAdmin: id === account.wid
  }))
  const description = chat.description ? { desc: chat.description.text, descId: chat.description.id, descOwner: chat.description.owner } : {}
  return { id: gid, owner: account.wid, subject: chat.name ?? '', creation: chat.messages[0]?.timestamp ?? 0, ...description, participants }
}
