// ≥ 100,000 hostile `Message` protobufs (issue 15 Tests) through the client's path after
// decryption: `decodeProto('Message')`, then Inbound's content mapping (wrappers, own-device
// copies, reactions, edits, revokes, quotes, inline history chunks with their zlib inflate).
// Each input ends in events or a typed JunctionError — never another error, a hang or a huge
// allocation. Seeded, so a failure reproduces.

import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../../../../../src/main/base/log'
import type { ConnectorEvent, KeyStore } from '../../../../../../src/main/networks/connector'
import type { BinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import type { MdCredentials } from '../../../../../../src/main/networks/whatsapp/md/credentials'
import { Inbound, type InboundDeps } from '../../../../../../src/main/networks/whatsapp/md/inbound'
import { decodeProto, encodeProto, type WAMessage } from '../../../../../../src/main/networks/whatsapp/md/proto'
import { Outbound } from '../../../../../../src/main/networks/whatsapp/md/outbound'
import type { MdSession } from '../../../../../../src/main/networks/whatsapp/md/session'
import { SignalStore } from '../../../../../../src/main/networks/whatsapp/md/signal/store'
import { JunctionError } from '../../../../../../src/shared/errors'
import { Gen, prng } from './node-gen'

const OWN = '15551234567@s.whatsapp.net'
const BOB = '15557654321@s.whatsapp.net'
const TEAM = '120363000000000001@g.us'
const RUNS = 100_000

/** Inbound's mapping of one decrypted Message; the method is private, reached here as the message handler reaches it. */
type ToEvents = { toEvents(n: BinaryNode, message: WAMessage, history: number[]): ConnectorEvent[] }

/** Holds nothing: the mapping reads the LID map through it and writes nothing. */
const emptyKeyStore: KeyStore = { get: () => null, list: () => [], commit: () => {} }

function inbound(): ToEvents {
  const creds = (): MdCredentials => ({ me: { jid: '15551234567:7@s.whatsapp.net' }, registrationId: 1 }) as unknown as MdCredentials
  const store = new SignalStore(emptyKeyStore, creds)
  const deps: InboundDeps = {
    session: { send: () => {} } as unknown as MdSession,
    store,
    outbound: new Outbound(store, creds),
    creds,
    emit: () => {},
    log: createLogger(() => {}, 'error'),
    onMessages: () => {},
    onHistory: () => {},
    onMessageAck: () => {},
    onPreKeyLow: () => {},
    onOffline: () => {},
    onPresence: () => {},
    onPushName: () => {}
  }
  return new Inbound(deps) as unknown as ToEvents
}

const historyBlob = encodeProto('Message', {
  protocolMessage: {
    type: 5,
    historySyncNotification: {
      syncType: 0,
      chunkOrder: 0,
      progress: 50,
      initialHistBootstrapInlinePayload: deflateSync(
        encodeProto('HistorySync', {
          syncType: 0,
          progress: 50,
          pushnames: [{ id: BOB, pushname: 'Bob' }],
          conversations: [
            {
              id: BOB,
              unreadCount: 1,
              messages: [{ message: { key: { remoteJid: BOB, fromMe: false, id: 'H1' }, message: { conversation: 'hi' }, messageTimestamp: 1_700_000_000 } }]
            }
          ]
        })
      )
    }
  }
})

const SEEDS: Uint8Array[] = [
  encodeProto('Message', { conversation: 'Hello' }),
  encodeProto('Message', {
    extendedTextMessage: { text: 'a reply', contextInfo: { stanzaId: 'A1B2', participant: BOB, quotedMessage: { conversation: 'original' } } }
  }),
  encodeProto('Message', { deviceSentMessage: { destinationJid: BOB, message: { conversation: 'Hello' } } }),
  encodeProto('Message', { ephemeralMessage: { message: { viewOnceMessage: { message: { conversation: 'wrapped' } } } } }),
  encodeProto('Message', { reactionMessage: { key: { remoteJid: BOB, fromMe: true, id: '3EB0AA' }, text: '👍', senderTimestampMs: 1_700_000_000_123 } }),
  encodeProto('Message', {
    protocolMessage: { key: { remoteJid: BOB, fromMe: true, id: '3EB0' }, type: 14, editedMessage: { conversation: 'x' }, timestampMs: 1_700_000_000_123 }
  }),
  encodeProto('Message', { protocolMessage: { key: { remoteJid: BOB, fromMe: true, id: '3EB0' }, type: 0 } }),
  historyBlob
]

/** A random but well-formed Message of the kinds the client maps, with hostile field values. */
function randomMessage(gen: Gen): WAMessage {
  const text = (): string => gen.string()
  const key = (): NonNullable<WAMessage['reactionMessage']>['key'] => ({
    ...(gen.int(4) ? { remoteJid: gen.jid() } : {}),
    ...(gen.int(4) ? { fromMe: gen.int(2) === 1 } : {}),
    ...(gen.int(6) ? { id: text() } : {})
  })
  let m: WAMessage
  switch (gen.int(7)) {
    case 0:
      m = { conversation: text() }
      break
    case 1:
      m = {
        extendedTextMessage: {
          text: text(),
          ...(gen.int(2) ? { contextInfo: { stanzaId: text(), participant: gen.jid(), quotedMessage: gen.int(2) ? { conversation: text() } : {} } } : {})
        }
      }
      break
    case 2:
      m = { reactionMessage: { key: key(), text: gen.int(3) ? text() : '', senderTimestampMs: gen.int(2) ? gen.int(2 ** 52) : gen.int(1000) } }
      break
    case 3:
      m = { protocolMessage: { key: key(), type: gen.pick([0, 14, 5, 3, 99]), editedMessage: { conversation: text() }, timestampMs: gen.int(2 ** 52) } }
      break
    case 4:
      m = { deviceSentMessage: { destinationJid: gen.jid(), message: { conversation: text() } } }
      break
    case 5:
      m = { imageMessage: { caption: text() } } as WAMessage
      break
    default:
      m = {}
  }
  // Wrappers nest up to past the depth the client looks through (spec §7.8).
  for (let depth = gen.int(7); depth > 0; depth--)
    m = gen.pick([{ ephemeralMessage: { message: m } }, { viewOnceMessage: { message: m } }, { viewOnceMessageV2: { message: m } }])
  return m
}

/** The stanza a decrypted message came in: from a contact, our own phone (history), or a group. */
function stanzaFor(gen: Gen): BinaryNode {
  switch (gen.int(3)) {
    case 0:
      return { tag: 'message', attrs: { from: BOB, id: 'M1', t: '1700000000', notify: 'Bob' } }
    case 1:
      return { tag: 'message', attrs: { from: OWN, id: 'M2', t: '1700000000', category: 'peer', notify: 'Alice' } }
    default:
      return { tag: 'message', attrs: { from: TEAM, participant: BOB, id: 'M3', t: String(gen.int(2 ** 31)) } }
  }
}

function wellFormed(events: ConnectorEvent[]): void {
  for (const e of events) {
    if (typeof e.type !== 'string') throw new Error('an event without a type')
    if (e.type === 'message' && (typeof e.message.text !== 'string' || !Number.isFinite(e.message.timestamp))) throw new Error('a malformed message event')
  }
}

describe('the Message protobuf: fuzz through the client’s decode path', () => {
  it(`${RUNS.toLocaleString('en')} random and mutated messages give events or a typed error`, () => {
    const gen = new Gen(prng(0x9e0f))
    const mapper = inbound()
    const counts = { events: 0, none: 0, error: 0 }
    const started = Date.now()
    let heapPeak = 0
    for (let i = 0; i < RUNS; i++) {
      // A quarter random bytes, a quarter byte mutations of real messages, half well-formed
      // messages with hostile values (byte mutations mostly break protobuf framing).
      const input = i % 4 === 0 ? gen.bytes(gen.int(120)) : i % 4 === 1 ? gen.mutate(gen.pick(SEEDS)) : encodeProto('Message', randomMessage(gen))
      try {
        const events = mapper.toEvents(stanzaFor(gen), decodeProto<WAMessage>('Message', input), [])
        wellFormed(events)
        counts[events.length ? 'events' : 'none']++
      } catch (error) {
        if (!(error instanceof JunctionError)) throw error
        counts.error++
      }
      if (i % 10_000 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
    }
    expect(counts.events + counts.none + counts.error).toBe(RUNS)
    // The inputs reach every outcome: mapped content, nothing to show, and refusals.
    expect(counts.events).toBeGreaterThan(5_000)
    expect(counts.none).toBeGreaterThan(1_000)
    expect(counts.error).toBeGreaterThan(1_000)
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(heapPeak).toBeLessThan(1024 * 1024 * 1024)
  }, 120_000)

  it('a history chunk that inflates past the cap is refused, not allocated', () => {
    const bomb = encodeProto('Message', {
      protocolMessage: {
        type: 5,
        historySyncNotification: { syncType: 0, progress: 100, initialHistBootstrapInlinePayload: deflateSync(new Uint8Array(80 * 1024 * 1024), { level: 9 }) }
      }
    })
    const history: number[] = []
    const events = inbound().toEvents({ tag: 'message', attrs: { from: OWN, id: 'B1', t: '1' } }, decodeProto<WAMessage>('Message', bomb), history)
    // Skipped (logged), progress still reported so the login does not wait for it.
    expect(events).toEqual([])
    expect(history).toEqual([100])
  })
})
