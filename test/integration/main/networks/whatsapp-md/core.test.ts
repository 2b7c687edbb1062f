// WhatsApp multi-device inside Core, on a temporary profile, against the reference server:
// the default login method links a device, the Signal state lives in Core's key store, a
// restart resumes without a rescan, and a 50-message burst of fast Enter presses reaches
// the contact exactly once, in order, each shown `sent` only after the server's ack.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { LoginStep } from '../../../../../src/shared/api'
import type { Message } from '../../../../../src/shared/model'
import { whatsappNetwork } from '../../../../../src/main/networks/whatsapp'
import { createHarness, type Harness } from '../../../../helpers/core-harness'
import { eventually, waitFor } from '../../../../helpers/events'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { mdClientConfig } from '../../../../servers/whatsapp-md/sandbox'

const PHONE = '15551234567'
const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`
const FAST = { initialPreKeys: 30, reconnectBaseMs: 20, reconnectMaxMs: 200, requestTimeoutMs: 5_000 }

let h: Harness | undefined
let server: WhatsAppMdServerControls | undefined
let dir: string | undefined

afterEach(async () => {
  await h?.close()
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  h = server = dir = undefined
})

async function setUp(): Promise<{ h: Harness; server: WhatsAppMdServerControls; accountId: string }> {
  dir = mkdtempSync(join(tmpdir(), 'wamd-core-'))
  const s = (server = await startWhatsAppMdServer({ stateDir: dir }))
  const harness = (h = await createHarness({
    networks: () => [whatsappNetwork],
    core: { networkConfig: { whatsapp: { md: mdClientConfig(s, FAST) } } }
  }))
  const qr = waitFor(harness.core.events, 'login', (e) => e.step.kind === 'qr')
  const { loginId } = await harness.core.handlers.startLogin({ network: 'whatsapp', methodId: 'qr' })
  const done = waitFor(harness.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 10_000)
  await s.scan(((await qr).step as Extract<LoginStep, { kind: 'qr' }>).payload, PHONE)
  const step = (await done).step
  if (step.kind !== 'done') throw new Error(`login failed: ${JSON.stringify(step)}`)
  return { h: harness, server: s, accountId: step.accountId }
}

async function chatOf(harness: Harness, remoteId: string): Promise<string> {
  const chat = await eventually(async () =>
    (await harness.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === remoteId)
  )
  return chat.id
}

async function messages(harness: Harness, chatId: string): Promise<Message[]> {
  return (await harness.core.handlers.listMessages({ chatId, limit: 200 })).messages
}

describe('WhatsApp multi-device in Core', () => {
  it('links by the default method, shows an incoming chat, and resumes after a restart without a rescan', async () => {
    const { h: harness, server: s, accountId } = await setUp()
    expect(await harness.core.handlers.listAccounts()).toMatchObject([{ id: accountId, network: 'whatsapp', selfId: SELF, status: { state: 'online' } }])
    await s.contact(BOB).sendText(SELF, 'hello from Bob')
    const chatId = await chatOf(harness, BOB_JID)
    await eventually(async () => (await messages(harness, chatId)).some((m) => m.text === 'hello from Bob' && m.e2ee))

    await harness.restart()
    await eventually(async () => (await harness.core.handlers.listAccounts())[0]?.status.state === 'online', 10_000)
    expect(s.hub.registrations.size).toBe(0)
    await s.contact(BOB).sendText(SELF, 'after the restart')
    await eventually(async () => (await messages(harness, chatId)).some((m) => m.text === 'after the restart'))
    expect((await messages(harness, chatId)).map((m) => m.text)).toEqual(['hello from Bob', 'after the restart'])
  })

  it('delivers a burst of 50 sends exactly once, in order, each shown sent only after its ack (issue 11.3)', async () => {
    const { h: harness, server: s } = await setUp()
    await s.contact(BOB).sendText(SELF, 'write to me')
    const chatId = await chatOf(harness, BOB_JID)
    const early: string[] = []
    harness.core.events.on('message', (m) => {
      if (m.clientId?.startsWith('burst-') && (m.status === 'sent' || m.status === 'delivered') && !s.hub.acked.includes(m.remoteId ?? ''))
        early.push(m.clientId)
    })
    const texts = Array.from({ length: 50 }, (_, i) => `burst ${i}`)
    // Like fast Enter presses: no await between the sends.
    await Promise.all(texts.map((text, i) => harness.core.handlers.sendMessage({ chatId, clientId: `burst-${i}`, draft: { kind: 'text', text } })))
    await eventually(
      async () => (await messages(harness, chatId)).filter((m) => m.clientId?.startsWith('burst-') && m.status !== 'pending').length === 50,
      20_000
    )
    const bob = s.contact(BOB).received()
    expect(bob.map((m) => m.text)).toEqual(texts)
    expect(new Set(bob.map((m) => m.id)).size).toBe(50)
    expect(s.hub.duplicates).toBe(0)
    expect(early).toEqual([])
    const stored = (await messages(harness, chatId)).filter((m) => m.clientId?.startsWith('burst-'))
    expect(stored.map((m) => m.text)).toEqual(texts)
    expect(stored.every((m) => m.status === 'sent' || m.status === 'delivered' || m.status === 'read')).toBe(true)
    // Sent Signal-encrypted: each carries the lock, as incoming messages do.
    expect(stored.every((m) => m.e2ee)).toBe(true)
  }, 30_000)

  it('replies, reacts, edits and deletes for everyone through Core, and shows the contact’s reaction', async () => {
    const { h: harness, server: s } = await setUp()
    const question = await s.contact(BOB).sendText(SELF, 'lunch?')
    const chatId = await chatOf(harness, BOB_JID)
    const theirs = await eventually(async () => (await messages(harness, chatId)).find((m) => m.remoteId === question))
    await harness.core.handlers.sendMessage({ chatId, clientId: 'reply-1', draft: { kind: 'text', text: 'yes!' }, replyToId: theirs.id })
    const mine = await eventually(async () => (await messages(harness, chatId)).find((m) => m.clientId === 'reply-1' && m.status !== 'pending'))
    expect(mine.replyTo).toMatchObject({ remoteId: question, text: 'lunch?', fromMe: false })
    const quote = await eventually(() => s.hub.decoded.find((d) => d.id === mine.remoteId))
    expect(quote.message.extendedTextMessage?.contextInfo).toMatchObject({ stanzaId: question, participant: BOB_JID })

    await harness.core.handlers.reactToMessage({ messageId: theirs.id, emoji: '👍' })
    await eventually(() => s.hub.decoded.find((d) => d.message.reactionMessage?.key?.id === question && d.message.reactionMessage.text === '👍'))
    await harness.core.handlers.editMessage({ messageId: mine.id, text: 'yes, at noon!' })
    await eventually(() => s.hub.decoded.find((d) => d.message.editedMessage?.message?.protocolMessage?.key?.id === mine.remoteId))

    await s.sendMessage(BOB, SELF, { reactionMessage: { key: { remoteJid: SELF, fromMe: false, id: mine.remoteId! }, text: '❤️' } }, { type: 'reaction' })
    const reacted = await eventually(async () => (await messages(harness, chatId)).find((m) => m.id === mine.id && m.reactions.length > 0))
    expect(reacted.reactions).toEqual([{ emoji: '❤️', senderIds: [BOB_JID], own: false }])
    expect(reacted).toMatchObject({ text: 'yes, at noon!', editedAt: expect.any(Number) })

    await harness.core.handlers.deleteMessage({ messageId: mine.id, forEveryone: true })
    const revoke = await eventually(() =>
      s.hub.decoded.find((d) => d.message.protocolMessage?.type === 0 && d.message.protocolMessage.key?.id === mine.remoteId)
    )
    expect(revoke.attrs.edit).toBe('7')
  })
})
