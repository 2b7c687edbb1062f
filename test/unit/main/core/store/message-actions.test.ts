// Migration 0008 and the message-action columns (store/message-extras.ts): old English errors
// become codes; reactions one per person; quotes resolved from the stored original.

import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../../../src/main/core/store/migrate'
import { MIGRATIONS } from '../../../../../src/main/core/store/migrations'
import { migration0008 } from '../../../../../src/main/core/store/migrations/0008-message-actions'
import { parseMessageError, parseQuote, parseReactions, serializeReactions, withReaction } from '../../../../../src/main/core/store/message-extras'

describe('migration 0008', () => {
  it('adds the columns and turns old English errors into codes, keeping new ones', () => {
    const db = new BetterSqlite3(':memory:')
    migrate(db, MIGRATIONS.slice(0, 7))
    db.exec(`INSERT INTO accounts (id, network, self_id, display_name, color, position, created_at) VALUES ('a', 'line', 'me', 'Me', '#000', 0, 0)`)
    db.exec(`INSERT INTO chats (id, account_id, remote_id, kind, title) VALUES (1, 'a', 'c', 'direct', 'C')`)
    const insert = db.prepare(
      `INSERT INTO messages (chat_id, account_id, sender_id, from_me, timestamp, kind, text, status, error) VALUES (1, 'a', 'me', 1, 1, 'text', 't', 'failed', ?)`
    )
    insert.run('Bob has blocked you.')
    insert.run(null)
    insert.run('"a json string"')
    expect(MIGRATIONS[7]).toBe(migration0008)
    expect(migrate(db, MIGRATIONS.slice(0, 8))).toMatchObject({ from: 7, to: 8 })
    const rows = db.prepare('SELECT error, reply_to, reactions, edited_at, delivered_at, read_at FROM messages ORDER BY id').all()
    expect(rows).toEqual([
      { error: '{"code":"internal"}', reply_to: null, reactions: null, edited_at: null, delivered_at: null, read_at: null },
      { error: null, reply_to: null, reactions: null, edited_at: null, delivered_at: null, read_at: null },
      { error: '{"code":"internal"}', reply_to: null, reactions: null, edited_at: null, delivered_at: null, read_at: null }
    ])
  })
})

describe('message extras', () => {
  it('read errors as known codes only', () => {
    expect(parseMessageError('{"code":"rejected","reason":{"code":"refused","params":{"detail":"x"}}}')).toEqual({
      code: 'rejected',
      reason: { code: 'refused', params: { detail: 'x' } }
    })
    expect(parseMessageError('{"code":"no-such-code","reason":{"code":"bogus"}}')).toEqual({ code: 'internal' })
    expect(parseMessageError('English words')).toEqual({ code: 'internal' })
    expect(parseMessageError(null)).toBeNull()
  })

  it('keep one reaction per person, report no change for a replay, and group by emoji in order', () => {
    let col: string | null = null
    const set = (senderId: string, emoji: string | null, fromMe = false) => {
      const next = withReaction(col, { senderId, fromMe, emoji, timestamp: 1 })
      if (next !== undefined) col = next
      return next
    }
    set('bob', '👍')
    set('me', '❤️', true)
    set('carol', '👍')
    expect(set('bob', '👍')).toBeUndefined()
    expect(set('dave', null)).toBeUndefined()
    expect(parseReactions(col)).toEqual([
      { emoji: '👍', senderIds: ['bob', 'carol'], own: false },
      { emoji: '❤️', senderIds: ['me'], own: true }
    ])
    set('bob', '❤️')
    set('carol', null)
    expect(parseReactions(col)).toEqual([{ emoji: '❤️', senderIds: ['me', 'bob'], own: true }])
    set('me', null)
    set('bob', null)
    expect(col).toBeNull()
    expect(parseReactions('garbage')).toEqual([])
    expect(parseReactions('[{"s":1},{"s":"x","e":"👍","m":0,"t":0}]')).toEqual([{ emoji: '👍', senderIds: ['x'], own: false }])
    expect(serializeReactions([])).toBeNull()
  })

  it('resolve a quote from the stored original, else from what the wire carried', () => {
    const stored = JSON.stringify({ id: 7, senderId: 'bob', senderName: 'Bob', fromMe: 0, kind: 'image', text: '', deleted: 0 })
    expect(parseQuote('{"remoteId":"r7"}', stored)).toEqual({
      messageId: '7',
      remoteId: 'r7',
      senderId: 'bob',
      senderName: 'Bob',
      fromMe: false,
      kind: 'image',
      text: '',
      deleted: false
    })
    expect(parseQuote('{"remoteId":"r8","senderId":"carol","text":"as quoted"}', null)).toMatchObject({ messageId: null, senderId: 'carol', text: 'as quoted' })
    expect(parseQuote(null, stored)).toBeNull()
    expect(parseQuote('not json', null)).toBeNull()
  })
})
