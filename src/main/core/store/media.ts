import type { Database } from 'better-sqlite3'
import { prepared } from './database'

export class MediaCacheRepo {
  constructor(private readonly db: Database) {}

  get(messageId: number): { mime: string; bytes: Buffer } | undefined {
    return prepared(this.db, 'SELECT mime, bytes FROM media_cache WHERE message_id = ?').get(messageId) as { mime: string; bytes: Buffer } | undefined
  }

  put(messageId: number, mime: string, bytes: Uint8Array, now: number): void {
    prepared(
      this.db,
      'INSERT INTO media_cache (message_id, mime, bytes, fetched_at) VALUES (?, ?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET mime = excluded.mime, bytes = excluded.bytes, fetched_at = excluded.fetched_at'
    ).run(messageId, mime, bytes, now)
  }
}
