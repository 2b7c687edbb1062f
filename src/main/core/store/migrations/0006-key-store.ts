import type { Migration } from './migration'

// The Connector key store: protocol state (Signal sessions, pre-keys, app-state keys) per
// account, each value sealed by the Vault. Written in the same transaction as the messages
// whose decryption changed it (docs/architecture.md, "The key store").
export const migration0006: Migration = {
  version: 6,
  name: 'key-store',
  up(db) {
    db.exec(`
      CREATE TABLE connector_keys (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        namespace  TEXT NOT NULL,
        key        TEXT NOT NULL,
        value      BLOB NOT NULL,
        PRIMARY KEY (account_id, namespace, key)
      ) WITHOUT ROWID;
    `)
  }
}
