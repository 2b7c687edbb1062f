// Group members for the chat info panel (issue 12 §5): Core keeps the list a Connector's
// ChatInfo carried (migration 0009), keeps it when a later ChatInfo says nothing of members,
// and names each member from the account's contacts where it knows them.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Store } from '../../../../src/main/core/store'
import { DATABASE_FILE } from '../../../../src/main/core/profile'
import { FakeNetwork } from '../../../doubles/fake-network'
import { addAccountByQr, createHarness, tempDir, type Harness } from '../../../helpers/core-harness'
import { eventually } from '../../../helpers/events'

let h: Harness | undefined
let side: Store | undefined
const dirs: { remove(): void }[] = []
afterEach(async () => {
  side?.close()
  side = undefined
  await h?.close()
  h = undefined
  for (const d of dirs.splice(0)) d.remove()
})

describe('getChatMembers', () => {
  it('returns the stored members, named from contacts first, and keeps them across a members-less update', async () => {
    const net = new FakeNetwork()
    const user = net.addUser('me', 'Me', {
      chats: [
        { id: 'team', kind: 'group', title: 'Team' },
        { id: 'bob', title: 'Bob' }
      ]
    })
    user.contacts.push({ remoteId: 'dora', name: 'Dora' })
    const dir = tempDir()
    dirs.push(dir)
    h = await createHarness({ net, dataDir: dir.path })
    const accountId = await addAccountByQr(h.core, h.net, 'me')
    await eventually(async () => (await h!.core.handlers.listContacts({ accountId })).some((c) => c.remoteId === 'dora'))
    const team = (await h.core.handlers.listInbox({ filter: { kind: 'title', query: 'Team' }, limit: 5 })).chats[0]!
    // Nothing listed yet: the panel says so rather than showing an empty group.
    expect(await h.core.handlers.getChatMembers({ chatId: team.id })).toEqual([])

    // A second connection to the same profile stands in for the Connector's ChatInfo (the fake network has no member lists).
    side = Store.open(join(dir.path, DATABASE_FILE))
    const first = side.chats.upsert(accountId, {
      remoteId: 'team',
      kind: 'group',
      title: 'Team',
      members: [{ remoteId: 'dora', name: 'D. on the group' }, { remoteId: 'zed', name: 'Zed' }, { remoteId: 'anon' }]
    })
    expect(first.changed).toBe(true)
    expect(await h.core.handlers.getChatMembers({ chatId: team.id })).toEqual([
      { remoteId: 'dora', name: 'Dora' },
      { remoteId: 'zed', name: 'Zed' },
      { remoteId: 'anon' }
    ])
    // The same list again changes nothing; a ChatInfo without members keeps the last list.
    expect(
      side.chats.upsert(accountId, {
        remoteId: 'team',
        kind: 'group',
        title: 'Team',
        members: [{ remoteId: 'dora', name: 'D. on the group' }, { remoteId: 'zed', name: 'Zed' }, { remoteId: 'anon' }]
      }).changed
    ).toBe(false)
    side.chats.upsert(accountId, { remoteId: 'team', kind: 'group', title: 'Team renamed' })
    expect((await h.core.handlers.getChatMembers({ chatId: team.id })).map((m) => m.remoteId)).toEqual(['dora', 'zed', 'anon'])
    // A new list replaces the old one.
    side.chats.upsert(accountId, { remoteId: 'team', kind: 'group', title: 'Team', members: [{ remoteId: 'zed' }] })
    expect(await h.core.handlers.getChatMembers({ chatId: team.id })).toEqual([{ remoteId: 'zed' }])
  })

  it('refuses a chat that does not exist with a typed error', async () => {
    const net = new FakeNetwork()
    net.addUser('me', 'Me', { chats: [{ id: 'bob', title: 'Bob' }] })
    h = await createHarness({ net })
    await addAccountByQr(h.core, h.net, 'me')
    await expect(h.core.handlers.getChatMembers({ chatId: '999999' })).rejects.toMatchObject({ code: 'not-found' })
  })
})
