// Sending to a group (spec §6.11 "Group G", §11.4): metadata (cached), every participant's
// devices by usync (ours included, no DSM in groups), one `skmsg` under our sender key, and the
// SenderKeyDistributionMessage (inside a pkmsg/msg) only to devices that do not hold our current
// key yet ("sender-key memory"). Key, memory and ratchets commit before the stanza leaves.

import { createHash } from 'node:crypto'
import { JunctionError } from '../../../../shared/errors'
import { parseJid, userJidOf, type BinaryNode } from './binary'
import { concat } from './crypto'
import { isHostedDevice, participantPn } from './groups'
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

/** Our own sender key for a group is dropped (after a participant left): the next send distributes a new one. */
export function rotateSenderKey(store: SignalStore, group: string, ownDeviceJid: string): void {
  store.stage(NS.senderKey, senderKeyName(group, signalAddress(ownDeviceJid)), null)
  store.stage(NS.senderKeyMemory, group, null)
}

/** The SKDM plaintext a device needs before it can read our skmsgs (spec §6.7). */
export function distributionMessage(store: SignalStore, group: string, ownDeviceJid: string): { bytes: Uint8Array; fresh: boolean } {
  const { distribution, fresh } = ownSenderKey(store, senderKeyName(group, signalAddress(ownDeviceJid)))
  return { bytes: encodeProto('Message', { senderKeyDistributionMessage: { groupId: group, axolotlSenderKeyDistributionMessage: distribution } }), fresh }
}

export async function buildGroup(out: Outbound, session: MdSession, group: string, id: string, message: WAMessage, stanza: StanzaAttrs): Promise<BinaryNode> {
  const creds = out.creds()
  const me = creds.me?.jid
  if (!me) throw new JunctionError('auth-failed', 'This device is not paired.', { reason: { code: 'no-credentials' } })
  const meta = await out.groups.metadata(session, group)
  const users = [...new Set([...meta.participants.map(participantPn), userJidOf(me)])]
  const devices = (await out.deviceJids(session, users)).filter((d) => d !== me && !isHostedDevice(d))
  const store = out.store
  const name = senderKeyName(group, signalAddress(me))
  const had = store.get(NS.senderKey, name) ? memoryOf(store, group) : []
  const bundles = await out.bundlesFor(
    session,
    devices.filter((d) => !had.includes(d))
  )
  const body = encodeProto('Message', message)
  return store.run(async () => {
    const skdm = distributionMessage(store, group, me)
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
      phash: participantHash([...devices, me]),
      ...(stanza.edit ? { edit: stanza.edit } : {})
    }
    const content: BinaryNode[] = []
    if (participants.length) content.push(node('participants', {}, participants))
    content.push(node('enc', { v: '2', type: 'skmsg', ...(stanza.type === 'reaction' ? { 'decrypt-fail': 'hide' } : {}) }, skmsg))
    if (anyPreKey && creds.account) content.push(node('device-identity', {}, creds.account))
    return node('message', attrs, content)
  })
}

/**
 * spec §13.11: the server's ack carried a different phash, so our device lists were stale. With
 * the lists fetched again, the devices that lack our sender key get the message (content and
 * SKDM in one pairwise envelope) under the same id, so no member device misses it.
 */
export async function sendToMissingDevices(out: Outbound, session: MdSession, group: string, id: string): Promise<number> {
  const me = out.creds().me?.jid
  const sent = loadSent(out.store, id)
  if (!me || !sent) return 0
  const meta = await out.groups.metadata(session, group)
  const users = [...new Set([...meta.participants.map(participantPn), userJidOf(me)])]
  const store = out.store
  const known = memoryOf(store, group)
  const missing = (await out.deviceJids(session, users)).filter((d) => d !== me && !known.includes(d) && !isHostedDevice(d))
  if (!missing.length) return 0
  const bundles = await out.bundlesFor(session, missing)
  const stanza = await store.run(async () => {
    const skdm = distributionMessage(store, group, me)
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
