// A person adds a "Messenger (revival service)" account (issue 16) with e-mail, password
// and the server left empty (the configured default: here the MSNP18 reference server),
// then chats both ways over the switchboard, sees and sends typing, and gets a nudge: the
// headless host with the real Skype Connector, in Chromium.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skypeNetwork } from '../../src/main/networks/skype'
import { screenshot } from '../helpers/browser'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { QUICK } from '../integration/main/networks/skype/messenger/harness'
import { startMsnp18Server, type Msnp18Server } from '../servers/skype/msnp18/server'
import { ALICE18 } from '../servers/skype/msnp18/world'

const BOB = 'bob@example.com'

let server: Msnp18Server
let app: AppInBrowser

beforeAll(async () => {
  server = await startMsnp18Server()
  app = await startAppInBrowser({ networks: () => [skypeNetwork], networkConfig: { skype: { ...server.config(), ...QUICK } } })
})

afterAll(async () => {
  await app?.close()
  await server?.close()
})

describe('Messenger (revival service) in the app, end to end', () => {
  it('adds the account, chats both ways, shows typing both ways and a nudge', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Add account' }).click()
    await page.locator('[data-network="skype"]').click()
    // The method says what it is and that Skype itself is gone.
    const method = page.getByRole('button', { name: /Messenger \(revival service\)/ })
    await expect.poll(() => method.textContent()).toContain('Skype itself was shut down on 5 May 2025')
    await method.click()
    await page.getByLabel('E-mail address').fill(ALICE18.email)
    await page.getByLabel('Password').fill(ALICE18.password)
    // The server field may stay empty: the default server is used.
    expect(await page.getByLabel(/^Server/).inputValue()).toBe('')
    await screenshot(page, 'messenger-01-sign-in')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByText('Account added').waitFor()
    await expect.poll(() => page.locator('.rail-account').first().getAttribute('data-state')).toBe('online')
    expect(server.endpoints(ALICE18.email)).toHaveLength(1)

    server.peer(BOB).say(ALICE18.email, 'Hi Alice, Messenger lives on')
    await page.locator('.chat-row', { hasText: 'Bob B.' }).click()
    await page.locator('.message.theirs', { hasText: 'Hi Alice, Messenger lives on' }).waitFor()

    const composer = page.getByRole('textbox', { name: 'Message' })
    // Issue 12 §3: a Messenger account is not called Skype (Account.networkLabel).
    expect(await composer.getAttribute('placeholder')).toBe('Message on Messenger')
    // …nor marked with Skype's letter: the chat row's and the header's marks say Messenger.
    const marks = page.locator('.chat-row', { hasText: 'Bob B.' }).or(page.locator('.chat-header')).locator('.network-mark')
    expect(await marks.allTextContents()).toEqual(['M', 'M'])
    expect(await Promise.all([0, 1].map((i) => marks.nth(i).getAttribute('aria-label')))).toEqual(['Messenger', 'Messenger'])
    await composer.fill('Hello Bob, from Junction')
    await expect
      .poll(() =>
        server
          .peer(BOB)
          .inbox(ALICE18.email)
          .some((r) => r.kind === 'typing')
      )
      .toBe(true)
    await composer.press('Enter')
    const mine = page.locator('.message.mine', { hasText: 'Hello Bob, from Junction' })
    await expect.poll(() => mine.getAttribute('data-status')).toBe('sent')
    expect(
      server
        .peer(BOB)
        .inbox(ALICE18.email)
        .filter((r) => r.kind === 'text')
        .map((r) => r.text)
    ).toEqual(['Hello Bob, from Junction'])

    server.peer(BOB).typing(ALICE18.email)
    await expect.poll(() => page.locator('.typing').textContent()).toContain('Bob B.')

    server.peer(BOB).nudge(ALICE18.email)
    await page.locator('.message.theirs .system', { hasText: 'Bob B. sent a nudge.' }).waitFor()
    // And one back from the chat header: Bob's switchboard gets it, our conversation shows it.
    await page.getByRole('button', { name: 'Send a nudge' }).click()
    await page.locator('.system', { hasText: 'You sent a nudge.' }).waitFor()
    await expect
      .poll(() =>
        server
          .peer(BOB)
          .inbox(ALICE18.email)
          .some((r) => r.kind === 'nudge')
      )
      .toBe(true)
    await screenshot(page, 'messenger-02-chat')
    expect(app.errors).toEqual([])
  })
})
