// Wire → ConnectorEvent: what the server pushes (read by msnp/read.ts, put in the shared
// model's words by translate.ts) becomes Connector events, with the account state that
// takes: which group threads and direct chats were announced, which Client-Message-IDs
// were ours (spec §12.3 carbon copies), and the arrival cursor a reconnect resumes from.

import type { ChatInfo, ConnectorEvent, IncomingMessage } from '../connector'
import type { AddressBook } from './contacts'
import { toContactInfo } from './contacts'
import { isGroupAddress } from './msnp/messaging'
import type { InboundMessaging, PresenceUpdate, ThreadActivity, ThreadInfo } from './msnp/read'
import { ThreadRoster } from './threads'
import { readableAddress, translate, type MediaObjectRef, type TranslateContext } from './translate'

export {
  presenceOf,
  readMessaging,
  readPresence,
  readRecentConversations,
  readThreadActivity,
  readThreads,
  type InboundMessaging,
  type PresenceUpdate,
  type RecentMessage,
  type ThreadActivity,
  type ThreadInfo
} from './msnp/read'

const MAX_SENT_REMEMBERED = 2_000

/** Where photos and files are kept (media.ts): the AMS base, and the store of which object a message names. */
export interface InboundMedia {
  amsUrl: string
  /** Called before the message goes out, so a download asked for at once finds its object. */
  remember(chatRemoteId: string, messageRemoteId: string, ref: MediaObjectRef): void
}

export interface InboundOptions {
  book: AddressBook
  /** Our own addresses, for carbon copies. */
  selfAddresses(): Set<string>
  /** The `lastArrival` cursor saved by Core (epoch ms of the newest message seen). */
  lastArrival: number
  emit(event: ConnectorEvent): void
  now: () => number
}

export class Inbound {
  private readonly threads = new Map<string, string>()
  /** Who is in each group thread (threads.ts), for the chat info panel (issue 12 §5). */
  private readonly roster = new ThreadRoster()
  private readonly announced = new Set<string>()
  /** Client-Message-ID → Junction client id, to mark our echoes. */
  private readonly sent = new Map<string, string>()
  private arrival: number
  /** Set by the Connector once the account is open (connector.ts); without it media is shown but not downloadable. */
  media: InboundMedia | null = null

  constructor(private readonly o: InboundOptions) {
    this.arrival = o.lastArrival
  }

  /** Epoch ms of the newest message seen: a reconnect asks only for what came after it (spec §5.3). */
  get lastArrival(): number {
    return this.arrival
  }

  rememberSent(clientMessageId: string, clientId: string): void {
    this.sent.set(clientMessageId, clientId)
    if (this.sent.size > MAX_SENT_REMEMBERED) this.sent.delete(this.sent.keys().next().value!)
  }

  translateContext(): TranslateContext {
    return {
      selfAddresses: this.o.selfAddresses(),
      canonical: (a) => this.o.book.canonical(a),
      clientIdFor: (cmid) => this.sent.get(cmid),
      nameOf: (a) => this.o.book.nameOf(a),
      now: this.o.now,
      ...(this.media ? { amsUrl: this.media.amsUrl } : {})
    }
  }

  onMessaging(m: InboundMessaging): void {
    const t = translate(m, this.translateContext())
    switch (t.kind) {
      case 'ignored':
        return
      case 'typing':
        if (this.o.book.get(t.senderId)?.blocked) return
        this.o.emit({
          type: 'typing',
          chatRemoteId: t.chatRemoteId,
          senderId: t.senderId,
          ...(t.senderName ? { senderName: t.senderName } : {}),
          typing: t.typing
        })
        return
      case 'topic':
        this.noteThread(t.chatRemoteId, t.title, true)
        return
      case 'message':
        if (t.objectRef) this.media?.remember(t.message.chatRemoteId, t.message.remoteId, t.objectRef)
        this.announce(t.message.chatRemoteId, t.groupTopic)
        this.o.emit({ type: 'message', message: t.message })
        this.noteMembers(t.message, t.activity)
        if (m.arrival !== undefined && m.arrival > this.arrival) {
          this.arrival = m.arrival
          this.o.emit({ type: 'cursor', name: 'lastArrival', value: String(m.arrival) })
        }
    }
  }

  onThreads(threads: ThreadInfo[]): void {
    for (const t of threads) {
      this.noteThread(t.id, t.topic, t.topic !== undefined)
      const members = t.members.map((a) => this.o.book.canonical(a))
      if (members.length && this.roster.set(t.id, members)) this.emitMembers(t.id)
    }
  }

  onPresence(p: PresenceUpdate): void {
    const entry = this.o.book.notePresence(p.address, p.presence, p.displayName)
    if (entry) this.o.emit({ type: 'contact', contact: toContactInfo(entry) })
  }

  /** Group threads seen so far, for sync. */
  knownChats(): ChatInfo[] {
    return [...this.threads].map(([remoteId, title]) => ({
      remoteId,
      kind: 'group' as const,
      title,
      ...(this.roster.has(remoteId) ? { members: this.memberList(remoteId) } : {})
    }))
  }

  /** Messages from `GET MSGR\RECENTCONVERSATIONS`, in the shared model. */
  toIncoming(messages: InboundMessaging[]): IncomingMessage[] {
    const ctx = this.translateContext()
    return messages.flatMap((m) => {
      const t = translate(m, ctx)
      if (t.kind !== 'message') return []
      if (t.objectRef) this.media?.remember(t.message.chatRemoteId, t.message.remoteId, t.objectRef)
      return [t.message]
    })
  }

  /** A chat's kind and title go out before its first message, so a group is never filed as a direct chat. */
  private announce(chatRemoteId: string, topic: string | undefined): void {
    if (isGroupAddress(chatRemoteId)) return this.noteThread(chatRemoteId, topic, topic !== undefined)
    if (this.announced.has(chatRemoteId)) return
    this.announced.add(chatRemoteId)
    const name = this.o.book.nameOf(chatRemoteId)
    if (name) this.o.emit({ type: 'chat', chat: { remoteId: chatRemoteId, kind: 'direct', title: name } })
  }

  /** A group message's sender is a member; an add or delete changes the list (threads.ts). */
  private noteMembers(message: IncomingMessage, activity: ThreadActivity | undefined): void {
    const thread = message.chatRemoteId
    if (!isGroupAddress(thread)) return
    let changed = activity ? this.roster.apply(thread, activity, (a) => this.o.book.canonical(a)) : false
    // An event's sender is its initiator, already counted by an add; the one who left wrote their own delete.
    if (!activity) changed = this.roster.noteSender(thread, message.senderId) || changed
    if (changed) this.emitMembers(thread)
  }

  private memberList(thread: string): NonNullable<ChatInfo['members']> {
    return this.roster.membersOf(thread, (a) => this.o.book.nameOf(a) ?? readableAddress(a))
  }

  private emitMembers(thread: string): void {
    const title = this.threads.get(thread) ?? 'Group conversation'
    this.o.emit({ type: 'chat', chat: { remoteId: thread, kind: 'group', title, members: this.memberList(thread) } })
  }

  private noteThread(id: string, topic: string | undefined, changed: boolean): void {
    const known = this.threads.get(id)
    if (known !== undefined && !changed) return
    const title = topic || known || 'Group conversation'
    if (known === title) return
    this.threads.set(id, title)
    this.o.emit({ type: 'chat', chat: { remoteId: id, kind: 'group', title } })
  }
}
