// Core's message actions (issue 12 §1) over the fake network with every action declared:
// argument and capability checks, what reaches the Connector, what is stored and what the
// renderer hears; incoming reactions, edits and deletions; local delete; forward; replies;
// errors as codes (issue 10 §5).

import { afterEach, describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../src/shared/errors'
import type { NetworkCapabilities } from '../../../../src/shared/api'
import { FakeNetwork } from '../../../doubles/fake-network'
import { ALL_ACTIONS, actionNetwork, newRecorder } from '../../../doubles/action-network'
import { addAccountByQr, collect, createHarness, type Harness } from '../../../helpers/core-harness'
import { eventually, waitFor } from '../../../helpers/events'

let h: Harness
afterEach(async () => h?.close())

async function setup(caps: Partial<NetworkCapabilities> = ALL_ACTIONS) {
  const net = new FakeNetwork()
  net.addUser('me', 'Me', {
    chats: [
      {
        id: 'bob',
        title: 'Bob',
        messages: [
          ['bob', 'first'],
          ['me', 'mine']
        ]
      },
      { id: 'carol', title: 'Carol', messages: [['carol', 'hi']] }
    ]
  })
  const rec = newRecorder()
  h = await createHarness({ net, networks: (n, calls) => [actionNetwork(n, caps, rec, { calls })] })
  await addAccountByQr(h.core, h.net, 'me')
  const chatOf = (remote: string) =>
    eventually(async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 10 })).chats.find((c) => c.remoteId === remote))
  const bob = await chatOf('bob')
  const carol = await chatOf('carol')
  const messages = async (chatId: string) => (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages
  const theirs = await eventually(async () => (await messages(bob.id)).find((m) => m.text === 'first'))
  const mine = await eventually(async () => (await messages(bob.id)).find((m) => m.text === 'mine'))
  return { rec, bob, carol, theirs, mine, messages }
}

describe('capabilities per account', () => {
  it('an account whose protocol lacks edits says so, and Core refuses them without calling the network', async () => {
    const { rec, mine } = await setup()
    expect((await h.core.handlers.listAccounts())[0]!.capabilities).toBeUndefined()
    rec.narrowed = { edits: false, unsend: false }
    expect((await h.core.handlers.listAccounts())[0]!.capabilities).toEqual({ edits: false, unsend: false })
    await expect(h.core.handlers.editMessage({ messageId: mine.id, text: 'changed' })).rejects.toMatchObject({ code: 'unsupported' })
    await expect(h.core.handlers.deleteMessage({ messageId: mine.id, forEveryone: true })).rejects.toMatchObject({ code: 'unsupported' })
    expect(rec.calls).toEqual([])
    rec.narrowed = {}
    await h.core.handlers.editMessage({ messageId: mine.id, text: 'changed' })
    expect(rec.calls).toEqual([`edit bob ${mine.remoteId} changed`])
  })
})

describe('reactions', () => {
  it('go to the Connector, are stored one per person, and arrive from others', async () => {
    const { rec, bob, theirs } = await setup()
    const heard = collect(h.core, 'message')
    const m = await h.core.handlers.reactToMessage({ messageId: theirs.id, emoji: '👍' })
    expect(rec.calls).toEqual([`react bob ${theirs.remoteId} 👍`])
    expect(m.reactions).toEqual([{ emoji: '👍', senderIds: ['me'], own: true }])
    expect(heard.at(-1)?.reactions).toEqual(m.reactions)
    // Bob reacts, then changes his mind: one reaction per person.
    rec.emit({ type: 'reaction', chatRemoteId: 'bob', messageRemoteId: theirs.remoteId!, senderId: 'bob', fromMe: false, emoji: '❤️', timestamp: 1 })
    rec.emit({ type: 'reaction', chatRemoteId: 'bob', messageRemoteId: theirs.remoteId!, senderId: 'bob', fromMe: false, emoji: '👍', timestamp: 2 })
    await eventually(() => heard.at(-1)?.reactions.length === 1 && heard.at(-1)!.reactions[0]!.senderIds.length === 2)
    expect(heard.at(-1)!.reactions).toEqual([{ emoji: '👍', senderIds: ['me', 'bob'], own: true }])
    // A replay changes nothing and says nothing; a reaction to a message we do not have is dropped.
    const count = heard.length
    rec.emit({ type: 'reaction', chatRemoteId: 'bob', messageRemoteId: theirs.remoteId!, senderId: 'bob', fromMe: false, emoji: '👍', timestamp: 2 })
    rec.emit({ type: 'reaction', chatRemoteId: 'bob', messageRemoteId: 'nope', senderId: 'bob', fromMe: false, emoji: '👍', timestamp: 3 })
    await h.core.handlers.listMessages({ chatId: bob.id, limit: 1 })
    expect(heard.length).toBe(count)
    const removed = await h.core.handlers.reactToMessage({ messageId: theirs.id, emoji: null })
    expect(removed.reactions).toEqual([{ emoji: '👍', senderIds: ['bob'], own: false }])
  })

  it('are refused outside the network’s set, where it has none, and when the network refuses', async () => {
    const { rec, theirs } = await setup()
    await expect(h.core.handlers.reactToMessage({ messageId: theirs.id, emoji: '🦄' })).rejects.toMatchObject({ code: 'invalid-argument' })
    await expect(h.core.handlers.reactToMessage({ messageId: '999999', emoji: '👍' })).rejects.toMatchObject({ code: 'not-found' })
    await expect(h.core.handlers.reactToMessage({ messageId: 'x', emoji: '👍' })).rejects.toMatchObject({ code: 'not-found' })
    rec.fail = new JunctionError('rejected', 'no')
    await expect(h.core.handlers.reactToMessage({ messageId: theirs.id, emoji: '👍' })).rejects.toMatchObject({ code: 'rejected' })
    expect((await h.core.handlers.listMessages({ chatId: theirs.chatId, limit: 5 })).messages.find((m) => m.id === theirs.id)!.reactions).toEqual([])
    await h.close()
    const plain = await setup({})
    await expect(h.core.handlers.reactToMessage({ messageId: plain.theirs.id, emoji: '👍' })).rejects.toMatchObject({ code: 'unsupported' })
    expect(plain.rec.calls).toEqual([])
  })
})

