// The reference server's stanza handling (spec §12.1): login and pairing, iqs by namespace
// (pre-keys in prekeys.ts, device lists in usync.ts), message routing with fan-out to every
// device, per-device offline queues that keep a stanza until its device acknowledges it, and
// receipts.

import { randomBytes } from 'node:crypto'
import { decodeBinaryNode, encodeBinaryNode, type BinaryNode } from '../../../src/main/networks/whatsapp/md/binary'
import type { WAMessage } from '../../../src/main/networks/whatsapp/md/proto'
import type { PublicBundle } from './sim-device'
import type { ServerConnection, Hello } from './connection'
import { b64, unb64 } from './keys'
import { AppStateServer } from './app-state'
import { PairingCodeServer } from './pairing-code'
import { MediaStore, openFromStore, type OpenedFile } from './media'
import { PictureHost } from './pictures'
import { child, children, deviceJid, node, readUint, SERVER, splitJid, unixNow } from './stanzas'
import { groupIq } from './groups'
import { encryptIq } from './prekeys'
import { routeMessage } from './router'
import { routeRetryReceipt, type SimSent } from './sim-send'
import { usyncAnswer } from './usync'
import type { World } from './world'

export interface PendingRegistration {
  conn: ServerConnection
  noiseKey: Uint8Array
  identity: Uint8Array
  registrationId: number
  signedPreKey: { id: number; pub: Uint8Array; signature: Uint8Array }
  refs: string[]
}

export class Hub {
  readonly online = new Map<string, ServerConnection>()
  readonly registrations = new Map<string, PendingRegistration>()
  private readonly serverIqs = new Map<string, (reply: BinaryNode) => void>()
  private iqCounter = 0
  /** A scripted outcome for the next login (spec §12.1 "scriptable outcomes"). */
  nextLoginFailure: string | null = null
  /** Chat states the clients sent, as `from>to:state`. */
  readonly chatstates: string[] = []
  /** Message ids the server acknowledged to their sender, in order (a client shows `sent` only after this). */
  readonly acked: string[] = []
  /** Read receipts the clients sent, as `from>to:id`. */
  readonly reads: string[] = []
  /** Every message content a simulated phone decrypted, with its stanza's attributes (tests read quotes, reactions, edits). */
  readonly decoded: Array<{ to: string; from: string; id: string; attrs: Record<string, string>; message: WAMessage }> = []
  /** Copies a phone decrypted again for a message id it already had (a resend that should not happen). */
  duplicates = 0
  /** Messages the phones sent, by id, to answer retry receipts (spec §7.4). */
  readonly simSent = new Map<string, SimSent>()
  /** Per `phone|group`: the device JIDs that hold that phone's sender key (spec §6.11). */
  readonly simSkdmMemory = new Map<string, Set<string>>()
  readonly simRetryCounts = new Map<string, number>()
  /** Retry receipts the phones sent (`number:id:count`) and resends they made (`device:id:count`). */
  readonly retriesSent: string[] = []
  readonly resent: string[] = []
  /** Test hook (spec §7.4 placeholder resend): companion device JIDs whose next copy of a phone's message (1:1 or group) arrives corrupted. */
  readonly corruptFor = new Set<string>()
  /** Test hook: while set, phones keep retry receipts unanswered here until `releaseRetries`. */
  heldRetries: Array<() => void> | null = null
  /** Placeholder resend requests the phones answered (`device:id`, peer-data.ts). */
  readonly placeholdersAnswered: string[] = []
  /** Devices whose messages, receipts and acks are lost on the wire (a test's stanzas in flight when the socket drops). */
  readonly lostFrom = new Set<string>()
  /** What was lost that way, as `tag:id`. */
  readonly lost: string[] = []
  /** Group messages a device sent: how many pairwise envelopes (SKDMs) rode beside the skmsg (spec §6.11). */
  readonly groupFanout: Array<{ id: string; from: string; pairwise: string[]; skmsg: boolean }> = []
  /** Group message ids whose sender's phash differed from the server's (acked with the server's). */
  readonly phashMismatches: string[] = []
  /** Group envelopes addressed in a form the group does not use (spec §11.4), which reached nobody. */
  readonly misaddressed: Array<{ id: string; jid: string }> = []
  /** Presence stanzas the clients sent, as `deviceJid:type:to-or-name` (spec §7.6). */
  readonly presences: string[] = []
  /** Who hears a number's presence: device JIDs that subscribed on their current connection. */
  private readonly presenceSubscribers = new Map<string, Set<string>>()

