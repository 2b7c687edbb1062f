import type { Database, Statement } from 'better-sqlite3'
import { hasCjk, segmentCjk } from './cjk'
import { prepared, runBeforeUse } from './database'
import { STATUS_RANK, type Message, type MessageStatus } from '../../../shared/model'
import type { IncomingMessage } from '../../networks/connector'
import { toMessage, type MessageRow } from './rows'

const COLUMNS =
  'id, chat_id, account_id, remote_id, client_id, sender_id, sender_name, from_me, timestamp, kind, text, status, error, media, e2ee, edited, deleted'

export interface UpsertOutcome {
  message: Message
  inserted: boolean
  changed: boolean
}

export class MessagesRepo {
  /** The hot statements, by name: `prepared` hashes its SQL key on every call. */
  private readonly statements = new Map<string, Statement>()

  constructor(private readonly db: Database) {}

  private stmt(name: string, sql: string): Statement {
    runBeforeUse(this.db)
    let s = this.statements.get(name)
    if (!s) this.statements.set(name, (s = this.db.prepare(sql)))
    return s
  }

  get(id: number): Message | undefined {
    const row = prepared(this.db, `SELECT ${COLUMNS} FROM messages WHERE id = ?`).get(id) as MessageRow | undefined
    return row && toMessage(row)
  }

  private row(id: number): MessageRow | undefined {
    return this.stmt('row', `SELECT ${COLUMNS} FROM messages WHERE id = ?`).get(id) as MessageRow | undefined
  }

  byRemote(chatId: number, remoteId: string): MessageRow | undefined {
    return this.stmt('byRemote', `SELECT ${COLUMNS} FROM messages WHERE chat_id = ? AND remote_id = ?`).get(chatId, remoteId) as MessageRow | undefined
  }

  byClient(accountId: string, clientId: string): MessageRow | undefined {
    return prepared(this.db, `SELECT ${COLUMNS} FROM messages WHERE account_id = ? AND client_id = ?`).get(accountId, clientId) as MessageRow | undefined
  }

  /**
   * Writes a message the network reported. A message already known by its remote id, or
   * (for our own echoes) by its client id, is updated in place, so a replay after a
   * reconnect never shows a message twice.
   */
  upsert(chatId: number, accountId: string, m: IncomingMessage): UpsertOutcome {
    if (!m.clientId) {
      // The common case, a message we have not seen: one INSERT that does nothing when the
      // remote id is known (the messages_remote unique index) instead of a lookup first.
      const inserted = this.insertIncoming(chatId, accountId, m)
      if (inserted) return { message: inserted, inserted: true, changed: true }
      return this.update(this.byRemote(chatId, m.remoteId)!, m)
    }
    const existing = this.byRemote(chatId, m.remoteId) ?? this.byClient(accountId, m.clientId)
    if (existing) return this.update(existing, m)
    return { message: this.insertIncoming(chatId, accountId, m)!, inserted: true, changed: true }
  }

