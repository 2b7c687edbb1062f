// Issue 12's message actions on Skype (actions-contract.md §2): an edit is a new MSNP24
// message whose Skype-EditedId names the Client-Message-ID it replaces, and deleting for
// everyone is an edit with an empty body (spec §6.4, E14). Through Core's Api, checked at
// the reference server; Messenger dialects refuse both with a typed error.

import type { Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientMessageIdFor } from '../../../../../src/main/networks/skype/crypto'
import { launchChromium } from '../../../../helpers/browser'
import { waitFor } from '../../../../helpers/events'
import { startMsnp18Server } from '../../../../servers/skype/msnp18/server'
import { ALICE18 } from '../../../../servers/skype/msnp18/world'
import { addAccountWithBrowser, chatIdOf, startSkypeHarness, type SkypeHarness } from './harness'
import { messengerConnector, messengerLogin } from './messenger/harness'

let browser: Browser
let s: SkypeHarness

beforeAll(async () => {
  browser = await launchChromium()
  s = await startSkypeHarness({ server: { seed: true } })
  await addAccountWithBrowser(s.core, browser)
})

afterAll(async () => {
  await s?.close()
  await browser?.close()
})

describe('editing and deleting a Skype message (MSNP24)', () => {
  it('edits with Skype-EditedId and deletes with an empty edit', async () => {
    const chatId = await chatIdOf(s.core, '8:bob.smith')
    const sent = await s.core.handlers.sendMessage({ chatId, clientId: 'edit-me', draft: { kind: 'text', text: 'Helo Bob' } })
    await waitFor(s.core.events, 'message', (m) => m.id === sent.id && m.status === 'sent', 10_000)
    const original = clientMessageIdFor('edit-me')

    const edited = await s.core.handlers.editMessage({ messageId: sent.id, text: 'Hello Bob' })
    expect(edited).toMatchObject({ id: sent.id, text: 'Hello Bob', edited: true })
    const edit = s.server.inbox('bob').at(-1)!
    expect(edit).toMatchObject({ body: 'Hello Bob', editedId: original, messageType: 'Text' })
    expect(edit.clientMessageId).not.toBe(original)

    await s.core.handlers.deleteMessage({ messageId: sent.id, forEveryone: true })
    expect(s.server.inbox('bob').at(-1)).toMatchObject({ body: '', editedId: original })
    const rows = (await s.core.handlers.listMessages({ chatId, limit: 50 })).messages.filter((m) => m.id === sent.id)
    expect(rows).toMatchObject([{ deleted: true }])
  })

  it('refuses to change someone else\u2019s message', async () => {
    const chatId = await chatIdOf(s.core, '8:bob.smith')
    const theirs = waitFor(s.core.events, 'message', (m) => m.text === 'not yours to edit', 10_000)
    s.server.peer('bob').say('alice', 'not yours to edit')
    const m = await theirs
    expect(m.chatId).toBe(chatId)
    await expect(s.core.handlers.editMessage({ messageId: m.id, text: 'mine now' })).rejects.toMatchObject({ code: 'permission-denied' })
  })
})

describe('quoted replies on Skype (MSNP24)', () => {
  it('sends a reply as RichText opening with the quote, and reads the quote of an incoming one', async () => {
    const chatId = await chatIdOf(s.core, '8:bob.smith')
    const asked = waitFor(s.core.events, 'message', (m) => m.text === 'Lunch at 1 & coffee?', 10_000)
    s.server.peer('bob').say('alice', 'Lunch at 1 & coffee?')
    const question = await asked
    const reply = await s.core.handlers.sendMessage({ chatId, clientId: 'reply-1', draft: { kind: 'text', text: 'Yes <3' }, replyToId: question.id })
    await waitFor(s.core.events, 'message', (m) => m.id === reply.id && m.status === 'sent', 10_000)
    const wire = s.server.inbox('bob').at(-1)!
    expect(wire.messageType).toBe('RichText')
    // The quoted message is named by its Client-Message-ID, as Core keys it.
    expect(wire.body).toMatch(/^<quote author="8:bob\.smith" authorname="Bob Smith" timestamp="\d+" messageid="\d+">/)
    expect(wire.body).toContain('Lunch at 1 &amp; coffee?')
    expect(wire.body.endsWith('</quote>Yes &lt;3')).toBe(true)

    // Bob quotes Alice's reply back: the quote names her message by its Client-Message-ID.
    const mine = clientMessageIdFor('reply-1')
    const answered = waitFor(s.core.events, 'message', (m) => m.text === 'Great!', 10_000)
    s.server
      .peer('bob')
      .sayRich(
        'alice',
        `<quote author="8:live:alice_1" authorname="Alice" timestamp="1451649600" messageid="${mine}"><legacyquote>[1451649600] Alice: </legacyquote>Yes &lt;3<legacyquote>&lt;&lt;&lt; </legacyquote></quote>Great!`
      )
    const m = await answered
    expect(m.replyTo).toMatchObject({ messageId: reply.id, fromMe: true, text: 'Yes <3' })
  })
})

describe('editing on Messenger (MSNP18)', () => {
  it('is refused with a typed error: the switchboard has no edits', async () => {
    const server = await startMsnp18Server()
    const d = messengerConnector(server.config())
    try {
      await messengerLogin(d, { email: ALICE18.email, password: ALICE18.password })
      const sent = await d.connector.send('1:bob@example.com', 'm18', { kind: 'text', text: 'hi' })
      await expect(d.connector.edit('1:bob@example.com', sent.remoteId, 'hello')).rejects.toMatchObject({ code: 'unsupported' })
      await expect(d.connector.unsend('1:bob@example.com', sent.remoteId)).rejects.toMatchObject({ code: 'unsupported' })
    } finally {
      await d.connector.close()
      await server.close()
    }
  })
})
