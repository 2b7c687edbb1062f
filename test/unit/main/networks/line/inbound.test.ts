// Operations → Connector events (spec §6.4, §6.5): order, cursor after the message, no
// doubles on redelivery, END_OF_OPERATION, receipts both ways, unsend, chat and contact changes;
// an operation that fails for good is passed over, one that may go differently is fetched again.

import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../../src/shared/errors'
import { silentLogger } from '../../../../../src/main/base/log'
import type { ConnectorEvent, IncomingMessage } from '../../../../../src/main/networks/connector'
import { ConnectorEvents } from '../../../../../src/main/networks/events'
import { LineError } from '../../../../../src/main/networks/line/errors'
import { MessageCache } from '../../../../../src/main/networks/line/message-cache'
import { reqSeqOf } from '../../../../../src/main/networks/line/messages'
import { OperationHandler } from '../../../../../src/main/networks/line/inbound'
import { UNREADABLE_OPERATION, type Operation } from '../../../../../src/main/networks/line/wire'

const ME = 'u' + '1'.repeat(32)
const BOB = 'u' + '2'.repeat(32)
const GROUP = 'c' + '3'.repeat(32)

/** `failing`: message ids whose mapping throws the given error (a key fetch refused, a bug). */
function setup(failing = new Map<string, unknown>()) {
  const events = new ConnectorEvents()
  const seen: ConnectorEvent[] = []
  events.on((e) => seen.push(e))
  const cache = new MessageCache()
  const refreshed: string[] = []
  const handler = new OperationHandler(
    {
      selfMid: ME,
      events,
      cache,
      log: silentLogger,
      mapMessage: async (m, reqSeq) => {
        if (failing.has(m.id!)) throw failing.get(m.id!)
        const incoming: IncomingMessage = {
          chatRemoteId: m.to === ME ? m.from! : m.to!,
          remoteId: m.id!,
          senderId: m.from!,
          fromMe: m.from === ME,
          timestamp: Number(m.createdTime),
          kind: 'text',
          text: m.text ?? ''
        }
        if (reqSeq !== undefined) {
          const clientId = cache.clientIdFor(reqSeq)
          if (clientId) incoming.clientId = clientId
        }
        cache.remember({ incoming, contentType: 0, metadata: {}, payload: null })
        return incoming
      },
      refreshContact: async (mid) => void refreshed.push(`contact:${mid}`),
      refreshChat: async (mid) => void refreshed.push(`chat:${mid}`),
      refreshProfile: async () => void refreshed.push('profile'),
      rereadMessage: (chat, id) => void refreshed.push(`reread:${chat}:${id}`)
    },
    '100'
  )
  return { handler, seen, cache, refreshed }
}

const msg = (rev: number, type: number, from: string, to: string, id: string, text: string, reqSeq = 0): Operation => ({
  revision: String(rev),
  createdTime: '1700000000000',
  type,
  reqSeq,
  message: { from, to, toType: to.startsWith('c') ? 2 : 0, id, createdTime: String(1_700_000_000_000 + rev), text, contentType: 0, contentMetadata: {} }
})

/** What was emitted, as message texts and `@cursor` values (other events by type). */
const trace = (seen: ConnectorEvent[]): string[] => seen.map((e) => (e.type === 'message' ? e.message.text : e.type === 'cursor' ? `@${e.value}` : e.type))

