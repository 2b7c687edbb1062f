// A contact's presence and "last seen" in the store (issue 15 §5, issue 12 §5 contact panel):
// a presence-only update (name '') keeps the stored name, `lastSeen` is kept until the
// network reports a newer one or says it is hidden now, and an update that changes nothing
// reports nothing.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Store } from '../../../../../src/main/core/store'

let store: Store
let accountId: string
const BOB = '15557654321@s.whatsapp.net'

beforeEach(() => {
  store = Store.open(':memory:')
  accountId = store.accounts.insert({
    network: 'whatsapp',
    selfId: '15551234567@s.whatsapp.net',
    displayName: 'Me',
    sealedCredentials: new Uint8Array([1]),
    now: 1
  }).id
})

afterEach(() => store.close())

describe('contact presence in the store', () => {
  it('keeps the name on a presence-only update and stores last seen', () => {
    store.contacts.upsert(accountId, { remoteId: BOB, name: 'Bob Builder' })
    const offline = store.contacts.upsert(accountId, { remoteId: BOB, name: '', presence: 'offline', lastSeen: 1_700_000_000_000 })
    expect(offline).toMatchObject({ name: 'Bob Builder', presence: 'offline', lastSeen: 1_700_000_000_000 })
    // Online without a time keeps the last one known.
    const online = store.contacts.upsert(accountId, { remoteId: BOB, name: '', presence: 'online' })
    expect(online).toMatchObject({ name: 'Bob Builder', presence: 'online', lastSeen: 1_700_000_000_000 })
    expect(store.contacts.upsert(accountId, { remoteId: BOB, name: '', presence: 'online' })).toBeUndefined()
    expect(store.contacts.upsert(accountId, { remoteId: BOB, name: '', lastSeen: 1_700_000_500_000 })).toMatchObject({ lastSeen: 1_700_000_500_000 })
    expect(store.contacts.list(accountId)).toEqual([expect.objectContaining({ name: 'Bob Builder', lastSeen: 1_700_000_500_000 })])
  })

  it('drops a kept last seen when the network says the contact now hides it (lastSeen: null)', () => {
    store.contacts.upsert(accountId, { remoteId: BOB, name: 'Bob', presence: 'offline', lastSeen: 1_700_000_000_000 })
    expect(store.contacts.upsert(accountId, { remoteId: BOB, name: '', presence: 'offline', lastSeen: null })).toMatchObject({
      name: 'Bob',
      presence: 'offline'
    })
    expect(store.contacts.get(accountId, BOB)?.lastSeen).toBeUndefined()
    // Said again, nothing changes; a new contact told "hidden" simply has none.
    expect(store.contacts.upsert(accountId, { remoteId: BOB, name: '', lastSeen: null })).toBeUndefined()
    expect(store.contacts.upsert(accountId, { remoteId: 'carol@s.whatsapp.net', name: 'Carol', lastSeen: null })?.lastSeen).toBeUndefined()
    // Absent still means unchanged.
    store.contacts.upsert(accountId, { remoteId: BOB, name: '', lastSeen: 1_700_000_900_000 })
    expect(store.contacts.upsert(accountId, { remoteId: BOB, name: '', presence: 'online' })).toMatchObject({ lastSeen: 1_700_000_900_000 })
  })

  it('a contact never seen has no last seen; one first met through presence has an empty name until named', () => {
    expect(store.contacts.upsert(accountId, { remoteId: BOB, name: '', presence: 'offline' })).toMatchObject({ name: '', presence: 'offline' })
    expect(store.contacts.get(accountId, BOB)?.lastSeen).toBeUndefined()
    expect(store.contacts.upsert(accountId, { remoteId: BOB, name: 'Bob' })).toMatchObject({ name: 'Bob', presence: 'offline' })
  })
})