describe('edits and deletions', () => {
  it('edits our own text, marks it edited with the time, and takes edits from the network', async () => {
    const { rec, bob, theirs, mine } = await setup()
    const edited = await h.core.handlers.editMessage({ messageId: mine.id, text: 'mine, fixed' })
    expect(rec.calls).toEqual([`edit bob ${mine.remoteId} mine, fixed`])
    expect(edited).toMatchObject({ text: 'mine, fixed', edited: true, editedAt: 1_800_000_000_000 })
    expect((await h.core.handlers.search({ query: 'fixed', limit: 5 })).map((x) => x.messageId)).toEqual([mine.id])
    await expect(h.core.handlers.editMessage({ messageId: theirs.id, text: 'x' })).rejects.toMatchObject({ code: 'permission-denied' })
    rec.emit({ type: 'messageEdited', chatRemoteId: 'bob', messageRemoteId: theirs.remoteId!, text: 'first (edited)', editedAt: 5 })
    await eventually(async () => (await h.core.handlers.listMessages({ chatId: bob.id, limit: 5 })).messages.find((m) => m.id === theirs.id && m.edited))
    expect((await h.core.handlers.getChat({ chatId: bob.id })).preview?.text).toBe('mine, fixed')
  })

  it('deletes for everyone only our own; a deletion from the network empties the message; an empty message is not deleted', async () => {
    const { rec, bob, theirs, mine, messages } = await setup()
    await expect(h.core.handlers.deleteMessage({ messageId: theirs.id, forEveryone: true })).rejects.toMatchObject({ code: 'permission-denied' })
    await h.core.handlers.deleteMessage({ messageId: mine.id, forEveryone: true })
    expect(rec.calls).toEqual([`unsend bob ${mine.remoteId}`])
    expect((await messages(bob.id)).find((m) => m.id === mine.id)).toMatchObject({ deleted: true, text: '' })
    expect((await h.core.handlers.getChat({ chatId: bob.id })).preview).toMatchObject({ deleted: true })
    await expect(h.core.handlers.reactToMessage({ messageId: mine.id, emoji: '👍' })).rejects.toMatchObject({ code: 'invalid-argument' })
    rec.emit({ type: 'messageDeleted', chatRemoteId: 'bob', messageRemoteId: theirs.remoteId! })
    await eventually(async () => (await messages(bob.id)).find((m) => m.id === theirs.id && m.deleted))
    // An empty incoming message is just empty.
    rec.emit({
      type: 'message',
      message: { chatRemoteId: 'bob', remoteId: 'empty-1', senderId: 'bob', fromMe: false, timestamp: Date.now(), kind: 'text', text: '' }
    })
    const empty = await eventually(async () => (await messages(bob.id)).find((m) => m.remoteId === 'empty-1'))
    expect(empty.deleted).toBe(false)
    expect((await h.core.handlers.getChat({ chatId: bob.id })).preview).toMatchObject({ deleted: false, text: '' })
  })

  it('deletes for me on any network: gone from this computer, the preview moves back, nothing sent', async () => {
    const { rec, bob, theirs, mine, messages } = await setup({})
    const removed = waitFor(h.core.events, 'messageRemoved')
    await h.core.handlers.deleteMessage({ messageId: mine.id, forEveryone: false })
    expect(await removed).toEqual({ messageId: mine.id, chatId: bob.id })
    expect((await messages(bob.id)).map((m) => m.id)).toEqual([theirs.id])
    expect((await h.core.handlers.getChat({ chatId: bob.id })).preview?.text).toBe('first')
    expect(rec.calls).toEqual([])
    await expect(h.core.handlers.deleteMessage({ messageId: theirs.id, forEveryone: true })).rejects.toMatchObject({ code: 'unsupported' })
  })
})

