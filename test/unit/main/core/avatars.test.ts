// Profile pictures in Core (issue 12 §3): the token a network reports is kept per contact,
// group and own profile; the bytes are fetched once per token, cached, fetched again when the
// token changes, and refused unless they are a PNG, JPEG, GIF or WebP of bounded size.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Store } from '../../../../src/main/core/store'
import { Avatars, AVATAR_MAX_BYTES, sniffImage } from '../../../../src/main/core/avatars'
import { silentLogger } from '../../../../src/main/base/log'
import type { AvatarKind, Connector, MediaBytes } from '../../../../src/main/networks/connector'
import { JunctionError } from '../../../../src/shared/errors'

// Magic numbers from the formats' own specifications (PNG §5.2, JFIF SOI, GIF89a, RIFF/WEBP).
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16])
const GIF = new TextEncoder().encode('GIF89a\u0001\u0000')
const WEBP = new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ')
const HTML = new TextEncoder().encode('<html><script>alert(1)</script>')

let store: Store
let accountId: string
let calls: { kind: AvatarKind; remoteId: string }[]
let answer: (kind: AvatarKind, remoteId: string) => MediaBytes | null
let online: boolean
let avatars: Avatars

beforeEach(() => {
  store = Store.open(':memory:')
  accountId = store.accounts.insert({ network: 'line', selfId: 'u-self', displayName: 'Me', sealedCredentials: new Uint8Array([1]), now: 1 }).id
  calls = []
  answer = () => ({ mime: 'image/jpeg', bytes: PNG })
  online = true
  const connector = {
    fetchAvatar: async (kind: AvatarKind, remoteId: string) => {
      calls.push({ kind, remoteId })
      return answer(kind, remoteId)
    }
  } as unknown as Connector
  avatars = new Avatars({ store, log: silentLogger, clock: () => 5, connectorFor: () => (online ? connector : undefined) })
})

afterEach(() => store.close())

async function failure(p: Promise<unknown>): Promise<JunctionError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(JunctionError)
  return error as JunctionError
}

