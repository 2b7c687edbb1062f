import type { Database } from 'better-sqlite3'
import { prepared } from './database'
import type { Contact } from '../../../shared/model'
import type { ContactInfo } from '../../networks/connector'
import { toContact, type ContactRow } from './rows'

export class ContactsRepo {
  /**
   * Contact requests (issue 16 point 1), per account, by remote id. They live in memory, not
   * in a table: the network is where a request is kept, and it reports each again at every
   * sign-in (MSNP18's Pending membership), so a restart loses nothing it would not resend.
   */
  private readonly requests = new Map<string, Map<string, Contact>>()

  constructor(private readonly db: Database) {}

  /** Returns the contact (or request) when it is new or changed, else undefined. */
  upsert(accountId: string, info: ContactInfo): Contact | undefined {
    if (info.pending) return this.upsertRequest(accountId, info)
    // A request answered (or the person added back) is a contact from now on.
    this.requests.get(accountId)?.delete(info.remoteId)
    // `lastSeen: null`: the contact no longer shares it, so a stored time goes (connector.ts).
    const hidden = info.lastSeen === null ? 1 : 0
    const result = prepared(
      this.db,
      `INSERT INTO contacts (account_id, remote_id, name, blocked, presence, avatar, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, remote_id) DO UPDATE SET
           name = CASE WHEN excluded.name = '' THEN contacts.name ELSE excluded.name END,
           last_seen = CASE WHEN ? THEN NULL ELSE coalesce(excluded.last_seen, contacts.last_seen) END,
           blocked = coalesce(?, contacts.blocked),
           presence = coalesce(?, contacts.presence),
           avatar = coalesce(?, contacts.avatar)
         WHERE (excluded.name <> '' AND contacts.name <> excluded.name) OR contacts.last_seen IS NOT (CASE WHEN ? THEN NULL ELSE coalesce(excluded.last_seen, contacts.last_seen) END) OR contacts.blocked <> coalesce(?, contacts.blocked) OR contacts.presence <> coalesce(?, contacts.presence)
           OR contacts.avatar IS NOT coalesce(?, contacts.avatar)`
    ).run(
      accountId,
      info.remoteId,
      info.name,
      info.blocked ? 1 : 0,
      info.presence ?? 'unknown',
      info.avatar ?? null,
      info.lastSeen ?? null,
      hidden,
      info.blocked === undefined ? null : info.blocked ? 1 : 0,
      info.presence ?? null,
      info.avatar ?? null,
      hidden,
      info.blocked === undefined ? null : info.blocked ? 1 : 0,
      info.presence ?? null,
      info.avatar ?? null
    )
    return result.changes > 0 ? this.get(accountId, info.remoteId) : undefined
  }

  private upsertRequest(accountId: string, info: ContactInfo): Contact | undefined {
    // Someone already a contact who is on the network's pending list is still a contact.
    if (this.getRow(accountId, info.remoteId)) return undefined
    let byRemote = this.requests.get(accountId)
    if (!byRemote) this.requests.set(accountId, (byRemote = new Map()))
    const old = byRemote.get(info.remoteId)
    const next: Contact = {
      accountId,
      remoteId: info.remoteId,
      name: info.name,
      blocked: false,
      presence: info.presence ?? old?.presence ?? 'unknown',
      pending: true
    }
    if (old && old.name === next.name && old.presence === next.presence) return undefined
    byRemote.set(info.remoteId, next)
    return next
  }

  /** Removes a contact or a request; true when there was one. */
  remove(accountId: string, remoteId: string): boolean {
    const request = this.requests.get(accountId)?.delete(remoteId) ?? false
    const row = prepared(this.db, 'DELETE FROM contacts WHERE account_id = ? AND remote_id = ?').run(accountId, remoteId)
    return request || row.changes > 0
  }

  /** Forgets an account's requests (the account was removed). */
  forgetRequests(accountId: string): void {
    this.requests.delete(accountId)
  }

  get(accountId: string, remoteId: string): Contact | undefined {
    return this.getRow(accountId, remoteId) ?? this.requests.get(accountId)?.get(remoteId)
  }

  private getRow(accountId: string, remoteId: string): Contact | undefined {
    const row = prepared(this.db, 'SELECT * FROM contacts WHERE account_id = ? AND remote_id = ?').get(accountId, remoteId) as ContactRow | undefined
    return row && toContact(row)
  }

  /** The contacts by name, then the requests by name. */
  list(accountId: string): Contact[] {
    const contacts = (prepared(this.db, 'SELECT * FROM contacts WHERE account_id = ? ORDER BY name COLLATE NOCASE').all(accountId) as ContactRow[]).map(
      toContact
    )
    const requests = [...(this.requests.get(accountId)?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }))
    return [...contacts, ...requests]
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
