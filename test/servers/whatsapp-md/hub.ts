// The reference server's stanza handling (spec §12.1): login and pairing, iqs by namespace,
// message routing with fan-out to every device, per-device offline queues that keep a stanza
// until its device acknowledges it, and receipts.

import { randomBytes } from 'node:crypto'
import { decodeBinaryNode, encodeBinaryNode, type BinaryNode } from '../../../src/main/networks/whatsapp/md/binary'
import type { WAMessage } from '../../../src/main/networks/whatsapp/md/proto'
import type { PublicBundle } from './sim-device'
import type { ServerConnection, Hello } from './connection'
import { b64, unb64 } from './keys'
import { bytesOf, child, children, deviceJid, node, readUint, SERVER, splitJid, uintBytes, unixNow } from './stanzas'
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

  constructor(readonly world: World) {}

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
    if (conn.deviceJid && this.online.get(conn.deviceJid) === conn) this.online.delete(conn.deviceJid)
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
    if (!jid) return // before login only server iq answers are meaningful
    switch (n.tag) {
      case 'iq':
        return this.iq(conn, jid, n)
      case 'message':
        return void this.message(conn, jid, n)
      case 'receipt':
        // A retry receipt is not a delivery: the stanza stays queued (spec §7.4).
        if (n.attrs.type !== 'retry') this.world.acknowledge(jid, `message:${n.attrs.to}:${n.attrs.id}`)
        if (n.attrs.type === 'read') this.reads.push(`${jid}>${n.attrs.to}:${n.attrs.id}`)
        return conn.send(node('ack', { class: 'receipt', id: n.attrs.id ?? '', from: n.attrs.to ?? SERVER, ...(n.attrs.type ? { type: n.attrs.type } : {}) }))
      case 'ack':
        this.world.acknowledge(jid, `${n.attrs.class}:${n.attrs.id}`)
        return
      case 'chatstate':
        this.chatstates.push(`${jid}>${n.attrs.to}:${children(n)[0]?.tag ?? ''}`)
        return this.relayChatstate(jid, n)
      default:
        return // presence, ib: accepted (spec §12.1 "either" forms)
    }
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
        if (iq.attrs.type === 'set') {
          this.upload(user, device, iq)
          return result()
        }
        if (first?.tag === 'count') return result([node('count', { value: String(this.world.companion(user, device)?.preKeys.length ?? 0) })])
        if (first?.tag === 'key')
          return result([
            node(
              'list',
              {},
              children(first).map((u) => this.bundleNode(u.attrs.jid ?? ''))
            )
          ])
        break
      case 'usync': {
        const users = children(child(child(iq, 'usync'), 'list'))
        const list = users.map((u) => {
          const number = splitJid(u.attrs.jid ?? '').user
          const devices = this.world.devices(number).map((d) => node('device', d === 0 ? { id: '0' } : { id: String(d), 'key-index': String(d) }))
          return node('user', { jid: `${number}@${SERVER}` }, [node('devices', {}, [node('device-list', {}, devices)])])
        })
        return result([node('usync', {}, [node('list', {}, list)])])
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

  private upload(user: string, device: number, iq: BinaryNode): void {
    const c = this.world.companion(user, device)
    if (!c) return
    const skey = child(iq, 'skey')
    c.registrationId = readUint(bytesOf(child(iq, 'registration')))
    c.identity = b64(bytesOf(child(iq, 'identity')) ?? new Uint8Array())
    c.signedPreKey = { id: readUint(bytesOf(child(skey, 'id'))), pub: b64(bytesOf(child(skey, 'value'))!), signature: b64(bytesOf(child(skey, 'signature'))!) }
    const known = new Set(c.preKeys.map((k) => k.id))
    for (const k of children(child(iq, 'list'))) {
      const id = readUint(bytesOf(child(k, 'id')))
      if (!known.has(id)) c.preKeys.push({ id, pub: b64(bytesOf(child(k, 'value'))!) })
    }
    this.world.save()
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

  private bundleNode(jid: string): BinaryNode {
    const { user, device } = splitJid(jid)
    const b = this.bundleFor(user, device)
    if (!b) return node('user', { jid }, [node('error', { code: '404', text: 'item-not-found' })])
    return node('user', { jid }, [
      node('registration', {}, uintBytes(b.registrationId, 4)),
      node('type', {}, Uint8Array.of(5)),
      node('identity', {}, b.identity),
      ...(b.preKey ? [node('key', {}, [node('id', {}, uintBytes(b.preKey.id, 3)), node('value', {}, b.preKey.pub)])] : []),
      node('skey', {}, [
        node('id', {}, uintBytes(b.signedPreKey.id, 3)),
        node('value', {}, b.signedPreKey.pub),
        node('signature', {}, b.signedPreKey.signature)
      ])
    ])
  }

  /** spec §12.1 router: each `<to>` device gets its own `enc`; simulated devices decrypt theirs. */
  private async message(conn: ServerConnection, senderJid: string, msg: BinaryNode): Promise<void> {
    const id = msg.attrs.id ?? ''
    const sender = splitJid(senderJid)
    const chat = msg.attrs.to ?? ''
    const identity = child(msg, 'device-identity')
    for (const to of children(child(msg, 'participants'))) {
      const target = splitJid(to.attrs.jid ?? '')
      const enc = child(to, 'enc')
      const body = bytesOf(enc)
      if (!enc || !body) continue
      if (target.device > 0) {
        const attrs: Record<string, string> = { from: senderJid, id, t: unixNow(), type: msg.attrs.type ?? 'text' }
        if (target.user === sender.user) attrs.recipient = chat
        const content = [node('enc', enc.attrs, body), ...(identity ? [identity] : [])]
        this.deliver(deviceJid(target.user, target.device), `message:${senderJid}:${id}`, node('message', attrs, content))
        continue
      }
      const phone = this.world.phones.get(target.user)
      if (!phone) continue
      try {
        const m: WAMessage = await phone.decrypt(`${sender.user}.${sender.device}`, enc.attrs.type ?? '', body)
        this.world.save()
        if (target.user !== sender.user) this.decoded.push({ to: target.user, from: `${sender.user}@${SERVER}`, id, attrs: { ...msg.attrs }, message: m })
        const text = m.conversation ?? m.extendedTextMessage?.text
        if (target.user !== sender.user && text !== undefined) {
          if (this.world.received.get(target.user)?.some((e) => e.id === id)) this.duplicates++
          this.world.record(target.user, { from: `${sender.user}@${SERVER}`, id, text })
          this.deliver(senderJid, `receipt:${id}`, node('receipt', { from: `${target.user}@${SERVER}`, id, t: unixNow() }))
        }
      } catch {
        // An undecryptable copy is dropped (retry receipts are not simulated yet).
      }
    }
    this.acked.push(id)
    conn.send(node('ack', { class: 'message', id, t: unixNow(), from: chat }))
  }
}
