import type { Database } from 'better-sqlite3'
import { prepared } from './database'
import type { NetworkId, SearchHit } from '../../../shared/model'
import { hasCjk, segmentWord, unsegment } from './cjk'

/**
 * Turns what a person typed into an FTS5 query: every word must match, as a prefix, and
 * nothing they type is interpreted as FTS5 syntax (quotes, NEAR, column filters, `*`).
 * A word the tokenizer splits further (combining marks, as in Devanagari) is a phrase.
 */
export function toFtsQuery(input: string): string | null {
  // A word the tokenizer splits at punctuation ("e-mail") stays one phrase of its parts, so
  // it does not match messages holding the parts apart ("mail the e-shop").
  // Brackets, quotes, colons and the like only separate words (they are query syntax otherwise).
  const words = input
    .normalize('NFKC')
    .split(BETWEEN_WORDS)
    .map((w) =>
      w
        .split(WORD_SEPARATORS)
        .filter((p) => p.length > 0)
        .join(' ')
    )
  return terms(words)
}

const BETWEEN_WORDS = /[\s\p{Ps}\p{Pe}\p{Pi}\p{Pf}"':;,!?*^()]+/u

/**
 * The same for messages_cjk, where each CJK character is its own token: a word becomes a
 * phrase of its characters ("東京" → "東 京"), which matches anywhere in a sentence.
 */
export function toCjkFtsQuery(input: string): string | null {
  return terms(input.normalize('NFKC').split(WORD_SEPARATORS).map(segmentWord))
}

const WORD_SEPARATORS = /[\s\p{P}\p{S}]+/u

function terms(words: string[]): string | null {
  const kept = words.filter((w) => w.length > 0).slice(0, 16)
  if (kept.length === 0) return null
  return kept.map((w) => `"${w.replaceAll('"', '""')}"*`).join(' ')
}

interface HitRow {
  id: number
  chat_id: number
  account_id: string
  network: NetworkId
  title: string
  sender_name: string | null
  timestamp: number
  snippet: string
}

export class SearchRepo {
  constructor(private readonly db: Database) {}

  /** Newest matches first, with a snippet whose matches are wrapped in U+0002 … U+0003. */
  search(input: string, limit: number, scope: { accountId?: string; chatId?: number } = {}): SearchHit[] {
    // A query with CJK text can only match messages with CJK text, all of which messages_cjk holds.
    const cjk = hasCjk(input)
    const table = cjk ? 'messages_cjk' : 'messages_fts'
    const match = cjk ? toCjkFtsQuery(input) : toFtsQuery(input)
    if (match === null) return []
    const filters: string[] = ['m.deleted = 0']
    const params: (string | number)[] = [match]
    if (scope.accountId !== undefined) {
      filters.push('m.account_id = ?')
      params.push(scope.accountId)
    }
    if (scope.chatId !== undefined) {
      filters.push('m.chat_id = ?')
      params.push(scope.chatId)
    }
    const rows = prepared(
      this.db,
      `SELECT m.id, m.chat_id, m.account_id, a.network, c.title, m.sender_name, m.timestamp,
                snippet(${table}, 0, char(2), char(3), '…', ${cjk ? 24 : 12}) AS snippet
         FROM ${table}
         JOIN messages m ON m.id = ${table}.rowid
         JOIN chats c ON c.id = m.chat_id
         JOIN accounts a ON a.id = m.account_id
         WHERE ${table} MATCH ? AND ${filters.join(' AND ')}
         ORDER BY ${table}.rowid DESC
         LIMIT ?`
    ).all(...params, limit) as HitRow[]
    return rows.map((r) => ({
      messageId: String(r.id),
      chatId: String(r.chat_id),
      accountId: r.account_id,
      network: r.network,
      chatTitle: r.title,
      senderName: r.sender_name,
      timestamp: r.timestamp,
      snippet: cjk ? unsegment(r.snippet) : r.snippet
    }))
  }
}
