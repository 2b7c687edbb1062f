// Contacts merged from the SOAP address book (`1:`) and ActiveSync (`8:`), spec §1.1,
// §13, §14: one person per pair, blocked from any source.

import { describe, expect, it } from 'vitest'
import { AddressBook, mergeContacts } from '../../../../../src/main/networks/skype/contacts'

const folder = (sid: string) => ({ serverId: sid, displayName: sid, sid })
const item = (fields: Record<string, string>) => ({ serverId: 'x', fields })

describe('mergeContacts', () => {
  const merged = mergeContacts(
    {
      contacts: [
        { address: '1:bob@hotmail.com', name: 'Bob (WLM)' },
        { address: '1:dave@hotmail.com', name: 'Dave Miller' }
      ],
      memberships: [{ role: 'Block', address: '1:eve@hotmail.com' }],
      blocked: ['1:mallory@hotmail.com']
    },
    [
      {
        folder: folder('SKYPE'),
        contacts: [
          item({ 'Contacts:FileAs': 'Bob Smith', 'Contacts:Email1Address': 'Bob@Hotmail.com', 'Contacts2:IMAddress': 'bob.smith' }),
          item({ 'Contacts:FirstName': 'Carol', 'Contacts2:IMAddress': 'carol.jones' })
        ]
      },
      {
        folder: folder('GBL'),
        contacts: [item({ 'Contacts:FileAs': 'Mallory', 'Contacts:Email1Address': 'mallory@hotmail.com', 'Contacts2:IMAddress': 'mallory.spam' })]
      }
    ]
  )

  it('makes one contact of a Skype name and the Microsoft account behind it', () => {
    const ids = merged.entries.map((e) => e.remoteId).sort()
    expect(ids).toEqual(['1:dave@hotmail.com', '1:eve@hotmail.com', '8:bob.smith', '8:carol.jones', '8:mallory.spam'])
    expect(merged.aliases.get('1:bob@hotmail.com')).toBe('8:bob.smith')
    expect(merged.entries.find((e) => e.remoteId === '8:bob.smith')).toMatchObject({ name: 'Bob Smith', blocked: false, aliases: ['1:bob@hotmail.com'] })
  })

  it('blocks from the block list folder, FindAllBlockedContacts and the Block role', () => {
    const blocked = merged.entries
      .filter((e) => e.blocked)
      .map((e) => e.remoteId)
      .sort()
    expect(blocked).toEqual(['1:eve@hotmail.com', '8:mallory.spam'])
    expect(merged.entries.find((e) => e.remoteId === '8:mallory.spam')?.name).toBe('Mallory')
  })
})

describe('AddressBook', () => {
  it('routes aliases, tracks presence and subscribes to what is not blocked', () => {
    const book = new AddressBook()
    book.replace(
      mergeContacts({ contacts: [{ address: '1:bob@hotmail.com', name: 'Bob' }], memberships: [], blocked: [] }, [
        {
          folder: folder('SKYPE'),
          contacts: [item({ 'Contacts:FileAs': 'Bob Smith', 'Contacts:Email1Address': 'bob@hotmail.com', 'Contacts2:IMAddress': 'bob.smith' })]
        },
        { folder: folder('GBL'), contacts: [item({ 'Contacts2:IMAddress': 'spam' })] }
      ])
    )
    expect(book.canonical('1:bob@hotmail.com')).toBe('8:bob.smith')
    expect(book.notePresence('1:bob@hotmail.com', 'busy', undefined)).toMatchObject({ remoteId: '8:bob.smith', presence: 'busy' })
    expect(book.notePresence('8:bob.smith', 'busy', undefined)).toBeUndefined()
    expect(book.notePresence('8:stranger', 'online', 'S')).toBeUndefined()
    expect(book.subscriptions('8:')).toEqual(['8:bob.smith'])
    expect(book.subscriptions('1:')).toEqual(['1:bob@hotmail.com'])
    expect(book.get('8:spam')?.blocked).toBe(true)
  })
})
