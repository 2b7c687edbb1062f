// Issue 16 point 6: a "Messenger (revival service)" account through Core's Api against the
// MSNP18 reference server: sign-in, contacts with presence, chat both ways, typing, a nudge,
// a switchboard dropped mid-conversation with nothing lost or duplicated, and a 50-message
// burst that reaches the contact exactly once, in order, each shown sent only after its ACK
// (network.md point 8).

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Message } from '../../../../../../src/shared/model'
import { skypeNetwork } from '../../../../../../src/main/networks/skype'
import { createHarness, type Harness } from '../../../../../helpers/core-harness'
import { waitFor } from '../../../../../helpers/events'
import { startMsnp18Server, type Msnp18Server } from '../../../../../servers/skype/msnp18/server'
import { ALICE18 } from '../../../../../servers/skype/msnp18/world'
import { accountStatus, chatIdOf } from '../harness'
import { QUICK } from './harness'

const BOB = 'bob@example.com'

let server: Msnp18Server
let h: Harness
let accountId: string

beforeEach(async () => {
  server = await startMsnp18Server()
  h = await createHarness({ networks: () => [skypeNetwork], core: { networkConfig: { skype: { ...server.config(), ...QUICK } } } })
  const { loginId } = await h.core.handlers.startLogin({
    network: 'skype',
    methodId: 'messenger',
    fields: { email: ALICE18.email, password: ALICE18.password, server: '' }
  })
  const done = (await waitFor(h.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 15_000)).step
  if (done.kind !== 'done') throw new Error(`login failed: ${JSON.stringify(done)}`)
  accountId = done.accountId
})

afterEach(async () => {
  await h?.close()
  await server?.close()
  expect(server.errors).toEqual([])
})

const bobSays = async (text: string): Promise<Message> => {
  const arrived = waitFor(h.core.events, 'message', (m) => m.text === text, 10_000)
  server.peer(BOB).say(ALICE18.email, text)
  return arrived
}

const bobGot = (): string[] =>
  server
    .peer(BOB)
    .inbox(ALICE18.email)
    .filter((r) => r.kind === 'text')
    .map((r) => r.text)

