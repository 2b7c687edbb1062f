// The MSNP18 notification-server session (msnp18.md §1–§6): VER/CVR, SSO (USR SSO I →
// RST2 tickets → MBI blob → USR SSO S), then in WLM 2009's order the address book, BLP,
// the initial ADL, UUX and the first CHG; presence pushes (NLN/ILN/FLN/UBX), contact-list
// pushes (ADL 0/RML 0/NOT), switchboard invitations (RNG), CHL/QRY, PNG/QNG and OUT.
// Conversations themselves run on switchboards (conversations.ts).

import { JunctionError, ProtocolError } from '../../../../shared/errors'
import { challengeResponse, mbiResponse, MSNP21_PRODUCT } from '../crypto'
import { dialectChosen, dialectUnavailable, msnpError } from '../errors'
import type { MsnpCommand } from '../msnp/framing'
import { decodeText } from '../msnp/mime'
import { braceGuid, bareGuid } from '../msnp/payloads'
import { openSession, QngPings, SessionLifecycle, type MsnpSession, type SessionMessage } from '../session'
import { errorReason, type MsnpSocket, type SocketTarget } from '../transport'
import { escapeXml } from '../xml'
import { encodeArg, passportOf, readHostPort } from './args'
import type { BookSnapshot } from './address-book'
import { Conversations } from './conversations'
import { AL, BL, FL, initialAdl, listChange, readListPush } from './lists'
import { readFln, readNln, readUbx } from './presence'
import { onHotmailMessage } from './offline'
import { withPicture } from './pictures'
import type { SbMessage } from './sb-message'
import type { Session18Options } from './session-options'

/** §1.4: WLM 2009's last build; the client name is `msmsgs`, and there is no hop blob. */
export const CVR18 = ['0x0409', 'winnt', '6.1.0', 'i386', 'MSNMSGR', '14.0.8117.0416', 'msmsgs']
/** §4.3 recommendation: WLM 2009, chunking : nudges, UTF-8 moods (Junction does no P2P). */
export const CAPABILITIES18 = '2684354592:268436480'
/** §6.2: WLM 2009's pair, the same as MSNP21's (the base spec's §4.5 table is wrong for MSNP18). */
export const MSNP18_PRODUCT = MSNP21_PRODUCT
/** §2.8: a USR SSO S that Escargot cannot parse is never answered. */
const USR_TIMEOUT_MS = 15_000
const MAX_NS_REDIRECTS = 3

export type { Session18Handlers, Session18Options } from './session-options'

/** MsnpSession with the MSNP18 dialect. */
export type Msnp18Session = MsnpSession & { readonly dialect: 'msnp18' }

function command(name: string, trid: number | null, args: string[], payload: Uint8Array | null = null): MsnpCommand {
  return { name, trid, args, payload }
}

export class Session18 extends SessionLifecycle implements Msnp18Session {
  readonly dialect = 'msnp18' as const
  readonly selfAddress: string
  /** account → FL/AL/BL/RL/PL bits, as the address book and the server's pushes say. */
  readonly lists = new Map<string, number>()
  private readonly contactIds = new Map<string, string>()
  /** §3.8: the friendly names `ADL 0` pushes carry (`f=`), which FindMembership's Pending members lack. */
  readonly pushedNames = new Map<string, string>()
  private readonly guid: string
  private readonly pings: QngPings
  private readonly conversations: Conversations
  private resyncing: Promise<void> | null = null
  private readonly fetchingOims = new Set<string>()

  private constructor(
    socket: MsnpSocket,
    private readonly o: Session18Options
  ) {
    super(socket, o.handlers)
    this.selfAddress = `1:${o.account.toLowerCase()}`
    this.guid = bareGuid(o.epid)
    this.pings = new QngPings(socket, o.timeoutMs, o.pingIntervalSec ?? 45, (error) => this.end({ kind: 'dropped', error }))
    this.conversations = new Conversations({
      log: o.log,
      timeoutMs: o.timeoutMs,
      account: o.account.toLowerCase(),
      guid: this.guid,
      idleMs: o.switchboardIdleMs ?? 5 * 60_000,
      joinTimeoutMs: o.joinTimeoutMs ?? 30_000,
      requestSwitchboard: () => this.requestSwitchboard(),
      onMessage: (from, friendly, m) => this.onSwitchboardMessage(from, friendly, m)
    })
  }

