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
import type { WhatsAppServer } from '../../../../servers/whatsapp/server'
import { BOB, FAST, startWorld, TEAM } from './fixture'

let h: Harness
let server: WhatsAppServer
let phone: SimulatedPhone

afterEach(async () => {
  await h?.close()
  await server?.close()
})

async function setUp(): Promise<string> {
  ;({ server, phone } = await startWorld())
  h = await createHarness({ networks: () => [whatsappNetwork], core: { networkConfig: { whatsapp: server.clientConfig(FAST) } } })
  const qr = waitFor(h.core.events, 'login', (e) => e.step.kind === 'qr')
  const { loginId } = await h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'qr' })
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
    expect(await h.core.handlers.listAccounts()).toMatchObject([{ id: accountId, network: 'whatsapp', selfId: '15550100@c.us', displayName: 'Alice', status: { state: 'online' } }])
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
    expect(phone.messages(BOB).filter((m) => m.fromWeb).map((m) => (m.content as { conversation: string }).conversation)).toEqual(['first', 'second'])
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
})
