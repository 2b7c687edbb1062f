// Issue 12 §2: the file draft's schema and its place under sendMessage's frame cap.

import { describe, expect, it } from 'vitest'
import { frameByteLimit, scanFrame } from '../../../../src/main/bridge/frames'
import { LIMITS, REQUEST_SCHEMAS } from '../../../../src/main/bridge/schemas'

const send = (draft: Record<string, unknown>) => ({ chatId: 'c'.repeat(LIMITS.id), clientId: 'c'.repeat(64), draft })
const file = (extra: Record<string, unknown> = {}) => ({ kind: 'file', name: 'a.pdf', mime: 'application/pdf', size: 3, dataBase64: 'AAAA', ...extra })
const ok = (draft: Record<string, unknown>): boolean => REQUEST_SCHEMAS.sendMessage.safeParse(send(draft)).success

describe('the file draft', () => {
  it('fits the largest valid one under sendMessage’s frame cap', () => {
    const b64 = 'A'.repeat(LIMITS.fileBase64 - (LIMITS.fileBase64 % 4))
    const draft = file({ name: '\u3042'.repeat(LIMITS.fileName), mime: `application/${'x'.repeat(100)}`, size: (b64.length / 4) * 3, dataBase64: b64 })
    expect(ok(draft)).toBe(true)
    const encoded = Buffer.from(JSON.stringify({ id: Number.MAX_SAFE_INTEGER, name: 'sendMessage', arg: send(draft) }))
    expect(encoded.length).toBeLessThanOrEqual(frameByteLimit('sendMessage'))
    expect(scanFrame(encoded)).toMatchObject({ ok: true, name: 'sendMessage' })
  })

  it('refuses path separators, control characters, odd types, sizes and bytes', () => {
    expect(ok(file())).toBe(true)
    expect(ok(file({ name: '../x' }))).toBe(false)
    expect(ok(file({ name: 'a\\b' }))).toBe(false)
    expect(ok(file({ name: 'a\u0000' }))).toBe(false)
    expect(ok(file({ name: '' }))).toBe(false)
    expect(ok(file({ name: 'n'.repeat(LIMITS.fileName + 1) }))).toBe(false)
    expect(ok(file({ mime: 'pdf' }))).toBe(false)
    expect(ok(file({ mime: 'text/html\r\nX: y' }))).toBe(false)
    expect(ok(file({ size: 0 }))).toBe(false)
    expect(ok(file({ size: 1.5 }))).toBe(false)
    expect(ok(file({ dataBase64: 'not base64!' }))).toBe(false)
    expect(ok(file({ path: '/etc/passwd' }))).toBe(false)
  })

  it('takes a photo’s file name as a display name only', () => {
    const image = (extra: Record<string, unknown> = {}) => ({ kind: 'image', mime: 'image/png', dataBase64: 'AAAA', ...extra })
    expect(ok(image())).toBe(true)
    expect(ok(image({ name: 'beach.png' }))).toBe(true)
    expect(ok(image({ name: '../beach.png' }))).toBe(false)
    expect(ok(image({ name: 'C:\\x.png' }))).toBe(false)
    expect(ok(image({ name: 'a\u0007.png' }))).toBe(false)
    expect(ok(image({ name: '' }))).toBe(false)
    expect(ok(image({ name: 'n'.repeat(LIMITS.fileName + 1) }))).toBe(false)
  })

  it('takes openAttachment by message id only', () => {
    expect(REQUEST_SCHEMAS.openAttachment.safeParse({ messageId: '12' }).success).toBe(true)
    expect(REQUEST_SCHEMAS.openAttachment.safeParse({ messageId: '12', path: '/tmp/x' }).success).toBe(false)
  })
})
