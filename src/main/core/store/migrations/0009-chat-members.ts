import type { Migration } from './migration'

// Group members (issue 12 §5, the group info panel): JSON `[{r: remoteId, n?: name}]` as the
// network last reported them; NULL when it never did (direct chats, networks without a list).
export const migration0009: Migration = {
  version: 9,
  name: 'chat-members',
  up(db) {
    db.exec(`ALTER TABLE chats ADD COLUMN members TEXT;`)
  }
}
