// History sync after linking (spec §10): the simulated phone sends its chats in chunks; the
// login reports the progress and finishes once the phone reports 100 %, and the chats,
// names and messages are committed through the key store like any decrypted message.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../../../src/main/base/log'
import { WhatsAppConnector } from '../../../../../src/main/networks/whatsapp'
import { testContext } from '../../../../helpers/connector-probe'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { mdClientConfig } from '../../../../servers/whatsapp-md/sandbox'
import { MemoryKeyStore, RecordingIO } from './harness'

const PHONE = '15551234567'
const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`
const TEAM = '120363000000000001@g.us'

let server: WhatsAppMdServerControls
let connector: WhatsAppConnector | undefined

beforeEach(async () => {
  server = await startWhatsAppMdServer()
})

afterEach(async () => {
  await connector?.close()
  await server.close()
})

describe('WhatsApp multi-device history sync', () => {
  it('shows the phone’s chats with progress before the login finishes', async () => {
    server.hub.world.account(BOB, 'Bob Builder')
    server.seedHistory(PHONE, [
      {
        jid: BOB_JID,
        unread: 1,
        messages: [
          { id: 'H1', fromMe: false, text: 'hi Alice', t: 1_700_000_000 },
          { id: 'H2', fromMe: true, text: 'hi Bob', t: 1_700_000_060 },
          { id: 'H3', fromMe: false, text: 'how are you?', t: 1_700_000_120 }
        ]
      },
      { jid: TEAM, name: 'Team', messages: [{ id: 'G1', fromMe: false, text: 'standup at 10', t: 1_700_000_030, author: BOB_JID }] }
    ])
    const keyStore = new MemoryKeyStore()
    connector = new WhatsAppConnector(
      testContext(
        { md: mdClientConfig(server, { initialPreKeys: 30, requestTimeoutMs: 5_000 }) },
        createLogger(() => {}, 'error'),
        { keyStore }
      )
    )
    const io = new RecordingIO()
    const login = connector.login({ methodId: 'qr', fields: {}, previous: null }, io)
    await server.scan(await io.qr(), PHONE)
    await login
    // The login waited for the history: everything is in before it returned.
    const fractions = io.steps.flatMap((s) => (s.kind === 'progress' && s.stage === 'syncing' && s.fraction !== undefined ? [s.fraction] : []))
    expect(fractions).toEqual([0, 0.5, 1])
    const chats = keyStore.events.flatMap((e) => (e.type === 'chat' ? [e.chat] : []))
    expect(chats).toMatchObject([
      { remoteId: BOB_JID, kind: 'direct', title: 'Bob Builder', unread: 1, lastActivity: 1_700_000_120_000 },
      { remoteId: TEAM, kind: 'group', title: 'Team' }
    ])
    expect(keyStore.events.flatMap((e) => (e.type === 'contact' ? [e.contact] : []))).toContainEqual({ remoteId: BOB_JID, name: 'Bob Builder' })
    expect(keyStore.messages()).toEqual([
      { chat: BOB_JID, id: 'H1', text: 'hi Alice', fromMe: false },
      { chat: BOB_JID, id: 'H2', text: 'hi Bob', fromMe: true },
      { chat: BOB_JID, id: 'H3', text: 'how are you?', fromMe: false },
      { chat: TEAM, id: 'G1', text: 'standup at 10', fromMe: false }
    ])
    const team = keyStore.events.find((e) => e.type === 'message' && e.message.remoteId === 'G1')
    expect(team).toMatchObject({ message: { senderId: BOB_JID, senderName: 'Bob Builder' } })
    const own = keyStore.events.find((e) => e.type === 'message' && e.message.remoteId === 'H2')
    expect(own).toMatchObject({ message: { senderId: SELF, status: 'read' } })
  })

  it('an account without chats sends one empty chunk, and the login does not wait', async () => {
    connector = new WhatsAppConnector(
      testContext(
        { md: mdClientConfig(server, { initialPreKeys: 30, historyWaitMs: 60_000 }) },
        createLogger(() => {}, 'error'),
        { keyStore: new MemoryKeyStore() }
      )
    )
    const io = new RecordingIO()
    const login = connector.login({ methodId: 'qr', fields: {}, previous: null }, io)
    await server.scan(await io.qr(), PHONE)
    await login
    expect(io.steps.at(-1)).toEqual({ kind: 'progress', stage: 'syncing', fraction: 1 })
  })
})
