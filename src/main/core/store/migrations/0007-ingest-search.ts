import { hasCjk, segmentCjk } from '../cjk'
import type { Migration } from './migration'

// Ingest and search at SQLite's speed (issue 14).
// - messages_fts gains prefix indexes for 1, 2 and 3 characters: a prefix query ("t*",
//   "the*") otherwise merges the whole doclist of every matching term before it can return
//   the newest 50 (50–120 ms over 1 M messages); with them it reads one term (~0.1 ms).
//   The index grows from 35 to 95 MB over 1 M short messages; inserts cost ~25 % more.
//   detail=none was measured too (37 MB, inserts 1.2–1.5× faster) but prefix merges and
//   AND queries then take 3–10 ms instead of ~1 ms (p95 10 ms against the 20 ms goal),
//   and words the tokenizer splits (Devanagari, "e-mail") could no longer be phrases.
// - New messages are indexed by an explicit INSERT in the same transaction as the row
//   (store/messages.ts), about 3× cheaper than the AFTER INSERT trigger; the update trigger
//   now fires only when the text really changed, not on every status change.
// - chats_unread covers the unread total over the chats that have any, instead of reading
//   every chat row (3 ms with 10,000 chats).
// - messages_cjk indexes the messages with Chinese, Japanese or Korean text one character
//   per token (store/cjk.ts), so "東京" finds "東京タワー"; it holds only those messages.
export const migration0007: Migration = {
  version: 7,
  name: 'ingest-search',
  up(db) {
    db.exec(`
      DROP TRIGGER messages_fts_insert;
      DROP TRIGGER messages_fts_update;
      DROP TRIGGER messages_fts_delete;
      DROP TABLE messages_fts;
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        text,
        content = 'messages',
        content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3'
      );
      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages WHEN old.text IS NOT new.text BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
      END;
      CREATE INDEX chats_unread ON chats (account_id, unread, muted, archived) WHERE unread > 0 AND muted = 0 AND archived = 0;
      CREATE VIRTUAL TABLE messages_cjk USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
      CREATE TRIGGER messages_cjk_delete AFTER DELETE ON messages BEGIN
        DELETE FROM messages_cjk WHERE rowid = old.id;
      END;
    `)
    // In pages: a statement cannot write while another iterates on the same connection.
    const page = db.prepare("SELECT id, text FROM messages WHERE id > ? AND text <> '' ORDER BY id LIMIT 5000")
    const insert = db.prepare('INSERT INTO messages_cjk (rowid, text) VALUES (?, ?)')
    for (let after = 0; ;) {
      const rows = page.all(after) as { id: number; text: string }[]
      if (rows.length === 0) break
      for (const row of rows) if (hasCjk(row.text)) insert.run(row.id, segmentCjk(row.text))
      after = rows.at(-1)!.id
    }
  }
}
