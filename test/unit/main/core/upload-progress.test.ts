// Core's upload progress (issue 12 §2): what a Connector reports as it uploads becomes at most
// one `uploadProgress` event per 100 ms per message, never backwards, with the last one always.

import { describe, expect, it } from 'vitest'
import { PROGRESS_INTERVAL_MS, uploadProgressReporter } from '../../../../src/main/core/attachments'

function reporter() {
  let now = 1_000
  const events: { sent: number; total: number }[] = []
  const report = uploadProgressReporter(
    (p) => events.push({ sent: p.sent, total: p.total }),
    () => now,
    { messageId: '7', chatId: '3' }
  )
  return { report, events, advance: (ms: number) => (now += ms) }
}

describe('uploadProgressReporter', () => {
  it('passes the first report and then at most one per interval', () => {
    const r = reporter()
    r.report(0, 1000)
    for (let sent = 10; sent < 500; sent += 10) r.report(sent, 1000)
    expect(r.events).toEqual([{ sent: 0, total: 1000 }])
    r.advance(PROGRESS_INTERVAL_MS - 1)
    r.report(600, 1000)
    expect(r.events).toHaveLength(1)
    r.advance(1)
    r.report(700, 1000)
    expect(r.events.at(-1)).toEqual({ sent: 700, total: 1000 })
  })

  it('always passes the end of the upload, once', () => {
    const r = reporter()
    r.report(0, 1000)
    r.report(1000, 1000)
    r.report(1000, 1000)
    r.advance(PROGRESS_INTERVAL_MS)
    r.report(1000, 1000)
    expect(r.events).toEqual([
      { sent: 0, total: 1000 },
      { sent: 1000, total: 1000 }
    ])
  })

  it('never goes backwards, clamps to the total and ignores nonsense', () => {
    const r = reporter()
    r.report(500, 1000)
    r.advance(PROGRESS_INTERVAL_MS)
    r.report(100, 1000)
    r.report(Number.NaN, 1000)
    r.report(10, 0)
    r.report(10, -5)
    expect(r.events).toEqual([{ sent: 500, total: 1000 }])
    r.report(5000, 1000)
    expect(r.events.at(-1)).toEqual({ sent: 1000, total: 1000 })
  })

  it('carries the message and chat ids', () => {
    const seen: unknown[] = []
    uploadProgressReporter(
      (p) => seen.push(p),
      () => 0,
      { messageId: '42', chatId: '9' }
    )(1, 2)
    expect(seen).toEqual([{ messageId: '42', chatId: '9', sent: 1, total: 2 }])
  })
})