describe('replies and forwarding', () => {
  it('quotes the replied message on the draft the Connector gets and shows the quote', async () => {
    const { bob, theirs, carol, messages } = await setup()
    const reply = await h.core.handlers.sendMessage({ chatId: bob.id, clientId: 'reply-0001', draft: { kind: 'text', text: 'yes' }, replyToId: theirs.id })
    expect(reply.replyTo).toMatchObject({ messageId: theirs.id, remoteId: theirs.remoteId, text: 'first', fromMe: false })
    await eventually(async () => (await messages(bob.id)).find((m) => m.id === reply.id && m.status !== 'pending'))
    await expect(
      h.core.handlers.sendMessage({ chatId: carol.id, clientId: 'reply-0002', draft: { kind: 'text', text: 'x' }, replyToId: theirs.id })
    ).rejects.toMatchObject({ code: 'not-found' })
  })

  it('forwards text to another chat through the outbox', async () => {
    const { theirs, carol, messages } = await setup()
    const forwarded = await h.core.handlers.forwardMessage({ messageId: theirs.id, chatId: carol.id, clientId: 'fwd-00001' })
    expect(forwarded).toMatchObject({ chatId: carol.id, text: 'first', fromMe: true })
    await eventually(async () => (await messages(carol.id)).find((m) => m.id === forwarded.id && m.status === 'sent'))
    expect(h.net.allMessages('me').some((m) => m.chatId === 'carol' && m.text === 'first')).toBe(true)
  })

  it('forwards a picture, fetching it from the network first when it is not cached', async () => {
    const { bob, carol, messages } = await setup()
    h.net.sendFromContact('me', 'bob', '', { kind: 'image' })
    const photo = await eventually(async () => (await messages(bob.id)).find((m) => m.kind === 'image'))
    const forwarded = await h.core.handlers.forwardMessage({ messageId: photo.id, chatId: carol.id, clientId: 'fwd-photo1' })
    expect(forwarded).toMatchObject({ kind: 'image', fromMe: true, chatId: carol.id })
    await eventually(async () => (await messages(carol.id)).find((m) => m.id === forwarded.id && m.status === 'sent'))
    expect((await h.core.media(forwarded.id)).bytes.length).toBeGreaterThan(0)
  })

  it('forwards a photo chosen from a file with its file name', async () => {
    const { bob, carol, messages } = await setup()
    const draft = { kind: 'image' as const, mime: 'image/png', dataBase64: 'iVBORw0KGgo=', name: 'beach.png' }
    const sent = await h.core.handlers.sendMessage({ chatId: bob.id, clientId: 'photo-named1', draft })
    await eventually(async () => (await messages(bob.id)).find((m) => m.id === sent.id && m.status === 'sent'))
    const forwarded = await h.core.handlers.forwardMessage({ messageId: sent.id, chatId: carol.id, clientId: 'fwd-named01' })
    expect(forwarded.media).toMatchObject({ mime: 'image/png', name: 'beach.png' })
    await eventually(async () => (await messages(carol.id)).find((m) => m.id === forwarded.id && m.status === 'sent'))
    expect(h.net.sentDrafts.find((d) => d.clientId === 'fwd-named01')?.draft).toMatchObject({ kind: 'image', dataBase64: 'iVBORw0KGgo=', name: 'beach.png' })
  })
})

describe('a failed send', () => {
  it('carries a code, not English', async () => {
    const { bob } = await setup()
    h.net.hooks.beforeDeliver = async () => {
      throw new JunctionError('rejected', 'Bob has blocked you.', { reason: { code: 'refused', params: { detail: 'blocked' } } })
    }
    const message = await h.core.handlers.sendMessage({ chatId: bob.id, clientId: 'fail-00001', draft: { kind: 'text', text: 'lost' } })
    const failed = await eventually(
      async () => (await h.core.handlers.listMessages({ chatId: bob.id, limit: 10 })).messages.find((m) => m.id === message.id && m.status === 'failed'),
      10_000
    )
    expect(failed.error).toEqual({ code: 'rejected', reason: { code: 'refused', params: { detail: 'blocked' } } })
    expect(JSON.stringify(failed)).not.toContain('Bob has blocked you.')
    expect(h.logs.some((r) => JSON.stringify(r).includes('Bob has blocked you.'))).toBe(true)
  })
})
