// What the simulated phones send (spec §12.1 "send (as itself or a contact)") and their side of
// retry receipts (spec §7.4): 1:1 messages (optionally LID-addressed, spec §6.9), group messages
// under the phone's own sender key with the SKDM to devices that lack it (spec §6.7, §6.11), a
// retry receipt when a phone cannot decrypt, and a resend of the same id when a device asks.

import { randomBytes } from 'node:crypto'
import type { BinaryNode } from '../../../src/main/networks/whatsapp/md/binary'
import type { WAMessage } from '../../../src/main/networks/whatsapp/md/proto'
import type { Hub } from './hub'
import type { PublicBundle } from './sim-device'
import { bytesOf, child, children, deviceJid, node, readUint, SERVER, splitJid, uintBytes, unixNow } from './stanzas'

/** A message a phone sent, kept to answer retry receipts (spec §7.4, §13.12). */
export interface SimSent {
  from: string
  message: WAMessage
  /** The stanza attributes every copy carried (from, participant, type, notify, …). */
  attrs: Record<string, string>
  /** The queue key the copies travel under. */
  key: string
  group?: string
  /** The number a 1:1 message went to (its phone knows the chat, spec §7.4 placeholder resend). */
  to?: string
}

const SENT_MAX = 256

export function rememberSimSent(hub: Hub, id: string, sent: SimSent): void {
  if (hub.simSent.size >= SENT_MAX) hub.simSent.delete(hub.simSent.keys().next().value!)
  hub.simSent.set(id, sent)
}

/** A copy that no longer verifies (its MAC or signature covers the last byte). */
const flipLastByte = (b: Uint8Array): Uint8Array => Uint8Array.from(b, (x, i) => (i === b.length - 1 ? x ^ 0xff : x))

export const newMessageId = (): string => `3EB0${randomBytes(9).toString('hex').toUpperCase()}`

/** A phone writes to a user's companions; `lid` sends from the phone's LID with `sender_pn` (spec §6.9). */
export async function simSendDirect(
  hub: Hub,
  from: string,
  toJid: string,
  message: WAMessage,
  attrs: Record<string, string> = {},
  lid = false
): Promise<string> {
  const world = hub.world
  const sender = world.account(from)
  const phone = world.phones.get(from)!
  const target = splitJid(toJid).user
  world.account(target)
  const id = newMessageId()
  const fromAttr = lid ? `${sender.lid}@lid` : `${from}@${SERVER}`
  const stanzaAttrs = { from: fromAttr, id, t: unixNow(), type: 'text', notify: sender.name, ...(lid ? { sender_pn: `${from}@${SERVER}` } : {}), ...attrs }
  const key = `message:${fromAttr}:${id}`
  for (const device of world.devices(target).filter((d) => d > 0)) {
    const enc = await phone.encrypt(`${target}.${device}`, message, () => hub.bundleFor(target, device))
    // Test hook: this device cannot decrypt its copy (the MAC's last byte flipped).
    const body = hub.corruptFor.delete(deviceJid(target, device)) ? flipLastByte(enc.body) : enc.body
    hub.deliver(deviceJid(target, device), key, node('message', stanzaAttrs, [node('enc', { v: '2', type: enc.type }, body)]))
  }
  rememberSimSent(hub, id, { from, message, attrs: stanzaAttrs, key, to: target })
  world.save()
  return id
}

/** A phone writes to a group: one skmsg for every member device, the SKDM to those that lack it. */
export async function simSendGroup(hub: Hub, from: string, groupJid: string, message: WAMessage): Promise<string> {
  const world = hub.world
  const g = world.groups.get(splitJid(groupJid).user)
  if (!g || !g.members.includes(from)) throw new Error(`${from} is not in ${groupJid}`)
  const sender = world.account(from)
  const phone = world.phones.get(from)!
  const id = newMessageId()
  const participant: Record<string, string> =
    g.addressingMode === 'lid' ? { participant: `${sender.lid}@lid`, participant_pn: `${from}@${SERVER}` } : { participant: `${from}@${SERVER}` }
  const attrs = { from: groupJid, id, t: unixNow(), type: 'text', notify: sender.name, addressing_mode: g.addressingMode, ...participant }
  const key = `message:${groupJid}:${id}`
  const skmsg = phone.groupEncrypt(groupJid, message)
  const has = hub.simSkdmMemory.get(`${from}|${groupJid}`) ?? new Set<string>()
  for (const member of g.members) {
    for (const device of world.devices(member).filter((d) => d > 0)) {
      const jid = deviceJid(member, device)
      const content: BinaryNode[] = []
      if (!has.has(jid)) {
        const skdm: WAMessage = { senderKeyDistributionMessage: { groupId: groupJid, axolotlSenderKeyDistributionMessage: phone.ownDistribution(groupJid) } }
        const enc = await phone.encrypt(`${member}.${device}`, skdm, () => hub.bundleFor(member, device))
        content.push(node('enc', { v: '2', type: enc.type }, enc.body))
        has.add(jid)
      }
      content.push(node('enc', { v: '2', type: 'skmsg' }, hub.corruptFor.delete(jid) ? flipLastByte(skmsg) : skmsg))
      hub.deliver(jid, key, node('message', attrs, content))
    }
    // The other simulated phones read it directly (they are in-process).
    if (member !== from && message.conversation !== undefined)
      world.record(member, { from: `${from}@${SERVER}`, id, text: message.conversation, chat: groupJid })
  }
  hub.simSkdmMemory.set(`${from}|${groupJid}`, has)
  rememberSimSent(hub, id, { from, message, attrs, key, group: groupJid })
  world.save()
  return id
}

