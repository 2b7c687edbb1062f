import type { Database } from 'better-sqlite3'
import { prepared } from './database'
import { STATUS_RANK, type Message, type MessageStatus } from '../../../shared/model'
import type { IncomingMessage } from '../../networks/connector'
import { toMessage, type MessageRow } from './rows'

const COLUMNS =
  'id, chat_id, account_id, remote_id, client_id, sender_id, sender_name, from_me, timestamp, kind, text, status, error, media, sealed, edited, deleted'

export interface UpsertOutcome {
  message: Message
  inserted: boolean
  changed: boolean
}

export class MessagesRepo {
  constructor(private readonly db: Database) {}

  get(id: number): Message | undefined {
    const row = prepared(this.db, `SELECT ${COLUMNS} FROM messages WHERE id = ?`).get(id) as MessageRow | undefined
    return row && toMessage(row)
  }

  private row(id: number): MessageRow | undefined {
    return prepared(this.db, `SELECT ${COLUMNS} FROM messages WHERE id = ?`).get(id) as MessageRow | undefined
  }

  byRemote(chatId: number, remoteId: string): MessageRow | undefined {
    return prepared(this.db, `SELECT ${COLUMNS} FROM messages WHERE chat_id = ? AND remote_id = ?`).get(chatId, remoteId) as MessageRow | undefined
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
    let existing = this.byRemote(chatId, m.remoteId)
    if (!existing && m.clientId) existing = this.byClient(accountId, m.clientId)
    if (!existing) {
      const status: MessageStatus = m.status ?? (m.fromMe ? 'sent' : 'delivered')
      const result = prepared(this.db, 
          `INSERT INTO messages (chat_id, account_id, remote_id, client_id, sender_id, sender_name, from_me, timestamp, kind, text, status, media, sealed, edited, deleted)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(
          chatId,
          accountId,
          m.remoteId,
          m.clientId ?? null,
          m.senderId,
          m.senderName ?? null,
          m.fromMe ? 1 : 0,
          m.timestamp,
          m.kind,
          m.deleted ? '' : m.text,
          status,
          m.media ? JSON.stringify(m.media) : null,
          m.sealed ? 1 : 0,
          m.edited ? 1 : 0,
          m.deleted ? 1 : 0
        )
      return { message: this.get(Number(result.lastInsertRowid))!, inserted: true, changed: true }
    }
    const status = m.status && STATUS_RANK[m.status] > STATUS_RANK[existing.status] ? m.status : existing.status
    const text = m.deleted ? '' : m.text
    const media = m.media ? JSON.stringify(m.media) : existing.media
    const result = prepared(this.db, 
        `UPDATE messages SET remote_id = ?, text = ?, status = ?, media = ?, sender_name = coalesce(?, sender_name),
           sealed = max(sealed, ?), edited = max(edited, ?), deleted = max(deleted, ?), error = CASE WHEN ? = 'failed' THEN error ELSE NULL END
         WHERE id = ? AND (remote_id IS NOT ? OR text <> ? OR status <> ? OR media IS NOT ? OR sealed < ? OR edited < ? OR deleted < ?
           OR (? IS NOT NULL AND sender_name IS NOT ?))`
      )
      .run(
        m.remoteId,
        text,
        status,
        media,
        m.senderName ?? null,
        m.sealed ? 1 : 0,
        m.edited ? 1 : 0,
        m.deleted ? 1 : 0,
        status,
        existing.id,
        m.remoteId,
        text,
        status,
        media,
        m.sealed ? 1 : 0,
        m.edited ? 1 : 0,
        m.deleted ? 1 : 0,
        m.senderName ?? null,
        m.senderName ?? null
      )
    return { message: toMessage(this.row(existing.id)!), inserted: false, changed: result.changes > 0 }
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
    const result = prepared(this.db, 
        `INSERT INTO messages (chat_id, account_id, remote_id, client_id, sender_id, sender_name, from_me, timestamp, kind, text, status, media)
         VALUES (?, ?, NULL, ?, ?, NULL, 1, ?, ?, ?, 'pending', ?)`
      )
      .run(input.chatId, input.accountId, input.clientId, input.senderId, input.timestamp, input.kind, input.text, input.media ? JSON.stringify(input.media) : null)
    return this.get(Number(result.lastInsertRowid))!
  }

  /** Raises the status of our own messages (sent → delivered → read); never lowers it. */
  applyReceipt(chatId: number, remoteIds: string[], status: 'delivered' | 'read'): Message[] {
    const changed: Message[] = []
    const stmt = prepared(this.db, 
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
      prepared(this.db, `UPDATE messages SET remote_id = ?, status = CASE WHEN status IN ('delivered','read') THEN status ELSE ? END, error = NULL WHERE id = ?`)
        .run(outcome.remoteId, outcome.status, id)
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
      rows = prepared(this.db, 
          `SELECT ${COLUMNS} FROM messages WHERE chat_id = ? AND (timestamp, id) < (?, ?) ORDER BY timestamp DESC, id DESC LIMIT ?`
        )
        .all(chatId, anchor.timestamp, anchor.id, limit) as MessageRow[]
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
    const row = prepared(this.db, 'SELECT remote_id, timestamp FROM messages WHERE chat_id = ? AND remote_id IS NOT NULL ORDER BY timestamp, id LIMIT 1')
      .get(chatId) as { remote_id: string; timestamp: number } | undefined
    return row && { remoteId: row.remote_id, timestamp: row.timestamp }
  }

  newestIncomingRemote(chatId: number): string | null {
    const row = prepared(this.db, 'SELECT remote_id FROM messages WHERE chat_id = ? AND from_me = 0 AND remote_id IS NOT NULL ORDER BY timestamp DESC, id DESC LIMIT 1')
      .get(chatId) as { remote_id: string } | undefined
    return row?.remote_id ?? null
  }
}
