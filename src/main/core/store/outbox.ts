import type { Database } from 'better-sqlite3'
import { prepared } from './database'
import type { ComposedDraft } from '../../../shared/model'

export interface OutboxEntry {
  accountId: string
  clientId: string
  messageId: number
  draft: ComposedDraft
  attempts: number
  nextAttemptAt: number
  lastError: string | null
  createdAt: number
}

interface OutboxRow {
  account_id: string
  client_id: string
  message_id: number
  draft: string
  attempts: number
  next_attempt_at: number
  last_error: string | null
  created_at: number
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    accountId: row.account_id,
    clientId: row.client_id,
    messageId: row.message_id,
    draft: JSON.parse(row.draft) as ComposedDraft,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at
  }
}

export class OutboxRepo {
  constructor(private readonly db: Database) {}

  insert(entry: { accountId: string; clientId: string; messageId: number; draft: ComposedDraft; now: number }): void {
    prepared(this.db, 'INSERT INTO outbox (account_id, client_id, message_id, draft, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 0, ?, ?)').run(
      entry.accountId,
      entry.clientId,
      entry.messageId,
      JSON.stringify(entry.draft),
      entry.now,
      entry.now
    )
  }

  get(accountId: string, clientId: string): OutboxEntry | undefined {
    const row = prepared(this.db, 'SELECT * FROM outbox WHERE account_id = ? AND client_id = ?').get(accountId, clientId) as OutboxRow | undefined
    return row && toEntry(row)
  }

  byMessage(messageId: number): OutboxEntry | undefined {
    const row = prepared(this.db, 'SELECT * FROM outbox WHERE message_id = ?').get(messageId) as OutboxRow | undefined
    return row && toEntry(row)
  }

  /** The oldest entry of an account: entries go out one at a time, in the order they were written. */
  head(accountId: string): OutboxEntry | undefined {
    const row = prepared(this.db, 'SELECT * FROM outbox WHERE account_id = ? ORDER BY created_at, rowid LIMIT 1').get(accountId) as OutboxRow | undefined
    return row && toEntry(row)
  }

  accountsWithEntries(): string[] {
    return (prepared(this.db, 'SELECT DISTINCT account_id FROM outbox').all() as { account_id: string }[]).map((r) => r.account_id)
  }

  recordAttempt(accountId: string, clientId: string, error: string, nextAttemptAt: number): void {
    prepared(this.db, 'UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE account_id = ? AND client_id = ?').run(
      error,
      nextAttemptAt,
      accountId,
      clientId
    )
  }

  remove(accountId: string, clientId: string): void {
    prepared(this.db, 'DELETE FROM outbox WHERE account_id = ? AND client_id = ?').run(accountId, clientId)
  }

  count(): number {
    return (prepared(this.db, 'SELECT count(*) AS n FROM outbox').get() as { n: number }).n
  }
}
