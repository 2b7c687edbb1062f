// The message-action requests' argument schemas (issue 12): ids, one emoji, text length,
// and that the renderer cannot set a draft's quote itself.

import { describe, expect, it } from 'vitest'
import { isOneEmoji, LIMITS, REQUEST_SCHEMAS } from '../../../../src/main/bridge/schemas'

describe('message action schemas', () => {
  it('take exactly one emoji, or null to remove', () => {
    for (const ok of ['👍', '❤️', '😆', '👍🏽', '🇯🇵', '👨‍👩‍👧', '1️⃣']) expect(isOneEmoji(ok)).toBe(true)
    for (const bad of ['', 'a', '👍👍', 'ok👍', ' 👍', '\u0000', '<script>']) expect(isOneEmoji(bad)).toBe(false)
    expect(REQUEST_SCHEMAS.reactToMessage.safeParse({ messageId: '1', emoji: null }).success).toBe(true)
    expect(REQUEST_SCHEMAS.reactToMessage.safeParse({ messageId: '1', emoji: '👍👎' }).success).toBe(false)
    expect(REQUEST_SCHEMAS.reactToMessage.safeParse({ messageId: '', emoji: '👍' }).success).toBe(false)
    expect(REQUEST_SCHEMAS.reactToMessage.safeParse({ messageId: '1', emoji: 'x'.repeat(LIMITS.emoji + 1) }).success).toBe(false)
  })

  it('bound edits, and refuse a quote in the draft or unknown fields', () => {
    expect(REQUEST_SCHEMAS.editMessage.safeParse({ messageId: '1', text: 'x' }).success).toBe(true)
    expect(REQUEST_SCHEMAS.editMessage.safeParse({ messageId: '1', text: '' }).success).toBe(false)
    expect(REQUEST_SCHEMAS.editMessage.safeParse({ messageId: '1', text: 'x'.repeat(LIMITS.text + 1) }).success).toBe(false)
    const draft = { kind: 'text', text: 'hi' }
    expect(REQUEST_SCHEMAS.sendMessage.safeParse({ chatId: '1', clientId: 'abcdefgh', draft, replyToId: '2' }).success).toBe(true)
    const smuggled = { ...draft, replyTo: { remoteId: 'x', senderId: 'y', fromMe: true, text: '', timestamp: 0 } }
    expect(REQUEST_SCHEMAS.sendMessage.safeParse({ chatId: '1', clientId: 'abcdefgh', draft: smuggled }).success).toBe(false)
    expect(REQUEST_SCHEMAS.deleteMessage.safeParse({ messageId: '1', forEveryone: 'yes' }).success).toBe(false)
    expect(REQUEST_SCHEMAS.forwardMessage.safeParse({ messageId: '1', chatId: '2', clientId: 'short' }).success).toBe(false)
    expect(REQUEST_SCHEMAS.forwardMessage.safeParse({ messageId: '1', chatId: '2', clientId: 'abcdefgh', extra: 1 }).success).toBe(false)
  })
})