/** The retry receipt a phone sends when it cannot decrypt (spec §7.4); keys when the count passes 1 or it has no session. */
export function simRetryReceipt(hub: Hub, phoneNumber: string, msg: BinaryNode, senderJid: string, noSession: boolean): void {
  const id = msg.attrs.id ?? ''
  const phone = hub.world.phones.get(phoneNumber)
  if (!phone) return
  const counter = `${phoneNumber}|${id}`
  const count = (hub.simRetryCounts.get(counter) ?? 0) + 1
  hub.simRetryCounts.set(counter, count)
  if (count > 5) return
  const group = msg.attrs.to?.endsWith('@g.us') ? msg.attrs.to : undefined
  const attrs: Record<string, string> = group
    ? { from: group, participant: hub.world.memberOf(group, phoneNumber), id, type: 'retry', t: unixNow() }
    : { from: `${phoneNumber}@${SERVER}`, id, type: 'retry', t: unixNow() }
  const content: BinaryNode[] = [
    node('retry', { count: String(count), id, t: unixNow(), v: '1' }),
    node('registration', {}, uintBytes(phone.registrationId, 4))
  ]
  if (count > 1 || noSession) {
    const b = phone.bundle()
    content.push(
      node('keys', {}, [
        node('type', {}, Uint8Array.of(5)),
        node('identity', {}, b.identity),
        ...(b.preKey ? [node('key', {}, [node('id', {}, uintBytes(b.preKey.id, 3)), node('value', {}, b.preKey.pub)])] : []),
        node('skey', {}, [
          node('id', {}, uintBytes(b.signedPreKey.id, 3)),
          node('value', {}, b.signedPreKey.pub),
          node('signature', {}, b.signedPreKey.signature)
        ])
      ])
    )
  }
  hub.retriesSent.push(`${phoneNumber}:${id}:${count}`)
  // Same key as the delivery receipt: the client acks either as `receipt:ID`, and a later delivery replaces it.
  hub.deliver(senderJid, `receipt:${id}`, node('receipt', attrs, content))
}

function bundleOfKeys(receipt: BinaryNode): PublicBundle | null {
  const keys = child(receipt, 'keys')
  const skey = child(keys, 'skey')
  const identity = bytesOf(child(keys, 'identity'))
  const spk = bytesOf(child(skey, 'value'))
  const signature = bytesOf(child(skey, 'signature'))
  if (!keys || !identity || !spk || !signature) return null
  const key = child(keys, 'key')
  const pre = bytesOf(child(key, 'value'))
  return {
    registrationId: readUint(bytesOf(child(receipt, 'registration'))),
    identity,
    signedPreKey: { id: readUint(bytesOf(child(skey, 'id'))), pub: spk, signature },
    ...(pre ? { preKey: { id: readUint(bytesOf(child(key, 'id'))), pub: pre } } : {})
  }
}

/**
 * A device asked a phone to resend (spec §7.4): the session is rebuilt from the receipt's keys
 * (or, from count 2, a fresh bundle), the kept message re-encrypted (with the SKDM in groups)
 * and delivered again under the same id and queue key, with `count`.
 */
export async function simAnswerRetry(hub: Hub, deviceJidOfClient: string, receipt: BinaryNode): Promise<void> {
  const id = receipt.attrs.id ?? ''
  const sent = hub.simSent.get(id)
  if (!sent) return
  const phone = hub.world.phones.get(sent.from)
  if (!phone) return
  const count = Number(child(receipt, 'retry')?.attrs.count ?? 1)
  const target = splitJid(deviceJidOfClient)
  const address = `${target.user}.${target.device}`
  const keys = bundleOfKeys(receipt)
  if (keys || count >= 2) phone.forgetSession(address)
  const message: WAMessage = sent.group
    ? { ...sent.message, senderKeyDistributionMessage: { groupId: sent.group, axolotlSenderKeyDistributionMessage: phone.ownDistribution(sent.group) } }
    : sent.message
  const enc = await phone.encrypt(address, message, () => keys ?? hub.bundleFor(target.user, target.device))
  hub.resent.push(`${deviceJidOfClient}:${id}:${count}`)
  hub.deliver(deviceJidOfClient, sent.key, node('message', sent.attrs, [node('enc', { v: '2', type: enc.type, count: String(count) }, enc.body)]))
  hub.world.save()
}

/** A device's retry receipt: to the companion that sent the message (it answers itself), or to the phone (spec §7.4). */
export function routeRetryReceipt(hub: Hub, fromJid: string, receipt: BinaryNode): void {
  const group = receipt.attrs.to?.endsWith('@g.us') ? receipt.attrs.to : undefined
  const sender = splitJid((group ? receipt.attrs.participant : receipt.attrs.to) ?? '')
  if (sender.device === 0) {
    if (hub.heldRetries) return void hub.heldRetries.push(() => void simAnswerRetry(hub, fromJid, receipt))
    return void simAnswerRetry(hub, fromJid, receipt)
  }
  const id = receipt.attrs.id ?? ''
  const attrs: Record<string, string> = group
    ? { from: group, participant: fromJid, id, type: 'retry', t: unixNow() }
    : { from: fromJid, id, type: 'retry', t: unixNow() }
  hub.deliver(deviceJid(sender.user, sender.device), `receipt:${id}`, node('receipt', attrs, children(receipt)))
}
