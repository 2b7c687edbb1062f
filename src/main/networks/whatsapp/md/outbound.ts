// Sending (spec §6.4, §6.8, §6.11, §7.1): device lists by usync, bundles for devices without a
// session (signed pre-key verified), one `enc` per device — the contact's devices get the
// Message, our own other devices the DeviceSentMessage — `device-identity` when any pkmsg,
// then the server's ack. Ratchet state commits before the stanza leaves, with a copy of the
// message kept (bounded) for retry receipts (spec §7.4). Sessions live at the LID address when
// the LID is known (spec §6.9, lid.ts); groups are built in group-send.ts.

import { createHash, randomBytes } from 'node:crypto'
import { JunctionError } from '../../../../shared/errors'
import { formatJid, parseJid, userJidOf, type BinaryNode } from './binary'
import type { MdCredentials } from './credentials'
import { encodeProto, type WAMessage } from './proto'
import type { MdSession } from './session'
import { buildGroup } from './group-send'
import { Groups, isGroupJid } from './groups'
import { LidMap } from './lid'
import { rememberSent, RetryCounts } from './retry'
import { buildSession, encryptFor, signalAddress, type Bundle } from './signal/cipher'
import { NS, type SignalStore } from './signal/store'
import { bytesOf, childOf, childrenOf, node, readUint, S_WHATSAPP_NET } from './stanza'

/** Bounded like every cache here (spec §13.9). */
const DEVICE_CACHE_MAX = 500

/** The stanza's own attributes (spec §7.1, §7.9): `type` text or reaction, `edit` for edits and revokes. */
export interface StanzaAttrs {
  type?: 'text' | 'reaction' | 'media'
  edit?: string
}

export class Outbound {
  private readonly devices = new Map<string, string[]>()
  readonly lids: LidMap
  readonly groups = new Groups()
  readonly retries = new RetryCounts()

  constructor(
    readonly store: SignalStore,
    readonly creds: () => MdCredentials
  ) {
    this.lids = new LidMap(store)
  }

  /** A stable id from the client id, so a retry of the same draft is the same message (Connector.send). */
  static messageId(clientId: string): string {
    return `3EB0${createHash('sha256').update(clientId).digest('hex').slice(0, 18).toUpperCase()}`
  }

  /** A fresh id for an action (a reaction, an edit, a revoke), which has no client id. */
  static actionId(): string {
    return `3EB0${randomBytes(9).toString('hex').toUpperCase()}`
  }

  forgetDevices(): void {
    this.devices.clear()
  }

  /** One user's cached device list (a `devices` notification, spec §6.8). */
  forgetDevicesOf(userJid: string): void {
    this.devices.delete(userJid)
  }

  /** spec §6.8: device JIDs of users, from usync (devices ≠ 0 without key-index skipped, spec §14.2). */
  async deviceJids(session: MdSession, users: string[]): Promise<string[]> {
    const missing = users.filter((u) => !this.devices.has(u))
    if (missing.length) {
      const reply = await session.query(
        node('iq', { to: S_WHATSAPP_NET, type: 'get', xmlns: 'usync' }, [
          node('usync', { context: 'message', mode: 'query', sid: session.nextId(), last: 'true', index: '0' }, [
            node('query', {}, [node('devices', { version: '2' }), node('lid')]),
            node(
              'list',
              {},
              missing.map((jid) => node('user', { jid }))
            )
          ])
        ])
      )
      const users = childrenOf(childOf(childOf(reply, 'usync'), 'list'))
      // spec §6.9: usync `<lid val>` is one source of PN↔LID pairs.
      await this.store.run(async () => {
        for (const user of users) this.lids.learn(user.attrs.jid, childOf(user, 'lid')?.attrs.val)
        this.store.commit()
      })
      for (const user of users) {
        const jid = parseJid(user.attrs.jid ?? '')
        if (!jid) continue
        const list = childrenOf(childOf(childOf(user, 'devices'), 'device-list'))
          .filter((d) => d.attrs.id === '0' || d.attrs['key-index'] !== undefined)
          // spec §6.8: a hosted device is addressed on `hosted` (`hosted.lid` for a LID).
          .map((d) => formatJid({ user: jid.user, server: d.attrs.is_hosted === 'true' ? hostedServer(jid.server) : jid.server, device: Number(d.attrs.id) }))
        if (this.devices.size >= DEVICE_CACHE_MAX) this.devices.delete(this.devices.keys().next().value!)
        this.devices.set(`${jid.user}@${jid.server}`, list)
      }
    }
    return users.flatMap((u) => this.devices.get(u) ?? [])
  }

