// Quoted replies (actions-contract.md §3–§4). skype-msnp.md lists `<quote …>` among the
// RichText markup (§11.4) without its attributes; the shape used here is the one Skype's
// clients wrote in RichText messages, as exports show it:
// `<quote author="8:bob" authorname="Bob" timestamp="1451649600"><legacyquote>[1451649600] Bob: </legacyquote>the quoted text<legacyquote>&lt;&lt;&lt; </legacyquote></quote>the reply`.
// `legacyquote` is the plain-text rendering for old clients; readers drop it.

import { escapeXml } from '../xml'
import { richTextToPlain } from './messaging'

export interface QuoteMarkup {
  /** The quoted message's sender (`8:bob.smith`). */
  author: string
  authorName: string
  /** Seconds since the epoch. */
  timestamp: number
  /** The quoted message's Client-Message-ID, when Junction knows it. */
  messageId?: string
  text: string
}

/** The RichText body of a reply: the quote, then the reply's own text (both XML-escaped). */
export function quoteBody(q: QuoteMarkup, reply: string): string {
  const attrs = [`author="${escapeXml(q.author)}"`, `authorname="${escapeXml(q.authorName)}"`, `timestamp="${q.timestamp}"`]
  if (q.messageId) attrs.push(`messageid="${escapeXml(q.messageId)}"`)
  const legacy = `<legacyquote>[${q.timestamp}] ${escapeXml(q.authorName)}: </legacyquote>`
  return `<quote ${attrs.join(' ')}>${legacy}${escapeXml(q.text)}<legacyquote>&lt;&lt;&lt; </legacyquote></quote>${escapeXml(reply)}`
}

const MAX_QUOTE = 64 * 1024
const QUOTE = /^\s*<quote\b([^>]{0,2000})>([\s\S]*?)<\/quote>/i
const ATTR = /([a-z]{1,20})="([^"]{0,1000})"/gi

/** A leading quote of a RichText body, and the text after it; null when there is none. Bounded input, no backtracking blow-up. */
export function readQuote(
  body: string
): { quote: Omit<QuoteMarkup, 'authorName' | 'timestamp'> & { authorName?: string; timestamp?: number }; rest: string } | null {
  if (body.length > MAX_QUOTE) return null
  const m = QUOTE.exec(body)
  if (!m) return null
  const attrs = new Map<string, string>()
  for (const a of m[1]!.matchAll(ATTR)) attrs.set(a[1]!.toLowerCase(), richTextToPlain(a[2]!))
  const author = attrs.get('author')
  if (!author || !/^\d{1,2}:[^\s<>"]{1,256}$/.test(author)) return null
  const text = richTextToPlain(m[2]!.replace(/<legacyquote\b[^>]{0,200}>[\s\S]*?<\/legacyquote>/gi, '')).trim()
  const seconds = Number(attrs.get('timestamp'))
  const messageId = attrs.get('messageid')
  const authorName = attrs.get('authorname')
  return {
    quote: {
      author,
      text,
      ...(authorName ? { authorName } : {}),
      ...(Number.isSafeInteger(seconds) && seconds > 0 ? { timestamp: seconds } : {}),
      ...(messageId && /^[\w:.-]{1,64}$/.test(messageId) ? { messageId } : {})
    },
    rest: body.slice(m[0].length)
  }
}
