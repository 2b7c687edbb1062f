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
  // Bulk ingest and search touch many pages; the default 2 MB cache thrashes on a large profile (16 MB).
  db.pragma('cache_size = -16000')
  migrate(db, MIGRATIONS)
  return db
}

interface DatabaseState {
  statements: Map<string, BetterSqlite3.Statement>
  /** Run once before the next statement: writes held back to be committed in one batch (see Ingest). */
  beforeUse: Array<() => void>
}

const states = new WeakMap<Database, DatabaseState>()

function stateOf(db: Database): DatabaseState {
  let state = states.get(db)
  if (!state) states.set(db, (state = { statements: new Map(), beforeUse: [] }))
  return state
}

/**
 * Registers `fn` to run once before the next statement any repository prepares on `db`
 * (and before a Store transaction or close). Ingest coalesces live events into one
 * transaction per event-loop turn; this is what makes every read after an apply see the
 * data, and every other write commit after it, without callers having to know.
 */
export function beforeNextUse(db: Database, fn: () => void): void {
  stateOf(db).beforeUse.push(fn)
}

/** Runs what `beforeNextUse` registered, if anything. */
export function runBeforeUse(db: Database): void {
  const state = states.get(db)
  if (!state || state.beforeUse.length === 0) return
  const hooks = state.beforeUse.splice(0)
  for (const fn of hooks) fn()
}

/** A prepared statement, compiled once per database: preparing is the dominant cost of a small query. */
export function prepared(db: Database, sql: string): BetterSqlite3.Statement {
  const state = stateOf(db)
  if (state.beforeUse.length !== 0) runBeforeUse(db)
  let stmt = state.statements.get(sql)
  if (!stmt) state.statements.set(sql, (stmt = db.prepare(sql)))
  return stmt
}