  async fetchBundles(session: MdSession, deviceJids: string[]): Promise<Map<string, Bundle>> {
    const out = new Map<string, Bundle>()
    if (!deviceJids.length) return out
    const reply = await session.query(
      node('iq', { xmlns: 'encrypt', type: 'get', to: S_WHATSAPP_NET }, [
        node(
          'key',
          {},
          deviceJids.map((jid) => node('user', { jid, reason: 'identity' }))
        )
      ])
    )
    for (const user of childrenOf(childOf(reply, 'list'))) {
      const identity = bytesOf(childOf(user, 'identity'))
      const skey = childOf(user, 'skey')
      const spk = bytesOf(childOf(skey, 'value'))
      const signature = bytesOf(childOf(skey, 'signature'))
      if (!identity || !spk || !signature) continue
      const key = childOf(user, 'key')
      const preKey = bytesOf(childOf(key, 'value'))
      out.set(user.attrs.jid ?? '', {
        registrationId: readUint(bytesOf(childOf(user, 'registration'))),
        identity,
        signedPreKey: { id: readUint(bytesOf(childOf(skey, 'id'))), public: spk, signature },
        ...(preKey ? { preKey: { id: readUint(bytesOf(childOf(key, 'id'))), public: preKey } } : {})
      })
    }
    return out
  }

  /** Builds the encrypted stanza for a 1:1 chat and commits the ratchets it advanced. */
  async buildDirect(session: MdSession, chat: string, id: string, message: WAMessage, stanza: StanzaAttrs = {}): Promise<BinaryNode> {
    const creds = this.creds()
    const me = creds.me?.jid
    if (!me) throw new JunctionError('auth-failed', 'This device is not paired.', { reason: { code: 'no-credentials' } })
    const chatUser = userJidOf(chat)
    const ownUser = userJidOf(me)
    const devices = (await this.deviceJids(session, chatUser === ownUser ? [ownUser] : [chatUser, ownUser])).filter((d) => d !== me)
    if (!devices.some((d) => userJidOf(d) === chatUser))
      throw new JunctionError('rejected', 'This contact has no WhatsApp devices.', { reason: { code: 'refused' } })
    const bundles = await this.bundlesFor(session, devices)
    const forContact = encodeProto('Message', message)
    const forOwn = encodeProto('Message', { deviceSentMessage: { destinationJid: chatUser, message } })
    return this.store.run(async () => {
      const participants: BinaryNode[] = []
      let anyPreKey = false
      for (const device of devices) {
        const enc = await this.encryptTo(device, bundles, userJidOf(device) === ownUser ? forOwn : forContact)
        if (!enc) continue
        anyPreKey ||= enc.type === 'pkmsg'
        participants.push(node('to', { jid: device }, [node('enc', encAttrsOf(enc.type, stanza), enc.body)]))
      }
      rememberSent(this.store, id, { chat: chatUser, message: forContact, ...stanza })
      // spec §13.1: the advanced ratchets are stored before the message leaves.
      this.store.commit()
      const content: BinaryNode[] = [node('participants', {}, participants)]
      if (anyPreKey && creds.account) content.push(node('device-identity', {}, creds.account))
      return node('message', { id, to: chatUser, type: stanza.type ?? 'text', ...(stanza.edit ? { edit: stanza.edit } : {}) }, content)
    })
  }

  /** A 1:1 or a group stanza (spec §6.11). */
  build(session: MdSession, chat: string, id: string, message: WAMessage, stanza: StanzaAttrs = {}): Promise<BinaryNode> {
    return isGroupJid(chat) ? buildGroup(this, session, chat, id, message, stanza) : this.buildDirect(session, chat, id, message, stanza)
  }

  /** Bundles for the devices that have no session yet (at their LID address when known). */
  async bundlesFor(session: MdSession, devices: string[]): Promise<Map<string, Bundle>> {
    const need = await this.store.run(async () => devices.filter((d) => !this.store.hasSession(signalAddress(this.lids.sessionJid(d)).toString())))
    return this.fetchBundles(session, need)
  }

  /** Encrypts for one device inside `store.run`, building its session from `bundles` when needed; null when it has none. */
  async encryptTo(device: string, bundles: Map<string, Bundle>, plaintext: Uint8Array): Promise<{ type: 'pkmsg' | 'msg'; body: Uint8Array } | null> {
    const address = this.lids.sessionJid(device)
    if (!this.store.hasSession(signalAddress(address).toString())) {
      const bundle = bundles.get(device)
      if (!bundle) return null
      await buildSession(this.store, address, bundle)
    }
    return encryptFor(this.store, address, plaintext)
  }
}

const hostedServer = (server: string): string => (server === 'lid' ? 'hosted.lid' : 'hosted')

/** spec §6.6, §7.9: a reaction that cannot be decrypted is hidden rather than shown as "waiting". */
export function encAttrsOf(type: string, stanza: StanzaAttrs, count?: number): Record<string, string> {
  return { v: '2', type, ...(stanza.type === 'reaction' ? { 'decrypt-fail': 'hide' } : {}), ...(count ? { count: String(count) } : {}) }
}

export { NS }
