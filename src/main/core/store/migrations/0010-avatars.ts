import type { Migration } from './migration'

// Profile pictures and account nicknames (issue 12 §3). `avatar` holds the network's opaque
// picture token ('' = the network said there is none; NULL = never said). `avatar_cache`
// keeps the bytes of each picture under the token they were fetched for, so a new token
// refetches; `nickname` is the person's local name for an account.
export const migration0010: Migration = {
  version: 10,
  name: 'avatars',
  up(db) {
    db.exec(`
      ALTER TABLE chats ADD COLUMN avatar TEXT;
      ALTER TABLE contacts ADD COLUMN avatar TEXT;
      ALTER TABLE accounts ADD COLUMN avatar TEXT;
      ALTER TABLE accounts ADD COLUMN nickname TEXT;
      CREATE TABLE avatar_cache (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        remote_id  TEXT NOT NULL,
        token      TEXT NOT NULL,
        mime       TEXT NOT NULL,
        bytes      BLOB NOT NULL,
        fetched_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, remote_id)
      );
      CREATE INDEX avatar_cache_age ON avatar_cache (fetched_at);
    `)
  }
}
