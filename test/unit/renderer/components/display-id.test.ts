import { describe, expect, it } from 'vitest'
import { chatTitle, displayName, idLabel, readableId } from '../../../../src/renderer/src/components/display-id'
import { avatarHue, initials } from '../../../../src/renderer/src/components/Avatar'

describe('readable ids (issue 12 §3: raw ids are never shown where a name or number exists)', () => {
  it('turns the ids people saw in the app into something readable, or nothing', () => {
    expect(readableId('15550100@c.us')).toBe('+15550100')
    expect(readableId('4915550100:3@s.example.net')).toBe('+4915550100')
    expect(readableId('8:live:alice_1')).toBe('alice_1')
    expect(readableId('live:alice_1')).toBe('alice_1')
    expect(readableId('uc633b0e9f1e0a5d2c7b4a3f2e1d0c9b8')).toBeNull()
    expect(readableId('19:0123456789abcdef0123456789abcdef@thread.v2')).toBeNull()
    expect(readableId('bob@example.com')).toBe('bob')
    expect(readableId('  ')).toBeNull()
  })

  it('prefers the name, falls back to the readable id, then to the given word', () => {
    expect(displayName('Bob Smith', '8:live:bob', 'Someone')).toBe('Bob Smith')
    expect(displayName('8:live:bob', '8:live:bob', 'Someone')).toBe('bob')
    expect(displayName(null, 'uc633b0e9f1e0a5d2c7b4a3f2e1d0c9b8', 'Someone')).toBe('Someone')
    expect(chatTitle({ title: '15550100@c.us', remoteId: '15550100@c.us' })).toBe('+15550100')
    expect(chatTitle({ title: 'Family', remoteId: '1203630@g.us' })).toBe('Family')
  })
})

describe('avatar initials and colour', () => {
  it('takes the first letters of two words, and keeps a stable hue per id', () => {
    expect(initials('Bob Smith')).toBe('BS')
    expect(initials('alice')).toBe('A')
    expect(initials('+15550100')).toBe('1')
    expect(initials('élodie dupont')).toBe('ÉD')
    expect(initials('')).toBe('?')
    expect(avatarHue('a1/x')).toBe(avatarHue('a1/x'))
    expect(new Set(['a1/x', 'a2/x', 'a3/x'].map(avatarHue)).size).toBe(3)
  })
})

describe('idLabel', () => {
  it('calls a phone number a phone number and anything else an ID', () => {
    expect(idLabel(readableId('15550100@c.us')!)).toBe('Phone')
    expect(idLabel('bob')).toBe('ID')
    expect(idLabel('live:alice_1')).toBe('ID')
  })
})
