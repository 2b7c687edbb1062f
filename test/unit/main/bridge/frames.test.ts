// Issue 11 §10: the frame scan that runs before JSON.parse, and the per-request caps.

import { describe, expect, it } from 'vitest'
import {
  DEFAULT_FRAME_BYTES,
  FRAME_BYTE_LIMITS,
  MAX_FRAME_BYTES,
  MAX_FRAME_DEPTH,
  MAX_FRAME_TOKENS,
  frameByteLimit,
  scanFrame,
  type FrameScan
} from '../../../../src/main/bridge/frames'
import { LIMITS, REQUEST_SCHEMAS } from '../../../../src/main/bridge/schemas'
import { REQUEST_NAMES, type RequestName } from '../../../../src/shared/api'

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8')
const frame = (value: unknown): Buffer => bytes(JSON.stringify(value))

/** The worst case JSON.stringify has for a string: control characters, six bytes each. */
const worstText = (length: number): string => '\u0001'.repeat(length)
const maxId = 'i'.repeat(LIMITS.id)
const maxFields = Object.fromEntries(Array.from({ length: LIMITS.fields }, (_, i) => [`${i}`.padEnd(64, 'k'), worstText(LIMITS.field)]))

/** The largest argument each schema accepts, for the kinds that carry free text or media. */
const LARGEST_VALID: Partial<Record<RequestName, unknown>> = {
  sendMessage: {
    chatId: maxId,
    clientId: 'c'.repeat(64),
    draft: {
      kind: 'image',
      mime: 'image/jpeg',
      dataBase64: 'A'.repeat(LIMITS.imageBase64 - (LIMITS.imageBase64 % 4)),
      caption: worstText(LIMITS.text),
      name: '\u3042'.repeat(LIMITS.fileName),
      thumbnailBase64: 'A'.repeat(LIMITS.thumbnailBase64 - (LIMITS.thumbnailBase64 % 4)),
      width: 100_000,
      height: 100_000
    }
  },
  updateChat: { chatId: maxId, pinned: false, muted: false, archived: false, markUnread: false, draft: worstText(LIMITS.draft) },
  startLogin: { network: 'whatsapp', methodId: maxId, fields: maxFields, accountId: maxId },
  submitLoginInput: { loginId: maxId, values: maxFields },
  completeBrowserLogin: { loginId: maxId, redirectUrl: worstText(LIMITS.url) },
  openExternal: { url: `https://x.example/${'a'.repeat(LIMITS.url - 18)}` },
  search: { query: worstText(LIMITS.query), limit: LIMITS.pageSize, accountId: maxId, chatId: maxId },
  updateSettings: {
    theme: 'system',
    notifications: { enabled: true, showPreview: true },
    network: { id: 'whatsapp', name: 'n'.repeat(64), value: worstText(LIMITS.field) }
  }
}

describe('per-request frame caps', () => {
  it.each(Object.entries(LARGEST_VALID))('the largest valid %s request fits its cap and passes the scan', (name, arg) => {
    expect(REQUEST_SCHEMAS[name as RequestName].safeParse(arg).success).toBe(true)
    const encoded = frame({ id: Number.MAX_SAFE_INTEGER, name, arg })
    expect(encoded.length).toBeLessThanOrEqual(frameByteLimit(name))
    expect(scanFrame(encoded)).toEqual({ ok: true, name, id: Number.MAX_SAFE_INTEGER })
  })

  it('gives only the media and free-text requests more than the small default', () => {
    expect(DEFAULT_FRAME_BYTES).toBe(64 * 1024)
    expect(Object.keys(FRAME_BYTE_LIMITS).sort()).toEqual(['sendMessage', 'updateChat'])
    for (const name of REQUEST_NAMES) if (!(name in FRAME_BYTE_LIMITS)) expect(frameByteLimit(name)).toBe(DEFAULT_FRAME_BYTES)
    expect(frameByteLimit(null)).toBe(DEFAULT_FRAME_BYTES)
    expect(frameByteLimit('__proto__')).toBe(DEFAULT_FRAME_BYTES)
    expect(frameByteLimit('constructor')).toBe(DEFAULT_FRAME_BYTES)
    expect(MAX_FRAME_BYTES).toBe(FRAME_BYTE_LIMITS.sendMessage)
    expect(MAX_FRAME_BYTES).toBeLessThan(LIMITS.requestBytes)
  })
})

