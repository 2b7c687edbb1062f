import type { Migration } from './migration'

// Message actions (issue 12 §1): quoted replies, reactions, edit times, receipt times, and
// errors as codes (issue 10 §5).
// - reply_to: JSON `{remoteId, senderId?, text?}` — what the wire carried of the quoted
//   message; the quoted row itself is found by (chat_id, remote_id) when it is read, so a
//   quote that arrives before its original resolves once the original is stored.
// - reactions: JSON `[{s: senderId, e: emoji, m: 1 if own, t: epoch ms}]`, one entry per
//   person and emoji, in the order first given; NULL when there are none (most messages).
// - error: was English text written in main; now JSON `{code, reason?}` worded by the
//   renderer. Old rows become `internal` (their text stays only in old logs).
export const migration0008: Migration = {
  version: 8,
  name: 'message-actions',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN reply_to TEXT;
      ALTER TABLE messages ADD COLUMN reactions TEXT;
      ALTER TABLE messages ADD COLUMN edited_at INTEGER;
      ALTER TABLE messages ADD COLUMN delivered_at INTEGER;
      ALTER TABLE messages ADD COLUMN read_at INTEGER;
      UPDATE messages SET error = json_object('code', 'internal')
        WHERE error IS NOT NULL AND CASE WHEN json_valid(error) THEN json_type(error) <> 'object' ELSE 1 END;
    `)
  }
}
