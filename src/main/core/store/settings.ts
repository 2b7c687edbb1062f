import type { Database } from 'better-sqlite3'
import { prepared } from './database'

export class SettingsRepo {
  constructor(private readonly db: Database) {}

  get<T>(key: string): T | undefined {
    const row = prepared(this.db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined
    return row === undefined ? undefined : (JSON.parse(row.value) as T)
  }

  set(key: string, value: unknown): void {
    prepared(this.db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value))
  }
}
