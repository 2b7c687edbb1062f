import type { Migration } from './migration'

// The person's preferences (theme, notifications, …), as JSON values by key.
export const migration0004: Migration = {
  version: 4,
  name: 'settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `)
  }
}
