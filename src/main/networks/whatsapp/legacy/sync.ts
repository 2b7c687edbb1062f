// The sync that follows every login (spec §2.4, §6.6): the server pushes the chat list and
// contacts as `preempt` responses and the newest message of each chat as `action add=last`.
// Lists that do not arrive are queried. Chats whose newest message is past the stored
// cursor are caught up with "after" history queries, so messages that arrived while offline
// are delivered exactly once. Events go out in an order that keeps Core's counts right:
// chats, messages (each followed by its cursor), the chats again (whose unread count is the
// phone's), contacts, then receipts held while offline (receipts.ts).

import type { IncomingMessage, SyncResult } from '../../connector'
import { refreshGroups, refreshPictures, type SessionDeps } from './inbound'
import { decodeBatch, type DecodedMessage } from './messages'
import type { SessionPush, WAChat, WAContact } from './pushes'
import { catchUpReceipts } from './receipts'
import { PAGE_SIZE } from './session'

const MAX_CATCH_UP_PAGES = 20

export class LoginSync {
  private chats: WAChat[] | null = null
  private contacts: WAContact[] | null = null
  private last: Uint8Array[] | null = null
  private wake: (() => void) | null = null

  constructor(
    private readonly d: SessionDeps,
    private readonly syncWaitMs: number
  ) {}

  /** Takes the pushes the sync is waiting for; returns false for anything else. */
  offer(push: SessionPush): boolean {
    // The block list comes before the contacts; the contacts the sync reports must carry it.
    if (push.type === 'blocklist') this.d.directory.setBlocklist(push.jids)
    else if (push.type === 'chats' && !this.chats) this.chats = push.chats
    else if (push.type === 'contacts' && push.preempt && !this.contacts) this.contacts = push.contacts
    else if (push.type === 'messages' && push.add === 'last' && !this.last) this.last = push.messages
    else return false
    this.wake?.()
    return true
  }

  private async until(ready: () => boolean, ms: number): Promise<void> {
    const deadline = Date.now() + ms
    while (!ready() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, deadline - Date.now())
        function done(): void {
          clearTimeout(timer)
          resolve()
        }
        this.wake = done
      })
      this.wake = null
    }
  }

  async run(): Promise<SyncResult> {
    const { session, directory, index, cursors, emit } = this.d
    await this.until(() => this.chats !== null && this.contacts !== null && (this.last !== null || this.chats.length === 0), this.syncWaitMs)
    // spec §10.10: the lists come only when the phone is online; ask, and wait again on `duplicate`.
    if (!this.chats) this.chats = (await session.queryChats()) ?? (await this.until(() => this.chats !== null, this.syncWaitMs), this.chats)
    if (!this.contacts) this.contacts = (await session.queryContacts()) ?? (await this.until(() => this.contacts !== null, this.syncWaitMs), this.contacts)
    const chats = this.chats ?? []
    const contacts = this.contacts ?? []
    for (const c of contacts) directory.setContact(c)
    const lastMessages = decodeBatch(this.last ?? [], this.d).sort((a, b) => a.message.timestamp - b.message.timestamp)
    const lastByChat = new Map(lastMessages.map((m) => [m.message.chatRemoteId, m.message]))

    const missed: DecodedMessage[] = []
    for (const chat of chats) missed.push(...(await this.catchUp(chat, lastByChat.get(chat.jid))))

    const out = (list: DecodedMessage[]): void => {
      for (const m of list) {
        index.note(m.message, m.media)
        emit({ type: 'message', message: m.message })
        const cursor = m.message.deleted ? null : cursors.advance(m.message)
        if (cursor) emit(cursor)
      }
    }
    // Chats first, so that they have their titles before their messages land; then again after
    // the messages, whose arrival counts as unread in Core, to put back the phone's own count.
    const chatInfos = chats.map((c) => directory.setChat(c))
    for (const chat of chatInfos) emit({ type: 'chat', chat })
    out(missed)
    // The newest message of a caught-up chat came with the catch-up already.
    const caughtUp = new Set(missed.map((m) => m.message.remoteId))
    out(lastMessages.filter((m) => !caughtUp.has(m.message.remoteId)))
    for (const chat of chatInfos) emit({ type: 'chat', chat })
    const contactInfos = contacts.map((c) => directory.contactInfo(c))
    for (const contact of contactInfos) emit({ type: 'contact', contact })
    // A reconnect: the receipts pushed while offline are fetched from the phone's history.
    await catchUpReceipts(this.d).catch((error: unknown) => this.d.log.warn({ error }, 'receipt catch-up failed'))
    // Pictures in the background, after everything else (issue 12 §3): the own, then the chats', most recent first.
    // Then the groups' members and subjects (issue 12 §5), one at a time, most recent first.
    const recent = directory.chatsByRecency()
    void refreshPictures(this.d, [session.selfJid, ...recent]).then(() => refreshGroups(this.d, recent))
    return { chats: chatInfos, contacts: contactInfos, messages: lastMessages.map((m) => m.message) }
  }

  /** Everything after the chat's cursor, oldest first (spec §6.2 `kind="after"`). */
  private async catchUp(chat: WAChat, newest: IncomingMessage | undefined): Promise<DecodedMessage[]> {
    const cursor = this.d.cursors.get(chat.jid)
    if (!cursor) return []
    if (newest ? newest.remoteId === cursor.id || newest.timestamp < cursor.ts : (chat.t ?? 0) * 1000 <= cursor.ts) return []
    const out: DecodedMessage[] = []
    let anchor = { id: cursor.id, fromMe: cursor.fromMe }
    for (let page = 0; page < MAX_CATCH_UP_PAGES; page++) {
      const result = await this.d.session.queryMessages(chat.jid, 'after', PAGE_SIZE, anchor)
      if (!result.found) {
        // The cursor's message is gone from the phone: take the newest page and keep what is newer.
        this.d.log.info({ chat: chat.jid }, 'cursor message unknown; catching up from the newest page')
        const newestPage = await this.d.session.queryMessages(chat.jid, 'before', PAGE_SIZE, null)
        if (newestPage.found)
          out.push(...decodeBatch(newestPage.messages, this.d).filter((m) => m.message.timestamp >= cursor.ts && m.message.remoteId !== cursor.id))
        break
      }
      const decoded = decodeBatch(result.messages, this.d)
      out.push(...decoded)
      const tail = decoded.at(-1)
      if (result.last || result.messages.length < PAGE_SIZE || !tail) break
      anchor = { id: tail.message.remoteId, fromMe: tail.message.fromMe }
    }
    return out
  }
}
