// The contacts repository's contact requests (issue 16 point 1): a `pending` contact is kept
// beside the contacts, answered requests become contacts, a request never shadows a contact,
// and removal takes either.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Store } from '../../../../../src/main/core/store'

let store: Store
let accountId: string

beforeEach(() => {
  store = Store.open(':memory:')
  accountId = store.accounts.insert({ network: 'skype', selfId: '1:me@example.com', displayName: 'Me', sealedCredentials: new Uint8Array([1]), now: 1 }).id
})

afterEach(() => store.close())

describe('contact requests in the store', () => {
  it('lists a request after the contacts, marked pending, and reports it once', () => {
    store.contacts.upsert(accountId, { remoteId: '1:zed@example.com', name: 'Zed' })
    const request = store.contacts.upsert(accountId, { remoteId: '1:bob@example.com', name: 'bob@example.com', pending: true })
    expect(request).toMatchObject({ accountId, remoteId: '1:bob@example.com', pending: true, blocked: false, presence: 'unknown' })
    expect(store.contacts.upsert(accountId, { remoteId: '1:bob@example.com', name: 'bob@example.com', pending: true })).toBeUndefined()
    expect(store.contacts.list(accountId).map((c) => [c.remoteId, c.pending ?? false])).toEqual([
      ['1:zed@example.com', false],
      ['1:bob@example.com', true]
    ])
    expect(store.contacts.get(accountId, '1:bob@example.com')?.pending).toBe(true)
  })

  it('turns an accepted request into a contact, and never lets a request shadow a contact', () => {
    store.contacts.upsert(accountId, { remoteId: '1:bob@example.com', name: 'bob@example.com', pending: true })
    const contact = store.contacts.upsert(accountId, { remoteId: '1:bob@example.com', name: 'Bob B.', blocked: false })
    expect(contact).toMatchObject({ name: 'Bob B.' })
    expect(contact?.pending).toBeUndefined()
    expect(store.contacts.upsert(accountId, { remoteId: '1:bob@example.com', name: 'bob@example.com', pending: true })).toBeUndefined()
    expect(store.contacts.list(accountId)).toHaveLength(1)
    expect(store.contacts.get(accountId, '1:bob@example.com')?.name).toBe('Bob B.')
  })

  it('removes a contact or a request, and says whether there was one', () => {
    store.contacts.upsert(accountId, { remoteId: '1:carol@example.com', name: 'Carol' })
    store.contacts.upsert(accountId, { remoteId: '1:dave@example.com', name: 'dave@example.com', pending: true })
    expect(store.contacts.remove(accountId, '1:carol@example.com')).toBe(true)
    expect(store.contacts.remove(accountId, '1:dave@example.com')).toBe(true)
    expect(store.contacts.remove(accountId, '1:dave@example.com')).toBe(false)
    expect(store.contacts.list(accountId)).toEqual([])
  })

  it('keeps requests per account and forgets them with the account', () => {
    const other = store.accounts.insert({
      network: 'skype',
      selfId: '1:two@example.com',
      displayName: 'Two',
      sealedCredentials: new Uint8Array([1]),
      now: 2
    }).id
    store.contacts.upsert(accountId, { remoteId: '1:bob@example.com', name: 'bob@example.com', pending: true })
    expect(store.contacts.list(other)).toEqual([])
    store.contacts.forgetRequests(accountId)
    expect(store.contacts.list(accountId)).toEqual([])
  })
})
