import type { Migration } from './migration'

// A contact's "last seen" (issue 12 §5 contact panel, issue 15 §5 presence): epoch ms the
// network last reported them online (WhatsApp `<presence last=…>`); NULL when it never did.
export const migration0011: Migration = {
  version: 11,
  name: 'contact-last-seen',
  up(db) {
    db.exec(`ALTER TABLE contacts ADD COLUMN last_seen INTEGER;`)
  }
}
