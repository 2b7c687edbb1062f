// The Skype Connector against the reference server in its Skype (MSNP24) dialect, through
// Core: sign-in on the Microsoft page in Chromium, contacts from both address books,
// text, typing, /me and edits both ways, a group thread, presence, blocked contacts, and
// messages that arrive while the account is offline.

import type { Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../../../../src/shared/model'
import { clientMessageIdFor } from '../../../../../src/main/networks/skype/crypto'
import { launchChromium } from '../../../../helpers/browser'
import { waitFor } from '../../../../helpers/events'
import { SkypeConnector } from '../../../../../src/main/networks/skype'
import { skypeContext } from '../../../../unit/main/networks/skype/context'
import { addAccountWithBrowser, chatIdOf, FAST, fillSignInForm, startSkypeHarness, type SkypeHarness } from './harness'

let browser: Browser
let s: SkypeHarness
let accountId: string

beforeAll(async () => {
  browser = await launchChromium()
  s = await startSkypeHarness({ server: { seed: true } })
  accountId = await addAccountWithBrowser(s.core, browser)
})

afterAll(async () => {
  await s?.close()
  await browser?.close()
})

const messageWhere = (predicate: (m: Message) => boolean): Promise<Message> => waitFor(s.core.events, 'message', predicate, 10_000)

describe('Skype (MSNP24) through Core', () => {
  it('signs in as the Skype name that usermap gives, with every service token', async () => {
    const [account] = await s.core.handlers.listAccounts()
    expect(account).toMatchObject({ id: accountId, network: 'skype', selfId: '8:live:alice_1', displayName: 'Alice' })
    expect(account!.status.state).toBe('online')
    const scopes = new Set([...s.server.world.oauthTokens.values()].filter((t) => t.user === 'alice').map((t) => t.scope))
    for (const scope of [
      'service::skype.com::MBI_SSL',
      'service::ssl.live.com::MBI_SSL',
      'service::contacts.msn.com::MBI_SSL',
      'service::m.hotmail.com::MBI_SSL',
      'service::login.skype.com::MBI_SSL'
    ]) {
      expect(scopes).toContain(scope)
    }
  })

  it('publishes its own presence and acknowledges every pushed message', async () => {
    expect(s.server.world.online(s.server.world.user('alice'))).toBe(true)
    const acked = new Promise<{ ackId: number }>((resolve) => s.server.world.events.on('ack', (e) => e.user === 'alice' && resolve(e)))
    const arrived = messageWhere((m) => m.text === 'ack me')
    s.server.peer('bob').say('alice', 'ack me')
    await arrived
    expect((await acked).ackId).toBeGreaterThan(0)
  })

  it('merges the SOAP address book and ActiveSync into one contact list, with presence and blocks', async () => {
    const contacts = await s.core.handlers.listContacts({ accountId })
    const byId = Object.fromEntries(contacts.map((c) => [c.remoteId, c]))
    expect(Object.keys(byId).sort()).toEqual(['1:dave@hotmail.com', '8:bob.smith', '8:carol.jones', '8:mallory.spam'])
    expect(byId['8:bob.smith']).toMatchObject({ name: 'Bob Smith', blocked: false, presence: 'online' })
    expect(byId['8:carol.jones']).toMatchObject({ name: 'Carol Jones', presence: 'away' })
    expect(byId['8:mallory.spam']).toMatchObject({ blocked: true })
  })

  it('shows the conversation that was waiting at sign-in', async () => {
    const chatId = await chatIdOf(s.core, '8:bob.smith')
    const page = await s.core.handlers.listMessages({ chatId, limit: 20 })
    expect(page.messages.map((m) => m.text)).toContain('Welcome to the Junction sandbox! Write to me here.')
    expect((await s.core.handlers.getChat({ chatId })).title).toBe('Bob Smith')
  })

  it('sends text with a Client-Message-ID derived from the client id, and receives a reply', async () => {
    const chatId = await chatIdOf(s.core, '8:bob.smith')
    const delivered = new Promise((resolve) => s.server.world.events.once('delivered', resolve))
    const sent = await s.core.handlers.sendMessage({ chatId, clientId: 'c-text-1', draft: { kind: 'text', text: 'Hi Bob \u263a' } })
    await messageWhere((m) => m.id === sent.id && m.status === 'sent')
    await delivered
    const got = s.server.inbox('bob').at(-1)!
    expect(got).toMatchObject({ body: 'Hi Bob \u263a', clientMessageId: clientMessageIdFor('c-text-1'), displayName: 'Alice', messageType: 'Text' })

    const reply = messageWhere((m) => m.text === 'Hello Alice!')
    s.server.peer('bob').say('alice', 'Hello Alice!')
    expect(await reply).toMatchObject({ chatId, fromMe: false, senderName: 'Bob Smith', kind: 'text' })
  })

  it('sends typing and stopped-typing, and shows the contact typing', async () => {
    const chatId = await chatIdOf(s.core, '8:bob.smith')
    const typing = new Promise<{ message: { messageType: string } }>((resolve) =>
      s.server.world.events.on('delivered', (e) => e.message.messageType.startsWith('Control/') && resolve(e))
    )
    await s.core.handlers.setTyping({ chatId, typing: true })
    expect((await typing).message.messageType).toBe('Control/Typing')
    const cleared = new Promise<{ message: { messageType: string } }>((resolve) =>
      s.server.world.events.on('delivered', (e) => e.message.messageType === 'Control/ClearTyping' && resolve(e))
    )
    await s.core.handlers.setTyping({ chatId, typing: false })
    await cleared

    const shown = waitFor(s.core.events, 'typing', (t) => t.chatId === chatId && t.typing, 10_000)
    s.server.peer('bob').typing('alice', true)
    expect(await shown).toMatchObject({ senderId: '8:bob.smith', senderName: 'Bob Smith' })
    const stopped = waitFor(s.core.events, 'typing', (t) => t.chatId === chatId && !t.typing, 10_000)
    s.server.peer('bob').typing('alice', false)
    await stopped
  })

  it('sends /me as "<name> <text>" with offset len(name)+1, and reads every convention as an emote', async () => {
    const chatId = await chatIdOf(s.core, '8:bob.smith')
    const sent = await s.core.handlers.sendMessage({ chatId, clientId: 'c-emote-1', draft: { kind: 'emote', text: 'waves' } })
    await messageWhere((m) => m.id === sent.id && m.status === 'sent')
    expect(s.server.inbox('bob').at(-1)).toMatchObject({ body: 'Alice waves', emoteOffset: '6' })

    for (const convention of ['skpy', 'gallus', 'skypeweb'] as const) {
      const seen = messageWhere((m) => m.kind === 'emote' && m.text === `dances (${convention})`)
      s.server.peer('bob').emote('alice', `dances (${convention})`, convention)
      expect(await seen).toMatchObject({ chatId, senderName: 'Bob Smith' })
    }
  })

  it('shows an edit on the same message, and an empty edit as deleted', async () => {
    const original = messageWhere((m) => m.text === 'see you at 5')
    const sent = s.server.peer('bob').say('alice', 'see you at 5')
    const first = await original
    const edited = messageWhere((m) => m.id === first.id && m.text === 'see you at 6')
    s.server.peer('bob').edit('alice', sent.clientMessageId!, 'see you at 6')
    expect(await edited).toMatchObject({ edited: true, remoteId: first.remoteId })
    const removed = messageWhere((m) => m.id === first.id && m.deleted)
    s.server.peer('bob').edit('alice', sent.clientMessageId!, '')
    await removed
  })

  it('joins a group thread, reads it and writes to it', async () => {
    const chat = waitFor(s.core.events, 'chat', (c) => c.kind === 'group' && c.title === 'Weekend plans', 10_000)
    const thread = s.server.peer('bob').createThread('Weekend plans', ['alice', 'carol'])
    const groupChat = await chat
    expect(groupChat.remoteId).toBe(thread.id)

    const fromCarol = messageWhere((m) => m.chatId === groupChat.id && m.text === 'hiking?')
    s.server.peer('carol').say(thread.id, 'hiking?')
    expect(await fromCarol).toMatchObject({ senderName: 'Carol Jones', fromMe: false })

    const toBob = new Promise((resolve) => s.server.world.events.on('delivered', (e) => e.to === 'bob' && e.message.body === 'count me in' && resolve(e)))
    const toCarol = new Promise((resolve) => s.server.world.events.on('delivered', (e) => e.to === 'carol' && e.message.body === 'count me in' && resolve(e)))
    const sent = await s.core.handlers.sendMessage({ chatId: groupChat.id, clientId: 'c-group-1', draft: { kind: 'text', text: 'count me in' } })
    await Promise.all([toBob, toCarol, messageWhere((m) => m.id === sent.id && m.status === 'sent')])

    const joined = messageWhere((m) => m.chatId === groupChat.id && m.kind === 'system' && /Dave Miller joined/.test(m.text))
    s.server.peer('dave').joinThread(thread.id)
    await joined
  })

  it('follows a contact\u2019s presence', async () => {
    const busy = waitFor(s.core.events, 'contact', (c) => c.remoteId === '8:bob.smith' && c.presence === 'busy', 10_000)
    s.server.peer('bob').setStatus('BSY')
    await busy
    const offline = waitFor(s.core.events, 'contact', (c) => c.remoteId === '8:bob.smith' && c.presence === 'offline', 10_000)
    s.server.peer('bob').setStatus('FLN')
    await offline
    s.server.peer('bob').setStatus('NLN')
  })

  it('shows what Alice sends from another device as hers (carbon copies, spec \u00a712.3)', async () => {
    const other = new SkypeConnector(skypeContext({ ...s.server.config(), ...FAST }))
    const page = await browser.newPage()
    try {
      let resolveRedirect: (url: string) => void = () => {}
      const redirect = new Promise<string>((resolve) => (resolveRedirect = resolve))
      await other.login(
        { methodId: 'browser', fields: {}, previous: null },
        {
          redirectUri: null,
          signal: new AbortController().signal,
          waitForRedirect: () => redirect,
          waitForInput: () => new Promise<Record<string, string>>(() => {}),
          step: (step) => {
            if (step.kind === 'browser') void fillSignInForm(page, step.url).then(resolveRedirect)
          }
        }
      )
      const copy = messageWhere((m) => m.text === 'sent from my phone')
      await other.send('8:bob.smith', 'phone-1', { kind: 'text', text: 'sent from my phone' })
      const m = await copy
      expect(m).toMatchObject({ fromMe: true, chatId: await chatIdOf(s.core, '8:bob.smith') })
      expect(s.server.world.endpointsOf('alice')).toHaveLength(2)
    } finally {
      await other.close()
      await page.close()
    }
  })

  it('pages older messages of a chat from the recent conversations, newest first', async () => {
    const connector = s.core.accounts.onlineConnector(accountId)!
    const all = await connector.history('8:bob.smith', null, 100)
    expect(all.length).toBeGreaterThan(3)
    expect(all.map((m) => m.timestamp)).toEqual([...all.map((m) => m.timestamp)].sort((a, b) => b - a))
    const newest = all[0]!
    const older = await connector.history('8:bob.smith', { remoteId: newest.remoteId, timestamp: newest.timestamp }, 2)
    expect(older).toHaveLength(2)
    expect(older.every((m) => m.timestamp < newest.timestamp && m.chatRemoteId === '8:bob.smith')).toBe(true)
  })

  it('never writes a token, ticket or password to the log', () => {
    const logged = JSON.stringify(s.h.logs)
    expect(s.h.logs.length).toBeGreaterThan(50)
    const secrets = [...s.server.world.oauthTokens.keys(), ...s.server.world.refreshTokens.keys(), 'junction-sandbox']
    for (const secret of secrets) expect(logged.includes(secret), 'a secret in the log').toBe(false)
  })

  it('drops what a blocked contact writes', async () => {
    const chatId = await chatIdOf(s.core, '8:bob.smith')
    s.server.peer('mallory').say('alice', 'buy cheap stuff')
    // Bob's message after Mallory's arrives only once Mallory's has been handled.
    const after = messageWhere((m) => m.text === 'after the spam')
    s.server.peer('bob').say('alice', 'after the spam')
    await after
    const search = await s.core.handlers.search({ query: 'cheap', limit: 10 })
    expect(search).toEqual([])
    expect((await s.core.handlers.listMessages({ chatId, limit: 100 })).messages.some((m) => m.text === 'buy cheap stuff')).toBe(false)
  })
})