  /** spec §8: uploaded blobs and media_conn tokens. */
  readonly media = new MediaStore()
  readonly pictures = new PictureHost()
  /** Files a simulated phone received and opened (or the reason it could not). */
  readonly files: Array<{ to: string; from: string; id: string; file: OpenedFile | null; error?: string }> = []

  /** spec §9: app-state keys and collections. */
  readonly appState: AppStateServer
  /** spec §5.6: companions waiting for their code to be typed on a phone. */
  readonly pairingCode = new PairingCodeServer(this)

  constructor(readonly world: World) {
    this.appState = new AppStateServer(this.media, () => world.save())
  }

  nextId(): string {
    return `srv-${++this.iqCounter}`
  }

  /** Sends a server iq and resolves with the client's answer. */
  request(conn: ServerConnection, iq: BinaryNode): Promise<BinaryNode> {
    return new Promise((resolve) => {
      this.serverIqs.set(iq.attrs.id!, resolve)
      conn.send(iq)
    })
  }

  hello(conn: ServerConnection, { clientStatic, payload }: Hello): void {
    const pairing = payload.devicePairingData
    if (pairing?.eIdent && pairing.eSkeyVal && pairing.eSkeySig) {
      const refs = Array.from({ length: 6 }, () => `2@${randomBytes(30).toString('base64')}`)
      const reg: PendingRegistration = {
        conn,
        noiseKey: clientStatic,
        identity: pairing.eIdent,
        registrationId: readUint(pairing.eRegid),
        signedPreKey: { id: readUint(pairing.eSkeyId), pub: pairing.eSkeyVal, signature: pairing.eSkeySig },
        refs
      }
      for (const ref of refs) this.registrations.set(ref, reg)
      conn.send(
        node('iq', { from: SERVER, type: 'set', id: this.nextId(), xmlns: 'md' }, [
          node(
            'pair-device',
            {},
            refs.map((r) => node('ref', {}, r))
          )
        ])
      )
      return
    }
    if (this.nextLoginFailure) {
      conn.send(node('failure', { reason: this.nextLoginFailure, location: 'frc' }))
      this.nextLoginFailure = null
      return conn.close()
    }
    const user = String(payload.username ?? '')
    const device = payload.device ?? 0
    const companion = this.world.companion(user, device)
    // spec §12.1: a login's Noise static key must be the one registered for that device.
    if (!companion || companion.noiseKey !== b64(clientStatic)) {
      conn.send(node('failure', { reason: '401', location: 'frc' }))
      return conn.close()
    }
    const jid = deviceJid(user, device)
    const previous = this.online.get(jid)
    if (previous?.isOpen) {
      previous.send(node('stream:error', {}, [node('conflict', { type: 'replaced' })]))
      previous.close()
    }
    conn.deviceJid = jid
    this.online.set(jid, conn)
    const account = this.world.account(user)
    conn.send(node('success', { t: unixNow(), lid: `${account.lid}:${device}@lid`, location: 'frc', props: '1' }))
    this.flush(jid, true)
  }

  closed(conn: ServerConnection): void {
    if (conn.deviceJid && this.online.get(conn.deviceJid) === conn) {
      this.online.delete(conn.deviceJid)
      // A subscription lasts one connection (spec §7.6: clients subscribe again after login).
      for (const subscribers of this.presenceSubscribers.values()) subscribers.delete(conn.deviceJid)
    }
    for (const [ref, reg] of this.registrations) if (reg.conn === conn) this.registrations.delete(ref)
  }

  /** Sends every queued stanza of a device (again): un-acked ones are redelivered after a reconnect. */
  private flush(jid: string, offline: boolean): void {
    const conn = this.online.get(jid)
    if (!conn) return
    const queue = this.world.queues.get(jid) ?? []
    for (const entry of queue) {
      const n = decodeBinaryNode(unb64(entry.bytes))
      conn.send(offline ? { ...n, attrs: { ...n.attrs, offline: '1' } } : n)
    }
    if (offline) conn.send(node('ib', { from: SERVER }, [node('offline', { count: String(queue.length) })]))
  }

  /** Answers the retry receipts held by `heldRetries` and stops holding. */
  releaseRetries(): void {
    const held = this.heldRetries ?? []
    this.heldRetries = null
    for (const answer of held) answer()
  }