describe('scanFrame', () => {
  it('reads the name and id of an ordinary frame in any key order', () => {
    expect(scanFrame(frame({ id: 7, name: 'listInbox', arg: { filter: { kind: 'all' }, limit: 5 } }))).toEqual({ ok: true, name: 'listInbox', id: 7 })
    expect(scanFrame(bytes(' { "arg" : {"name":"x"} , "name" : "getChat" , "id" : -3 } '))).toEqual({ ok: true, name: 'getChat', id: -3 })
    expect(scanFrame(bytes('{"id":1}'))).toEqual({ ok: true, name: null, id: 1 })
    expect(scanFrame(bytes('"just a string"'))).toEqual({ ok: true, name: null, id: null })
  })

  it('does not end a string at an escaped quote', () => {
    const tricky = '{"id":2,"name":"getChat","arg":{"chatId":"a\\"],[[[[\\\\"}}'
    expect(JSON.parse(tricky)).toMatchObject({ arg: { chatId: 'a"],[[[[\\' } })
    expect(scanFrame(bytes(tricky))).toEqual({ ok: true, name: 'getChat', id: 2 })
  })

  it('refuses nesting past the cap, counting only brackets outside strings', () => {
    const nested = (depth: number): string => `{"id":1,"name":"sendMessage","arg":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`
    expect(scanFrame(bytes(nested(MAX_FRAME_DEPTH)))).toMatchObject({ ok: true })
    expect(scanFrame(bytes(nested(MAX_FRAME_DEPTH + 1)))).toEqual({ ok: false, problem: 'too-deep', name: 'sendMessage', id: 1 })
    expect(scanFrame(frame({ id: 1, name: 'getChat', arg: { chatId: '['.repeat(1000) } }))).toMatchObject({ ok: true })
  })

  it('refuses a frame with more structural tokens than any request has', () => {
    const wide = frame({ id: 1, name: 'sendMessage', arg: Array.from({ length: MAX_FRAME_TOKENS }, () => 0) })
    expect(scanFrame(wide)).toEqual({ ok: false, problem: 'too-complex', name: 'sendMessage', id: 1 })
  })

  it('refuses a frame above its request cap as soon as the name is read', () => {
    const big = bytes(`{"id":9,"name":"listInbox","arg":"${'x'.repeat(DEFAULT_FRAME_BYTES)}"}`)
    expect(scanFrame(big)).toEqual({ ok: false, problem: 'too-large', name: 'listInbox', id: 9 })
    // Without a readable name the default cap applies, however the name is spelled for JSON.parse.
    const escaped = bytes(`{"id":9,"name":"send\\u004dessage","arg":"${'x'.repeat(DEFAULT_FRAME_BYTES)}"}`)
    expect(scanFrame(escaped)).toMatchObject({ ok: false, problem: 'too-large', name: null })
    const nameless = bytes(`["${'x'.repeat(DEFAULT_FRAME_BYTES)}"]`)
    expect(scanFrame(nameless)).toMatchObject({ ok: false, problem: 'too-large' })
    const media = bytes(`{"id":9,"name":"sendMessage","arg":"${'x'.repeat(DEFAULT_FRAME_BYTES)}"}`)
    expect(scanFrame(media)).toMatchObject({ ok: true, name: 'sendMessage' })
  })

  it('treats what JSON.parse would read differently as malformed', () => {
    expect(scanFrame(bytes('{"id":1,"name":"sendMessage","name":"listInbox"}'))).toMatchObject({ ok: false, problem: 'malformed' })
    expect(scanFrame(bytes('{"id":1,"n\\u0061me":"sendMessage"}'))).toMatchObject({ ok: false, problem: 'malformed' })
    expect(scanFrame(bytes('{"id":1,"name":"x"'))).toMatchObject({ ok: false, problem: 'malformed' })
    expect(scanFrame(bytes('{"id":1,"name":"x}'))).toMatchObject({ ok: false, problem: 'malformed' })
    expect(scanFrame(bytes('{"id":1}}'))).toMatchObject({ ok: false, problem: 'malformed' })
  })

  it('scans a maximal media frame quickly and a 15 MB nested bomb at once', () => {
    const media = frame({
      id: 1,
      name: 'sendMessage',
      arg: { chatId: '1', clientId: 'abcdefgh', draft: { kind: 'image', mime: 'image/png', dataBase64: 'A'.repeat(LIMITS.imageBase64 - 4) } }
    })
    let started = performance.now()
    expect(scanFrame(media)).toMatchObject({ ok: true })
    expect(performance.now() - started).toBeLessThan(250)
    const bomb = bytes(`{"id":1,"name":"sendMessage","arg":${'['.repeat(7_500_000)}${']'.repeat(7_500_000)}}`)
    started = performance.now()
    expect(scanFrame(bomb)).toMatchObject({ ok: false, problem: 'too-deep' })
    expect(performance.now() - started).toBeLessThan(50)
  })

  it('never throws on random bytes and agrees with JSON.parse on what it passes', () => {
    let seed = 7
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const alphabet = '{}[]":,\\ nameid01-.etrufl'
    for (let i = 0; i < 20_000; i++) {
      const length = Math.floor(rand() * 40)
      let text = ''
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(rand() * alphabet.length)]
      const scan = scanFrame(bytes(text))
      expect(typeof scanFrame(bytes(text), { prefixOf: 10 * 1024 * 1024 }).ok).toBe('boolean')
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        continue
      }
      if (!scan.ok || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) continue
      const name = (parsed as { name?: unknown }).name
      if (scan.name !== null) expect(name).toBe(scan.name)
    }
  })
})

