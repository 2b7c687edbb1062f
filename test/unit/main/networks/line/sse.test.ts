// The event-stream framing and the meaning of LINE's stream events (spec §7.1, capture 002).

import { describe, expect, it } from 'vitest'
import { SseParser, type SseEvent } from '../../../../../src/main/networks/line/sse'
import { decodeStreamEvent } from '../../../../../src/main/networks/line/stream-events'
import { UNREADABLE_OPERATION } from '../../../../../src/main/networks/line/wire'
import { ProtocolError } from '../../../../../src/shared/errors'

function parse(chunks: (string | Uint8Array)[], limits?: { maxLineBytes: number; maxEventBytes: number }): SseEvent[] {
  const out: SseEvent[] = []
  const p = new SseParser((e) => out.push(e), limits)
  for (const c of chunks) p.push(c)
  p.end()
  return out
}

// capture 002: the /api/operation/receive events, verbatim in shape.
const CAPTURE = [
  'event: ping',
  'data: null',
  '',
  'event: connInfoRevision',
  'data: 396',
  '',
  'id: 947934',
  'data: {"revision":"947934","createdTime":"1773625292915","type":40,"reqSeq":65421321,"param1":"c0123","param2":"605311845963661626","param3":"0"}',
  '',
  'id: 947935',
  'data: {"revision":"947935","createdTime":"1773625299390","type":25,"reqSeq":-1,"param1":"0","message":{"from":"u1","to":"c0123","toType":2,"id":"605311879182811626","createdTime":"1773625299388","text":"\\u306a\\u306b","hasContent":false,"contentType":0,"contentMetadata":{},"sessionId":0,"reactions":[]}}',
  '',
  ''
].join('\n')

describe('SSE framing', () => {
  it('parses the capture 002 stream: ping, connInfoRevision, and operations with ids', () => {
    const events = parse([CAPTURE])
    expect(events.map((e) => [e.event, e.id])).toEqual([
      ['ping', undefined],
      ['connInfoRevision', undefined],
      ['message', '947934'],
      ['message', '947935']
    ])
    expect(events[0]!.data).toBe('null')
    expect(events[1]!.data).toBe('396')
  })

  it('gives the same events however the bytes are split, even inside UTF-8 and CRLF', () => {
    const text = CAPTURE.replace(/\n/g, '\r\n') + 'data: テスト\r\n\r\n'
    const bytes = Buffer.from(text, 'utf8')
    const whole = parse([bytes])
    for (let size = 1; size <= 7; size++) {
      const chunks: Uint8Array[] = []
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size))
      expect(parse(chunks)).toEqual(whole)
    }
    expect(whole.at(-1)!.data).toBe('テスト')
  })

  it('accepts CR-only line endings, comments, multi-line data, a BOM, and fields without a space', () => {
    const events = parse(['\uFEFF: a comment\r', 'event:reconnect\rdata:a\rdata: b\r\r', 'data\n\n'])
    expect(events).toEqual([
      { event: 'reconnect', data: 'a\nb' },
      { event: 'message', data: '' }
    ])
  })

  it('drops an event the stream ended before finishing', () => {
    expect(parse(['data: {"type":26}'])).toEqual([])
  })

  it('keeps the last event id for events that do not name one', () => {
    const events = parse(['id: 7\ndata: a\n\ndata: b\n\n'])
    expect(events.map((e) => e.id)).toEqual(['7', '7'])
  })

  it('refuses an overlong line and an oversized event with a typed error', () => {
    expect(() => parse(['data: ' + 'x'.repeat(200)], { maxLineBytes: 100, maxEventBytes: 1000 })).toThrow(ProtocolError)
    expect(() => parse([Array.from({ length: 30 }, () => 'data: ' + 'y'.repeat(50)).join('\n') + '\n\n'], { maxLineBytes: 100, maxEventBytes: 1000 })).toThrow(
      ProtocolError
    )
  })
})

describe('LINE stream events', () => {
  it('decodes operations in each of the accepted forms', () => {
    const op = {
      revision: '36542',
      createdTime: '1781183881292',
      type: 26,
      reqSeq: 0,
      message: { from: 'u1', to: 'u2', toType: 0, id: '617993075302072356', contentType: 0, text: 'hi', contentMetadata: {} }
    }
    const one = decodeStreamEvent({ event: 'message', data: JSON.stringify(op) })
    const list = decodeStreamEvent({ event: 'message', data: JSON.stringify([op, op]) })
    const wrapped = decodeStreamEvent({ event: 'message', data: JSON.stringify({ operations: [op] }) })
    expect(one).toMatchObject({ kind: 'operations', operations: [{ revision: '36542', type: 26 }] })
    expect(list.kind === 'operations' && list.operations.length).toBe(2)
    expect(wrapped.kind === 'operations' && wrapped.operations[0]!.message!.text).toBe('hi')
  })

  it('reads numeric i64 as strings and tolerates unknown fields', () => {
    const e = decodeStreamEvent({ event: 'message', data: '{"revision":36542,"type":26,"newField":{"x":1}}' })
    expect(e).toMatchObject({ kind: 'operations', operations: [{ revision: '36542', newField: { x: 1 } }] })
  })

  it('decodes the steering events', () => {
    expect(decodeStreamEvent({ event: 'ping', data: 'null' })).toEqual({ kind: 'ping' })
    expect(decodeStreamEvent({ event: 'connInfoRevision', data: '396' })).toEqual({ kind: 'connInfoRevision', revision: '396' })
    expect(decodeStreamEvent({ event: 'fullSync', data: '{"reasons":[],"nextRevision":"36600"}' })).toEqual({ kind: 'fullSync', nextRevision: '36600' })
    expect(decodeStreamEvent({ event: 'talkException', data: '{"code":8,"reason":"LOG_OUT"}' })).toEqual({ kind: 'talkException', code: 8, reason: 'LOG_OUT' })
    expect(decodeStreamEvent({ event: 'somethingNew', data: '{}' })).toEqual({ kind: 'ignored', event: 'somethingNew' })
  })

  it('turns bad JSON and bad shapes into typed errors', () => {
    expect(() => decodeStreamEvent({ event: 'message', data: '{"revision":' })).toThrow(ProtocolError)
    expect(() => decodeStreamEvent({ event: 'message', data: '{"type":"26"}' })).toThrow(ProtocolError)
    // A bad shape with a revision is passed over (asking again brings the same), its revision kept.
    expect(decodeStreamEvent({ event: 'message', data: '{"revision":"1"}' })).toEqual({
      kind: 'operations',
      operations: [{ revision: '1', type: UNREADABLE_OPERATION }]
    })
    expect(() => decodeStreamEvent({ event: 'fullSync', data: 'nope' })).toThrow(ProtocolError)
  })
})
