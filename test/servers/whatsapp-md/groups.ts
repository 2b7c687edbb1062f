// The reference server's groups (spec §11, §12.1): `w:g2` metadata and changes, `w:gp2`
// notifications to every member device, and routing a device's group message — its pairwise
// envelopes (SKDM) to the devices they name and the one skmsg to every member device; the
// simulated phones decrypt their copy with the sender's key (spec §6.7).

import { createHash } from 'node:crypto'
import type { BinaryNode } from '../../../src/main/networks/whatsapp/md/binary'
import type { WAMessage } from '../../../src/main/networks/whatsapp/md/proto'
import type { Hub } from './hub'
import { simRetryReceipt } from './sim-send'
import { bytesOf, child, children, deviceJid, node, SERVER, splitJid, unixNow } from './stanzas'
import type { GroupRecord } from './world'

export const groupJidOf = (g: GroupRecord): string => `${g.id}@g.us`

function participantNode(hub: Hub, g: GroupRecord, number: string): BinaryNode {
  const account = hub.world.account(number)
  const type: Record<string, string> = number === g.owner ? { type: 'superadmin' } : {}
  // spec §11.1: a LID-addressed group lists LIDs with the phone number beside them.
  if (g.addressingMode === 'lid') return node('participant', { jid: `${account.lid}@lid`, phone_number: `${number}@${SERVER}`, ...type })
  return node('participant', { jid: `${number}@${SERVER}`, ...type })
}

export function groupNode(hub: Hub, g: GroupRecord): BinaryNode {
  return node(
    'group',
    {
      id: g.id,
      subject: g.subject,
      s_t: String(g.creation),
      s_o: `${g.owner}@${SERVER}`,
      creation: String(g.creation),
      creator: `${g.owner}@${SERVER}`,
      size: String(g.members.length),
      addressing_mode: g.addressingMode
    },
    g.members.map((m) => participantNode(hub, g, m))
  )
}

/** A `w:gp2` notification to every member's companions (queued until acked, spec §7.5). */
export function notifyGroup(hub: Hub, g: GroupRecord, actor: string, change: BinaryNode, extraRecipients: string[] = []): void {
  const id = hub.nextId()
  const n = node('notification', { from: groupJidOf(g), type: 'w:gp2', participant: `${actor}@${SERVER}`, t: unixNow(), id }, [change])
  for (const member of new Set([...g.members, ...extraRecipients]))
    for (const d of hub.world.devices(member).filter((x) => x > 0)) hub.deliver(deviceJid(member, d), `notification:${id}`, n)
}

export function createGroup(hub: Hub, owner: string, subject: string, members: string[], addressingMode: 'pn' | 'lid'): string {
  const id = `120363${String(Date.now()).slice(-9)}${String(hub.world.groups.size).padStart(3, '0')}`
  const g: GroupRecord = { id, subject, owner, members: [...new Set([owner, ...members])], addressingMode, creation: Number(unixNow()) }
  for (const m of g.members) hub.world.account(m)
  hub.world.groups.set(id, g)
  hub.world.save()
  notifyGroup(hub, g, owner, node('create', {}, [groupNode(hub, g)]))
  return groupJidOf(g)
}

export function changeGroup(hub: Hub, groupJid: string, actor: string, change: { subject?: string; add?: string[]; remove?: string[] }): void {
  const g = hub.world.groups.get(splitJid(groupJid).user)
  if (!g) throw new Error(`no group ${groupJid}`)
  const people = (numbers: string[]): BinaryNode[] => numbers.map((n) => participantNode(hub, g, n))
  if (change.subject !== undefined) {
    g.subject = change.subject
    notifyGroup(hub, g, actor, node('subject', { subject: change.subject, s_t: unixNow(), s_o: `${actor}@${SERVER}` }))
  }
  if (change.add?.length) {
    g.members = [...new Set([...g.members, ...change.add])]
    notifyGroup(hub, g, actor, node('add', {}, people(change.add)))
  }
  if (change.remove?.length) {
    const removed = people(change.remove)
    g.members = g.members.filter((m) => !change.remove!.includes(m))
    notifyGroup(hub, g, actor, node('remove', {}, removed), change.remove)
  }
  hub.world.save()
}

/** spec §11.1–§11.2 iqs; null when the iq is not a group one. */
export function groupIq(hub: Hub, fromJid: string, iq: BinaryNode): BinaryNode[] | { error: string } | null {
  const user = splitJid(fromJid).user
  const first = children(iq)[0]
  if (iq.attrs.to === '@g.us' && first?.tag === 'participating') {
    const mine = [...hub.world.groups.values()].filter((g) => g.members.includes(user))
    return [
      node(
        'groups',
        {},
        mine.map((g) => groupNode(hub, g))
      )
    ]
  }
  const g = hub.world.groups.get(splitJid(iq.attrs.to ?? '').user)
  if (!g) return { error: '404' }
  if (!g.members.includes(user)) return { error: '403' }
  if (first?.tag === 'query') return [groupNode(hub, g)]
  if (iq.attrs.type === 'set' && first?.tag === 'subject') {
    changeGroup(hub, groupJidOf(g), user, { subject: new TextDecoder().decode(bytesOf(first) ?? new Uint8Array()) })
    return []
  }
  return null
}

