// Groups (spec §11): metadata from `w:g2` iqs (all groups after login, one group when a message
// names a group we do not know), kept in a bounded cache and reported as `ChatInfo { kind:
// 'group' }`; `w:gp2` notifications (subject, add, remove, create) update it (spec §11.3).

import { JunctionError } from '../../../../shared/errors'
import type { ChatInfo, ConnectorEvent } from '../../connector'
import { userJidOf, type BinaryNode } from './binary'
import type { MdSession } from './session'
import { childOf, childrenOf, node, textOf } from './stanza'

/** Bounded like every cache here (spec §13.9). */
const GROUP_CACHE_MAX = 500
export const G_US = 'g.us'

export interface GroupParticipant {
  /** The participant as the group lists it (a PN or a LID). */
  jid: string
  /** Its phone-number JID when the group is LID-addressed and says (spec §11.1 `phone_number`). */
  pn?: string
  lid?: string
  admin?: string
}

export interface GroupMeta {
  jid: string
  subject: string
  participants: GroupParticipant[]
  addressingMode: 'pn' | 'lid'
}

export const isGroupJid = (jid: string): boolean => jid.endsWith(`@${G_US}`)

/** spec §6.8, §11.4: hosted devices are left out of group fan-out (both libraries). */
export const isHostedDevice = (jid: string): boolean => /@hosted(\.lid)?$/.test(jid)

/** A `<group>` element (spec §11.1); `id` may be the bare user part. */
export function parseGroup(g: BinaryNode): GroupMeta {
  const id = g.attrs.id ?? ''
  const jid = id.includes('@') ? id : `${id}@${G_US}`
  const participants = childrenOf(g)
    .filter((p) => p.tag === 'participant' && p.attrs.jid)
    .map((p) => parseParticipant(p))
  return { jid, subject: g.attrs.subject ?? '', participants, addressingMode: g.attrs.addressing_mode === 'lid' ? 'lid' : 'pn' }
}

function parseParticipant(p: BinaryNode): GroupParticipant {
  const jid = p.attrs.jid!
  const out: GroupParticipant = { jid }
  const pn = p.attrs.phone_number ?? p.attrs.participant_pn
  const lid = p.attrs.lid ?? p.attrs.participant_lid
  if (pn) out.pn = pn
  if (lid) out.lid = lid
  if (p.attrs.type) out.admin = p.attrs.type
  return out
}

/** The phone-number JID of a participant, when there is one. */
export function participantPn(p: GroupParticipant): string {
  return userJidOf(p.jid.endsWith('@lid') && p.pn ? p.pn : p.jid)
}

/** A group as a chat; members only when the metadata listed any (Core keeps the last list otherwise). */
export function chatInfoOf(meta: GroupMeta): ChatInfo {
  const chat: ChatInfo = { remoteId: meta.jid, kind: 'group', title: meta.subject || meta.jid.split('@')[0]! }
  if (meta.participants.length) chat.members = meta.participants.map((p) => ({ remoteId: participantPn(p) }))
  return chat
}

export class Groups {
  private readonly cache = new Map<string, GroupMeta>()

  known(jid: string): boolean {
    return this.cache.has(jid)
  }

  private remember(meta: GroupMeta): GroupMeta {
    this.cache.delete(meta.jid)
    if (this.cache.size >= GROUP_CACHE_MAX) this.cache.delete(this.cache.keys().next().value!)
    this.cache.set(meta.jid, meta)
    return meta
  }

  /** Every group we are in (spec §11.1 `participating`). */
  async fetchAll(session: MdSession): Promise<GroupMeta[]> {
    const reply = await session.query(
      node('iq', { to: `@${G_US}`, type: 'get', xmlns: 'w:g2' }, [node('participating', {}, [node('participants'), node('description')])])
    )
    return childrenOf(childOf(reply, 'groups'))
      .filter((g) => g.tag === 'group')
      .map((g) => this.remember(parseGroup(g)))
  }

  /** One group's metadata, cached until a notification or a phash says otherwise (spec §11.4). */
  async metadata(session: MdSession, jid: string): Promise<GroupMeta> {
    const cached = this.cache.get(jid)
    if (cached) return cached
    const reply = await session.query(node('iq', { to: jid, type: 'get', xmlns: 'w:g2' }, [node('query', { request: 'interactive' })]))
    const g = childOf(reply, 'group')
    if (!g) throw new JunctionError('not-found', 'WhatsApp did not describe this group.')
    return this.remember({ ...parseGroup(g), jid })
  }

  forget(jid: string): void {
    this.cache.delete(jid)
  }

  /** spec §11.3: a `w:gp2` notification → the chat as it is now (or nothing when the group is unknown and not created here). */
  notification(n: BinaryNode, ownUsers: string[]): ConnectorEvent[] {
    const group = n.attrs.from ?? ''
    if (!isGroupJid(group)) return []
    const events: ConnectorEvent[] = []
    for (const change of childrenOf(n)) {
      if (change.tag === 'create') {
        const g = childOf(change, 'group')
        if (g) events.push({ type: 'chat', chat: chatInfoOf(this.remember({ ...parseGroup(g), jid: group })) })
        continue
      }
      const meta = this.cache.get(group)
      if (!meta) continue
      const people = childrenOf(change)
        .filter((p) => p.tag === 'participant' && p.attrs.jid)
        .map(parseParticipant)
      const same = (a: GroupParticipant, b: GroupParticipant): boolean => userJidOf(a.jid) === userJidOf(b.jid) || participantPn(a) === participantPn(b)
      if (change.tag === 'subject') meta.subject = change.attrs.subject ?? textOf(change) ?? meta.subject
      else if (change.tag === 'add') meta.participants = [...meta.participants.filter((p) => !people.some((x) => same(p, x))), ...people]
      else if (change.tag === 'remove' || change.tag === 'leave') {
        meta.participants = meta.participants.filter((p) => !people.some((x) => same(p, x)))
        if (people.some((p) => ownUsers.includes(userJidOf(p.jid)))) {
          // We left or were removed: the chat stays (its history is ours), its members no longer include us.
          this.cache.delete(group)
        }
      } else if (change.tag === 'promote' || change.tag === 'demote') {
        for (const p of meta.participants) if (people.some((x) => same(p, x))) p.admin = change.tag === 'promote' ? 'admin' : undefined
        continue
      } else continue
      events.push({ type: 'chat', chat: chatInfoOf(meta) })
    }
    return events
  }
}
