import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../../../src/main/core/store/migrate'
import { MIGRATIONS } from '../../../../../src/main/core/store/migrations'
import { migration0001 } from '../../../../../src/main/core/store/migrations/0001-initial'
import { migration0002 } from '../../../../../src/main/core/store/migrations/0002-fts'
import { migration0003 } from '../../../../../src/main/core/store/migrations/0003-media-cache'
import { migration0004 } from '../../../../../src/main/core/store/migrations/0004-settings'
import { migration0005 } from '../../../../../src/main/core/store/migrations/0005-e2ee'
import { migration0006 } from '../../../../../src/main/core/store/migrations/0006-key-store'
import { migration0007 } from '../../../../../src/main/core/store/migrations/0007-ingest-search'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const NEWEST = MIGRATIONS.length
const MIGRATION_FILES = readdirSync(join(__dirname, '../../../../../src/main/core/store/migrations')).filter((f) => /^\d{4}-.*\.ts$/.test(f))

function tables(db: BetterSqlite3.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all() as { name: string }[]).map((r) => r.name)
}

function seedMessage(db: BetterSqlite3.Database, text: string): void {
  db.exec(`INSERT OR IGNORE INTO accounts (id, network, self_id, display_name, color, position, created_at) VALUES ('a', 'whatsapp', 'me', 'Me', '#000', 0, 0)`)
  db.exec(`INSERT OR IGNORE INTO chats (id, account_id, remote_id, kind, title) VALUES (1, 'a', 'c', 'direct', 'C')`)
  const id = db
    .prepare(`INSERT INTO messages (chat_id, account_id, sender_id, from_me, timestamp, kind, text, status) VALUES (1, 'a', 's', 0, 1, 'text', ?, 'sent')`)
    .run(text).lastInsertRowid
  // From 0007 on, MessagesRepo indexes a new message itself (no insert trigger); do as it does.
  const hasFts = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'messages_fts'").get() !== undefined
  if (hasFts && !db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'messages_fts_insert'").get()) {
    db.prepare('INSERT INTO messages_fts (rowid, text) VALUES (?, ?)').run(id, text)
  }
}

