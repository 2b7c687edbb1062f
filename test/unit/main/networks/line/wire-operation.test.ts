// The hand-written reader of the stream's operations (wire.ts parseOperation, issue 14) must be
// zod's OperationWire exactly: the same value (keys in the same order) for what zod accepts, and
// the same typed error for what it rejects. zod is the reference here, not our own output.

import { describe, expect, it } from 'vitest'
import { OperationWire, parseOperation, parseOperationOrPassOver, parseWire, UNREADABLE_OPERATION } from '../../../../../src/main/networks/line/wire'
import { ProtocolError } from '../../../../../src/shared/errors'

const FROM = 'u' + 'ab'.repeat(16)
const GROUP = 'c' + 'cd'.repeat(16)

const VALID: unknown[] = [
  {
    revision: '250',
    createdTime: '1700000000000',
    type: 26,
    reqSeq: 0,
    message: { from: FROM, to: GROUP, toType: 2, id: '600000000000000002', text: 'yo', contentType: 0, contentMetadata: { a: 'b' } }
  },
  { type: 0, param1: '1', param2: null, param3: '3' },
  { revision: 251, createdTime: -5, type: 25, status: 1, message: null, extra: { nested: [1, 2] }, later: 'x' },
  {
    later: true,
    type: 26,
    revision: '9',
    message: { unknown: 1, chunks: ['AAAA', 'BBBB'], contentMetadata: { n: 5, z: null, u: undefined, t: true }, from: FROM }
  },
  {
    type: 26,
    message: { reactions: [{ a: 1 }, 'odd'], relatedMessageId: '7', messageRelationType: 3, relatedMessageServiceCode: null, hasContent: false, text: null }
  },
  { type: 26, revision: undefined, message: { contentMetadata: null, chunks: null, deliveredTime: '12' } },
  { type: 26, message: { contentMetadata: { 2: 'two', 1: 'one', b: 'B' } } }
]

const ODD_VALUES: unknown[] = [null, undefined, 1.5, -1, 2 ** 60, Number.NaN, '', '12a', '1'.repeat(21), true, [], ['x', 1], {}, { k: 1 }, 'text']

function outcome(parse: () => unknown): { value: string } | { error: string; detail: string | undefined } {
  try {
    return { value: JSON.stringify(parse(), (_k, v: unknown) => (v === undefined ? '<undefined>' : v)) }
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError)
    return { error: (error as ProtocolError).message, detail: (error as ProtocolError).detail }
  }
}

function expectSameAsZod(input: unknown): void {
  expect(outcome(() => parseOperation(input, 'an operation'))).toEqual(outcome(() => parseWire(OperationWire, input, 'an operation')))
}

describe('parseOperation', () => {
  it('gives zod’s value, keys in zod’s order, for well-formed operations', () => {
    for (const op of VALID) expectSameAsZod(op)
    const read = parseOperation(VALID[3], 'an operation')
    expect(Object.keys(read)).toEqual(['revision', 'type', 'message', 'later'])
    expect(read.message?.contentMetadata).toEqual({ n: '5', t: 'true' })
  })

  it('gives zod’s error or value for every odd value in every field', () => {
    const opFields = ['revision', 'createdTime', 'type', 'reqSeq', 'status', 'param1', 'message']
    const messageFields = ['from', 'toType', 'createdTime', 'text', 'hasContent', 'contentMetadata', 'chunks', 'messageRelationType', 'reactions']
    let checked = 0
    for (const value of ODD_VALUES) {
      for (const field of opFields) {
        expectSameAsZod({ ...(VALID[0] as object), [field]: value })
        checked++
      }
      for (const field of messageFields) {
        expectSameAsZod({ type: 26, message: { from: FROM, [field]: value } })
        checked++
      }
    }
    for (const top of [null, 'x', 7, [], [VALID[0]]]) expectSameAsZod(top)
    expect(checked).toBe(ODD_VALUES.length * 16)
  })

  it('rejects a missing type as zod does', () => {
    expect(() => parseOperation({ revision: '1' }, 'an operation')).toThrow(ProtocolError)
    expectSameAsZod({ revision: '1' })
  })

  it('treats __proto__ and inherited keys as zod does', () => {
    expectSameAsZod(JSON.parse('{"type":26,"__proto__":{"polluted":1},"message":{"__proto__":{"x":1},"from":"a"}}'))
    expectSameAsZod(JSON.parse('{"type":26,"message":{"contentMetadata":{"__proto__":"x","a":"b"}}}'))
    const inherited = Object.assign(Object.create({ param1: 'inherited' }) as object, { type: 1 })
    expectSameAsZod(inherited)
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
  })
})

describe('an operation that cannot be read (parseOperationOrPassOver)', () => {
  it('reads a readable one exactly as parseOperation does', () => {
    for (const value of VALID) expect(parseOperationOrPassOver(value, 'an operation')).toEqual(parseOperation(value, 'an operation'))
  })

  it('passes over one with a revision: its revision, and its message id and parties where they are strings', () => {
    expect(parseOperationOrPassOver({ revision: '300', message: { id: '600', from: FROM, to: GROUP, contentType: 'x' } }, 'an operation')).toEqual({
      revision: '300',
      type: UNREADABLE_OPERATION,
      message: { id: '600', from: FROM, to: GROUP }
    })
    expect(parseOperationOrPassOver({ revision: 301, type: 'x', message: { id: 5, from: FROM, to: GROUP } }, 'an operation')).toEqual({
      revision: '301',
      type: UNREADABLE_OPERATION
    })
  })

  it('throws the typed error when there is no revision to move past', () => {
    for (const value of [{ type: 'x' }, { revision: 'abc', type: 'x' }, { revision: -4, type: 'x' }, null, 'op'])
      expect(() => parseOperationOrPassOver(value, 'an operation')).toThrow(ProtocolError)
  })
})