  /** Inserts a message and its full-text entries; undefined when its remote id is already stored. */
  private insertIncoming(chatId: number, accountId: string, m: IncomingMessage): Message | undefined {
    const status: MessageStatus = m.status ?? (m.fromMe ? 'sent' : 'delivered')
    const text = m.deleted ? '' : m.text
    const media = m.media ? JSON.stringify(m.media) : null
    const result = this.stmt(
      'insert',
      `INSERT INTO messages (chat_id, account_id, remote_id, client_id, sender_id, sender_name, from_me, timestamp, kind, text, status, media, e2ee, edited, deleted)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
    ).run(
      chatId,
      accountId,
      m.remoteId,
      m.clientId ?? null,
      m.senderId,
      m.senderName ?? null,
      m.fromMe ? 1 : 0,
      m.timestamp,
      m.kind,
      text,
      status,
      media,
      m.e2ee ? 1 : 0,
      m.edited ? 1 : 0,
      m.deleted ? 1 : 0
    )
    if (result.changes === 0) return undefined
    const id = Number(result.lastInsertRowid)
    this.index(id, text)
    // The row as `get` would read it back, built from what was written (reading it costs a query per message).
    return {
      id: String(id),
      chatId: String(chatId),
      accountId,
      remoteId: m.remoteId,
      clientId: m.clientId ?? null,
      senderId: m.senderId,
      senderName: m.senderName ?? null,
      fromMe: m.fromMe,
      timestamp: m.timestamp,
      kind: m.kind,
      text,
      status,
      error: null,
      media: media === null ? null : (JSON.parse(media) as Message['media']),
      e2ee: m.e2ee === true,
      edited: m.edited === true,
      deleted: m.deleted === true
    }
  }

  private update(existing: MessageRow, m: IncomingMessage): UpsertOutcome {
    const status = m.status && STATUS_RANK[m.status] > STATUS_RANK[existing.status] ? m.status : existing.status
    const text = m.deleted ? '' : m.text
    const media = m.media ? JSON.stringify(m.media) : existing.media
    const result = this.stmt(
      'update',
      `UPDATE messages SET remote_id = ?, text = ?, status = ?, media = ?, sender_name = coalesce(?, sender_name),
         e2ee = max(e2ee, ?), edited = max(edited, ?), deleted = max(deleted, ?), error = CASE WHEN ? = 'failed' THEN error ELSE NULL END
       WHERE id = ? AND (remote_id IS NOT ? OR text <> ? OR status <> ? OR media IS NOT ? OR e2ee < ? OR edited < ? OR deleted < ?
         OR (? IS NOT NULL AND sender_name IS NOT ?))`
    ).run(
      m.remoteId,
      text,
      status,
      media,
      m.senderName ?? null,
      m.e2ee ? 1 : 0,
      m.edited ? 1 : 0,
      m.deleted ? 1 : 0,
      status,
      existing.id,
      m.remoteId,
      text,
      status,
      media,
      m.e2ee ? 1 : 0,
      m.edited ? 1 : 0,
      m.deleted ? 1 : 0,
      m.senderName ?? null,
      m.senderName ?? null
    )
    // messages_fts follows text changes by trigger (migration 0007); the CJK index here.
    if (result.changes > 0 && text !== existing.text) this.reindexCjk(existing.id, existing.text, text)
    return { message: toMessage(this.row(existing.id)!), inserted: false, changed: result.changes > 0 }
  }

  /**
   * Full-text entries of a new message, written in the same transaction as the row: an
   * explicit INSERT costs about a third of what the old AFTER INSERT trigger did.
   */
  private index(id: number, text: string): void {
    if (text.length === 0) return
    this.stmt('fts', 'INSERT INTO messages_fts (rowid, text) VALUES (?, ?)').run(id, text)
    if (hasCjk(text)) this.stmt('cjk', 'INSERT INTO messages_cjk (rowid, text) VALUES (?, ?)').run(id, segmentCjk(text))
  }

  private reindexCjk(id: number, before: string, after: string): void {
    if (hasCjk(before)) this.stmt('cjkDelete', 'DELETE FROM messages_cjk WHERE rowid = ?').run(id)
    if (hasCjk(after)) this.stmt('cjk', 'INSERT INTO messages_cjk (rowid, text) VALUES (?, ?)').run(id, segmentCjk(after))
  }

  /** Inserts our own message as `pending`, before any network sees it. */
  insertPending(input: {
    chatId: number
    accountId: string
    clientId: string
    senderId: string
    timestamp: number
    kind: Message['kind']
    text: string
    media: Message['media']
  }): Message {
    const result = prepared(
      this.db,
      `INSERT INTO messages (chat_id, account_id, remote_id, client_id, sender_id, sender_name, from_me, timestamp, kind, text, status, media)
         VALUES (?, ?, NULL, ?, ?, NULL, 1, ?, ?, ?, 'pending', ?)`
    ).run(
      input.chatId,
      input.accountId,
      input.clientId,
      input.senderId,
      input.timestamp,
      input.kind,
      input.text,
      input.media ? JSON.stringify(input.media) : null
    )
    this.index(Number(result.lastInsertRowid), input.text)
    return this.get(Number(result.lastInsertRowid))!
  }

  /** Raises the status of our own messages (sent → delivered → read); never lowers it. */
  applyReceipt(chatId: number, remoteIds: string[], status: 'delivered' | 'read'): Message[] {
    const changed: Message[] = []
    const stmt = prepared(
      this.db,
      `UPDATE messages SET status = ? WHERE chat_id = ? AND remote_id = ? AND from_me = 1 AND status IN (${status === 'read' ? "'sent','delivered'" : "'sent'"})`
    )
    for (const remoteId of remoteIds) {
      if (stmt.run(status, chatId, remoteId).changes > 0) changed.push(toMessage(this.byRemote(chatId, remoteId)!))
    }
    return changed
  }

  setOutcome(id: number, outcome: { remoteId: string; timestamp: number; status: MessageStatus } | { failed: string }): Message {
    if ('failed' in outcome) {
      prepared(this.db, `UPDATE messages SET status = 'failed', error = ? WHERE id = ?`).run(outcome.failed, id)
    } else {
      prepared(
        this.db,
        `UPDATE messages SET remote_id = ?, status = CASE WHEN status IN ('delivered','read') THEN status ELSE ? END, error = NULL WHERE id = ?`
      ).run(outcome.remoteId, outcome.status, id)
    }
    return this.get(id)!
  }

  setPending(id: number): Message {
    prepared(this.db, `UPDATE messages SET status = 'pending', error = NULL WHERE id = ?`).run(id)
    return this.get(id)!
  }

  remove(id: number): void {
    prepared(this.db, 'DELETE FROM messages WHERE id = ?').run(id)
  }

  /** Newest `limit` messages strictly older than `before`, returned oldest first. */
  page(chatId: number, before: number | null, limit: number): Message[] {
    let rows: MessageRow[]
    if (before === null) {
      rows = prepared(this.db, `SELECT ${COLUMNS} FROM messages WHERE chat_id = ? ORDER BY timestamp DESC, id DESC LIMIT ?`).all(chatId, limit) as MessageRow[]
    } else {
      const anchor = this.row(before)
      if (!anchor) return []
      rows = prepared(this.db, `SELECT ${COLUMNS} FROM messages WHERE chat_id = ? AND (timestamp, id) < (?, ?) ORDER BY timestamp DESC, id DESC LIMIT ?`).all(
        chatId,
        anchor.timestamp,
        anchor.id,
        limit
      ) as MessageRow[]
    }
    return rows.reverse().map(toMessage)
  }

  /** The oldest `limit` messages strictly newer than `after`, oldest first. */
  pageAfter(chatId: number, after: number, limit: number): Message[] {
    const anchor = this.row(after)
    if (!anchor) return []
    const rows = prepared(this.db, `SELECT ${COLUMNS} FROM messages WHERE chat_id = ? AND (timestamp, id) > (?, ?) ORDER BY timestamp, id LIMIT ?`).all(
      chatId,
      anchor.timestamp,
      anchor.id,
      limit
    ) as MessageRow[]
    return rows.map(toMessage)
  }

  /** The oldest message of a chat that the network knows, to page network history from. */
  oldestRemote(chatId: number): { remoteId: string; timestamp: number } | undefined {
    const row = prepared(this.db, 'SELECT remote_id, timestamp FROM messages WHERE chat_id = ? AND remote_id IS NOT NULL ORDER BY timestamp, id LIMIT 1').get(
      chatId
    ) as { remote_id: string; timestamp: number } | undefined
    return row && { remoteId: row.remote_id, timestamp: row.timestamp }
  }

  newestIncomingRemote(chatId: number): string | null {
    const row = prepared(
      this.db,
      'SELECT remote_id FROM messages WHERE chat_id = ? AND from_me = 0 AND remote_id IS NOT NULL ORDER BY timestamp DESC, id DESC LIMIT 1'
    ).get(chatId) as { remote_id: string } | undefined
    return row?.remote_id ?? null
  }
}
