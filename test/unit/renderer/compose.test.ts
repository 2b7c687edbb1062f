import { describe, expect, it } from 'vitest'
import { splitText, textDraft } from '../../../src/renderer/src/compose'

describe('splitText', () => {
  it('keeps every character, in order, in parts no longer than the limit', () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `word${i}`).join(' ')
    const parts = splitText(words, 1000)
    expect(parts.every((p) => p.length <= 1000)).toBe(true)
    expect(parts.join(' ')).toBe(words)
  })

  it('cuts at a paragraph, then a line, then a space, before cutting inside a word', () => {
    expect(splitText('aaaa bbbb\n\ncccc dddd', 14)).toEqual(['aaaa bbbb', 'cccc dddd'])
    expect(splitText('aaaa bbbb\ncccc dddd', 14)).toEqual(['aaaa bbbb', 'cccc dddd'])
    expect(splitText('aaaaaaaaaaaaaaaaaaaa', 8)).toEqual(['aaaaaaaa', 'aaaaaaaa', 'aaaa'])
  })

  it('never splits a surrogate pair (an emoji) in two', () => {
    const text = '😀'.repeat(10)
    const parts = splitText(text, 5)
    expect(parts.join('')).toBe(text)
    for (const p of parts) expect(p).not.toMatch(/[\uD800-\uDBFF]$/)
  })

  it('leaves text within the limit as one part', () => {
    expect(splitText('hello', 5)).toEqual(['hello'])
  })
})

describe('textDraft', () => {
  it('makes "/me waves" an emote only where the network has emotes', () => {
    expect(textDraft('/me waves', true)).toEqual({ kind: 'emote', text: 'waves' })
    // Elsewhere the contact reads exactly what Junction shows (issue 11 §6).
    expect(textDraft('/me waves', false)).toEqual({ kind: 'text', text: '/me waves' })
  })
})

describe('linkParts', () => {
  it('finds http and https links and leaves the sentence’s punctuation outside them', async () => {
    const { linkParts } = await import('../../../src/renderer/src/components/LinkedText')
    expect(linkParts('see https://example.com/a?b=1, and http://x.test.')).toEqual([
      { text: 'see ' },
      { text: 'https://example.com/a?b=1', url: 'https://example.com/a?b=1' },
      { text: ', and ' },
      { text: 'http://x.test', url: 'http://x.test' },
      { text: '.' }
    ])
  })

  it('does not link other schemes', async () => {
    const { linkParts } = await import('../../../src/renderer/src/components/LinkedText')
    expect(linkParts('javascript:alert(1) file:///etc/passwd')).toEqual([{ text: 'javascript:alert(1) file:///etc/passwd' }])
  })
})
