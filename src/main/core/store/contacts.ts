import type { Database } from 'better-sqlite3'
import { prepared } from './database'
import type { Contact } from '../../../shared/model'
import type { ContactInfo } from '../../networks/connector'
import { toContact, type ContactRow } from './rows'

export class ContactsRepo {
  constructor(private readonly db: Database) {}

  /** Returns the contact when it is new or changed, else undefined. */
  upsert(accountId: string, info: ContactInfo): Contact | undefined {
    const result = prepared(
      this.db,
      `INSERT INTO contacts (account_id, remote_id, name, blocked, presence) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account_id, remote_id) DO UPDATE SET
           name = excluded.name,
           blocked = coalesce(?, contacts.blocked),
           presence = coalesce(?, contacts.presence)
         WHERE contacts.name <> excluded.name OR contacts.blocked <> coalesce(?, contacts.blocked) OR contacts.presence <> coalesce(?, contacts.presence)`
    ).run(
      accountId,
      info.remoteId,
      info.name,
      info.blocked ? 1 : 0,
      info.presence ?? 'unknown',
      info.blocked === undefined ? null : info.blocked ? 1 : 0,
      info.presence ?? null,
      info.blocked === undefined ? null : info.blocked ? 1 : 0,
      info.presence ?? null
    )
    return result.changes > 0 ? this.get(accountId, info.remoteId) : undefined
  }

  get(accountId: string, remoteId: string): Contact | undefined {
    const row = prepared(this.db, 'SELECT * FROM contacts WHERE account_id = ? AND remote_id = ?').get(accountId, remoteId) as ContactRow | undefined
    return row && toContact(row)
  }

  list(accountId: string): Contact[] {
    return (prepared(this.db, 'SELECT * FROM contacts WHERE account_id = ? ORDER BY name COLLATE NOCASE').all(accountId) as ContactRow[]).map(toContact)
  }

  /** Which of `remoteIds` are blocked, in one query (a batch asks about hundreds of senders). */
  blockedAmong(accountId: string, remoteIds: Iterable<string>): Set<string> {
    const list = [...remoteIds]
    if (list.length === 0) return new Set()
    const rows = prepared(this.db, 'SELECT remote_id FROM contacts WHERE account_id = ? AND blocked = 1 AND remote_id IN (SELECT value FROM json_each(?))').all(
      accountId,
      JSON.stringify(list)
    ) as { remote_id: string }[]
    return new Set(rows.map((r) => r.remote_id))
  }

  isBlocked(accountId: string, remoteId: string): boolean {
    const row = prepared(this.db, 'SELECT blocked FROM contacts WHERE account_id = ? AND remote_id = ?').get(accountId, remoteId) as
      { blocked: number } | undefined
    return row?.blocked === 1
  }
}
