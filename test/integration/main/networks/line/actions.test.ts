// Message actions on LINE (issue 12 §1) against the reference server, both directions:
// quoted replies (relatedMessageId, relation 3), the six predefined reactions (react /
// cancelReaction, ops 139/140, the server-filled `reactions`), unsend (64/65, 24 h window),
// first at the Connector, then through Core and its store.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../../src/shared/errors'
import type { Harness } from '../../../../helpers/core-harness'
import { UNSEND_PERIOD_MS } from '../../../../servers/line/world'
import { addLineAccount, chatByRemote, lineHarness, messageIn } from './core-helpers'
import { lineFixture, qrLoginAs, type LineFixture, type TestableConnector } from './helpers'

let f: LineFixture

beforeEach(async () => {
  f = await lineFixture()
})

afterEach(async () => {
  await f.close()
})

const sent = (path: string): unknown[][] => f.server.world.requests.filter((r) => r.path.endsWith(path)).map((r) => JSON.parse(r.body) as unknown[])

describe('LINE Connector message actions', () => {
  let t: TestableConnector

  beforeEach(async () => {
    t = f.connector()
    await qrLoginAs(t, f.phone)
  })

  it('sends a reply with relatedMessageId and reports the quote of an incoming one', async () => {
    const theirs = await f.phone.sendAs(f.carol.mid, 'question?')
    await t.waitFor('message', (e) => e.message.remoteId === theirs.id)
    const result = await t.connector.send(f.carol.mid, 'reply-client-1', {
      kind: 'text',
      text: 'answer',
      replyTo: { remoteId: theirs.id, senderId: f.carol.mid, fromMe: false, text: 'question?', timestamp: theirs.createdTime }
    })
    const [, wire] = sent('/sendMessage').at(-1) as [number, Record<string, unknown>]
    expect([wire.relatedMessageId, wire.messageRelationType, wire.relatedMessageServiceCode]).toEqual([theirs.id, 3, 1])
    const stored = f.server.world.messages.find((m) => m.id === result.remoteId)!
    expect(stored.relatedMessageId).toBe(theirs.id)

    // Carol quotes it back, sealed or not the quote travels outside the chunks.
    const back = await f.phone.sendAs(f.carol.mid, 'thanks', { replyTo: result.remoteId })
    const incoming = await t.waitFor('message', (e) => e.message.remoteId === back.id)
    expect(incoming.message.replyTo).toEqual({ remoteId: result.remoteId })
    expect(incoming.message.text).toBe('thanks')
  })

  it('reacts with a predefined reaction and takes it back; hears the peer react', async () => {
    const theirs = await f.phone.sendAs(f.bob.mid, 'react to me')
    await t.waitFor('message', (e) => e.message.remoteId === theirs.id)
    await t.connector.react!(f.bob.mid, theirs.id, '😆')
    expect(sent('/react').at(-1)).toEqual([{ reqSeq: expect.any(Number), messageId: theirs.id, reactionType: { predefinedReactionType: 4 } }])
    expect(f.server.world.messages.find((m) => m.id === theirs.id)!.reactions).toEqual([
      expect.objectContaining({ fromUserMid: f.alice.mid, predefinedReactionType: 4 })
    ])
    // Our own devices hear op 139.
    const own = await t.waitFor('reaction', (e) => e.messageRemoteId === theirs.id && e.fromMe)
    expect(own).toMatchObject({ chatRemoteId: f.bob.mid, senderId: f.alice.mid, emoji: '😆' })

    await t.connector.react!(f.bob.mid, theirs.id, null)
    expect(sent('/cancelReaction').at(-1)).toEqual([{ reqSeq: expect.any(Number), messageId: theirs.id }])
    await t.waitFor('reaction', (e) => e.messageRemoteId === theirs.id && e.fromMe && e.emoji === null)
    expect(f.server.world.messages.find((m) => m.id === theirs.id)!.reactions).toEqual([])

    // Bob reacts ❤️ in the group: op 140 names the group and Bob.
    const group = await f.phone.sendAs(f.team.mid, 'team news', { from: f.alice.mid })
    await f.phone.reactAs(f.team.mid, group.id, 3)
    const heard = await t.waitFor('reaction', (e) => e.messageRemoteId === group.id && !e.fromMe)
    expect(heard).toMatchObject({ chatRemoteId: f.team.mid, senderId: f.bob.mid, emoji: '❤️' })
  })

  it('refuses a reaction LINE does not have, with a typed error and no request', async () => {
    const theirs = await f.phone.sendAs(f.bob.mid, 'hi')
    await t.waitFor('message', (e) => e.message.remoteId === theirs.id)
    const before = sent('/react').length
    await expect(t.connector.react!(f.bob.mid, theirs.id, '🦄')).rejects.toMatchObject({ code: 'invalid-argument' })
    await expect(t.connector.react!(f.bob.mid, 'not-a-number', '👍')).rejects.toBeInstanceOf(JunctionError)
    expect(sent('/react')).toHaveLength(before)
  })

  it('reports the server-filled reactions of a message in history', async () => {
    const theirs = await f.phone.sendAs(f.carol.mid, 'old one')
    await f.phone.reactAs(f.carol.mid, theirs.id, 2)
    const history = await t.connector.history(f.carol.mid, null, 10)
    const m = history.find((x) => x.remoteId === theirs.id)!
    expect(m.reactions).toEqual([{ senderId: f.carol.mid, emoji: '👍', fromMe: false, timestamp: expect.any(Number) }])
  })

  it('unsends its own message (64 for us, 65 for the peer) and hears the peer unsend', async () => {
    const mine = await t.connector.send(f.carol.mid, 'unsend-client-1', { kind: 'text', text: 'oops' })
    await t.connector.unsend!(f.carol.mid, mine.remoteId)
    expect(sent('/unsendMessage').at(-1)).toEqual([expect.any(Number), mine.remoteId])
    await t.waitFor('messageDeleted', (e) => e.messageRemoteId === mine.remoteId && e.chatRemoteId === f.carol.mid)
    expect(f.server.world.user(f.carol.mid).ops.some((o) => o.type === 65 && o.param2 === mine.remoteId)).toBe(true)

    const theirs = await f.phone.sendAs(f.bob.mid, 'never mind')
    await f.phone.unsendAs(f.bob.mid, theirs.id)
    await t.waitFor('messageDeleted', (e) => e.messageRemoteId === theirs.id && e.chatRemoteId === f.bob.mid)
  })

  it('gets LINE’s refusal as a typed error: someone else’s message, or one older than 24 h', async () => {
    const theirs = await f.phone.sendAs(f.bob.mid, 'not yours')
    await expect(t.connector.unsend!(f.bob.mid, theirs.id)).rejects.toBeInstanceOf(JunctionError)
    const mine = await t.connector.send(f.carol.mid, 'unsend-old-1', { kind: 'text', text: 'old' })
    f.server.world.messages.find((m) => m.id === mine.remoteId)!.createdTime -= UNSEND_PERIOD_MS + 1
    await expect(t.connector.unsend!(f.carol.mid, mine.remoteId)).rejects.toMatchObject({ detail: expect.stringContaining('71') })
  })
})

