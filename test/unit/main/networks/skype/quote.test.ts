// Quoted replies' markup (msnp/quote.ts): what quoteBody writes, readQuote reads back; a
// body without a leading quote is none; fuzzed bodies give a quote or null, never a throw.

import { describe, expect, it } from 'vitest'
import { quoteBody, readQuote } from '../../../../../src/main/networks/skype/msnp/quote'

describe('quote markup', () => {
  it('round-trips author, name, time, id and text, escaping both texts', () => {
    const body = quoteBody({ author: '8:bob.smith', authorName: 'Bob & Co', timestamp: 1451649600, messageId: '1415097600000', text: 'a < b' }, 'reply > it')
    expect(body).toBe(
      '<quote author="8:bob.smith" authorname="Bob &amp; Co" timestamp="1451649600" messageid="1415097600000"><legacyquote>[1451649600] Bob &amp; Co: </legacyquote>a &lt; b<legacyquote>&lt;&lt;&lt; </legacyquote></quote>reply &gt; it'
    )
    expect(readQuote(body)).toEqual({
      quote: { author: '8:bob.smith', authorName: 'Bob & Co', timestamp: 1451649600, messageId: '1415097600000', text: 'a < b' },
      rest: 'reply &gt; it'
    })
  })

  it('finds no quote where there is none or its author is unreadable', () => {
    expect(readQuote('plain <b>text</b>')).toBeNull()
    expect(readQuote('before <quote author="8:x">q</quote>')).toBeNull()
    expect(readQuote('<quote author="bob">q</quote>r')).toBeNull()
    expect(readQuote(`<quote author="8:x">${'a'.repeat(70_000)}</quote>`)).toBeNull()
  })

  it('gives a quote or null for 20,000 fuzzed bodies, quickly', () => {
    let seed = 0xc0ffee
    const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0)
    const parts = [
      '<quote',
      ' author="8:a"',
      ' timestamp="',
      '99999999999999999999',
      '"',
      '>',
      '</quote>',
      '<legacyquote>',
      '</legacyquote>',
      '&lt;',
      '&#x110000;',
      '"',
      ' ',
      'x',
      '\u0000',
      '\ud800'
    ]
    const started = Date.now()
    for (let i = 0; i < 20_000; i++) {
      const body = Array.from({ length: next() % 24 }, () => parts[next() % parts.length]).join('')
      const q = readQuote(body)
      if (q) expect(q.quote.author).toMatch(/^\d{1,2}:/)
    }
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
