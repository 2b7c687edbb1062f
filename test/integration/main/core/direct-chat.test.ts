// "New chat" with any contact (issue 12 §5): Core opens the direct chat with a contact of an
// account, creating it (empty, local) when the network has none yet; a first message then
// goes to that contact like any other.
import { afterEach, describe, expect, it } from 'vitest'
import { FakeNetwork } from '../../../doubles/fake-network'
import { addAccountByQr, collect, createHarness, type Harness } from '../../../helpers/core-harness'
import { eventually } from '../../../helpers/events'

let h: Harness
afterEach(async () => h?.close())

describe('openDirectChat', () => {
  it('creates the chat with a contact that has none, once, and a message reaches the contact', async () => {
    const net = new FakeNetwork()
    const user = net.addUser('me', 'Me', { chats: [{ id: 'bob', title: 'Bob', messages: [['bob', 'hi']] }] })
    user.contacts.push({ remoteId: 'dora', name: 'Dora' })
    h = await createHarness({ net })
    const accountId = await addAccountByQr(h.core, h.net, 'me')
    await eventually(async () => (await h.core.handlers.listContacts({ accountId })).some((c) => c.remoteId === 'dora'))
    const chats = collect(h.core, 'chat')
    const chat = await h.core.handlers.openDirectChat({ accountId, remoteId: 'dora' })
    expect(chat).toMatchObject({ accountId, remoteId: 'dora', kind: 'direct', title: 'Dora' })
    expect(chats.map((c) => c.id)).toContain(chat.id)
    // Asking again opens the same chat; an existing chat is found, not duplicated.
    expect((await h.core.handlers.openDirectChat({ accountId, remoteId: 'dora' })).id).toBe(chat.id)
    const bob = await h.core.handlers.openDirectChat({ accountId, remoteId: 'bob' })
    expect((await h.core.handlers.listMessages({ chatId: bob.id, limit: 10 })).messages.map((m) => m.text)).toEqual(['hi'])
    await h.core.handlers.sendMessage({ chatId: chat.id, clientId: 'client-dora-1', draft: { kind: 'text', text: 'hello Dora' } })
    await eventually(() => h.net.deliveries.some((d) => d.text === 'hello Dora'))
  })

  it('refuses an unknown account or contact with a typed error', async () => {
    const net = new FakeNetwork()
    net.addUser('me', 'Me', { chats: [{ id: 'bob', title: 'Bob' }] })
    h = await createHarness({ net })
    const accountId = await addAccountByQr(h.core, h.net, 'me')
    await expect(h.core.handlers.openDirectChat({ accountId, remoteId: 'nobody' })).rejects.toMatchObject({ code: 'not-found' })
    await expect(h.core.handlers.openDirectChat({ accountId: 'acc-nope', remoteId: 'bob' })).rejects.toMatchObject({ code: 'not-found' })
  })
})
