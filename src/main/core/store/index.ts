import type { Database } from 'better-sqlite3'
import { AccountsRepo } from './accounts'
import { AvatarCacheRepo } from './avatars'
import { ChatsRepo } from './chats'
import { ContactsRepo } from './contacts'
import { CursorsRepo } from './cursors'
import { beforeNextUse, openDatabase, runBeforeUse } from './database'
import { KeysRepo } from './keys'
import { MediaCacheRepo } from './media'
import { MessagesRepo } from './messages'
import { OutboxRepo } from './outbox'
import { SearchRepo } from './search'
import { SettingsRepo } from './settings'

export type { OutboxEntry } from './outbox'

/** The profile database: one SQLite file, one repository per table. */
export class Store {
  readonly accounts: AccountsRepo
  readonly chats: ChatsRepo
  readonly contacts: ContactsRepo
  readonly messages: MessagesRepo
  readonly outbox: OutboxRepo
  readonly cursors: CursorsRepo
  readonly media: MediaCacheRepo
  readonly search: SearchRepo
  readonly settings: SettingsRepo
  readonly keys: KeysRepo
  readonly avatars: AvatarCacheRepo

  constructor(readonly db: Database) {
    this.accounts = new AccountsRepo(db)
    this.chats = new ChatsRepo(db)
    this.contacts = new ContactsRepo(db)
    this.messages = new MessagesRepo(db)
    this.outbox = new OutboxRepo(db)
    this.cursors = new CursorsRepo(db)
    this.media = new MediaCacheRepo(db)
    this.search = new SearchRepo(db)
    this.settings = new SettingsRepo(db)
    this.keys = new KeysRepo(db)
    this.avatars = new AvatarCacheRepo(db)
  }

  static open(path: string): Store {
    return new Store(openDatabase(path))
  }

  transaction<T>(fn: () => T): T {
    // Writes held back for a batch commit first, so transactions commit in the order they were asked for.
    runBeforeUse(this.db)
    return this.db.transaction(fn)()
  }

  /**
   * Runs `fn` once before the next statement a repository runs, or the next transaction or
   * close: how Ingest commits coalesced events before anything else reads or writes.
   * Statements prepared directly on `db` bypass it (call `runPending()` first).
   */
  beforeNextUse(fn: () => void): void {
    beforeNextUse(this.db, fn)
  }

  /** Runs what `beforeNextUse` registered now. */
  runPending(): void {
    runBeforeUse(this.db)
  }

  close(): void {
    if (!this.db.open) return
    runBeforeUse(this.db)
    this.db.close()
  }
}