describe('migrations', () => {
  it('are numbered strictly upwards and the list matches the files', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
    expect(MIGRATIONS.slice(0, 6)).toEqual([migration0001, migration0002, migration0003, migration0004, migration0005, migration0006])
    expect(MIGRATION_FILES).toHaveLength(MIGRATIONS.length)
  })

  it('bring an empty database to the newest version and record it', () => {
    const db = new BetterSqlite3(':memory:')
    expect(migrate(db, MIGRATIONS)).toEqual({ from: 0, to: NEWEST })
    expect(db.pragma('user_version', { simple: true })).toBe(NEWEST)
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'accounts',
        'chats',
        'contacts',
        'messages',
        'outbox',
        'sync_cursors',
        'messages_fts',
        'media_cache',
        'settings',
        'connector_keys'
      ])
    )
  })

  it('run only what is new: a second run changes nothing', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, MIGRATIONS)
    expect(migrate(db, MIGRATIONS)).toEqual({ from: NEWEST, to: NEWEST })
  })

  it('0005 renames sealed to e2ee and keeps the flag of existing messages', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, [migration0001, migration0002, migration0003, migration0004])
    seedMessage(db, 'sealed one')
    db.exec(`UPDATE messages SET sealed = 1`)
    migrate(db, [migration0001, migration0002, migration0003, migration0004, migration0005])
    expect(db.prepare('SELECT e2ee FROM messages').get()).toEqual({ e2ee: 1 })
  })

  it('0006 keeps key-store values per account and drops them with the account', () => {
    const db = new BetterSqlite3(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db, [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006])
    seedMessage(db, 'x')
    db.prepare(`INSERT INTO connector_keys (account_id, namespace, key, value) VALUES ('a', 'session', 'bob.1', ?)`).run(Buffer.from([1, 2]))
    expect(() =>
      db.prepare(`INSERT INTO connector_keys (account_id, namespace, key, value) VALUES ('a', 'session', 'bob.1', ?)`).run(Buffer.from([3]))
    ).toThrow(/UNIQUE|PRIMARY/)
    db.exec(`DELETE FROM messages; DELETE FROM chats; DELETE FROM accounts`)
    expect(db.prepare('SELECT count(*) AS n FROM connector_keys').get()).toEqual({ n: 0 })
  })

  it('0001 creates the core tables with their unique keys', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, [migration0001])
    seedMessage(db, 'hello')
    db.prepare(`UPDATE messages SET remote_id = 'r1'`).run()
    expect(() =>
      db
        .prepare(
          `INSERT INTO messages (chat_id, account_id, remote_id, sender_id, from_me, timestamp, kind, text, status) VALUES (1, 'a', 'r1', 's', 0, 1, 'text', 'x', 'sent')`
        )
        .run()
    ).toThrow(/UNIQUE/)
    expect(() =>
      db.exec(`INSERT INTO accounts (id, network, self_id, display_name, color, position, created_at) VALUES ('b', 'whatsapp', 'me', 'Me', '#000', 1, 0)`)
    ).toThrow(/UNIQUE/)
  })

  it('0002 indexes messages written before it existed, then keeps the index in step', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, [migration0001])
    seedMessage(db, 'written before search existed')
    migrate(db, [migration0001, migration0002])
    const count = (q: string): number => (db.prepare('SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ?').get(q) as { n: number }).n
    expect(count('existed')).toBe(1)
    seedMessage(db, 'käse und brot')
    expect(count('kase')).toBe(1)
    db.exec(`UPDATE messages SET text = 'edited words' WHERE text = 'käse und brot'`)
    expect(count('kase')).toBe(0)
    expect(count('edited')).toBe(1)
    db.exec(`DELETE FROM messages`)
    expect(count('edited')).toBe(0)
  })

  it('0003 adds the media cache, removed with its message', () => {
    const db = new BetterSqlite3(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS)
    seedMessage(db, 'photo')
    db.prepare(`INSERT INTO media_cache (message_id, mime, bytes, fetched_at) VALUES (1, 'image/png', x'00', 0)`).run()
    db.exec('DELETE FROM messages')
    expect((db.prepare('SELECT count(*) AS n FROM media_cache').get() as { n: number }).n).toBe(0)
  })

  it('0007 re-indexes what 0002 indexed, with prefixes, and indexes CJK text character by character', () => {
    const db = new BetterSqlite3(':memory:')
    const before = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006]
    migrate(db, before)
    seedMessage(db, 'quarterly budget review')
    seedMessage(db, '明日は東京タワーに行きます')
    migrate(db, [...before, migration0007])
    const fts = (q: string): number => (db.prepare('SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ?').get(q) as { n: number }).n
    const cjk = (q: string): number => (db.prepare('SELECT count(*) AS n FROM messages_cjk WHERE messages_cjk MATCH ?').get(q) as { n: number }).n
    expect(fts('"q"*')).toBe(1)
    expect(fts('"bud"*')).toBe(1)
    expect(fts('"x"*')).toBe(0)
    expect(cjk('"東 京"')).toBe(1)
    expect(cjk('"京 東"')).toBe(0)
    expect((db.prepare('SELECT count(*) AS n FROM messages_cjk').get() as { n: number }).n).toBe(1)
    // The update trigger follows real text changes only; deleting removes both entries.
    db.exec(`UPDATE messages SET status = 'read'`)
    expect(fts('budget')).toBe(1)
    db.exec(`UPDATE messages SET text = 'annual plan' WHERE text LIKE 'quarterly%'`)
    expect([fts('budget'), fts('annual')]).toEqual([0, 1])
    db.exec('DELETE FROM messages')
    expect([fts('annual'), cjk('"東"')]).toEqual([0, 0])
    expect(db.prepare("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'annual'").get()).toEqual({ n: 0 })
    db.exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)")
  })

  it('0004 keeps one value per settings key', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, MIGRATIONS)
    db.exec(`INSERT INTO settings (key, value) VALUES ('k', '1')`)
    expect(() => db.exec(`INSERT INTO settings (key, value) VALUES ('k', '2')`)).toThrow(/UNIQUE|PRIMARY/)
  })

  it('refuses a database written by a newer build instead of damaging it', () => {
    const db = new BetterSqlite3(':memory:')
    db.pragma('user_version = 99')
    expect(() => migrate(db, MIGRATIONS)).toThrow(/newer Junction/)
  })

  it('roll back a migration that fails half way', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, [migration0001])
    const broken = { version: 2, name: 'broken', up: (d: BetterSqlite3.Database) => d.exec('CREATE TABLE half (x); SELECT nonsense FROM nowhere;') }
    expect(() => migrate(db, [migration0001, broken])).toThrow()
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(tables(db)).not.toContain('half')
  })
})