  static open(o: Session18Options): Promise<Session18> {
    return openSession<Session18, number>({
      target: o.target,
      log: o.log,
      timeoutMs: o.timeoutMs,
      signal: o.signal,
      server: 'The Messenger server',
      firstHop: 0,
      create: (socket) => new Session18(socket, o),
      handshake: (session, hops) => session.handshake(hops)
    })
  }

  private async handshake(hops: number): Promise<{ target: SocketTarget; hop: number } | null> {
    this.socket.onCommand = (c) => this.onPush(c)
    const offer = this.o.offer ?? ['MSNP18']
    const ver = await this.socket.request((t) => command('VER', t, [...offer, 'CVR0']))
    const picked = ver.args.length === 1 ? ver.args[0]! : ''
    if (picked !== 'MSNP18') throw offer.includes(picked) ? dialectChosen(picked) : dialectUnavailable(ver.args.join(' '))
    const account = this.o.account.toLowerCase()
    await this.socket.request((t) => command('CVR', t, [...CVR18, account]))
    const usr = await this.socket.request((t) => command('USR', t, ['SSO', 'I', account]))
    if (usr.name === 'XFR') {
      // §1.5: another NS; the trailing arguments changed over the versions, only the address counts.
      if (usr.args[0] !== 'NS' || hops >= MAX_NS_REDIRECTS) throw new ProtocolError('The Messenger server redirected Junction too many times.')
      return { target: { ...this.o.target, ...readHostPort(usr.args[1]) }, hop: hops + 1 }
    }
    const [sso, s, policy, nonce] = usr.args
    // §2.3: MBI_KEY_OLD, or MBI_KEY as a synonym; §2.8: tolerate an extra token after the nonce.
    if (sso !== 'SSO' || s !== 'S' || (policy !== 'MBI_KEY_OLD' && policy !== 'MBI_KEY') || !nonce || !/^[A-Za-z0-9+/=]{8,128}$/.test(nonce)) {
      throw new ProtocolError('The Messenger server did not send a Passport challenge.')
    }
    const tickets = await this.o.tickets()
    const blob = mbiResponse(tickets.messenger.secret, nonce)
    const ok = await this.socket.request(
      (t) => command('USR', t, ['SSO', 'S', tickets.messenger.ticket, blob, braceGuid(this.guid)]),
      Math.min(USR_TIMEOUT_MS, this.o.timeoutMs)
    )
    if (ok.args[0] !== 'OK') throw new ProtocolError('The Messenger server did not confirm the sign-in.')
    await this.afterSignIn()
    return null
  }

  /** §3.1: the address book needs the signed-in NS session, then BLP, the initial ADL, UUX and the first CHG. */
  private async afterSignIn(): Promise<void> {
    const snapshot = await this.o.loadAddressBook()
    this.applySnapshot(snapshot)
    // The contacts go out before the first CHG: the NLNs it triggers arrive in the same read as
    // its reply, and a presence for a contact not yet known would be lost.
    this.o.handlers.onContacts(snapshot)
    await this.socket.request((t) => command('BLP', t, [this.o.privacy ?? 'AL']))
    for (const xml of initialAdl(this.lists)) await this.socket.request((t) => command('ADL', t, [], Buffer.from(xml)))
    const uux = (xml: string): Promise<MsnpCommand> => this.socket.request((t) => command('UUX', t, [], Buffer.from(xml, 'utf8')))
    await uux(`<EndpointData><Capabilities>${CAPABILITIES18}</Capabilities></EndpointData>`)
    await uux('<PrivateEndpointData><EpName>JUNCTION</EpName><Idle>false</Idle><ClientType>1</ClientType><State>NLN</State></PrivateEndpointData>')
    await this.socket.request((t) => command('CHG', t, ['NLN', CAPABILITIES18, '0']))
  }

  private applySnapshot(snapshot: BookSnapshot): void {
    this.lists.clear()
    for (const [account, bits] of snapshot.lists) if (account !== this.o.account.toLowerCase()) this.lists.set(account, bits)
    for (const c of snapshot.contacts) if (c.contactId) this.contactIds.set(c.account, c.contactId)
  }

  /** §3.6: publishes a personal message (PSM). */
  async setPersonalMessage(text: string): Promise<void> {
    const xml = `<Data><PSM>${escapeXml(text)}</PSM><CurrentMedia></CurrentMedia><MachineGuid>${braceGuid(this.guid)}</MachineGuid></Data>`
    await this.socket.request((t) => command('UUX', t, [], Buffer.from(xml, 'utf8')))
  }

