import type { Migration } from './migration'

// Downloaded and decrypted media, so an image is fetched from the network once.
export const migration0003: Migration = {
  version: 3,
  name: 'media-cache',
  up(db) {
    db.exec(`
      CREATE TABLE media_cache (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        mime       TEXT NOT NULL,
        bytes      BLOB NOT NULL,
        fetched_at INTEGER NOT NULL
      );
    `)
  }
}
