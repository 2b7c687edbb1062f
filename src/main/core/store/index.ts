import type { Database } from 'better-sqlite3'
import { AccountsRepo } from './accounts'
import { ChatsRepo } from './chats'
import { ContactsRepo } from './contacts'
import { CursorsRepo } from './cursors'
import { openDatabase } from './database'
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
  }

  static open(path: string): Store {
    return new Store(openDatabase(path))
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
