import type { Database } from 'better-sqlite3'
import { prepared } from './database'
import type { NetworkId } from '../../../shared/model'
import { randomId } from '../../base/ids'
import type { AccountRow } from './rows'

/** One colour per account, in the order accounts are added; white text on each passes WCAG AA (≥ 4.5:1). */
export const ACCOUNT_PALETTE = ['#1f66c9', '#b4501c', '#1b7550', '#8a3fb0', '#876300', '#b8325a', '#1c7282', '#5b4fd1']

const COLUMNS = 'id, network, self_id, display_name, color, position, muted, created_at, avatar, nickname'

export class AccountsRepo {
  constructor(private readonly db: Database) {}

  list(): AccountRow[] {
    return prepared(this.db, `SELECT ${COLUMNS} FROM accounts ORDER BY position, created_at`).all() as AccountRow[]
  }

  get(id: string): AccountRow | undefined {
    return prepared(this.db, `SELECT ${COLUMNS} FROM accounts WHERE id = ?`).get(id) as AccountRow | undefined
  }

  findBySelf(network: NetworkId, selfId: string): AccountRow | undefined {
    return prepared(this.db, `SELECT ${COLUMNS} FROM accounts WHERE network = ? AND self_id = ?`).get(network, selfId) as AccountRow | undefined
  }

  insert(input: { network: NetworkId; selfId: string; displayName: string; sealedCredentials: Uint8Array; now: number }): AccountRow {
    const id = randomId('acc')
    const count = prepared(this.db, 'SELECT count(*) AS n, coalesce(max(position), -1) AS p FROM accounts').get() as { n: number; p: number }
    const color = ACCOUNT_PALETTE[count.n % ACCOUNT_PALETTE.length]!
    prepared(
      this.db,
      'INSERT INTO accounts (id, network, self_id, display_name, color, position, credentials, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
    ).run(id, input.network, input.selfId, input.displayName, color, count.p + 1, input.sealedCredentials, input.now)
    return this.get(id)!
  }

  setCredentials(id: string, sealed: Uint8Array): void {
    prepared(this.db, 'UPDATE accounts SET credentials = ? WHERE id = ?').run(sealed, id)
  }

  getCredentials(id: string): Uint8Array | null {
    const row = prepared(this.db, 'SELECT credentials FROM accounts WHERE id = ?').get(id) as { credentials: Buffer | null } | undefined
    return row?.credentials ?? null
  }

  setDisplayName(id: string, displayName: string): boolean {
    return prepared(this.db, 'UPDATE accounts SET display_name = ? WHERE id = ? AND display_name <> ?').run(displayName, id, displayName).changes > 0
  }

  /** The own picture token (issue 12 §3); true when it changed. */
  setAvatar(id: string, token: string): boolean {
    return prepared(this.db, 'UPDATE accounts SET avatar = ? WHERE id = ? AND avatar IS NOT ?').run(token, id, token).changes > 0
  }

  /** The person's local name for the account; null clears it. */
  setNickname(id: string, nickname: string | null): void {
    prepared(this.db, 'UPDATE accounts SET nickname = ? WHERE id = ?').run(nickname, id)
  }

  setMuted(id: string, muted: boolean): void {
    prepared(this.db, 'UPDATE accounts SET muted = ? WHERE id = ?').run(muted ? 1 : 0, id)
  }

  /** Deletes the account and, through foreign keys, every chat, message, contact, cursor and outbox entry. */
  remove(id: string): boolean {
    return prepared(this.db, 'DELETE FROM accounts WHERE id = ?').run(id).changes > 0
  }
}