describe('scanFrame on the start of a frame still arriving', () => {
  const total = 5 * 1024 * 1024
  it('judges what the start shows and passes what it cannot judge yet', () => {
    const start = (text: string): FrameScan => scanFrame(bytes(text), { prefixOf: total })
    expect(start('{"id":1,"name":"sendMessage","arg":{"draft":{"dataBase64":"AAAA')).toEqual({ ok: true, name: 'sendMessage', id: 1 })
    expect(start('{"id":1,"name":"listInbox","arg":"AAAA')).toEqual({ ok: false, problem: 'too-large', name: 'listInbox', id: 1 })
    expect(start(`{"id":1,"name":"sendMessage","arg":${'['.repeat(40)}`)).toMatchObject({ ok: false, problem: 'too-deep' })
    expect(start('{"id":1,"na')).toEqual({ ok: true, name: null, id: 1 })
    expect(start(`{"id":1,"arg":"${'A'.repeat(600)}`)).toMatchObject({ ok: false, problem: 'too-large' })
    // The same start of a small frame is not held to the name window.
    expect(scanFrame(bytes(`{"id":1,"arg":"${'A'.repeat(600)}`), { prefixOf: 2000 })).toMatchObject({ ok: true })
  })

  it('refuses a large complete frame whose name comes too late', () => {
    const late = frame({ id: 1, arg: 'A'.repeat(DEFAULT_FRAME_BYTES), name: 'sendMessage' })
    expect(scanFrame(late)).toMatchObject({ ok: false, problem: 'too-large' })
    const small = frame({ id: 1, arg: 'A'.repeat(1000), name: 'getChat' })
    expect(scanFrame(small)).toEqual({ ok: true, name: 'getChat', id: 1 })
  })
})
