// Members of `19:` group threads (issue 12 §5). The MSNP spec gives no member list for a thread:
// `GET MSGR\THREADS` is only shown as a request (spec §5.3), so the `<members>` that readThreads
// takes follow the web API's ThreadUpdate (spec §11.3) and are used when present. Otherwise the
// list is built from what the thread shows: ThreadActivity/AddMember and DeleteMember targets
// (spec §6.5; the initiator of an add is a member too) and the senders of its messages.

import type { ChatInfo } from '../connector'
import type { ThreadActivity } from './msnp/read'

/** A thread of more is not one we keep a list for (Skype groups held a few hundred). */
const MAX_MEMBERS = 1_000

export class ThreadRoster {
  private readonly members = new Map<string, Set<string>>()

  /** The thread's full list, as the server gave it; true when it changed. */
  set(thread: string, addresses: readonly string[]): boolean {
    const next = new Set(addresses.slice(0, MAX_MEMBERS))
    const known = this.members.get(thread)
    if (known && known.size === next.size && [...next].every((a) => known.has(a))) return false
    this.members.set(thread, next)
    return true
  }

  /** Someone who wrote in the thread is in it; true when they were not listed yet. */
  noteSender(thread: string, address: string): boolean {
    const list = this.listOf(thread)
    if (list.has(address) || list.size >= MAX_MEMBERS) return false
    list.add(address)
    return true
  }

  /** spec §6.5: an add lists its targets (and the one who added them); a delete removes its targets. True when the list changed. */
  apply(thread: string, activity: ThreadActivity, canonical: (address: string) => string): boolean {
    if (activity.kind !== 'addmember' && activity.kind !== 'deletemember') return false
    const list = this.listOf(thread)
    const before = list.size
    const targets = activity.targets.map(canonical)
    if (activity.kind === 'addmember') {
      for (const a of [...targets, ...(activity.initiator ? [canonical(activity.initiator)] : [])]) if (list.size < MAX_MEMBERS) list.add(a)
      return list.size !== before
    }
    let removed = false
    for (const a of targets) removed = list.delete(a) || removed
    return removed
  }

  has(thread: string): boolean {
    return (this.members.get(thread)?.size ?? 0) > 0
  }

  /** The members for a `chat` event, named by `nameOf`. */
  membersOf(thread: string, nameOf: (address: string) => string): NonNullable<ChatInfo['members']> {
    return [...(this.members.get(thread) ?? [])].map((remoteId) => ({ remoteId, name: nameOf(remoteId) }))
  }

  private listOf(thread: string): Set<string> {
    let list = this.members.get(thread)
    if (!list) this.members.set(thread, (list = new Set()))
    return list
  }
}
