// Sending to a group (spec §6.11 "Group G", §11.4): metadata (cached), every participant's
// devices by usync (ours included, no DSM in groups), one `skmsg` under our sender key, and the
// SenderKeyDistributionMessage (inside a pkmsg/msg) only to devices that do not hold our current
// key yet ("sender-key memory"). Key, memory and ratchets commit before the stanza leaves.

import { createHash } from 'node:crypto'
import { JunctionError } from '../../../../shared/errors'
import { formatJid, parseJid, userJidOf, type BinaryNode } from './binary'
import { concat } from './crypto'
import { isHostedDevice, participantPn, type GroupMeta } from './groups'
import type { Outbound, StanzaAttrs } from './outbound'
import { encodeProto, type WAMessage } from './proto'
import { loadSent, rememberSent } from './retry'
import type { MdSession } from './session'
import { pad, signalAddress } from './signal/cipher'
import { groupEncrypt, ownSenderKey, senderKeyName } from './signal/sender-key'
import { NS, type SignalStore } from './signal/store'
import { node } from './stanza'

const enc = new TextEncoder()
const dec = new TextDecoder()

/** spec §7.1 phashV2 (whatsmeow's form, recommended): `2:` + base64(SHA-256(sorted ADStrings))[0:6 bytes]. */
export function participantHash(deviceJids: string[]): string {
  const strings = deviceJids
    .map((j) => parseJid(j))
    .filter((j) => j !== null)
    .map((j) => `${j.user}.0:${j.device}@${j.server}`)
    .sort()
  const digest = createHash('sha256').update(strings.join('')).digest()
  return `2:${digest.subarray(0, 6).toString('base64').replace(/=+$/, '')}`
}

