import type { Database } from 'better-sqlite3'
import { JunctionError } from '../../../shared/errors'
import type { Migration } from './migrations'

/**
 * Applies every migration newer than `PRAGMA user_version`, each in its own transaction,
 * so a crash mid-migration leaves the database at the previous version.
 */
export function migrate(db: Database, migrations: readonly Migration[]): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number
  const newest = migrations.at(-1)?.version ?? 0
  if (from > newest) {
    throw new JunctionError('internal', `The database was written by a newer Junction (schema ${from}, this build knows ${newest}).`)
  }
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version <= migrations[i - 1]!.version) throw new Error('migrations are out of order')
  }
  for (const migration of migrations) {
    if (migration.version <= from) continue
    db.transaction(() => {
      migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
    })()
  }
  return { from, to: Math.max(from, newest) }
}