  deliver(jid: string, key: string, stanza: BinaryNode): void {
    const bytes = encodeBinaryNode(stanza)
    this.world.enqueue(jid, key, bytes)
    this.online.get(jid)?.sendBytes(bytes)
  }

  stanza(conn: ServerConnection, n: BinaryNode): void {
    if (n.tag === 'iq' && (n.attrs.type === 'result' || n.attrs.type === 'error')) {
      const waiter = this.serverIqs.get(n.attrs.id ?? '')
      this.serverIqs.delete(n.attrs.id ?? '')
      return waiter?.(n)
    }
    const jid = conn.deviceJid
    // Before login only server iq answers and phone-number pairing (spec §5.6) are meaningful.
    if (!jid) return n.tag === 'iq' && n.attrs.xmlns === 'md' && child(n, 'link_code_companion_reg') ? this.pairingCode.iq(conn, n) : undefined
    if (this.lostFrom.has(jid) && (n.tag === 'message' || n.tag === 'receipt' || n.tag === 'ack')) return void this.lost.push(`${n.tag}:${n.attrs.id ?? ''}`)
    switch (n.tag) {
      case 'iq':
        return this.iq(conn, jid, n)
      case 'message':
        return void routeMessage(this, conn, jid, n)
      case 'receipt':
        // spec §8.5: a request for our phone to upload a file again, answered by a notification.
        if (n.attrs.type === 'server-error') {
          conn.send(node('ack', { class: 'receipt', id: n.attrs.id ?? '', from: n.attrs.to ?? SERVER, type: 'server-error' }))
          return this.deliver(jid, `notification:${n.attrs.id ?? ''}`, this.media.retryAnswer(n))
        }
        // A retry receipt is not a delivery: the stanza stays queued (spec §7.4).
        if (n.attrs.type !== 'retry') this.world.acknowledge(jid, `message:${n.attrs.to}:${n.attrs.id}`)
        if (n.attrs.type === 'read') this.reads.push(`${jid}>${n.attrs.to}:${n.attrs.id}`)
        // spec §7.4: a device asks the sender (a phone, or another companion) to resend its message.
        if (n.attrs.type === 'retry') routeRetryReceipt(this, jid, n)
        return conn.send(node('ack', { class: 'receipt', id: n.attrs.id ?? '', from: n.attrs.to ?? SERVER, ...(n.attrs.type ? { type: n.attrs.type } : {}) }))
      case 'ack':
        this.world.acknowledge(jid, `${n.attrs.class}:${n.attrs.id}`)
        return
      case 'chatstate':
        this.chatstates.push(`${jid}>${n.attrs.to}:${children(n)[0]?.tag ?? ''}`)
        return this.relayChatstate(jid, n)
      case 'presence':
        return this.presenceStanza(conn, jid, n)
      default:
        return // ib: accepted (spec §12.1 "either" forms)
    }
  }

  /** spec §7.6: own `available`/`unavailable` (recorded) and `subscribe`, answered with the contact's presence now. */
  private presenceStanza(conn: ServerConnection, jid: string, n: BinaryNode): void {
    const type = n.attrs.type ?? ''
    this.presences.push(`${jid}:${type}:${n.attrs.to ?? n.attrs.name ?? ''}`)
    if (type !== 'subscribe' || !n.attrs.to) return
    const number = splitJid(n.attrs.to).user
    const subscribers = this.presenceSubscribers.get(number) ?? new Set<string>()
    subscribers.add(jid)
    this.presenceSubscribers.set(number, subscribers)
    conn.send(this.presenceOf(number))
  }

  /** `<presence from [type="unavailable" last]/>` for a number as it is now (never online: unavailable, no `last`). */
  private presenceOf(number: string): BinaryNode {
    const p = this.world.accounts.get(number)?.presence
    const from = `${number}@${SERVER}`
    if (p?.available) return node('presence', { from })
    return node('presence', { from, type: 'unavailable', ...(p?.last ? { last: String(p.last) } : {}) })
  }

  /** A contact's phone comes online or goes offline (last seen now, unix s); subscribed devices hear it. */
  setPresence(number: string, available: boolean, lastSeconds = Math.floor(Date.now() / 1000)): void {
    this.world.account(number).presence = available ? { available: true } : { available: false, last: lastSeconds }
    this.world.save()
    for (const jid of this.presenceSubscribers.get(number) ?? []) this.online.get(jid)?.send(this.presenceOf(number))
  }

