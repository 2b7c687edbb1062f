import type { Database, Statement } from 'better-sqlite3'
import { hasCjk, segmentCjk } from './cjk'
import { prepared, runBeforeUse } from './database'
import { STATUS_RANK, type Message, type MessageStatus } from '../../../shared/model'
import type { IncomingMessage, MessageChangeEvent } from '../../networks/connector'
import { toMessage, type MessageRow } from './rows'
import { parseQuote, parseReactions, QUOTED_COLUMN, serializeMessageError, serializeReactions, serializeReply, withReaction } from './message-extras'
import type { MessageError } from '../../../shared/model'

const COLUMNS = `id, chat_id, account_id, remote_id, client_id, sender_id, sender_name, from_me, timestamp, kind, text, status, error, media, e2ee, edited, deleted,
  reply_to, reactions, edited_at, delivered_at, read_at, ${QUOTED_COLUMN}`

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
    const replyTo = serializeReply(m.replyTo)
    const reactions = m.reactions ? serializeReactions(m.reactions) : null
    const result = this.stmt(
      'insert',
      `INSERT INTO messages (chat_id, account_id, remote_id, client_id, sender_id, sender_name, from_me, timestamp, kind, text, status, media, e2ee, edited, deleted,
         reply_to, reactions, edited_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
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
      m.deleted ? 1 : 0,
      replyTo,
      reactions,
      m.editedAt ?? null
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
      editedAt: m.editedAt ?? null,
      deleted: m.deleted === true,
      // Only a reply costs a lookup (of the message it quotes).
      replyTo: replyTo === null ? null : parseQuote(replyTo, this.quotedJson(chatId, m.replyTo!.remoteId)),
      reactions: parseReactions(reactions),
      deliveredAt: null,
      readAt: null
    }
  }

  /** The quoted message as QUOTED_COLUMN reads it, for a row built without reading it back. */
  private quotedJson(chatId: number, remoteId: string): string | null {
    const q = this.byRemote(chatId, remoteId)
    if (!q) return null
    return JSON.stringify({ id: q.id, senderId: q.sender_id, senderName: q.sender_name, fromMe: q.from_me, kind: q.kind, text: q.text, deleted: q.deleted })
  }

  private update(existing: MessageRow, m: IncomingMessage): UpsertOutcome {
    const status = m.status && STATUS_RANK[m.status] > STATUS_RANK[existing.status] ? m.status : existing.status
    const text = m.deleted ? '' : m.text
    const media = m.media ? JSON.stringify(m.media) : existing.media
    // Absent on the wire means unchanged: a quote, a reaction set or an edit time only ever arrive, never leave, by a replay.
    const replyTo = serializeReply(m.replyTo) ?? existing.reply_to
    const reactions = m.reactions ? serializeReactions(m.reactions) : existing.reactions
    const editedAt = m.editedAt ?? existing.edited_at
    const result = this.stmt(
      'update',
      `UPDATE messages SET remote_id = ?, text = ?, status = ?, media = ?, sender_name = coalesce(?, sender_name),
         e2ee = max(e2ee, ?), edited = max(edited, ?), deleted = max(deleted, ?), error = CASE WHEN ? = 'failed' THEN error ELSE NULL END,
         reply_to = ?, reactions = ?, edited_at = ?
       WHERE id = ? AND (remote_id IS NOT ? OR text <> ? OR status <> ? OR media IS NOT ? OR e2ee < ? OR edited < ? OR deleted < ?
         OR (? IS NOT NULL AND sender_name IS NOT ?) OR reply_to IS NOT ? OR reactions IS NOT ? OR edited_at IS NOT ?)`
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
      replyTo,
      reactions,
      editedAt,
      existing.id,
      m.remoteId,
      text,
      status,
      media,
      m.e2ee ? 1 : 0,
      m.edited ? 1 : 0,
      m.deleted ? 1 : 0,
      m.senderName ?? null,
      m.senderName ?? null,
      replyTo,
      reactions,
      editedAt
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
    replyTo?: IncomingMessage['replyTo']
  }): Message {
    const result = prepared(
      this.db,
      `INSERT INTO messages (chat_id, account_id, remote_id, client_id, sender_id, sender_name, from_me, timestamp, kind, text, status, media, reply_to)
         VALUES (?, ?, NULL, ?, ?, NULL, 1, ?, ?, ?, 'pending', ?, ?)`
    ).run(
      input.chatId,
      input.accountId,
      input.clientId,
      input.senderId,
      input.timestamp,
      input.kind,
      input.text,
      input.media ? JSON.stringify(input.media) : null,
      serializeReply(input.replyTo)
    )
    this.index(Number(result.lastInsertRowid), input.text)
    return this.get(Number(result.lastInsertRowid))!
  }

  /** Raises the status of our own messages (sent → delivered → read); never lowers it. */
  applyReceipt(chatId: number, remoteIds: string[], status: 'delivered' | 'read', now = Date.now()): Message[] {
    const changed: Message[] = []
    // The times are when Junction heard the receipt (the message info panel); a read implies delivered.
    const stmt = prepared(
      this.db,
      `UPDATE messages SET status = ?, delivered_at = coalesce(delivered_at, ?), read_at = ${status === 'read' ? 'coalesce(read_at, ?)' : 'read_at + 0 * ?'}
       WHERE chat_id = ? AND remote_id = ? AND from_me = 1 AND status IN (${status === 'read' ? "'sent','delivered'" : "'sent'"})`
    )
    for (const remoteId of remoteIds) {
      if (stmt.run(status, now, now, chatId, remoteId).changes > 0) changed.push(toMessage(this.byRemote(chatId, remoteId)!))
    }
    return changed
  }

  setOutcome(id: number, outcome: { remoteId: string; timestamp: number; status: MessageStatus; e2ee?: boolean } | { failed: MessageError }): Message {
    if ('failed' in outcome) {
      prepared(this.db, `UPDATE messages SET status = 'failed', error = ? WHERE id = ?`).run(serializeMessageError(outcome.failed), id)
    } else {
      prepared(
        this.db,
        `UPDATE messages SET remote_id = ?, status = CASE WHEN status IN ('delivered','read') THEN status ELSE ? END, error = NULL,
           e2ee = max(e2ee, ?) WHERE id = ?`
      ).run(outcome.remoteId, outcome.status, outcome.e2ee ? 1 : 0, id)
    }
    return this.get(id)!
  }

  setPending(id: number): Message {
    prepared(this.db, `UPDATE messages SET status = 'pending', error = NULL WHERE id = ?`).run(id)
    return this.get(id)!
  }

  /**
   * A live change to a stored message (a reaction, an edit, a deletion for everyone), from the
   * network or from this account. Returns the updated message, or undefined when the message
   * is unknown or nothing changed (a replay).
   */
  applyChange(chatId: number, change: MessageChangeEvent): Message | undefined {
    const row = this.byRemote(chatId, change.messageRemoteId)
    if (!row) return undefined
    return this.changeRow(row, change)
  }

  /** `applyChange` on a row found by its local id (the own account's actions). */
  changeRow(row: MessageRow, change: MessageChangeEvent): Message | undefined {
    switch (change.type) {
      case 'reaction': {
        if (row.deleted === 1) return undefined
        const next = withReaction(row.reactions, change)
        if (next === undefined) return undefined
        prepared(this.db, 'UPDATE messages SET reactions = ? WHERE id = ?').run(next, row.id)
        break
      }
      case 'messageEdited': {
        if (row.deleted === 1 || (row.text === change.text && row.edited === 1)) return undefined
        prepared(this.db, 'UPDATE messages SET text = ?, edited = 1, edited_at = ? WHERE id = ?').run(change.text, change.editedAt, row.id)
        this.reindexCjk(row.id, row.text, change.text)
        break
      }
      case 'messageDeleted': {
        if (row.deleted === 1) return undefined
        prepared(this.db, `UPDATE messages SET text = '', deleted = 1, reactions = NULL WHERE id = ?`).run(row.id)
        this.reindexCjk(row.id, row.text, '')
        break
      }
    }
    return toMessage(this.row(row.id)!)
  }

  rowById(id: number): MessageRow | undefined {
    return this.row(id)
  }

  /** Deletes a message on this computer only; the chat's preview moves to the message before it. */
  removeLocally(id: number, chatId: number): void {
    this.remove(id)
    prepared(
      this.db,
      `UPDATE chats SET last_message_id = (SELECT id FROM messages WHERE chat_id = ? ORDER BY timestamp DESC, id DESC LIMIT 1)
       WHERE id = ? AND last_message_id = ?`
    ).run(chatId, chatId, id)
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
