// The WhatsApp Connector inside Core, on a temporary profile, against the reference server:
// what a person sees in the store. A QR login fills the inbox; a dropped socket mid-chat
// loses and duplicates nothing; a restart resumes without a QR and picks up what arrived.

import { afterEach, describe, expect, it } from 'vitest'
import type { LoginStep } from '../../../../../src/shared/api'
import type { Message } from '../../../../../src/shared/model'
import { whatsappNetwork } from '../../../../../src/main/networks/whatsapp'
import { createHarness, type Harness } from '../../../../helpers/core-harness'
import { eventually, waitFor } from '../../../../helpers/events'
import type { SimulatedPhone } from '../../../../servers/whatsapp/phone'
import type { StoredMessage } from '../../../../servers/whatsapp/world'
import type { ServerOptions, WhatsAppServer } from '../../../../servers/whatsapp/server'
import { BOB, FAST, startWorld, TEAM } from './fixture'

let h: Harness
let server: WhatsAppServer
let phone: SimulatedPhone

afterEach(async () => {
  await h?.close()
  await server?.close()
})

async function setUp(options: Partial<ServerOptions> = {}): Promise<string> {
  ;({ server, phone } = await startWorld(options))
  h = await createHarness({ networks: () => [whatsappNetwork], core: { networkConfig: { whatsapp: server.clientConfig(FAST) } } })
  const qr = waitFor(h.core.events, 'login', (e) => e.step.kind === 'qr')
  const { loginId } = await h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'legacy-qr' })
  const done = waitFor(h.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'))
  await phone.scan(((await qr).step as Extract<LoginStep, { kind: 'qr' }>).payload)
  const step = (await done).step
  if (step.kind !== 'done') throw new Error(`login failed: ${JSON.stringify(step)}`)
  await eventually(async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.length === 2)
  return step.accountId
}

async function chatId(remoteId: string): Promise<string> {
  const inbox = await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })
  const chat = inbox.chats.find((c) => c.remoteId === remoteId)
  if (!chat) throw new Error(`no chat ${remoteId}`)
  return chat.id
}

async function messages(remoteId: string): Promise<Message[]> {
  return (await h.core.handlers.listMessages({ chatId: await chatId(remoteId), limit: 200 })).messages
}