describe('avatar tokens in the store', () => {
  it('gives contacts, direct chats, groups and the account a version that changes with the token', () => {
    const contact = store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob', avatar: '/pic/bob-1' })
    expect(contact?.avatar).toMatch(/^[a-z0-9]+$/)
    const { id } = store.chats.upsert(accountId, { remoteId: 'u-bob', kind: 'direct', title: 'Bob' })
    // A direct chat shows its contact's picture.
    expect(store.chats.get(id)?.avatar).toBe(contact?.avatar)
    const changed = store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob', avatar: '/pic/bob-2' })
    expect(changed?.avatar).toBeDefined()
    expect(changed?.avatar).not.toBe(contact?.avatar)
    // A report without a token keeps the one known.
    expect(store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob' })).toBeUndefined()
    expect(store.contacts.get(accountId, 'u-bob')?.avatar).toBe(changed?.avatar)
    // '' means the network has no picture: no version, initials in the renderer.
    expect(store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob', avatar: '' })?.avatar).toBeUndefined()

    const group = store.chats.upsert(accountId, { remoteId: 'c-group', kind: 'group', title: 'G', avatar: '/pic/g' })
    expect(store.chats.get(group.id)?.avatar).toMatch(/^[a-z0-9]+$/)
    expect(store.chats.upsert(accountId, { remoteId: 'c-group', kind: 'group', title: 'G', avatar: '/pic/g2' }).changed).toBe(true)

    expect(store.accounts.setAvatar(accountId, '/pic/me')).toBe(true)
    expect(store.accounts.setAvatar(accountId, '/pic/me')).toBe(false)
  })
})

describe('the avatar cache', () => {
  it('keeps its size bounded: the oldest pictures go first', () => {
    const bytes = new Uint8Array(1000)
    for (let i = 0; i < 5; i++) store.avatars.put(accountId, `u-${i}`, { token: 't', mime: 'image/png', bytes }, i, 3000)
    expect([0, 1, 2, 3, 4].map((i) => store.avatars.get(accountId, `u-${i}`) !== undefined)).toEqual([false, false, true, true, true])
  })
})

describe('Avatars', () => {
  it('fetches a contact picture once per token and serves the cache after', async () => {
    store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob', avatar: '/pic/bob-1' })
    const first = await avatars.get(accountId, 'u-bob')
    // The type is the one the bytes say, not the one the network claimed.
    expect(first.mime).toBe('image/png')
    expect([...first.bytes]).toEqual([...PNG])
    online = false
    expect([...(await avatars.get(accountId, 'u-bob')).bytes]).toEqual([...PNG])
    expect(calls).toEqual([{ kind: 'contact', remoteId: 'u-bob' }])
  })

  it('fetches again when the token changes, and only then', async () => {
    store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob', avatar: '/pic/bob-1' })
    await avatars.get(accountId, 'u-bob')
    store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob', avatar: '/pic/bob-2' })
    answer = () => ({ mime: 'image/jpeg', bytes: JPEG })
    expect((await avatars.get(accountId, 'u-bob')).mime).toBe('image/jpeg')
    await avatars.get(accountId, 'u-bob')
    expect(calls).toHaveLength(2)
  })

  it('asks for the right kind: the own profile, a group, a contact', async () => {
    store.accounts.setAvatar(accountId, '/pic/me')
    store.chats.upsert(accountId, { remoteId: 'c-group', kind: 'group', title: 'G', avatar: '/pic/g' })
    store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob', avatar: '/pic/b' })
    await avatars.get(accountId, 'u-self')
    await avatars.get(accountId, 'c-group')
    await avatars.get(accountId, 'u-bob')
    expect(calls).toEqual([
      { kind: 'self', remoteId: 'u-self' },
      { kind: 'chat', remoteId: 'c-group' },
      { kind: 'contact', remoteId: 'u-bob' }
    ])
  })

  it('shares one fetch between requests that arrive together', async () => {
    store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob', avatar: '/pic/b' })
    await Promise.all([avatars.get(accountId, 'u-bob'), avatars.get(accountId, 'u-bob'), avatars.get(accountId, 'u-bob')])
    expect(calls).toHaveLength(1)
  })

  it('refuses bytes that are not an image, and caches nothing', async () => {
    store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob', avatar: '/pic/b' })
    answer = () => ({ mime: 'image/png', bytes: HTML })
    const error = await failure(avatars.get(accountId, 'u-bob'))
    expect(error.code).toBe('rejected')
    expect(error.reason).toEqual({ code: 'refused', params: { what: 'avatar-type' } })
    expect(store.avatars.get(accountId, 'u-bob')).toBeUndefined()
  })

  it('refuses a picture larger than the bound', async () => {
    store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob', avatar: '/pic/b' })
    const big = new Uint8Array(AVATAR_MAX_BYTES + 1)
    big.set(PNG)
    answer = () => ({ mime: 'image/png', bytes: big })
    expect((await failure(avatars.get(accountId, 'u-bob'))).code).toBe('rejected')
  })

  it('says not-found without a token or picture, unavailable while offline', async () => {
    expect((await failure(avatars.get(accountId, 'u-nobody'))).code).toBe('not-found')
    expect((await failure(avatars.get('acc_missing', 'u-bob'))).code).toBe('not-found')
    store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob', avatar: '/pic/b' })
    answer = () => null
    expect((await failure(avatars.get(accountId, 'u-bob'))).code).toBe('not-found')
    // "No picture" is remembered for the token: not asked again until it changes.
    expect((await failure(avatars.get(accountId, 'u-bob'))).code).toBe('not-found')
    expect(calls).toHaveLength(1)
    store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob', avatar: '/pic/b2' })
    expect((await failure(avatars.get(accountId, 'u-bob'))).code).toBe('not-found')
    expect(calls).toHaveLength(2)
    store.contacts.upsert(accountId, { remoteId: 'u-bob', name: 'Bob', avatar: '/pic/b3' })
    online = false
    expect((await failure(avatars.get(accountId, 'u-bob'))).code).toBe('unavailable')
  })
})

describe('sniffImage', () => {
  it('knows the four picture types by their first bytes and nothing else', () => {
    expect(sniffImage(PNG)).toBe('image/png')
    expect(sniffImage(JPEG)).toBe('image/jpeg')
    expect(sniffImage(GIF)).toBe('image/gif')
    expect(sniffImage(WEBP)).toBe('image/webp')
    expect(sniffImage(HTML)).toBeNull()
    expect(sniffImage(new Uint8Array(0))).toBeNull()
    expect(sniffImage(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull()
  })
})