  /** Chat states go to the recipient's companions (spec §7.6); they are not queued. */
  private relayChatstate(fromJid: string, n: BinaryNode): void {
    const target = splitJid(n.attrs.to ?? '').user
    const from = `${splitJid(fromJid).user}@${SERVER}`
    for (const d of this.world.devices(target).filter((x) => x > 0)) this.online.get(deviceJid(target, d))?.send(node('chatstate', { from }, children(n)))
  }

  private iq(conn: ServerConnection, jid: string, iq: BinaryNode): void {
    const result = (content?: BinaryNode[]): void => conn.send(node('iq', { type: 'result', id: iq.attrs.id ?? '', from: SERVER }, content))
    const first = children(iq)[0]
    const { user, device } = splitJid(jid)
    switch (iq.attrs.xmlns) {
      case 'w:p':
      case 'passive':
      case 'privacy':
      case 'abt':
      case 'blocklist':
      case 'urn:xmpp:whatsapp:dirty':
        return result()
      case 'encrypt':
        // spec §6.2–§6.4 (prekeys.ts)
        if (encryptIq(this, user, device, iq, result)) return
        break
      case 'usync':
        // spec §6.8 (usync.ts)
        return result([usyncAnswer(this.world, iq)])
      case 'w:sync:app:state':
        return result([node('sync', {}, this.appState.handle(user, this.world.account(user), iq))])
      case 'w:m': {
        // spec §8.1
        if (first?.tag !== 'media_conn') break
        const mc = this.media.issueAuth()
        return result([
          node(
            'media_conn',
            { auth: mc.auth, ttl: mc.ttl, auth_ttl: mc.ttl, max_buckets: '12' },
            mc.hosts.map((hostname) => node('host', { hostname }))
          )
        ])
      }
      case 'w:g2': {
        const answer = groupIq(this, jid, iq)
        if (!answer) break
        if ('error' in answer)
          return conn.send(node('iq', { type: 'error', id: iq.attrs.id ?? '', from: iq.attrs.to ?? SERVER }, [node('error', { code: answer.error })]))
        return result(answer)
      }
      case 'w:profile:picture': {
        if (iq.attrs.type !== 'get' || first?.tag !== 'picture') break
        const answer = this.pictures.answer(iq)
        if ('error' in answer) return conn.send(node('iq', { type: 'error', id: iq.attrs.id ?? '', from: SERVER }, [node('error', { code: answer.error })]))
        return result(answer)
      }
      case 'md':
        if (first?.tag === 'remove-companion-device') {
          this.world.removeCompanion(user, device)
          result()
          return conn.close()
        }
        break
    }
    conn.send(node('iq', { type: 'error', id: iq.attrs.id ?? '', from: SERVER }, [node('error', { code: '501', text: 'feature-not-implemented' })]))
  }

  /** Hands out a bundle (one one-time key consumed) and pushes PreKeyLow below 5 (spec §12.1). */
  bundleFor(user: string, device: number): PublicBundle | null {
    const b = this.world.bundle(user, device)
    const c = device > 0 ? this.world.companion(user, device) : undefined
    if (b && c && c.preKeys.length < 5) {
      const id = this.nextId()
      this.deliver(
        deviceJid(user, device),
        `notification:${id}`,
        node('notification', { from: SERVER, type: 'encrypt', id, t: unixNow() }, [node('count', { value: String(c.preKeys.length) })])
      )
    }
    return b
  }

  /**
   * spec §6.10: `number` reinstalled WhatsApp. Its phone gets a new identity, and every linked
   * device of the other accounts hears `<notification type="encrypt"><identity/></notification>`.
   */
  reinstall(number: string): void {
    this.world.reinstall(number)
    for (const account of this.world.accounts.values()) {
      if (account.number === number) continue
      for (const c of account.companions) {
        const id = this.nextId()
        this.deliver(
          deviceJid(account.number, c.id),
          `notification:${id}`,
          node('notification', { from: `${number}@${SERVER}`, type: 'encrypt', id, t: unixNow() }, [node('identity')])
        )
      }
    }
  }

  /** spec §8.4 on the phone: a media message's blob is fetched and verified like a client would. */
  openFile(to: string, from: string, id: string, m: WAMessage): void {
    try {
      const file = openFromStore(this.media, m as Record<string, unknown>)
      if (file) this.files.push({ to, from, id, file })
    } catch (error) {
      this.files.push({ to, from, id, file: null, error: error instanceof Error ? error.message : String(error) })
    }
  }
}
