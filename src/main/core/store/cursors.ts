import type { Database } from 'better-sqlite3'
import { prepared } from './database'
import type { Cursors } from '../../networks/connector'

export class CursorsRepo {
  constructor(private readonly db: Database) {}

  all(accountId: string): Cursors {
    const rows = prepared(this.db, 'SELECT name, value FROM sync_cursors WHERE account_id = ?').all(accountId) as { name: string; value: string }[]
    return Object.fromEntries(rows.map((r) => [r.name, r.value]))
  }

  set(accountId: string, name: string, value: string): void {
    prepared(
      this.db,
      'INSERT INTO sync_cursors (account_id, name, value) VALUES (?, ?, ?) ON CONFLICT (account_id, name) DO UPDATE SET value = excluded.value'
    ).run(accountId, name, value)
  }
}
