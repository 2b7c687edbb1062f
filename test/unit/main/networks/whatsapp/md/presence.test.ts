// md/presence.ts (spec §7.6): our `available` stanza against the spec's vector, incoming
// presence read into online/offline with last seen (`deny` drops a time kept, bogus values give none),
// group and unknown stanzas ignored, and subscriptions once per chat per connection.

import { describe, expect, it } from 'vitest'
import type { ConnectorEvent } from '../../../../../../src/main/networks/connector'
import { encodeBinaryNode, type BinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import { cleanPushName, MdPresence, readPresence } from '../../../../../../src/main/networks/whatsapp/md/presence'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const BOB = '15557654321@s.whatsapp.net'

function harness(): { presence: MdPresence; sent: BinaryNode[]; events: ConnectorEvent[] } {
  const sent: BinaryNode[] = []
  const events: ConnectorEvent[] = []
  return { presence: new MdPresence({ send: (n) => void sent.push(n), emit: (e) => void events.push(e) }), sent, events }
}

describe('WhatsApp multi-device presence', () => {
  it('announces `available` with the push name exactly as the spec vector, and nothing without one', () => {
    const { presence, sent } = harness()
    presence.connected({}, undefined)
    expect(sent).toEqual([])
    presence.announce('Alice')
    // spec §7.6: <presence type="available" name="Alice"/>
    expect(hex(encodeBinaryNode(sent[0]!))).toBe('00f8051f048889fc05416c696365')
  })

  it('reads incoming presence: online, offline with last seen, `deny` as hidden, bogus `last` as unknown', () => {
    expect(readPresence({ tag: 'presence', attrs: { from: `${BOB.split('@')[0]}:3@s.whatsapp.net` } })).toEqual({ jid: BOB, presence: 'online' })
    expect(readPresence({ tag: 'presence', attrs: { from: BOB, type: 'unavailable', last: '1700000000' } })).toEqual({
      jid: BOB,
      presence: 'offline',
      lastSeen: 1_700_000_000_000
    })
    expect(readPresence({ tag: 'presence', attrs: { from: BOB, type: 'unavailable', last: 'deny' } })).toEqual({
      jid: BOB,
      presence: 'offline',
      lastSeen: null
    })
    for (const last of ['-5', '1e9', '0', '99999999999999999999', ''])
      expect(readPresence({ tag: 'presence', attrs: { from: BOB, type: 'unavailable', last } })?.lastSeen).toBeUndefined()
    expect(readPresence({ tag: 'presence', attrs: { from: '120363000000000001@g.us' } })).toBeNull()
    expect(readPresence({ tag: 'presence', attrs: { from: BOB, type: 'subscribe' } })).toBeNull()
    expect(readPresence({ tag: 'presence', attrs: {} })).toBeNull()
    expect(readPresence({ tag: 'chatstate', attrs: { from: BOB } })).toBeNull()
  })

  it('subscribes once per direct chat per connection, remembers chats named before it, and keeps names', () => {
    const { presence, sent, events } = harness()
    presence.subscribe(BOB)
    presence.subscribe('120363000000000001@g.us')
    expect(sent).toEqual([])
    presence.connected({}, undefined)
    presence.subscribe(`${BOB.split('@')[0]}:2@s.whatsapp.net`)
    expect(sent).toEqual([{ tag: 'presence', attrs: { type: 'subscribe', to: BOB } }])
    presence.connected({}, undefined)
    expect(sent).toHaveLength(2)
    presence.noteName(BOB, '  Bob  ')
    presence.handle({ tag: 'presence', attrs: { from: BOB, type: 'unavailable', last: '1700000000' } })
    expect(events).toEqual([{ type: 'contact', contact: { remoteId: BOB, name: 'Bob', presence: 'offline', lastSeen: 1_700_000_000_000 } }])
  })

  it('takes a push name only when it is one', () => {
    expect(cleanPushName(' Alice ')).toBe('Alice')
    expect(cleanPushName('')).toBeUndefined()
    expect(cleanPushName('-')).toBeUndefined()
    expect(cleanPushName('x'.repeat(101))).toBeUndefined()
  })
})
