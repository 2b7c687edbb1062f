// Group members and subject on the legacy protocol (issue 12 §5; spec §6.3
// `["query","GroupMetadata",GID]` → `{id, owner, subject, creation, participants:[{id, isAdmin,
// isSuperAdmin}…]}` or `{"status":401|404}`). The chat list carries neither, so after the login
// sync the groups are asked for in the background, one at a time, like their pictures
// (profile-picture.ts). A group change arrives as a stub message (spec §7.1 GROUP_CHANGE_SUBJECT
// 21, GROUP_PARTICIPANT_ADD 27, _REMOVE 28, _LEAVE 32, …); the group is then asked for again, so the
// list is the server's and not our reading of the stub.

import { z } from 'zod'
import { JunctionError } from '../../../../shared/errors'
import type { ChatInfo } from '../../connector'
import type { AddressBook } from './contacts'
import { displayNumber, normalizeJid } from './jid'
import type { Request } from './profile-picture'

/** How many groups the background pass asks for (the most recent first). */
export const MAX_GROUPS = 100
/** WhatsApp's own cap was 257 participants (spec §6.6 Props `maxParticipants`); more is not a group. */
const MAX_PARTICIPANTS = 1024

const participant = z.looseObject({ id: z.string().min(1).max(128), isAdmin: z.boolean().optional(), isSuperAdmin: z.boolean().optional() })
const metadataReply = z.looseObject({
  id: z.string().optional(),
  subject: z.string().max(1024).optional(),
  participants: z.array(participant).max(MAX_PARTICIPANTS)
})
const statusReply = z.looseObject({ status: z.number() })

export interface GroupMetadata {
  subject: string | undefined
  participants: { jid: string; admin: boolean }[]
}

/** spec §6.3: the group's subject and participants, or null when we are not (or no longer) in it (401/404). */
export async function queryGroupMetadata(request: Request, gid: string): Promise<GroupMetadata | null> {
  const reply = await request(['query', 'GroupMetadata', gid])
  if (reply.kind !== 'json') throw new JunctionError('protocol', 'WhatsApp answered the group query unexpectedly.')
  const meta = metadataReply.safeParse(reply.value)
  if (meta.success)
    return {
      subject: meta.data.subject,
      participants: meta.data.participants.map((p) => ({ jid: normalizeJid(p.id), admin: p.isAdmin === true || p.isSuperAdmin === true }))
    }
  const status = statusReply.safeParse(reply.value)
  if (status.success && (status.data.status === 404 || status.data.status === 401)) return null
  throw new JunctionError('protocol', 'WhatsApp answered the group query unexpectedly.', { detail: status.success ? String(status.data.status) : 'shape' })
}

/** The chat event for a group whose metadata arrived: the subject as its title, the members by name where known. */
export function groupChatInfo(directory: AddressBook, gid: string, meta: GroupMetadata): ChatInfo {
  const base = directory.chat(gid) ?? { jid: gid }
  const info = meta.subject ? directory.setChat({ ...base, name: meta.subject }) : directory.chatInfo(base)
  info.members = meta.participants.map((p) => ({ remoteId: p.jid, name: directory.nameOf(p.jid) ?? displayNumber(p.jid) }))
  return info
}

/**
 * Asks for each group in turn and reports it. Stops quietly when the session ends (a network
 * error); an odd answer skips that group, a 401/404 reports no members.
 */
export async function resolveGroups(
  request: Request,
  gids: readonly string[],
  directory: AddressBook,
  report: (chat: ChatInfo) => void,
  onStop: (error: unknown) => void
): Promise<void> {
  for (const gid of gids.slice(0, MAX_GROUPS)) {
    let meta: GroupMetadata | null
    try {
      meta = await queryGroupMetadata(request, gid)
    } catch (error) {
      if (error instanceof JunctionError && error.code === 'protocol') continue
      onStop(error)
      return
    }
    report(groupChatInfo(directory, gid, meta ?? { subject: undefined, participants: [] }))
  }
}
