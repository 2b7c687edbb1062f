import BetterSqlite3, { type Database } from 'better-sqlite3'
import { MIGRATIONS } from './migrations'
import { migrate } from './migrate'

export type { Database } from 'better-sqlite3'

/** Opens (creating if needed) the profile database in WAL mode and brings its schema up to date. */
export function openDatabase(path: string): Database {
  const db = new BetterSqlite3(path)
  db.pragma('journal_mode = WAL')
  // NORMAL is durable across application crashes in WAL mode; only a power loss can lose the last commits.
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db, MIGRATIONS)
  return db
}

const statementCache = new WeakMap<Database, Map<string, BetterSqlite3.Statement>>()

/** A prepared statement, compiled once per database: preparing is the dominant cost of a small query. */
export function prepared(db: Database, sql: string): BetterSqlite3.Statement {
  let cache = statementCache.get(db)
  if (!cache) statementCache.set(db, (cache = new Map()))
  let stmt = cache.get(sql)
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)))
  return stmt
}