function memoryOf(store: SignalStore, group: string): string[] {
  const raw = store.get(NS.senderKeyMemory, group)
  if (!raw) return []
  try {
    const list = JSON.parse(dec.decode(raw)) as unknown
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

type Me = { jid: string; lid?: string }

/**
 * Our device as a group's sender (spec §11.4 "use our LID as the sender identity when the group
 * is LID-addressed"): our LID with this device's number once the server told us our LID, else our
 * phone-number device JID. Our sender key is named by it, and the members see us under it.
 */
export function senderIdentity(meta: Pick<GroupMeta, 'addressingMode'>, me: Me): string {
  const lid = me.lid ? parseJid(me.lid) : null
  const pn = parseJid(me.jid)
  if (meta.addressingMode !== 'lid' || !lid || !pn) return me.jid
  return formatJid({ user: lid.user, device: pn.device, server: lid.server })
}

/**
 * Whom a group send addresses (spec §6.11, §11.4): in a LID-addressed group every member and our
 * own account by LID, so each `<to>` is a LID device; in a PN group by phone number. The metadata's
 * PN↔LID pairs are stored first (spec §6.9), so sessions are looked up under one address.
 */
async function groupAddressing(out: Outbound, meta: GroupMeta, me: Me): Promise<{ self: string; users: string[] }> {
  const store = out.store
  await store.run(async () => {
    for (const p of meta.participants) out.lids.learn(p.jid, p.pn ?? p.lid)
    store.commit()
  })
  const self = senderIdentity(meta, me)
  const members =
    self === me.jid
      ? meta.participants.map(participantPn)
      : meta.participants.map((p) => userJidOf(p.jid.endsWith('@lid') ? p.jid : (p.lid ?? out.lids.toLid(p.jid))))
  return { self, users: [...new Set([...members, userJidOf(self)])] }
}

/** Our own sender key for a group is dropped (after a participant left): the next send distributes a new one. */
export function rotateSenderKey(store: SignalStore, group: string, me: Me): void {
  for (const self of new Set([me.jid, senderIdentity({ addressingMode: 'lid' }, me)]))
    store.stage(NS.senderKey, senderKeyName(group, signalAddress(self)), null)
  store.stage(NS.senderKeyMemory, group, null)
}

async function membersAndSelf(out: Outbound, session: MdSession, group: string): Promise<{ meta: GroupMeta; self: string; devices: string[] }> {
  const me = out.creds().me
  if (!me) throw new JunctionError('auth-failed', 'This device is not paired.', { reason: { code: 'no-credentials' } })
  const meta = await out.groups.metadata(session, group)
  const { self, users } = await groupAddressing(out, meta, me)
  const devices = (await out.deviceJids(session, users)).filter((d) => d !== self && !isHostedDevice(d))
  return { meta, self, devices }
}

/** The SKDM plaintext a device needs before it can read our skmsgs (spec §6.7). */
export function distributionMessage(store: SignalStore, group: string, self: string): { bytes: Uint8Array; fresh: boolean } {
  const { distribution, fresh } = ownSenderKey(store, senderKeyName(group, signalAddress(self)))
  return { bytes: encodeProto('Message', { senderKeyDistributionMessage: { groupId: group, axolotlSenderKeyDistributionMessage: distribution } }), fresh }
}

export async function buildGroup(out: Outbound, session: MdSession, group: string, id: string, message: WAMessage, stanza: StanzaAttrs): Promise<BinaryNode> {
  const { meta, self, devices } = await membersAndSelf(out, session, group)
  const store = out.store
  const name = senderKeyName(group, signalAddress(self))
  const had = store.get(NS.senderKey, name) ? memoryOf(store, group) : []
  const bundles = await out.bundlesFor(
    session,
    devices.filter((d) => !had.includes(d))
  )
  const body = encodeProto('Message', message)
  return store.run(async () => {
    const skdm = distributionMessage(store, group, self)
    const memory = skdm.fresh ? [] : memoryOf(store, group)
    const participants: BinaryNode[] = []
    let anyPreKey = false
    for (const device of devices.filter((d) => !memory.includes(d))) {
      const sealed = await out.encryptTo(device, bundles, skdm.bytes)
      if (!sealed) continue
      anyPreKey ||= sealed.type === 'pkmsg'
      participants.push(node('to', { jid: device }, [node('enc', { v: '2', type: sealed.type }, sealed.body)]))
      memory.push(device)
    }
    const skmsg = groupEncrypt(store, name, pad(body))
    store.stage(NS.senderKeyMemory, group, enc.encode(JSON.stringify(memory)))
    rememberSent(store, id, { chat: group, message: body, ...stanza })
    store.commit()
    const attrs: Record<string, string> = {
      id,
      to: group,
      type: stanza.type ?? 'text',
      addressing_mode: meta.addressingMode,
      phash: participantHash([...devices, self]),
      ...(stanza.edit ? { edit: stanza.edit } : {})
    }
    const content: BinaryNode[] = []
    if (participants.length) content.push(node('participants', {}, participants))
    content.push(node('enc', { v: '2', type: 'skmsg', ...(stanza.type === 'reaction' ? { 'decrypt-fail': 'hide' } : {}) }, skmsg))
    const account = out.creds().account
    if (anyPreKey && account) content.push(node('device-identity', {}, account))
    return node('message', attrs, content)
  })
}

/**
 * spec §13.11: the server's ack carried a different phash, so our device lists were stale. With
 * the lists fetched again, the devices that lack our sender key get the message (content and
 * SKDM in one pairwise envelope) under the same id, so no member device misses it.
 */
export async function sendToMissingDevices(out: Outbound, session: MdSession, group: string, id: string): Promise<number> {
  const sent = loadSent(out.store, id)
  if (!sent) return 0
  const { meta, self, devices } = await membersAndSelf(out, session, group)
  const store = out.store
  const known = memoryOf(store, group)
  const missing = devices.filter((d) => !known.includes(d))
  if (!missing.length) return 0
  const bundles = await out.bundlesFor(session, missing)
  const stanza = await store.run(async () => {
    const skdm = distributionMessage(store, group, self)
    const memory = memoryOf(store, group)
    const participants: BinaryNode[] = []
    let anyPreKey = false
    for (const device of missing) {
      const sealed = await out.encryptTo(device, bundles, concat(sent.bytes, skdm.bytes)) // protobuf fields merge
      if (!sealed) continue
      anyPreKey ||= sealed.type === 'pkmsg'
      participants.push(node('to', { jid: device }, [node('enc', { v: '2', type: sealed.type }, sealed.body)]))
      memory.push(device)
    }
    store.stage(NS.senderKeyMemory, group, enc.encode(JSON.stringify(memory)))
    store.commit()
    const account = out.creds().account
    const content = [node('participants', {}, participants), ...(anyPreKey && account ? [node('device-identity', {}, account)] : [])]
    return participants.length ? node('message', { id, to: group, type: sent.type ?? 'text', addressing_mode: meta.addressingMode }, content) : null
  })
  if (stanza) session.send(stanza)
  return stanza ? missing.length : 0
}