  /** §3.5: status words of the base spec §8.2. */
  async setStatus(status: 'NLN' | 'BSY' | 'AWY' | 'BRB' | 'PHN' | 'LUN' | 'IDL' | 'HDN'): Promise<void> {
    await this.socket.request((t) => command('CHG', t, [status, CAPABILITIES18, '0']))
  }

  /** §3.7: the display name, which the server keeps across sessions. */
  async setDisplayName(name: string): Promise<void> {
    await this.socket.request((t) => command('PRP', t, ['MFN', encodeArg(name.slice(0, 128))]))
  }

  /** §3.9–§3.10: incremental ADL/RML, one contact per command. */
  async changeList(account: string, add: number, remove: number): Promise<void> {
    if (remove) await this.socket.request((t) => command('RML', t, [], Buffer.from(listChange(account, remove))))
    if (add) await this.socket.request((t) => command('ADL', t, [], Buffer.from(listChange(account, add))))
    this.lists.set(account, ((this.lists.get(account) ?? 0) & ~remove) | add)
  }

  /** §3.10: block = AL → BL; unblock = BL → AL. */
  async setBlocked(account: string, blocked: boolean): Promise<void> {
    await (blocked ? this.changeList(account, BL, AL) : this.changeList(account, AL, BL))
  }

  /**
   * §3.2 / §3.11: the address book as the server has it now, reported like a NOT's resync.
   * The server sends no NOT for the account's own changes (§3.8), so a change Junction made
   * is read back this way, and awaited, before it is reported done.
   */
  async reloadContacts(): Promise<void> {
    const snapshot = await this.o.loadAddressBook()
    this.applySnapshot(snapshot)
    this.o.handlers.onContacts(snapshot)
  }

  contactIdOf(account: string): string | undefined {
    return this.contactIds.get(account)
  }

  noteContactId(account: string, id: string): void {
    this.contactIds.set(account, id)
  }

  async sendMessaging(message: SessionMessage): Promise<void> {
    const contact = this.contactOf(message.to)
    if (message.messageType === 'Nudge') return this.conversations.sendNudge(contact)
    try {
      await this.conversations.sendText(contact, message.body)
    } catch (error) {
      // §5.3/§5.8: 217 = not reachable now; with OIM the text is stored for the contact's next sign-in.
      if (!(this.o.offline && error instanceof JunctionError && error.detail === 'MSNP 217' && (this.lists.get(contact) ?? 0) & FL)) throw error
      await this.o.offline.store(contact, message.body)
    }
  }

  /** Typing (§9 E6): written on an open conversation, nothing waits for it. */
  async sendSignal(message: SessionMessage): Promise<void> {
    if (message.messageType !== 'Control/Typing') return
    await this.conversations.sendTyping(this.contactOf(message.to))
  }

  /** §9 E7. */
  sendNudge(to: string): Promise<void> {
    return this.conversations.sendNudge(this.contactOf(to))
  }

  private contactOf(address: string): string {
    const account = passportOf(address) ?? (address.includes('@') && !address.includes(':') ? address.toLowerCase() : null)
    if (!account) throw new JunctionError('invalid-argument', 'Messenger conversations are with one Windows Live contact.')
    return account
  }

  async recentConversations(): Promise<{ conversations: never[]; messages: never[] }> {
    return { conversations: [], messages: [] }
  }

  async reauthenticate(): Promise<void> {}

  /** New `1:` addresses since the session started go on the forward and allow lists (§3.8). */
  async updateContacts(addresses: string[]): Promise<void> {
    for (const address of addresses) {
      const account = passportOf(address)
      if (!account || (this.lists.get(account) ?? 0) & FL) continue
      await this.changeList(account, FL | AL, 0)
    }
  }

  protected writeOut(): void {
    this.socket.write(command('OUT', null, []))
  }

  protected keepAlive(): Promise<void> {
    return this.pings.ping()
  }

  protected keepAliveIntervalMs(): number {
    return this.pings.seconds * 1000
  }

  protected override onTeardown(): void {
    this.conversations.closeAll()
    this.pings.rejectAll()
  }

  /** §5.1: a switchboard address and cookie; 913 until the first CHG. */
  private async requestSwitchboard(): Promise<{ target: SocketTarget; cookie: string }> {
    const reply = await this.socket.request((t) => command('XFR', t, ['SB']))
    const [kind, address, cki, cookie] = reply.args
    if (kind !== 'SB' || cki !== 'CKI' || !cookie) throw new ProtocolError('The Messenger server did not hand out a switchboard.')
    return { target: { ...readHostPort(address), tls: false }, cookie }
  }

