// LINE reactions and replies on the wire (spec §5, §6.1 fields 21/22/24/27, §6.2, §6.5):
// the six predefined reactions, a message's server-filled `reactions`, op 139/140's param2,
// and the reply fields of an outgoing and an incoming message.

import { describe, expect, it } from 'vitest'
import { outgoingMessage, toIncoming } from '../../../../../src/main/networks/line/messages'
import { LINE_REACTIONS, parseReactionParam, reactionsOf, reactionTypeOf } from '../../../../../src/main/networks/line/reactions'
import type { LetterSealing } from '../../../../../src/main/networks/line/sealing'
import { MessageWire } from '../../../../../src/main/networks/line/wire'

const ME = 'u' + '1'.repeat(32)
const BOB = 'u' + '2'.repeat(32)
const noSealing = { open: async () => null } as unknown as LetterSealing

describe('LINE reactions', () => {
  it('maps spec §6.2 PredefinedReactionType 2…7 to emoji and back', () => {
    expect(LINE_REACTIONS).toEqual(['👍', '❤️', '😆', '😮', '😢', '😡'])
    expect(LINE_REACTIONS.map(reactionTypeOf)).toEqual([2, 3, 4, 5, 6, 7])
    expect(reactionTypeOf('❤')).toBe(3) // without U+FE0F
    expect(reactionTypeOf('🦄')).toBeUndefined()
  })

  it('reads a message’s reactions (field 27), skipping paid and unknown ones', () => {
    const m = MessageWire.parse({
      id: '1',
      reactions: [
        { fromUserMid: BOB, atMillis: '1700000000000', reactionType: { predefinedReactionType: 3 } },
        { fromUserMid: ME, atMillis: 5, reactionType: { predefinedReactionType: 2 } },
        { fromUserMid: BOB, reactionType: { paidReactionType: { productId: 'p', emojiId: 'e' } } },
        { fromUserMid: BOB, reactionType: { predefinedReactionType: 1 } },
        { reactionType: { predefinedReactionType: 2 } },
        // Unexpected shapes are skipped, and the message still parses.
        null,
        'x',
        { fromUserMid: 7, reactionType: { predefinedReactionType: 2 } },
        { fromUserMid: BOB, reactionType: { predefinedReactionType: '2' } },
        { fromUserMid: BOB, atMillis: 'soon', reactionType: { predefinedReactionType: 6 } }
      ]
    })
    expect(reactionsOf(m, ME)).toEqual([
      { senderId: BOB, emoji: '❤️', fromMe: false, timestamp: 1700000000000 },
      { senderId: ME, emoji: '👍', fromMe: true, timestamp: 5 },
      { senderId: BOB, emoji: '😢', fromMe: false }
    ])
    expect(reactionsOf(MessageWire.parse({ id: '1' }), ME)).toBeUndefined()
    expect(reactionsOf(MessageWire.parse({ id: '1', reactions: [] }), ME)).toEqual([])
  })

  it('reads op 139/140 param2 and never throws on garbage', () => {
    expect(parseReactionParam('{"chatMid":"c1","curr":{"predefinedReactionType":3}}')).toEqual({ chatMid: 'c1', emoji: '❤️' })
    expect(parseReactionParam('{"chatMid":"c1","curr":{"predefinedReactionType":1}}')).toEqual({ chatMid: 'c1', emoji: null })
    expect(parseReactionParam('{"chatMid":"c1"}')).toEqual({ chatMid: 'c1', emoji: null })
    expect(parseReactionParam('{"chatMid":"c1","curr":{"paidReactionType":{}}}')).toBeUndefined()
    for (const garbage of ['', 'null', '[]', '"x"', '{"curr":5}', '{"curr":{"predefinedReactionType":99}}', '\u0000{', '{"chatMid":1}']) {
      expect(() => parseReactionParam(garbage)).not.toThrow()
    }
    expect(parseReactionParam('{"chatMid":1}')).toEqual({ chatMid: null, emoji: null })
  })
})

describe('LINE replies on the wire', () => {
  it('puts relatedMessageId, relation 3 (REPLY) and service 1 (TALK) on a reply only', () => {
    const base = { selfMid: ME, to: BOB, reqSeq: 7, nowMs: 1_700_000_000_500, contentType: 0, text: 'x', contentMetadata: {}, hasContent: false }
    const reply = outgoingMessage({ ...base, replyTo: '600000000000000001' })
    expect([reply.relatedMessageId, reply.messageRelationType, reply.relatedMessageServiceCode]).toEqual(['600000000000000001', 3, 1])
    expect(Object.keys(outgoingMessage(base))).not.toContain('relatedMessageId')
  })

  it('reads a quote only from a REPLY relation, not a forward', async () => {
    const wire = (relation: number) =>
      MessageWire.parse({ from: BOB, to: ME, id: '9', createdTime: '1', contentType: 0, text: 'q', relatedMessageId: '8', messageRelationType: relation })
    expect((await toIncoming(wire(3), { selfMid: ME, sealing: noSealing })).incoming.replyTo).toEqual({ remoteId: '8' })
    expect((await toIncoming(wire(0), { selfMid: ME, sealing: noSealing })).incoming.replyTo).toBeUndefined()
  })
})