describe('WhatsApp in Core', () => {
  it('adds the account by QR and shows its chats, contacts and unread counts', async () => {
    const accountId = await setUp()
    expect(await h.core.handlers.listAccounts()).toMatchObject([
      { id: accountId, network: 'whatsapp', selfId: '15550100@c.us', displayName: 'Alice', status: { state: 'online' } }
    ])
    // The legacy protocol has no reactions or edits, but revokes (spec §6.2), shows presence (spec §6.5) and sends photos and
    // documents (spec §7.4): the account narrows the network's capabilities only where it lacks them.
    expect((await h.core.handlers.listAccounts())[0]!.capabilities).toEqual({
      reactions: false,
      edits: false,
      sendImages: true,
      sendFiles: true,
      maxUploadBytes: 16 * 1024 * 1024
    })
    await eventually(async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.length === 2)
    const inbox = await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })
    expect(inbox.chats.map((c) => [c.title, c.kind, c.unread])).toEqual([
      ['Team', 'group', 0],
      ['Bob Builder', 'direct', 0]
    ])
    expect((await h.core.handlers.listContacts({ accountId })).map((c) => c.name).sort()).toEqual(['Bob Builder', 'Carol Singer', 'Dave'])
    // Opening a chat pages history from the phone.
    expect((await messages(BOB)).map((m) => m.text)).toEqual(['hi Alice', 'hi Bob', 'how are you?'])
  })

  it('chats both ways; a dropped socket mid-conversation loses and duplicates nothing', async () => {
    await setUp()
    const bob = await chatId(BOB)
    await h.core.handlers.sendMessage({ chatId: bob, clientId: 'k1', draft: { kind: 'text', text: 'first' } })
    await eventually(async () => (await messages(BOB)).find((m) => m.text === 'first')?.status === 'delivered')
    const reply = phone.sendAs(BOB, 'reply one')
    await eventually(async () => (await messages(BOB)).some((m) => m.remoteId === reply.id))

    server.dropAll()
    await waitFor(h.core.events, 'account', (a) => a.status.state === 'reconnecting')
    const offline = [phone.sendAs(BOB, 'while you were away'), phone.sendAs(TEAM, 'team news')]
    // Sent from Junction while offline: the outbox holds it and sends it after the reconnect.
    await h.core.handlers.sendMessage({ chatId: bob, clientId: 'k2', draft: { kind: 'text', text: 'second' } })
    await waitFor(h.core.events, 'account', (a) => a.status.state === 'online', 10_000)
    await eventually(async () => (await messages(BOB)).some((m) => m.remoteId === offline[0]!.id))
    await eventually(async () => (await messages(TEAM)).some((m) => m.remoteId === offline[1]!.id))
    await eventually(async () => (await messages(BOB)).find((m) => m.text === 'second')?.status === 'delivered', 10_000)

    const texts = (await messages(BOB)).map((m) => m.text)
    // Everything once; the order within one second depends on clocks, so only the set is checked.
    expect([...texts].sort()).toEqual(['first', 'hi Alice', 'hi Bob', 'how are you?', 'reply one', 'second', 'while you were away'])
    expect((await messages(TEAM)).filter((m) => m.text === 'team news')).toHaveLength(1)
    expect(
      phone
        .messages(BOB)
        .filter((m) => m.fromWeb)
        .map((m) => (m.content as { conversation: string }).conversation)
    ).toEqual(['first', 'second'])
    // Two messages from Bob were never read: the count matches the phone's, and reading clears both.
    const bobChat = (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === BOB)!
    expect(bobChat.unread).toBe(2)
    await h.core.handlers.markChatRead({ chatId: bob })
    await eventually(() => server.stats.reads.some((r) => r.chat === BOB && r.index === offline[0]!.id))
    expect(server.accounts.get('15550100@c.us')!.chats.get(BOB)!.unread).toBe(0)
  })

  it('resumes after a restart without a QR and receives what arrived while closed, once', async () => {
    await setUp()
    const seen = phone.sendAs(BOB, 'before closing')
    await eventually(async () => (await messages(BOB)).some((m) => m.remoteId === seen.id))
    await h.core.close()
    const missed = phone.sendAs(BOB, 'while Junction was closed')
    await h.restart()
    await eventually(async () => (await h.core.handlers.listAccounts())[0]?.status.state === 'online')
    await eventually(async () => (await messages(BOB)).some((m) => m.remoteId === missed.id))
    const texts = (await messages(BOB)).map((m) => m.text)
    expect(texts.filter((t) => t === 'while Junction was closed')).toHaveLength(1)
    expect(texts.filter((t) => t === 'before closing')).toHaveLength(1)
    const bobChat = (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === BOB)!
    expect(bobChat.unread).toBe(server.accounts.get('15550100@c.us')!.chats.get(BOB)!.unread)
  })

  it('shows both of two messages queued during an outage delivered after the reconnect (issue 11.5)', async () => {
    await setUp()
    const bob = await chatId(BOB)
    server.dropAll()
    await waitFor(h.core.events, 'account', (a) => a.status.state === 'reconnecting')
    const missed = phone.sendAs(BOB, 'written while Junction was away')
    await h.core.handlers.sendMessage({ chatId: bob, clientId: 'q1', draft: { kind: 'text', text: 'queued one' } })
    await h.core.handlers.sendMessage({ chatId: bob, clientId: 'q2', draft: { kind: 'text', text: 'queued two' } })
    // Both go out while the reconnect's login sync runs: their receipts wait at its gate.
    await waitFor(h.core.events, 'account', (a) => a.status.state === 'online', 10_000)
    await eventually(async () => (await messages(BOB)).some((m) => m.remoteId === missed.id))
    const atServer = (): StoredMessage[] => phone.messages(BOB).filter((m) => m.fromWeb)
    // Bob's phone has both: the server holds them as delivered.
    await eventually(() => atServer().length === 2 && atServer().every((m) => m.status >= 3))
    await eventually(async () => {
      const queued = (await messages(BOB)).filter((m) => m.text.startsWith('queued'))
      return queued.length === 2 && queued.every((m) => m.status === 'delivered')
    })
  })

  it('after a reconnect applies the receipts the network holds, also for messages older than the chat cursor (issue 11.5)', async () => {
    await setUp({ autoDeliver: false })
    const bob = await chatId(BOB)
    await h.core.handlers.sendMessage({ chatId: bob, clientId: 'h1', draft: { kind: 'text', text: 'held one' } })
    await h.core.handlers.sendMessage({ chatId: bob, clientId: 'h2', draft: { kind: 'text', text: 'held two' } })
    const held = async (): Promise<Message[]> => (await messages(BOB)).filter((m) => m.text.startsWith('held'))
    await eventually(async () => (await held()).filter((m) => m.status === 'sent').length === 2)
    // Bob answers, so the chat's cursor moves past both; then the link drops.
    const reply = phone.sendAs(BOB, 'answering before I read')
    await eventually(async () => (await messages(BOB)).some((m) => m.remoteId === reply.id))
    server.dropAll()
    await waitFor(h.core.events, 'account', (a) => a.status.state === 'reconnecting')
    // Bob's phone receives both while Junction is away: the receipts have no one to go to.
    expect(phone.receivedBy(BOB)).toHaveLength(2)
    await waitFor(h.core.events, 'account', (a) => a.status.state === 'online', 10_000)
    await eventually(async () => (await held()).every((m) => m.status === 'delivered'))
    expect((await held()).map((m) => m.status)).toEqual(['delivered', 'delivered'])
  })

  it('applies held receipts after a half-dead link: relays reached the phone but their acks and receipts did not come back', async () => {
    await setUp()
    const bob = await chatId(BOB)
    server.deafenAll()
    await h.core.handlers.sendMessage({ chatId: bob, clientId: 'd1', draft: { kind: 'text', text: 'into the dark one' } })
    await h.core.handlers.sendMessage({ chatId: bob, clientId: 'd2', draft: { kind: 'text', text: 'into the dark two' } })
    await waitFor(h.core.events, 'account', (a) => a.status.state === 'reconnecting', 10_000)
    await waitFor(h.core.events, 'account', (a) => a.status.state === 'online', 10_000)
    const atServer = (): StoredMessage[] => phone.messages(BOB).filter((m) => m.fromWeb)
    await eventually(() => atServer().length === 2 && atServer().every((m) => m.status >= 3), 10_000)
    await eventually(async () => {
      const sent = (await messages(BOB)).filter((m) => m.text.startsWith('into the dark'))
      return sent.length === 2 && sent.every((m) => m.status === 'delivered')
    }, 10_000)
    expect(phone.messages(BOB).filter((m) => m.fromWeb)).toHaveLength(2)
  })

  it('delivers a burst of 50 sends exactly once, in order, each shown sent only after its ack (issue 11.3)', async () => {
    await setUp()
    const bob = await chatId(BOB)
    const early: string[] = []
    h.core.events.on('message', (m) => {
      if (m.clientId?.startsWith('burst-') && m.status !== 'pending' && m.status !== 'failed' && !server.stats.acked.includes(m.remoteId ?? ''))
        early.push(m.clientId)
    })
    const texts = Array.from({ length: 50 }, (_, i) => `burst ${i}`)
    // Like fast Enter presses: no await between the sends.
    await Promise.all(texts.map((text, i) => h.core.handlers.sendMessage({ chatId: bob, clientId: `burst-${i}`, draft: { kind: 'text', text } })))
    await eventually(async () => (await messages(BOB)).filter((m) => m.clientId?.startsWith('burst-') && m.status !== 'pending').length === 50, 15_000)
    const relayed = server.stats.relays.filter((r) => r.chat === BOB && r.text.startsWith('burst '))
    expect(relayed.map((r) => r.text)).toEqual(texts)
    expect(new Set(relayed.map((r) => r.id)).size).toBe(50)
    expect(
      phone
        .messages(BOB)
        .filter((m) => m.fromWeb)
        .map((m) => (m.content as { conversation: string }).conversation)
    ).toEqual(texts)
    expect(server.stats.duplicateRelays).toBe(0)
    expect(early).toEqual([])
    const stored = (await messages(BOB)).filter((m) => m.clientId?.startsWith('burst-'))
    expect(stored.every((m) => m.status === 'sent' || m.status === 'delivered')).toBe(true)
  })

  it('sends /me as the text Junction shows, since WhatsApp has no emotes (issue 11.6)', async () => {
    await setUp()
    const bob = await chatId(BOB)
    await h.core.handlers.sendMessage({ chatId: bob, clientId: 'e1', draft: { kind: 'emote', text: 'waves' } })
    await eventually(() => server.stats.relays.some((r) => r.chat === BOB && r.text.endsWith('waves')))
    // What the contact's phone holds reads as Junction shows it: "* <own push name> waves".
    expect(server.stats.relays.filter((r) => r.chat === BOB).map((r) => r.text)).toEqual(['* Alice waves'])
    const [account] = await h.core.handlers.listAccounts()
    expect(account?.displayName).toBe('Alice')
  })
})