  private onSwitchboardMessage(from: string, friendly: string, m: SbMessage): void {
    const address = `1:${from}`
    const base = { from: address, to: this.selfAddress, ...(friendly ? { displayName: friendly } : {}) }
    switch (m.kind) {
      case 'text':
        this.o.handlers.onMessaging({ ...base, messageType: 'Text', contentType: 'text/plain', body: m.text })
        return
      case 'typing':
        if (m.user === from) this.o.handlers.onMessaging({ ...base, messageType: 'Control/Typing', contentType: 'text/x-msmsgscontrol', body: '' })
        return
      case 'nudge':
        this.o.handlers.onNudge(address)
        return
      default:
        return
    }
  }

  private resyncAddressBook(): void {
    // §3.11: a change notice means a full sync; several notices in a row share one.
    if (this.resyncing) return
    this.resyncing = this.o
      .loadAddressBook()
      .then((snapshot) => {
        this.applySnapshot(snapshot)
        this.o.handlers.onContacts(snapshot)
      })
      .catch((error: unknown) => this.o.log.warn({ error }, 'address book resync failed'))
      .finally(() => (this.resyncing = null))
    this.o.handlers.onAddressBookChanged()
  }

  private onPush(c: MsnpCommand): void {
    switch (c.name) {
      case 'QNG':
        return this.pings.onQng(c)
      case 'CHL': {
        // §6.2 / §7.2 row 2: answer, but never wait for the server's QRY reply; a 540 ends the session below.
        const challenge = c.args[0]
        if (!challenge) return
        const answer = challengeResponse(challenge, MSNP18_PRODUCT)
        this.socket.write(command('QRY', this.socket.nextTrid(), [MSNP18_PRODUCT.id], Buffer.from(answer)))
        return
      }
      case 'NLN':
      case 'ILN': {
        const update = readNln(c)
        // §4.1: the msnobj (after status, address, friendly name and caps) says which display picture.
        if (update && update.address !== this.selfAddress) this.o.handlers.onPresence(withPicture(update, c.args[4], this.contactIds))
        return
      }
      case 'FLN': {
        const update = readFln(c)
        if (update && update.address !== this.selfAddress) this.o.handlers.onPresence(update)
        return
      }
      case 'UBX': {
        const data = readUbx(c)
        if (data && data.address !== this.selfAddress && data.mood !== undefined)
          this.o.handlers.onPresence({ address: data.address, mood: data.mood, endpointsGone: [] })
        return
      }
      case 'RNG':
        this.conversations.onRing(c).catch((error: unknown) => this.o.log.warn({ error }, 'could not join a switchboard invitation'))
        return
      case 'ADL':
      case 'RML':
        // §3.8: `ADL 0`/`RML 0`: someone added or removed us; the address book says the rest.
        if (c.trid === 0 && c.payload) {
          for (const push of readListPush(decodeText(c.payload))) {
            this.o.log.debug({ bits: push.bits, op: c.name }, 'contact list push')
            if (c.name === 'ADL' && push.friendly && this.pushedNames.size < 1_000) this.pushedNames.set(push.account, push.friendly.slice(0, 128))
          }
          this.resyncAddressBook()
        }
        return
      case 'NOT':
        return this.resyncAddressBook()
      case 'MSG':
        if (!c.payload) return
        return onHotmailMessage(c.payload, this.o.offline, this.fetchingOims, {
          self: this.selfAddress,
          log: this.o.log,
          live: () => !this.isEnded,
          emit: (m) => this.o.handlers.onMessaging(m)
        })
      case 'OUT':
        // §6.3: OTH = signed in elsewhere with this machine GUID: offline, never reconnect.
        if (c.args[0] === 'OTH') return this.end({ kind: 'elsewhere' })
        return this.end({ kind: 'dropped', error: new JunctionError('network', 'The Messenger server ended the session.', { detail: c.args[0] ?? 'OUT' }) })
      case 'XFR':
        if (c.args[0] === 'NS') {
          return this.end({
            kind: 'dropped',
            error: new JunctionError('network', 'The Messenger server moved the session.'),
            redirect: { ...this.o.target, ...readHostPort(c.args[1]) }
          })
        }
        return
      default:
        if (/^\d{3}$/.test(c.name)) {
          const code = Number(c.name)
          this.o.log.warn({ code, reason: errorReason(c) }, 'unsolicited msnp18 error')
          if (code === 540 || code === 911 || (code >= 600 && code < 700)) this.end({ kind: 'dropped', error: msnpError(code) })
        }
    }
  }
}
