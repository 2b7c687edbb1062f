// The event-stream parser finds line ends by search (issue 14): every mix of LF, CR and CRLF
// (WHATWG event-stream: each is one line end), split at every position, gives the same events.

import { describe, expect, it } from 'vitest'
import { SseParser, type SseEvent } from '../../../../../src/main/networks/line/sse'

function parse(chunks: string[]): SseEvent[] {
  const out: SseEvent[] = []
  const p = new SseParser((e) => out.push(e))
  for (const c of chunks) p.push(c)
  p.end()
  return out
}

const TEXT = 'data: a\r\ndata: b\rdata: c\n\revent: ping\r\ndata\r\n\ndata: ' + 'Q'.repeat(40) + '\r\r\n: note\rdata: z\n\n'
const EXPECTED: SseEvent[] = [
  { event: 'message', data: 'a\nb\nc' },
  { event: 'ping', data: '' },
  { event: 'message', data: 'Q'.repeat(40) },
  { event: 'message', data: 'z' }
]

describe('SseParser line ends', () => {
  it('reads LF, CR and CRLF as line ends, however the text is split', () => {
    expect(parse([TEXT])).toEqual(EXPECTED)
    for (let i = 0; i <= TEXT.length; i++) expect(parse([TEXT.slice(0, i), TEXT.slice(i)])).toEqual(EXPECTED)
    for (let i = 0; i < TEXT.length; i++)
      for (const j of [i + 1, i + 2, i + 5]) expect(parse([TEXT.slice(0, i), TEXT.slice(i, j), TEXT.slice(j)])).toEqual(EXPECTED)
  })

  it('keeps a CR at the end of one piece and an LF at the start of the next as one line end', () => {
    expect(parse(['data: x\r', '\n', '\r', '\n'])).toEqual([{ event: 'message', data: 'x' }])
    expect(parse(['data: x\r', '\r'])).toEqual([{ event: 'message', data: 'x' }])
  })
})
