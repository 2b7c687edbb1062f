import type { Database } from 'better-sqlite3'
import { prepared } from './database'
import type { Chat, ChatKind, InboxFilter } from '../../../shared/model'
import type { ChatInfo } from '../../networks/connector'
import { CHAT_SELECT, toChat, type ChatRow } from './rows'

export interface InboxQuery {
  filter: InboxFilter
  limit: number
  after: string | null
}

function encodeCursor(chat: Chat): string {
  return `${chat.pinned ? 1 : 0}:${chat.lastActivity}:${chat.id}`
}

function decodeCursor(cursor: string): [number, number, number] | null {
  const m = /^([01]):(\d{1,16}):(\d{1,16})$/.exec(cursor)
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null
}

/** LINE groups hold at most 500 members; anything past a few thousand is not a real list. */
const MAX_MEMBERS = 5000

export class ChatsRepo {
  constructor(private readonly db: Database) {}

  get(id: number): Chat | undefined {
    const row = prepared(this.db, `${CHAT_SELECT} WHERE c.id = ?`).get(id) as ChatRow | undefined
    return row && toChat(row)
  }

  /** Several chats in one query (one three-table join per chat costs ~25 µs, most of it per statement). */
  getMany(ids: Iterable<number>): Map<number, Chat> {
    const list = [...ids]
    const out = new Map<number, Chat>()
    if (list.length === 0) return out
    if (list.length === 1) {
      const chat = this.get(list[0]!)
      if (chat) out.set(list[0]!, chat)
      return out
    }
    const rows = prepared(this.db, `${CHAT_SELECT} WHERE c.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(list)) as ChatRow[]
    for (const row of rows) out.set(row.id, toChat(row))
    return out
  }

  idByRemote(accountId: string, remoteId: string): number | undefined {
    const row = prepared(this.db, 'SELECT id FROM chats WHERE account_id = ? AND remote_id = ?').get(accountId, remoteId) as { id: number } | undefined
    return row?.id
  }

  /** The ids of the chats among `remoteIds` that exist, in one query. */
  idsByRemote(accountId: string, remoteIds: Iterable<string>): Map<string, number> {
    const list = [...remoteIds]
    const out = new Map<string, number>()
    if (list.length === 0) return out
    const rows = prepared(this.db, 'SELECT remote_id, id FROM chats WHERE account_id = ? AND remote_id IN (SELECT value FROM json_each(?))').all(
      accountId,
      JSON.stringify(list)
    ) as { remote_id: string; id: number }[]
    for (const r of rows) out.set(r.remote_id, r.id)
    return out
  }

  remoteOf(id: number): { accountId: string; remoteId: string } | undefined {
    const row = prepared(this.db, 'SELECT account_id, remote_id FROM chats WHERE id = ?').get(id) as { account_id: string; remote_id: string } | undefined
    return row && { accountId: row.account_id, remoteId: row.remote_id }
  }

  /** Inserts or updates a chat the network reported; returns its id and whether anything changed. */
  upsert(accountId: string, info: ChatInfo): { id: number; changed: boolean } {
    const existing = this.idByRemote(accountId, info.remoteId)
    if (existing === undefined) {
      const result = prepared(
        this.db,
        `INSERT INTO chats (account_id, remote_id, kind, title, last_activity, unread, pinned, muted, archived, avatar)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      ).run(
        accountId,
        info.remoteId,
        info.kind,
        info.title,
        info.lastActivity ?? 0,
        info.unread ?? 0,
        info.pinned ? 1 : 0,
        info.muted ? 1 : 0,
        info.archived ? 1 : 0,
        info.avatar ?? null
      )
      const id = Number(result.lastInsertRowid)
      if (info.members) this.setMembers(id, info.members)
      return { id, changed: true }
    }
    // Pinned, muted and archived are kept locally once set here; the network's value only seeds a new chat.
    const result = prepared(
      this.db,
      `UPDATE chats SET
           kind = ?, title = ?,
           last_activity = max(last_activity, ?),
           unread = coalesce(?, unread),
           avatar = coalesce(?, avatar)
         WHERE id = ? AND (kind <> ? OR title <> ? OR last_activity < ? OR (? IS NOT NULL AND unread <> ?) OR avatar IS NOT coalesce(?, avatar))`
    ).run(
      info.kind,
      info.title,
      info.lastActivity ?? 0,
      info.unread ?? null,
      info.avatar ?? null,
      existing,
      info.kind,
      info.title,
      info.lastActivity ?? 0,
      info.unread ?? null,
      info.unread ?? null,
      info.avatar ?? null
    )
    const membersChanged = info.members ? this.setMembers(existing, info.members) : false
    return { id: existing, changed: result.changes > 0 || membersChanged }
  }

  /** Stores a group's member list (bounded: a malformed network list must not grow a row without end). */
  private setMembers(chatId: number, members: NonNullable<ChatInfo['members']>): boolean {
    const encoded = JSON.stringify(members.slice(0, MAX_MEMBERS).map((m) => (m.name ? { r: m.remoteId, n: m.name } : { r: m.remoteId })))
    return prepared(this.db, 'UPDATE chats SET members = ? WHERE id = ? AND members IS NOT ?').run(encoded, chatId, encoded).changes > 0
  }

  /** The members the network last listed for a chat; empty when it never listed any. */
  members(chatId: number): { remoteId: string; name?: string }[] {
    const row = prepared(this.db, 'SELECT members FROM chats WHERE id = ?').get(chatId) as { members: string | null } | undefined
    if (!row?.members) return []
    try {
      const parsed: unknown = JSON.parse(row.members)
      if (!Array.isArray(parsed)) return []
      return parsed.flatMap((m: unknown) => {
        if (typeof m !== 'object' || m === null || typeof (m as { r?: unknown }).r !== 'string') return []
        const { r, n } = m as { r: string; n?: unknown }
        return [typeof n === 'string' && n ? { remoteId: r, name: n } : { remoteId: r }]
      })
    } catch {
      return []
    }
  }

  /** The chat a message belongs to, created with a placeholder title when the network has not described it yet. */
  ensure(accountId: string, remoteId: string, kind: ChatKind, title: string): { id: number; created: boolean } {
    const existing = this.idByRemote(accountId, remoteId)
    if (existing !== undefined) return { id: existing, created: false }
    return { id: this.upsert(accountId, { remoteId, kind, title }).id, created: true }
  }

  /** Moves the chat's activity forward to a message, if it is the newest. */
  noteMessage(chatId: number, messageId: number, timestamp: number): boolean {
    return (
      prepared(
        this.db,
        `UPDATE chats SET last_activity = ?, last_message_id = ?
           WHERE id = ? AND (last_message_id IS NULL OR last_activity < ? OR (last_activity = ? AND last_message_id < ?))`
      ).run(timestamp, messageId, chatId, timestamp, timestamp, messageId).changes > 0
    )
  }

  /** Sets the unread count outright: a batch that saw the chat read, then new messages. */
  setUnread(chatId: number, count: number): void {
    prepared(this.db, 'UPDATE chats SET unread = ? WHERE id = ?').run(count, chatId)
  }

  addUnread(chatId: number, count: number): void {
    prepared(this.db, 'UPDATE chats SET unread = unread + ? WHERE id = ?').run(count, chatId)
  }

  markRead(chatId: number): boolean {
    return prepared(this.db, 'UPDATE chats SET unread = 0 WHERE id = ? AND unread <> 0').run(chatId).changes > 0
  }

  patch(chatId: number, patch: { pinned?: boolean; muted?: boolean; archived?: boolean; draft?: string; markUnread?: boolean }): void {
    const sets: string[] = []
    const values: (number | string)[] = []
    // Mark as unread keeps a real count and only lifts 0 to 1; opening the chat (markRead) clears it.
    if (patch.markUnread === true) sets.push('unread = max(unread, 1)')
    if (patch.pinned !== undefined) {
      sets.push('pinned = ?')
      values.push(patch.pinned ? 1 : 0)
    }
    if (patch.muted !== undefined) {
      sets.push('muted = ?')
      values.push(patch.muted ? 1 : 0)
    }
    if (patch.archived !== undefined) {
      sets.push('archived = ?')
      values.push(patch.archived ? 1 : 0)
    }
    if (patch.draft !== undefined) {
      sets.push('draft = ?')
      values.push(patch.draft)
    }
    if (sets.length === 0) return
    prepared(this.db, `UPDATE chats SET ${sets.join(', ')} WHERE id = ?`).run(...values, chatId)
  }

  remove(accountId: string, remoteId: string): number | undefined {
    const id = this.idByRemote(accountId, remoteId)
    if (id !== undefined) prepared(this.db, 'DELETE FROM chats WHERE id = ?').run(id)
    return id
  }

  setHistoryComplete(chatId: number): void {
    prepared(this.db, 'UPDATE chats SET history_complete = 1 WHERE id = ?').run(chatId)
  }

  historyComplete(chatId: number): boolean {
    const row = prepared(this.db, 'SELECT history_complete FROM chats WHERE id = ?').get(chatId) as { history_complete: number } | undefined
    return row?.history_complete === 1
  }

  /** The unified inbox: pinned first, then newest activity, across every account. */
  inbox(query: InboxQuery): { chats: Chat[]; next: string | null } {
    const where: string[] = []
    const params: (string | number)[] = []
    switch (query.filter.kind) {
      case 'all':
        where.push('c.archived = 0')
        break
      case 'unread':
        where.push('c.archived = 0', 'c.unread > 0')
        break
      case 'account':
        where.push('c.archived = 0', 'c.account_id = ?')
        params.push(query.filter.accountId)
        break
      case 'archived':
        where.push('c.archived = 1')
        break
      case 'title':
        where.push("c.title LIKE ? ESCAPE '\\'")
        params.push(`%${query.filter.query.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)
        break
    }
    const cursor = query.after ? decodeCursor(query.after) : null
    if (cursor) {
      where.push('(c.pinned, c.last_activity, c.id) < (?, ?, ?)')
      params.push(...cursor)
    }
    const rows = prepared(this.db, `${CHAT_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.pinned DESC, c.last_activity DESC, c.id DESC LIMIT ?`).all(
      ...params,
      query.limit + 1
    ) as ChatRow[]
    const chats = rows.slice(0, query.limit).map(toChat)
    return { chats, next: rows.length > query.limit ? encodeCursor(chats.at(-1)!) : null }
  }

  /** Reads only the chats with unread messages, from the covering index chats_unread (migration 0007). */
  totalUnread(): number {
    const row = prepared(
      this.db,
      `SELECT coalesce(sum(c.unread), 0) AS n FROM chats c INDEXED BY chats_unread JOIN accounts a ON a.id = c.account_id
         WHERE c.unread > 0 AND c.muted = 0 AND c.archived = 0 AND a.muted = 0`
    ).get() as { n: number }
    return row.n
  }
}