describe('a Messenger account through Core', () => {
  it('signs in and lists its contacts with their presence', async () => {
    const [account] = await h.core.handlers.listAccounts()
    expect(account).toMatchObject({ id: accountId, selfId: '1:alice@example.com', status: { state: 'online' } })
    // MSNP18 has no edits, deletes or quotes, and no photos or files (P2P there): the account says so, and the UI hides them.
    expect(account!.capabilities).toEqual({ edits: false, unsend: false, replies: false, receiveImages: false, sendImages: false, sendFiles: false })
    // The NLNs follow the first CHG (msnp18.md §4.1); Core may store them just after the login is done.
    await waitUntil(async () => (await h.core.handlers.listContacts({ accountId })).filter((c) => c.presence !== 'unknown').length >= 2)
    const contacts = await h.core.handlers.listContacts({ accountId })
    const byId = Object.fromEntries(contacts.map((c) => [c.remoteId, c]))
    expect(byId['1:bob@example.com']).toMatchObject({ name: 'Bob B.', presence: 'online', blocked: false })
    expect(byId['1:carol@example.com']).toMatchObject({ name: 'Carol C.', presence: 'away' })
    const away = waitFor(h.core.events, 'contact', (c) => c.remoteId === '1:bob@example.com' && c.presence === 'offline', 10_000)
    server.peer(BOB).setStatus('FLN')
    await away
  })

  it('chats both ways, with typing both ways and a nudge', async () => {
    const incoming = await bobSays('Hi Alice, over the switchboard')
    expect(incoming).toMatchObject({ senderId: '1:bob@example.com', senderName: 'Bob B.', fromMe: false, kind: 'text' })
    const chatId = incoming.chatId

    const sent = await h.core.handlers.sendMessage({ chatId, clientId: 'm-reply', draft: { kind: 'text', text: 'Hello Bob' } })
    await waitFor(h.core.events, 'message', (m) => m.id === sent.id && m.status === 'sent', 10_000)
    expect(bobGot()).toEqual(['Hello Bob'])

    const typing = waitFor(h.core.events, 'typing', (t) => t.chatId === chatId && t.typing, 10_000)
    server.peer(BOB).typing(ALICE18.email)
    await typing
    await h.core.handlers.setTyping({ chatId, typing: true })
    await waitUntil(() =>
      server
        .peer(BOB)
        .inbox(ALICE18.email)
        .some((r) => r.kind === 'typing')
    )

    const nudge = waitFor(h.core.events, 'message', (m) => m.chatId === chatId && m.kind === 'system', 10_000)
    server.peer(BOB).nudge(ALICE18.email)
    expect(await nudge).toMatchObject({ text: 'Bob B. sent a nudge.', fromMe: false })

    // And one from us: Bob's switchboard receives it, and our conversation shows it.
    const ours = waitFor(h.core.events, 'message', (m) => m.chatId === chatId && m.kind === 'system' && m.fromMe, 10_000)
    await h.core.handlers.sendNudge({ chatId })
    expect(await ours).toMatchObject({ text: 'You sent a nudge.' })
    await waitUntil(() =>
      server
        .peer(BOB)
        .inbox(ALICE18.email)
        .some((r) => r.kind === 'nudge')
    )
  })

  it('loses and duplicates nothing when the switchboard drops mid-conversation', async () => {
    const chatId = (await bobSays('start')).chatId
    const texts = Array.from({ length: 8 }, (_, i) => `line ${i}`)
    for (const [i, text] of texts.entries()) {
      if (i === 4) server.dropOnMessage(1)
      const m = await h.core.handlers.sendMessage({ chatId, clientId: `drop-${i}`, draft: { kind: 'text', text } })
      await waitFor(h.core.events, 'message', (x) => x.id === m.id && x.status === 'sent', 10_000)
    }
    // Bob drops his side too, and writes on: Alice gets it once, on a new switchboard.
    server.dropSwitchboards(ALICE18.email)
    await waitUntil(() => server.sessionsWith(ALICE18.email) === 0)
    await bobSays('after the drop')
    expect(bobGot()).toEqual(texts)
    const rows = (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages
    expect(rows.filter((m) => m.text === 'after the drop')).toHaveLength(1)
    expect(rows.filter((m) => m.fromMe).map((m) => [m.text, m.status])).toEqual(texts.map((t) => [t, 'sent']))
  })

  it('is kept up by the supervisor: reconnects after a dropped NS, goes offline on OUT OTH', async () => {
    const reconnecting = accountStatus(h.core, accountId, (st) => st.state === 'reconnecting')
    server.dropNs(ALICE18.email)
    await reconnecting
    await accountStatus(h.core, accountId, (st) => st.state === 'online')
    expect(server.endpoints(ALICE18.email)).toHaveLength(1)
    const offline = accountStatus(h.core, accountId, (st) => st.state === 'offline')
    server.signInElsewhere(ALICE18.email)
    expect(await offline).toEqual({ state: 'offline', reason: { code: 'signed-in-elsewhere' } })
  })

  it('delivers a 50-message burst sent through Core exactly once, in order, each shown sent only after its ACK', async () => {
    const chatId = await chatIdOf(h.core, '1:bob@example.com').catch(async () => (await bobSays('burst please')).chatId)
    const clientIds = Array.from({ length: 50 }, (_, i) => `burst-${i}`)
    const early: string[] = []
    const failed: string[] = []
    const sent = new Set<string>()
    const settled = new Promise<void>((resolve) => {
      h.core.events.on('message', (m) => {
        if (!m.clientId || !clientIds.includes(m.clientId)) return
        if (m.status === 'failed') failed.push(`${m.clientId}: ${m.error}`)
        if (m.status === 'sent' && !sent.has(m.clientId)) {
          // The server relays a MSG to Bob before it ACKs it (msnp18.md §5.6): 'sent' must find it there.
          if (!bobGot().includes(m.text)) early.push(m.clientId)
          sent.add(m.clientId)
        }
        if (sent.size + failed.length >= clientIds.length) resolve()
      })
    })
    // Enter pressed 50 times without waiting, one macrotask between presses (as in ../burst.test.ts).
    const accepted: Promise<Message>[] = []
    for (const [i, clientId] of clientIds.entries()) {
      accepted.push(h.core.handlers.sendMessage({ chatId, clientId, draft: { kind: 'text', text: `burst ${i}` } }))
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(new Set((await Promise.all(accepted)).map((m) => m.id)).size).toBe(50)
    await settled
    expect(failed).toEqual([])
    expect(early).toEqual([])
    expect(bobGot().filter((t) => t.startsWith('burst '))).toEqual(clientIds.map((_, i) => `burst ${i}`))
    const rows = (await h.core.handlers.listMessages({ chatId, limit: 200 })).messages.filter((m) => m.clientId?.startsWith('burst-'))
    expect(rows).toHaveLength(50)
    expect(rows.every((m) => m.status === 'sent')).toBe(true)
  })
})

/** Waits for a state the server or Core records without an event of its own (a contact's inbox, a stored presence). */
async function waitUntil(done: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('the state never came')
    await new Promise((r) => setTimeout(r, 20))
  }
}
