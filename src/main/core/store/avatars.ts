// Profile pictures (issue 12 §3): the bytes of each picture, cached under the network token
// they were fetched for, one row per (account, remote id). A picture whose token changed is
// fetched again; the oldest rows go once the cache holds more than MAX_ROWS or MAX_BYTES.

import type { Database } from 'better-sqlite3'
import { prepared } from './database'

/** Enough for every contact of a few large accounts. */
const MAX_ROWS = 5000
/** The cache's whole size: past it the oldest pictures go first (one is at most AVATAR_MAX_BYTES, core/avatars.ts). */
export const AVATAR_CACHE_MAX_BYTES = 64 * 1024 * 1024

export interface CachedAvatar {
  token: string
  mime: string
  bytes: Buffer
}

export class AvatarCacheRepo {
  constructor(private readonly db: Database) {}

  get(accountId: string, remoteId: string): CachedAvatar | undefined {
    return prepared(this.db, 'SELECT token, mime, bytes FROM avatar_cache WHERE account_id = ? AND remote_id = ?').get(accountId, remoteId) as
      CachedAvatar | undefined
  }

  put(accountId: string, remoteId: string, entry: { token: string; mime: string; bytes: Uint8Array }, now: number, maxBytes = AVATAR_CACHE_MAX_BYTES): void {
    prepared(
      this.db,
      `INSERT INTO avatar_cache (account_id, remote_id, token, mime, bytes, fetched_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, remote_id) DO UPDATE SET token = excluded.token, mime = excluded.mime, bytes = excluded.bytes, fetched_at = excluded.fetched_at`
    ).run(accountId, remoteId, entry.token, entry.mime, entry.bytes, now)
    prepared(this.db, 'DELETE FROM avatar_cache WHERE rowid IN (SELECT rowid FROM avatar_cache ORDER BY fetched_at DESC LIMIT -1 OFFSET ?)').run(MAX_ROWS)
    prepared(
      this.db,
      `DELETE FROM avatar_cache WHERE rowid IN (
         SELECT rowid FROM (SELECT rowid, sum(length(bytes)) OVER (ORDER BY fetched_at DESC, rowid DESC) AS running FROM avatar_cache) WHERE running > ?)`
    ).run(maxBytes)
  }

  /** The picture token Core holds for a remote id of an account: the own profile, a group chat's, else the contact's. */
  tokenOf(accountId: string, remoteId: string): { kind: 'self' | 'chat' | 'contact'; token: string } | undefined {
    const self = prepared(this.db, 'SELECT avatar FROM accounts WHERE id = ? AND self_id = ?').get(accountId, remoteId) as { avatar: string | null } | undefined
    if (self) return self.avatar ? { kind: 'self', token: self.avatar } : undefined
    const chat = prepared(this.db, "SELECT avatar FROM chats WHERE account_id = ? AND remote_id = ? AND kind = 'group'").get(accountId, remoteId) as
      { avatar: string | null } | undefined
    if (chat?.avatar) return { kind: 'chat', token: chat.avatar }
    const contact = prepared(this.db, 'SELECT avatar FROM contacts WHERE account_id = ? AND remote_id = ?').get(accountId, remoteId) as
      { avatar: string | null } | undefined
    if (contact?.avatar) return { kind: 'contact', token: contact.avatar }
    // A direct chat's own token, where a network reports one on the chat rather than the contact.
    const direct = prepared(this.db, "SELECT avatar FROM chats WHERE account_id = ? AND remote_id = ? AND kind = 'direct'").get(accountId, remoteId) as
      { avatar: string | null } | undefined
    return direct?.avatar ? { kind: 'contact', token: direct.avatar } : undefined
  }
}

/**
 * The version tag the renderer sees for a token: short, URL-safe, and different when the
 * token is (FNV-1a, 32 bits, twice with different seeds). The token itself stays in main.
 */
export function avatarVersion(token: string | null | undefined): string | undefined {
  if (!token) return undefined
  let a = 0x811c9dc5
  let b = 0x01000193
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193) >>> 0
    b = Math.imul(b ^ c, 0x811c9dc5) >>> 0
  }
  return a.toString(36) + b.toString(36)
}