/** spec §7.1 phashV2 over the member devices as the group addresses them: `2:` + base64(SHA-256(sorted `user.0:device@server`))[0:6]. */
export function serverPhash(hub: Hub, g: GroupRecord): string {
  const strings = g.members
    .flatMap((m) =>
      hub.world.devices(m).map((d) => {
        const { user, server } = splitJid(hub.world.memberDevice(g, m, d))
        return `${user}.0:${d}@${server}`
      })
    )
    .sort()
  return `2:${createHash('sha256').update(strings.join('')).digest().subarray(0, 6).toString('base64').replace(/=+$/, '')}`
}

/**
 * spec §12.1 router for `to=GROUP`: each `<to>` device gets its envelope beside the skmsg; phones
 * decrypt theirs. Resolves to the server's phash when the sender's differs (it goes in the ack).
 */
export async function routeGroupMessage(hub: Hub, senderJid: string, msg: BinaryNode): Promise<string | undefined> {
  const world = hub.world
  const g = world.groups.get(splitJid(msg.attrs.to ?? '').user)
  if (!g) return undefined
  const id = msg.attrs.id ?? ''
  const groupJid = groupJidOf(g)
  const sender = splitJid(senderJid)
  const senderAccount = world.account(sender.user)
  const skmsg = children(msg).find((c) => c.tag === 'enc' && c.attrs.type === 'skmsg')
  const pairwise = new Map(children(child(msg, 'participants')).map((to) => [to.attrs.jid ?? '', child(to, 'enc')]))
  const identity = child(msg, 'device-identity')
  hub.groupFanout.push({ id, from: senderJid, pairwise: [...pairwise.keys()], skmsg: skmsg !== undefined })
  // An envelope to an address the group does not use (a phone-number device in a LID group) reaches nobody.
  const addressed = new Set(g.members.flatMap((m) => world.devices(m).map((d) => world.memberDevice(g, m, d))))
  for (const to of pairwise.keys()) if (!addressed.has(to)) hub.misaddressed.push({ id, jid: to })
  const participant: Record<string, string> =
    g.addressingMode === 'lid'
      ? { participant: sender.device ? `${senderAccount.lid}:${sender.device}@lid` : `${senderAccount.lid}@lid`, participant_pn: senderJid }
      : { participant: senderJid }
  for (const member of g.members) {
    for (const device of world.devices(member)) {
      const jid = deviceJid(member, device)
      if (jid === senderJid) continue
      const pair = pairwise.get(world.memberDevice(g, member, device))
      if (device > 0) {
        const content: BinaryNode[] = [...(pair ? [node('enc', pair.attrs, bytesOf(pair))] : []), ...(skmsg ? [node('enc', skmsg.attrs, bytesOf(skmsg))] : [])]
        if (!content.length) continue
        if (pair && identity) content.push(identity)
        const attrs = { from: groupJid, id, t: unixNow(), type: msg.attrs.type ?? 'text', addressing_mode: g.addressingMode, ...participant }
        hub.deliver(jid, `message:${groupJid}:${id}`, node('message', attrs, content))
        continue
      }
      await phoneReads(hub, member, groupJid, senderJid, msg, pair, skmsg)
    }
  }
  const phash = serverPhash(hub, g)
  return msg.attrs.phash && msg.attrs.phash !== phash ? phash : undefined
}

/** A member's phone decrypts its copy: the SKDM first, then the skmsg; a failure asks for a retry. */
async function phoneReads(
  hub: Hub,
  member: string,
  groupJid: string,
  senderJid: string,
  msg: BinaryNode,
  pair?: BinaryNode,
  skmsg?: BinaryNode
): Promise<void> {
  const phone = hub.world.phones.get(member)
  if (!phone) return
  const sender = splitJid(senderJid)
  const address = `${sender.user}.${sender.device}`
  const id = msg.attrs.id ?? ''
  let noSession = false
  try {
    const texts: string[] = []
    if (pair) {
      noSession = pair.attrs.type === 'msg' && !phone.hasSession(address)
      const m: WAMessage = await phone.decrypt(address, pair.attrs.type ?? '', bytesOf(pair)!)
      const skdm = m.senderKeyDistributionMessage?.axolotlSenderKeyDistributionMessage
      if (skdm) phone.processDistribution(groupJid, `${sender.user}::${sender.device}`, skdm)
      // A retry resend carries the content itself beside the SKDM (spec §7.4).
      const text = m.conversation ?? m.extendedTextMessage?.text
      if (text !== undefined) texts.push(text)
    }
    if (skmsg) {
      const m = phone.groupDecrypt(groupJid, `${sender.user}::${sender.device}`, bytesOf(skmsg)!)
      hub.decoded.push({ to: member, from: `${sender.user}@${SERVER}`, id, attrs: { ...msg.attrs }, message: m })
      const text = m.conversation ?? m.extendedTextMessage?.text
      if (text !== undefined) texts.push(text)
    }
    hub.world.save()
    if (member === sender.user) return
    for (const text of texts) {
      if (hub.world.received.get(member)?.some((e) => e.id === id)) hub.duplicates++
      hub.world.record(member, { from: `${sender.user}@${SERVER}`, id, text, chat: groupJid })
    }
    // spec §7.4: a group delivery receipt names the group and the member who got it.
    if (texts.length)
      hub.deliver(senderJid, `receipt:${id}`, node('receipt', { from: groupJid, participant: hub.world.memberOf(groupJid, member), id, t: unixNow() }))
  } catch {
    simRetryReceipt(hub, member, msg, senderJid, noSession)
  }
}
