// Message actions over multi-device (spec §7.8, §7.9), both ways through the reference
// server: quoted replies, reactions (set and removed), edits (both wire shapes) and revokes.
// What Junction sends is read back from what Bob's simulated phone decrypted.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../../../src/main/base/log'
import type { ConnectorEvent } from '../../../../../src/main/networks/connector'
import { WhatsAppConnector } from '../../../../../src/main/networks/whatsapp'
import { testContext } from '../../../../helpers/connector-probe'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { mdClientConfig } from '../../../../servers/whatsapp-md/sandbox'
import { eventually, MemoryKeyStore, RecordingIO } from './harness'

const PHONE = '15551234567'
const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`

let dir: string
let server: WhatsAppMdServerControls
let connector: WhatsAppConnector
let keyStore: MemoryKeyStore

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wamd-actions-'))
  server = await startWhatsAppMdServer({ stateDir: dir })
  keyStore = new MemoryKeyStore()
  connector = new WhatsAppConnector(
    testContext(
      { md: mdClientConfig(server, { initialPreKeys: 30, reconnectBaseMs: 20, requestTimeoutMs: 5_000 }) },
      createLogger(() => {}, 'error'),
      {
        keyStore
      }
    )
  )
  const io = new RecordingIO()
  const login = connector.login({ methodId: 'qr', fields: {}, previous: null }, io)
  await server.scan(await io.qr(), PHONE)
  await login
})

afterEach(async () => {
  await connector.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

/** What Bob's phone decrypted from Junction, for one id. */
const decoded = (id?: string) => server.hub.decoded.filter((d) => d.to === BOB && (id === undefined || d.id === id))

function committed<T extends ConnectorEvent['type']>(type: T): Array<Extract<ConnectorEvent, { type: T }>> {
  return keyStore.events.filter((e): e is Extract<ConnectorEvent, { type: T }> => e.type === type)
}

describe('WhatsApp multi-device message actions', () => {
  it('sends a quoted reply and reads one', async () => {
    const question = await server.contact(BOB).sendText(SELF, 'lunch?')
    await eventually('question', () => keyStore.messages().some((m) => m.id === question))
    const sent = await connector.send(BOB_JID, 'q-1', {
      kind: 'text',
      text: 'yes!',
      replyTo: { remoteId: question, senderId: BOB_JID, fromMe: false, text: 'lunch?', timestamp: 0 }
    })
    const copy = await eventually('bob decrypted', () => decoded(sent.remoteId)[0])
    expect(copy.message.extendedTextMessage).toEqual({
      text: 'yes!',
      contextInfo: { stanzaId: question, participant: BOB_JID, quotedMessage: { conversation: 'lunch?' } }
    })
    expect(
      server
        .contact(BOB)
        .received()
        .find((m) => m.id === sent.remoteId)?.text
    ).toBe('yes!')

    const answer = await server.sendMessage(BOB, SELF, {
      extendedTextMessage: { text: 'great', contextInfo: { stanzaId: sent.remoteId, participant: SELF, quotedMessage: { conversation: 'yes!' } } }
    })
    const incoming = await eventually('answer', () => committed('message').find((e) => e.message.remoteId === answer))
    expect(incoming.message).toMatchObject({ text: 'great', replyTo: { remoteId: sent.remoteId, senderId: SELF, text: 'yes!' } })
  })

  it('reacts and removes the reaction, and hears the contact react', async () => {
    const theirs = await server.contact(BOB).sendText(SELF, 'look at this')
    await eventually('theirs', () => keyStore.messages().some((m) => m.id === theirs))
    await connector.react(BOB_JID, theirs, '👍')
    await connector.react(BOB_JID, theirs, null)
    const reactions = await eventually('bob decrypted both', () => decoded().filter((d) => d.message.reactionMessage).length === 2 && decoded())
    expect(reactions.map((d) => [d.attrs.type, d.message.reactionMessage?.key, d.message.reactionMessage?.text])).toEqual([
      ['reaction', { remoteJid: BOB_JID, fromMe: false, id: theirs }, '👍'],
      ['reaction', { remoteJid: BOB_JID, fromMe: false, id: theirs }, '']
    ])

    const mine = await connector.send(BOB_JID, 'r-1', { kind: 'text', text: 'my news' })
    await server.sendMessage(
      BOB,
      SELF,
      { reactionMessage: { key: { remoteJid: SELF, fromMe: false, id: mine.remoteId }, text: '❤️', senderTimestampMs: 1_700_000_000_000 } },
      { type: 'reaction' }
    )
    await server.sendMessage(BOB, SELF, { reactionMessage: { key: { remoteJid: SELF, fromMe: false, id: mine.remoteId }, text: '' } }, { type: 'reaction' })
    await eventually('two reaction events', () => committed('reaction').length === 2)
    expect(
      committed('reaction').map(({ chatRemoteId, messageRemoteId, senderId, fromMe, emoji }) => ({ chatRemoteId, messageRemoteId, senderId, fromMe, emoji }))
    ).toEqual([
      { chatRemoteId: BOB_JID, messageRemoteId: mine.remoteId, senderId: BOB_JID, fromMe: false, emoji: '❤️' },
      { chatRemoteId: BOB_JID, messageRemoteId: mine.remoteId, senderId: BOB_JID, fromMe: false, emoji: null }
    ])
    expect(committed('reaction')[0]!.timestamp).toBe(1_700_000_000_000)
    // Reactions are not messages.
    expect(keyStore.messages().map((m) => m.text)).toEqual(['look at this'])
  })

  it('edits and revokes its own messages, refuses someone else’s, and hears both shapes of an edit', async () => {
    server.contact(BOB)
    const mine = await connector.send(BOB_JID, 'e-1', { kind: 'text', text: 'helo' })
    const { editedAt } = await connector.edit(BOB_JID, mine.remoteId, 'hello')
    expect(editedAt).toBeGreaterThan(0)
    await connector.unsend(BOB_JID, mine.remoteId)
    const actions = await eventually('bob decrypted edit and revoke', () => {
      const list = decoded().filter((d) => d.message.editedMessage || d.message.protocolMessage)
      return list.length === 2 && list
    })
    expect(actions[0]!.attrs.edit).toBe('1')
    expect(actions[0]!.message.editedMessage?.message?.protocolMessage).toMatchObject({
      key: { remoteJid: BOB_JID, fromMe: true, id: mine.remoteId },
      type: 14,
      editedMessage: { conversation: 'hello' }
    })
    expect(actions[1]!.attrs.edit).toBe('7')
    expect(actions[1]!.message.protocolMessage).toEqual({ key: { remoteJid: BOB_JID, fromMe: true, id: mine.remoteId }, type: 0 })

    const theirs = await server.contact(BOB).sendText(SELF, 'tpyo')
    await eventually('theirs', () => keyStore.messages().some((m) => m.id === theirs))
    await expect(connector.edit(BOB_JID, theirs, 'x')).rejects.toMatchObject({ code: 'permission-denied' })
    await expect(connector.unsend(BOB_JID, theirs)).rejects.toMatchObject({ code: 'permission-denied' })
    // whatsmeow wraps the edit in editedMessage; Baileys sends the bare protocolMessage: both count.
    const key = { remoteJid: SELF, fromMe: true, id: theirs }
    await server.sendMessage(
      BOB,
      SELF,
      { editedMessage: { message: { protocolMessage: { key, type: 14, editedMessage: { conversation: 'typo' }, timestampMs: 1_700_000_000_500 } } } },
      { edit: '1' }
    )
    await server.sendMessage(
      BOB,
      SELF,
      { protocolMessage: { key, type: 14, editedMessage: { conversation: 'typo!' }, timestampMs: 1_700_000_000_900 } },
      { edit: '1' }
    )
    // A revoke whose key says the target is not the sender's own is someone else's message: ignored.
    await server.sendMessage(BOB, SELF, { protocolMessage: { key: { ...key, fromMe: false }, type: 0 } }, { edit: '7' })
    await server.sendMessage(BOB, SELF, { protocolMessage: { key, type: 0 } }, { edit: '7' })
    await eventually('deleted', () => committed('messageDeleted').length === 1)
    expect(committed('messageEdited').map((e) => [e.messageRemoteId, e.text, e.editedAt])).toEqual([
      [theirs, 'typo', 1_700_000_000_500],
      [theirs, 'typo!', 1_700_000_000_900]
    ])
    expect(committed('messageDeleted')).toEqual([{ type: 'messageDeleted', chatRemoteId: BOB_JID, messageRemoteId: theirs }])
    expect(keyStore.messages().map((m) => m.text)).toEqual(['tpyo'])
  })
})