describe('LINE operation handler', () => {
  it('emits each message before its cursor, and drops redelivered revisions', async () => {
    const { handler, seen } = setup()
    const ops = [msg(101, 26, BOB, ME, '601', 'a'), msg(102, 26, BOB, ME, '602', 'b')]
    await handler.apply(ops)
    await handler.apply([ops[1]!, msg(100, 26, BOB, ME, '600', 'old'), msg(103, 26, BOB, ME, '603', 'c')])
    expect(trace(seen)).toEqual(['a', '@101', 'b', '@102', 'c', '@103'])
    expect(handler.localRev).toBe('103')
  })

  it('passes over an operation that would fail the same way every time, and goes on with the next', async () => {
    // LINE refusing the request (a TalkException) or a bug of ours: fetching it again changes nothing.
    const refused = new LineError({ outer: 10051, exception: 'TalkException', talkCode: 5, reason: 'not found' })
    const { handler, seen } = setup(
      new Map<string, unknown>([
        ['601', refused],
        ['603', new TypeError("Cannot read properties of undefined (reading 'x')")]
      ])
    )
    await handler.apply([
      msg(101, 26, BOB, ME, '601', 'a'),
      msg(102, 26, BOB, ME, '602', 'b'),
      msg(103, 26, BOB, ME, '603', 'c'),
      msg(104, 26, BOB, ME, '604', 'd')
    ])
    expect(trace(seen)).toEqual(['@101', 'b', '@102', '@103', 'd', '@104'])
    expect(handler.localRev).toBe('104')
  })

  it('rejects, without moving localRev, on a failure that may go differently next time', async () => {
    for (const error of [
      new JunctionError('network', 'LINE could not be reached.'),
      new JunctionError('rate-limited', 'LINE asked Junction to slow down.'),
      new LineError({ outer: 10051, exception: 'TalkException', talkCode: 8, reason: 'expired' })
    ]) {
      const { handler, seen } = setup(new Map([['602', error]]))
      await expect(handler.apply([msg(101, 26, BOB, ME, '601', 'a'), msg(102, 26, BOB, ME, '602', 'b'), msg(103, 26, BOB, ME, '603', 'c')])).rejects.toBe(error)
      // What came before it is applied; it and what follows are fetched again.
      expect(trace(seen)).toEqual(['a', '@101'])
      expect(handler.localRev).toBe('101')
    }
  })

  it('moves past an operation the transport could not read, and has its message read again from its chat', async () => {
    const { handler, seen, refreshed } = setup()
    await handler.apply([
      { revision: '101', type: UNREADABLE_OPERATION, message: { id: '701', from: BOB, to: ME } },
      { revision: '102', type: UNREADABLE_OPERATION, message: { id: '702', from: ME, to: GROUP } },
      { revision: '103', type: UNREADABLE_OPERATION }
    ])
    expect(refreshed).toEqual([`reread:${BOB}:701`, `reread:${GROUP}:702`])
    expect(seen.map((e) => (e.type === 'cursor' ? `@${e.value}` : e.type))).toEqual(['@101', '@102', '@103'])
  })

  it('does not move localRev on END_OF_OPERATION', async () => {
    const { handler, seen } = setup()
    await handler.apply([{ type: 0 }])
    expect(seen).toEqual([])
    expect(handler.localRev).toBe('100')
  })

  it('maps the echo of our own send back to its client id by reqSeq', async () => {
    const { handler, seen, cache } = setup()
    const reqSeq = reqSeqOf('client-7')
    cache.noteSend(reqSeq, 'client-7')
    await handler.apply([msg(101, 25, ME, BOB, '701', 'mine', reqSeq), msg(102, 25, ME, BOB, '702', 'other device', -1)])
    const messages = seen.flatMap((e) => (e.type === 'message' ? [e.message] : []))
    expect(messages.map((m) => [m.text, m.clientId])).toEqual([
      ['mine', 'client-7'],
      ['other device', undefined]
    ])
  })

  it('turns op 55 into read receipts for our messages up to the id, or chatRead when we are the reader', async () => {
    const { handler, seen } = setup()
    await handler.apply([msg(101, 25, ME, GROUP, '801', 'x'), msg(102, 25, ME, GROUP, '802', 'y'), msg(103, 25, ME, GROUP, '9000', 'z')])
    seen.length = 0
    await handler.apply([
      { revision: '104', type: 55, param1: GROUP, param2: BOB, param3: '802' },
      { revision: '105', type: 55, param1: GROUP, param2: ME, param3: '9000' }
    ])
    expect(seen.filter((e) => e.type !== 'cursor')).toEqual([
      { type: 'receipt', chatRemoteId: GROUP, messageRemoteIds: ['801', '802'], status: 'read' },
      { type: 'chatRead', chatRemoteId: GROUP }
    ])
  })

  it('marks a chat read on op 40 and turns the legacy receipt op 28 into a receipt', async () => {
    const { handler, seen } = setup()
    await handler.apply([
      { revision: '101', type: 40, param1: GROUP, param2: '5', param3: '0' },
      { revision: '102', type: 28, param1: BOB, param2: '1\u001e2' }
    ])
    expect(seen.filter((e) => e.type !== 'cursor')).toEqual([
      { type: 'chatRead', chatRemoteId: GROUP },
      { type: 'receipt', chatRemoteId: BOB, messageRemoteIds: ['1', '2'], status: 'read' }
    ])
  })

  it('reports an unsent message as deleted (64 ours, 65 theirs), by chat and id only', async () => {
    const { handler, seen } = setup()
    await handler.apply([msg(101, 26, BOB, ME, '901', 'secret')])
    seen.length = 0
    await handler.apply([
      { revision: '102', type: 65, param1: BOB, param2: '901' },
      { revision: '103', type: 64, param1: GROUP, param2: '999', createdTime: '5' },
      { revision: '104', type: 65, param1: GROUP }
    ])
    expect(seen.filter((e) => e.type !== 'cursor')).toEqual([
      { type: 'messageDeleted', chatRemoteId: BOB, messageRemoteId: '901' },
      { type: 'messageDeleted', chatRemoteId: GROUP, messageRemoteId: '999' }
    ])
    expect(seen.some((e) => e.type === 'message')).toBe(false)
    expect(handler.localRev).toBe('104')
  })

  it('reports reactions (139 ours, 140 theirs), taken back, and finds a 1:1 chat by the message', async () => {
    const { handler, seen } = setup()
    await handler.apply([msg(101, 26, BOB, ME, '901', 'hi')])
    seen.length = 0
    const curr = (chatMid: string | undefined, type?: number) =>
      JSON.stringify({ ...(chatMid ? { chatMid } : {}), ...(type ? { curr: { predefinedReactionType: type } } : {}) })
    await handler.apply([
      { revision: '102', type: 140, param1: '777', param2: curr(GROUP, 3), param3: BOB, createdTime: '1700000000001' },
      { revision: '103', type: 139, param1: '901', param2: curr(BOB, 2), param3: ME, createdTime: '1700000000002' },
      // A 1:1 chat named by our own mid is the reactor's chat; a cancel carries UNDO or no curr.
      { revision: '104', type: 140, param1: '901', param2: curr(ME, 1), param3: BOB, createdTime: '1700000000003' },
      { revision: '105', type: 139, param1: '901', param2: curr(undefined), createdTime: '1700000000004' },
      // Not understood: a paid reaction, garbage, an unknown predefined type. Dropped, the cursor moves.
      { revision: '106', type: 140, param1: '901', param2: JSON.stringify({ chatMid: BOB, curr: { paidReactionType: { productId: 'x' } } }), param3: BOB },
      { revision: '107', type: 140, param1: '901', param2: '{not json', param3: BOB },
      { revision: '108', type: 140, param1: '901', param2: curr(BOB, 42), param3: BOB }
    ])
    expect(seen.filter((e) => e.type === 'reaction')).toEqual([
      { type: 'reaction', chatRemoteId: GROUP, messageRemoteId: '777', senderId: BOB, fromMe: false, emoji: '❤️', timestamp: 1700000000001 },
      { type: 'reaction', chatRemoteId: BOB, messageRemoteId: '901', senderId: ME, fromMe: true, emoji: '👍', timestamp: 1700000000002 },
      { type: 'reaction', chatRemoteId: BOB, messageRemoteId: '901', senderId: BOB, fromMe: false, emoji: null, timestamp: 1700000000003 },
      { type: 'reaction', chatRemoteId: BOB, messageRemoteId: '901', senderId: ME, fromMe: true, emoji: null, timestamp: 1700000000004 }
    ])
    expect(handler.localRev).toBe('108')
  })

  it('refetches changed contacts, chats and the profile, and removes chats we left', async () => {
    const { handler, seen, refreshed } = setup()
    await handler.apply([
      { revision: '101', type: 49, param1: BOB },
      { revision: '102', type: 122, param1: GROUP, param2: '1' },
      { revision: '103', type: 1 },
      { revision: '104', type: 127, param1: GROUP },
      { revision: '105', type: 999 }
    ])
    expect(refreshed).toEqual([`contact:${BOB}`, `chat:${GROUP}`, 'profile'])
    expect(seen.filter((e) => e.type === 'chatRemoved')).toEqual([{ type: 'chatRemoved', chatRemoteId: GROUP }])
    expect(handler.localRev).toBe('105')
  })
})

describe('reqSeq', () => {
  it('is a positive i32, the same for the same client id, and different for different ones', () => {
    const a = reqSeqOf('client-a')
    expect(a).toBe(reqSeqOf('client-a'))
    expect(a).not.toBe(reqSeqOf('client-b'))
    expect(reqSeqOf('client-a', 'caption')).not.toBe(a)
    for (let i = 0; i < 1000; i++) {
      const n = reqSeqOf(`c${i}`)
      expect(Number.isInteger(n) && n > 0 && n < 2 ** 31).toBe(true)
    }
  })
})
