// A person adds a Skype account through the Microsoft sign-in page (the reference
// server's), sees the conversation waiting for them, and chats both ways, /me included:
// the headless host with the real Skype Connector, in Chromium.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skypeNetwork } from '../../src/main/networks/skype'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { screenshot } from '../helpers/browser'
import { FAST } from '../integration/main/networks/skype/harness'
import { startSkypeServer, type SkypeServer } from '../servers/skype/server'
import { ALICE } from '../servers/skype/users'

let server: SkypeServer
let app: AppInBrowser

beforeAll(async () => {
  server = await startSkypeServer({ seed: true })
  app = await startAppInBrowser({ networks: () => [skypeNetwork], networkConfig: { skype: { ...server.config('msnp24'), ...FAST } }, open: false })
})

afterAll(async () => {
  await app?.close()
  await server?.close()
})

describe('Skype in the app, end to end', () => {
  it('adds an account through the Microsoft sign-in page and chats both ways', async () => {
    const { page, errors } = app
    await page.goto(app.h.host.url)
    await page.getByRole('button', { name: 'Add account' }).click()
    await page.locator('[data-network="skype"]').click()
    await page.getByRole('button', { name: 'Sign in with your browser' }).click()
    const openSignIn = page.getByRole('button', { name: 'Open the sign-in page' })
    await openSignIn.waitFor()
    await screenshot(page, 'skype-01-sign-in-step')

    // The page opens the sign-in in a new window (noopener), as a person's browser would.
    const [popup] = await Promise.all([page.context().waitForEvent('page'), openSignIn.click()])
    await popup.waitForLoadState()
    expect(popup.url().startsWith(`${server.httpUrl}/oauth20_authorize.srf`)).toBe(true)
    await popup.getByLabel('Email, phone, or Skype').fill(ALICE.email)
    await popup.getByLabel('Password').fill(ALICE.password)
    await screenshot(popup, 'skype-02-microsoft-page')
    await popup.getByRole('button', { name: 'Sign in' }).click()
    // The redirect lands on the host's callback page, which hands the URL to Junction.
    await popup.waitForURL(/\/auth\/callback\//)
    expect(new URL(popup.url()).hash).toMatch(/access_token=/)

    await page.getByText('Account added').waitFor()
    await expect.poll(() => page.locator('.rail-account').first().getAttribute('data-state')).toBe('online')
    await page.locator('.chat-row', { hasText: 'Bob Smith' }).click()
    await page.locator('.message.theirs', { hasText: 'Welcome to the Junction sandbox!' }).waitFor()
    await screenshot(page, 'skype-03-chat')

    const composer = page.getByRole('textbox', { name: 'Message' })
    await composer.fill('Hello Bob, from Junction')
    await composer.press('Enter')
    const mine = page.locator('.message.mine', { hasText: 'Hello Bob, from Junction' })
    await expect.poll(() => mine.getAttribute('data-status')).toBe('sent')
    const delivered = server.inbox('bob').find((m) => m.body === 'Hello Bob, from Junction')
    expect(delivered?.clientMessageId).toMatch(/^\d+$/)

    server.peer('bob').say('alice', 'Nice to see you on Junction')
    await page.locator('.message.theirs', { hasText: 'Nice to see you on Junction' }).waitFor()

    // "/me waves" from the composer is an emote: "Alice waves" on the wire with offset 6.
    await composer.fill('/me waves')
    await composer.press('Enter')
    await page.locator('.message.mine em.emote', { hasText: 'waves' }).waitFor()
    // An emote reads in the third person, with the account's own name for ours.
    expect(await page.locator('.message.mine em.emote', { hasText: 'waves' }).textContent()).toBe('* Alice waves')
    await expect.poll(() => server.inbox('bob').find((m) => m.body === 'Alice waves')?.emoteOffset).toBe('6')

    server.peer('bob').emote('alice', 'waves back')
    await page.locator('.message.theirs em.emote', { hasText: 'Bob Smith waves back' }).waitFor()
    await expect.poll(() => page.locator('.chat-row .chat-preview').first().textContent()).toBe('* Bob Smith waves back')
    await screenshot(page, 'skype-04-emotes')

    expect(errors).toEqual([])
  })
})