describe('LINE message actions through Core', () => {
  let h: Harness

  beforeEach(async () => {
    await f.phone.sendAs(f.carol.mid, 'hello from Carol')
    h = await lineHarness(f.server)
    await addLineAccount(h.core, f.phone)
  })

  afterEach(async () => {
    await h.close()
  })

  it('sends a quoted reply, stores the quote, and shows a quote Carol sends', async () => {
    const carol = await chatByRemote(h.core, f.carol.mid)
    const original = await messageIn(h.core, carol.id, (m) => m.text === 'hello from Carol')
    await h.core.handlers.sendMessage({ chatId: carol.id, clientId: 'core-reply-1', draft: { kind: 'text', text: 'hi back' }, replyToId: original.id })
    const reply = await messageIn(h.core, carol.id, (m) => m.clientId === 'core-reply-1' && m.status === 'sent')
    expect(reply.replyTo).toMatchObject({ messageId: original.id, remoteId: original.remoteId, text: 'hello from Carol', fromMe: false })
    expect(f.server.world.messages.find((m) => m.id === reply.remoteId)!.relatedMessageId).toBe(original.remoteId)

    const back = await f.phone.sendAs(f.carol.mid, 'quoting you', { replyTo: reply.remoteId! })
    const quoted = await messageIn(h.core, carol.id, (m) => m.remoteId === back.id)
    expect(quoted.replyTo).toMatchObject({ messageId: reply.id, fromMe: true, text: 'hi back' })
  })

  it('reacts, hears reactions, and unsends through the Api', async () => {
    const carol = await chatByRemote(h.core, f.carol.mid)
    const original = await messageIn(h.core, carol.id, (m) => m.text === 'hello from Carol')
    const reacted = await h.core.handlers.reactToMessage({ messageId: original.id, emoji: '👍' })
    expect(reacted.reactions).toEqual([{ emoji: '👍', senderIds: [f.alice.mid], own: true }])
    // The echo (op 139) changes nothing more.
    await f.phone.reactAs(f.carol.mid, original.remoteId!, 6, { from: f.carol.mid })
    const both = await messageIn(h.core, carol.id, (m) => m.id === original.id && m.reactions.length === 2)
    expect(both.reactions).toEqual([
      { emoji: '👍', senderIds: [f.alice.mid], own: true },
      { emoji: '😢', senderIds: [f.carol.mid], own: false }
    ])
    await expect(h.core.handlers.reactToMessage({ messageId: original.id, emoji: '🦄' })).rejects.toMatchObject({ code: 'invalid-argument' })
    const taken = await h.core.handlers.reactToMessage({ messageId: original.id, emoji: null })
    expect(taken.reactions).toEqual([{ emoji: '😢', senderIds: [f.carol.mid], own: false }])

    const mine = await h.core.handlers.sendMessage({ chatId: carol.id, clientId: 'core-unsend-1', draft: { kind: 'text', text: 'regret' } })
    await messageIn(h.core, carol.id, (m) => m.id === mine.id && m.status === 'sent')
    await h.core.handlers.deleteMessage({ messageId: mine.id, forEveryone: true })
    const gone = await messageIn(h.core, carol.id, (m) => m.id === mine.id && m.deleted)
    expect(gone.text).toBe('')
    expect((await h.core.handlers.getChat({ chatId: carol.id })).preview).toMatchObject({ deleted: true, text: '' })
    await expect(h.core.handlers.deleteMessage({ messageId: original.id, forEveryone: true })).rejects.toMatchObject({ code: 'permission-denied' })
    await expect(h.core.handlers.editMessage({ messageId: mine.id, text: 'x' })).rejects.toMatchObject({ code: 'unsupported' })
  })
})
