// The Skype Connector in its MSNP21 dialect (WLM 2011 framing, what Escargot-style servers
// speak): Passport RST2 sign-in with the MBI blob behind an XFR redirect, CHL/QRY, the SOAP
// address book, text, typing, /me, a group thread, presence, a dropped socket and OUT OTH.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../../../../src/shared/model'
import { waitFor } from '../../../../helpers/events'
import { accountStatus, addAccountWithPassword, chatIdOf, recordStatuses, startSkypeHarness, type SkypeHarness } from './harness'

let s: SkypeHarness
let accountId: string
let qry: Promise<unknown>

beforeAll(async () => {
  s = await startSkypeHarness({ dialect: 'msnp21', server: { redirect: true } })
  qry = new Promise((resolve) => s.server.world.events.once('qry', resolve))
  accountId = await addAccountWithPassword(s.core)
})

afterAll(async () => {
  await s?.close()
})

const messageWhere = (predicate: (m: Message) => boolean): Promise<Message> => waitFor(s.core.events, 'message', predicate, 10_000)

describe('Skype over MSNP21 with a Passport login', () => {
  it('signs in with the Passport ticket and MBI blob after an XFR, and answers the challenge', async () => {
    const [account] = await s.core.handlers.listAccounts()
    expect(account).toMatchObject({ selfId: '1:alice@hotmail.co.uk', status: { state: 'online' } })
    await qry
    expect(s.server.world.endpointsOf('alice').map((e) => e.dialect)).toEqual(['msnp21'])
  })

  it('refuses a wrong password with a clear, typed error', async () => {
    const failure = waitFor(s.core.events, 'login', (e) => e.network === 'skype' && e.step.kind === 'failed', 10_000)
    await s.core.handlers.startLogin({ network: 'skype', methodId: 'passport', fields: { email: 'alice@hotmail.co.uk', password: 'wrong' } })
    const failed = (await failure).step
    expect(failed).toMatchObject({ kind: 'failed', error: { code: 'auth-failed', message: 'That e-mail address or password is not right.' } })
  })

  it('reads the contacts of the SOAP address book, blocked ones included', async () => {
    const contacts = await s.core.handlers.listContacts({ accountId })
    expect(Object.fromEntries(contacts.map((c) => [c.remoteId, c.blocked]))).toEqual({
      '1:bob@hotmail.com': false,
      '1:dave@hotmail.com': false,
      '1:mallory@hotmail.com': true
    })
    expect(contacts.find((c) => c.remoteId === '1:bob@hotmail.com')).toMatchObject({ name: 'Bob Smith', presence: 'online' })
  })

  it('sends and receives text', async () => {
    const reply = messageWhere((m) => m.text === 'hello over MSNP21')
    s.server.peer('bob').say('alice', 'hello over MSNP21')
    const incoming = await reply
    expect(incoming).toMatchObject({ senderId: '1:bob@hotmail.com', senderName: 'Bob Smith', fromMe: false })

    const sent = await s.core.handlers.sendMessage({ chatId: incoming.chatId, clientId: 'c21-text', draft: { kind: 'text', text: 'hi from WLM framing' } })
    await messageWhere((m) => m.id === sent.id && m.status === 'sent')
    expect(s.server.inbox('bob').at(-1)).toMatchObject({ body: 'hi from WLM framing', messageType: 'Text' })
  })

  it('sends and shows typing, and /me both ways', async () => {
    const chatId = await chatIdOf(s.core, '1:bob@hotmail.com')
    const typing = new Promise<{ message: { messageType: string } }>((resolve) =>
      s.server.world.events.on('delivered', (e) => e.message.messageType === 'Control/Typing' && resolve(e))
    )
    await s.core.handlers.setTyping({ chatId, typing: true })
    await typing
    const shown = waitFor(s.core.events, 'typing', (t) => t.chatId === chatId && t.typing, 10_000)
    s.server.peer('bob').typing('alice')
    await shown

    const sent = await s.core.handlers.sendMessage({ chatId, clientId: 'c21-emote', draft: { kind: 'emote', text: 'nods' } })
    await messageWhere((m) => m.id === sent.id && m.status === 'sent')
    expect(s.server.inbox('bob').at(-1)).toMatchObject({ body: 'alice nods', emoteOffset: '6' })
    const emote = messageWhere((m) => m.kind === 'emote' && m.text === 'grins')
    s.server.peer('bob').emote('alice', 'grins')
    await emote
  })

  it('reads and writes a group thread', async () => {
    const thread = s.server.peer('bob').createThread('WLM friends', ['alice', 'carol'])
    const fromCarol = messageWhere((m) => m.text === 'hi all')
    s.server.peer('carol').say(thread.id, 'hi all')
    const got = await fromCarol
    const chat = await s.core.handlers.getChat({ chatId: got.chatId })
    expect(chat).toMatchObject({ remoteId: thread.id, kind: 'group', title: 'WLM friends' })
    const toCarol = new Promise((resolve) => s.server.world.events.on('delivered', (e) => e.to === 'carol' && e.message.body === 'hello thread' && resolve(e)))
    await s.core.handlers.sendMessage({ chatId: got.chatId, clientId: 'c21-group', draft: { kind: 'text', text: 'hello thread' } })
    await toCarol
  })

  it('follows presence', async () => {
    const away = waitFor(s.core.events, 'contact', (c) => c.remoteId === '1:bob@hotmail.com' && c.presence === 'away', 10_000)
    s.server.peer('bob').setStatus('AWY')
    await away
  })

  it('reconnects after a dropped socket and gets what was sent meanwhile', async () => {
    const reconnecting = accountStatus(s.core, accountId, (st) => st.state === 'reconnecting')
    const gone = new Promise((resolve) => s.server.world.events.once('logout', resolve))
    s.server.dropConnections('alice')
    await Promise.all([reconnecting, gone])
    s.server.peer('bob').say('alice', 'while you reconnected')
    const arrived = messageWhere((m) => m.text === 'while you reconnected')
    await accountStatus(s.core, accountId, (st) => st.state === 'online')
    await arrived
  })

  it('goes offline on OUT OTH without reconnecting', async () => {
    const statuses = recordStatuses(s.core, accountId)
    const offline = accountStatus(s.core, accountId, (st) => st.state === 'offline')
    s.server.signInElsewhere('alice')
    expect(await offline).toEqual({ state: 'offline', reason: { code: 'signed-in-elsewhere' } })
    expect(statuses.map((st) => st.state)).toEqual(['offline'])
  })

  it('does not offer the Microsoft page to an MSNP21 server, and refuses it before a Connector is made', async () => {
    const skype = (await s.core.handlers.listNetworks()).find((n) => n.id === 'skype')!
    expect(skype.loginMethods.map((m) => m.id)).toEqual(['passport', 'messenger'])
    await expect(s.core.handlers.startLogin({ network: 'skype', methodId: 'browser' })).rejects.toMatchObject({ code: 'invalid-argument' })
  })
})
