// The chat list's one-line preview (issue 12 §7): "Message deleted" only for a real deletion,
// never for an empty incoming message; photos, stickers and files by name.
import { describe, expect, it } from 'vitest'
import type { Chat, MessagePreview } from '../../../../src/shared/model'
import { previewText } from '../../../../src/renderer/src/components/Inbox'

function chat(preview: Partial<MessagePreview>, kind: Chat['kind'] = 'direct'): Chat {
  return {
    id: '1',
    accountId: 'a',
    network: 'line',
    remoteId: 'u1',
    kind,
    title: 'Bob',
    lastActivity: 0,
    preview: { kind: 'text', text: '', fromMe: false, senderName: 'Bob', status: 'read', deleted: false, ...preview },
    unread: 0,
    pinned: false,
    muted: false,
    archived: false,
    draft: ''
  }
}

describe('previewText', () => {
  it('does not call an empty message deleted', () => {
    expect(previewText(chat({ text: '' }))).toBe('')
    expect(previewText(chat({ text: '', deleted: true }))).toBe('Message deleted')
  })

  it('names photos, stickers and files, and who wrote in a group', () => {
    expect(previewText(chat({ kind: 'image' }))).toBe('Photo')
    expect(previewText(chat({ kind: 'sticker' }))).toBe('Sticker')
    expect(previewText(chat({ kind: 'file', text: 'report.pdf' }))).toBe('report.pdf')
    expect(previewText(chat({ text: 'hi', senderName: 'Carol' }, 'group'))).toBe('Carol: hi')
    expect(previewText(chat({ text: 'hi', fromMe: true }))).toBe('You: hi')
    expect(previewText(chat({ kind: 'system', text: 'You sent a nudge.', fromMe: true }))).toBe('You sent a nudge.')
  })
})
