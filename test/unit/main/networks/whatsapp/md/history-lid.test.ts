// History chunks that name people by LID (spec §6.9, §10.2): the chunk's `phoneNumberToLidMappings`
// and conversations' `pnJid`/`lidJid` are stored with it, a LID conversation becomes the contact's
// phone-number chat, and a LID author in a group — mapped by the chunk or learnt earlier — reads
// as the member's phone number. A LID nobody maps stays what it is (never a made-up number).

import { describe, expect, it } from 'vitest'
import type { IncomingMessage } from '../../../../../../src/main/networks/connector'
import { historyOf } from '../../../../../../src/main/networks/whatsapp/md/history'
import type { HistorySync } from '../../../../../../src/main/networks/whatsapp/md/proto'

const OWN = '15551234567@s.whatsapp.net'
const BOB_PN = '15557654321@s.whatsapp.net'
const BOB_LID = '101010101010101@lid'
const CAROL_PN = '15553330000@s.whatsapp.net'
const CAROL_LID = '202020202020202@lid'
const GROUP = '120363000000000001@g.us'

const text = (id: string, body: string, participant?: string) => ({
  message: {
    key: { remoteJid: 'x', fromMe: false, id, ...(participant ? { participant } : {}) },
    message: { conversation: body },
    messageTimestamp: 1_700_000_000
  }
})

const messages = (events: ReturnType<typeof historyOf>['events']): IncomingMessage[] => events.flatMap((e) => (e.type === 'message' ? [e.message] : []))

describe('history sync with LIDs (spec §6.9, §10.2)', () => {
  it('puts a LID conversation in the phone-number chat and reads LID authors by number', () => {
    const sync: HistorySync = {
      conversations: [
        { id: BOB_LID, pnJid: BOB_PN, name: 'Bob', messages: [text('B1', 'hi from the lid chat')] },
        { id: GROUP, name: 'Trip', messages: [text('G1', 'from carol', CAROL_LID), text('G2', 'from someone unmapped', '303030303030303@lid')] }
      ],
      phoneNumberToLidMappings: [{ pnJid: CAROL_PN, lidJid: CAROL_LID }],
      pushnames: [{ id: CAROL_LID, pushname: 'Carol' }]
    }
    const chunk = historyOf(sync, 100, OWN, 1_700_000_100_000)
    expect(chunk.events.flatMap((e) => (e.type === 'chat' ? [e.chat.remoteId] : []))).toEqual([BOB_PN, GROUP])
    expect(messages(chunk.events).map((m) => [m.chatRemoteId, m.senderId, m.text])).toEqual([
      [BOB_PN, BOB_PN, 'hi from the lid chat'],
      [GROUP, CAROL_PN, 'from carol'],
      [GROUP, '303030303030303@lid', 'from someone unmapped']
    ])
    expect(chunk.events.flatMap((e) => (e.type === 'contact' ? [[e.contact.remoteId, e.contact.name]] : []))).toEqual([[CAROL_PN, 'Carol']])
    // Both pairs are stored with the chunk, both ways.
    const lid = chunk.writes.filter((w) => w.namespace === 'wamd.lid').map((w) => [w.key, new TextDecoder().decode(w.value!)])
    expect(lid).toEqual(
      expect.arrayContaining([
        ['pn:15557654321', '101010101010101'],
        ['lid:101010101010101', '15557654321'],
        ['pn:15553330000', '202020202020202'],
        ['lid:202020202020202', '15553330000']
      ])
    )
    expect(lid).toHaveLength(4)
  })

  it('uses pairs learnt before the chunk, and stores none it already knows', () => {
    const known = { toPn: (jid: string) => (jid.startsWith('202020202020202') ? CAROL_PN : jid) }
    const sync: HistorySync = {
      conversations: [{ id: GROUP, messages: [text('G1', 'from carol', CAROL_LID)] }],
      phoneNumberToLidMappings: [{ pnJid: CAROL_PN, lidJid: CAROL_LID }]
    }
    const chunk = historyOf(sync, 100, OWN, 0, known)
    expect(messages(chunk.events).map((m) => m.senderId)).toEqual([CAROL_PN])
    expect(chunk.writes.filter((w) => w.namespace === 'wamd.lid')).toEqual([])
  })
})
