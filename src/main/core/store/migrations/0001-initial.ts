import type { Migration } from './migration'

// Accounts, chats, contacts, messages, the outbox and sync cursors.
// Credentials are stored only as a Vault-sealed blob.
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE accounts (
        id            TEXT PRIMARY KEY,
        network       TEXT NOT NULL,
        self_id       TEXT NOT NULL,
        display_name  TEXT NOT NULL,
        color         TEXT NOT NULL,
        position      INTEGER NOT NULL,
        muted         INTEGER NOT NULL DEFAULT 0,
        credentials   BLOB,
        created_at    INTEGER NOT NULL,
        UNIQUE (network, self_id)
      );

      CREATE TABLE chats (
        id               INTEGER PRIMARY KEY,
        account_id       TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        remote_id        TEXT NOT NULL,
        kind             TEXT NOT NULL,
        title            TEXT NOT NULL,
        last_activity    INTEGER NOT NULL DEFAULT 0,
        last_message_id  INTEGER,
        unread           INTEGER NOT NULL DEFAULT 0,
        pinned           INTEGER NOT NULL DEFAULT 0,
        muted            INTEGER NOT NULL DEFAULT 0,
        archived         INTEGER NOT NULL DEFAULT 0,
        draft            TEXT NOT NULL DEFAULT '',
        history_complete INTEGER NOT NULL DEFAULT 0,
        UNIQUE (account_id, remote_id)
      );
      CREATE INDEX chats_inbox ON chats (archived, pinned DESC, last_activity DESC, id DESC);

      CREATE TABLE contacts (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        remote_id  TEXT NOT NULL,
        name       TEXT NOT NULL,
        blocked    INTEGER NOT NULL DEFAULT 0,
        presence   TEXT NOT NULL DEFAULT 'unknown',
        PRIMARY KEY (account_id, remote_id)
      ) WITHOUT ROWID;

      CREATE TABLE messages (
        id          INTEGER PRIMARY KEY,
        chat_id     INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        account_id  TEXT NOT NULL,
        remote_id   TEXT,
        client_id   TEXT,
        sender_id   TEXT NOT NULL,
        sender_name TEXT,
        from_me     INTEGER NOT NULL,
        timestamp   INTEGER NOT NULL,
        kind        TEXT NOT NULL,
        text        TEXT NOT NULL,
        status      TEXT NOT NULL,
        error       TEXT,
        media       TEXT,
        sealed      INTEGER NOT NULL DEFAULT 0,
        edited      INTEGER NOT NULL DEFAULT 0,
        deleted     INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX messages_remote ON messages (chat_id, remote_id) WHERE remote_id IS NOT NULL;
      CREATE UNIQUE INDEX messages_client ON messages (account_id, client_id) WHERE client_id IS NOT NULL;
      CREATE INDEX messages_chat_time ON messages (chat_id, timestamp, id);

      CREATE TABLE outbox (
        client_id       TEXT NOT NULL,
        account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        message_id      INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        draft           TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        created_at      INTEGER NOT NULL,
        PRIMARY KEY (account_id, client_id)
      );

      CREATE TABLE sync_cursors (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        value      TEXT NOT NULL,
        PRIMARY KEY (account_id, name)
      ) WITHOUT ROWID;
    `)
  }
}
