import type { Migration } from './migration'

// `sealed` was LINE's word (Letter Sealing); end-to-end encryption is every network's concept.
export const migration0005: Migration = {
  version: 5,
  name: 'e2ee',
  up(db) {
    db.exec(`ALTER TABLE messages RENAME COLUMN sealed TO e2ee;`)
  }
}
