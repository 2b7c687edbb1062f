import type { Database } from 'better-sqlite3'
import { prepared } from './database'

/** The Connector key store's rows; values arrive and leave sealed (core/key-store.ts seals them). */
export class KeysRepo {
  constructor(private readonly db: Database) {}

  get(accountId: string, namespace: string, key: string): Uint8Array | undefined {
    const row = prepared(this.db, 'SELECT value FROM connector_keys WHERE account_id = ? AND namespace = ? AND key = ?').get(accountId, namespace, key) as
      { value: Uint8Array } | undefined
    return row?.value
  }

  list(accountId: string, namespace: string): Array<{ key: string; value: Uint8Array }> {
    return prepared(this.db, 'SELECT key, value FROM connector_keys WHERE account_id = ? AND namespace = ? ORDER BY key').all(accountId, namespace) as Array<{
      key: string
      value: Uint8Array
    }>
  }

  put(accountId: string, namespace: string, key: string, value: Uint8Array): void {
    prepared(
      this.db,
      'INSERT INTO connector_keys (account_id, namespace, key, value) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value'
    ).run(accountId, namespace, key, value)
  }

  delete(accountId: string, namespace: string, key: string): void {
    prepared(this.db, 'DELETE FROM connector_keys WHERE account_id = ? AND namespace = ? AND key = ?').run(accountId, namespace, key)
  }
}
