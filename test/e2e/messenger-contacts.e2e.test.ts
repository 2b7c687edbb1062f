// Contact actions in the app (issue 16 point 1): a person with a Messenger (revival
// service) account adds a contact from the command palette, accepts a contact request
// shown above the chat list, and blocks a contact — all by keyboard — against the MSNP18
// reference server, through the headless host in Chromium. axe on each new surface.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skypeNetwork } from '../../src/main/networks/skype'
import { expectAccessible } from '../helpers/axe'
import { screenshot } from '../helpers/browser'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { QUICK } from '../integration/main/networks/skype/messenger/harness'
import { startMsnp18Server, type Msnp18Server } from '../servers/skype/msnp18/server'
import { AL, ALICE18, BL, FL, PL, RL } from '../servers/skype/msnp18/world'

const ALICE = ALICE18.email
const DAVE = 'dave@example.com'
const BOB = 'bob@example.com'

type FocusedDom = { document: { activeElement: { getAttribute(name: string): string | null } | null } }

let server: Msnp18Server
let app: AppInBrowser

beforeAll(async () => {
  server = await startMsnp18Server()
  // Bob starts as a stranger, so his request below is a real one.
  server.world.setBits(ALICE, BOB, 0, FL | AL | BL | RL | PL)
  server.world.setBits(BOB, ALICE, 0, FL | AL | BL | RL | PL)
  app = await startAppInBrowser({ networks: () => [skypeNetwork], networkConfig: { skype: { ...server.config(), ...QUICK } } })
})

afterAll(async () => {
  await app?.close()
  await server?.close()
})

describe('Messenger contacts in the app, end to end', () => {
  it('adds a contact, accepts a request and blocks a contact, by keyboard', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Add account' }).click()
    await page.locator('[data-network="skype"]').click()
    await page.getByRole('button', { name: /Messenger \(revival service\)/ }).click()
    await page.getByLabel('E-mail address').fill(ALICE)
    await page.getByLabel('Password').fill(ALICE18.password)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByText('Account added').waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('.rail-account').first().getAttribute('data-state')).toBe('online')

    // A Messenger account starts with contacts and no chats: the empty list says how to start one.
    const start = page.locator('.chat-scroller').getByRole('button', { name: 'Start a chat (Ctrl+K)' })
    await start.click()
    await page.getByRole('combobox', { name: 'Search chats and messages' }).fill('Carol')
    await page.getByRole('option', { name: /Carol.*Chat · / }).waitFor()
    await page.keyboard.press('Escape')
    await start.waitFor()

    // Add dave from the command palette.
    await page.keyboard.press('Control+k')
    const palette = page.getByRole('combobox', { name: 'Search chats and messages' })
    await palette.fill('add contact')
    await page.getByRole('option', { name: 'Add contact…' }).waitFor()
    await palette.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Add a contact' })
    await dialog.waitFor()
    const address = dialog.getByLabel('Their address')
    // The address field takes the keyboard at once.
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as FocusedDom).document.activeElement?.getAttribute('name') ?? null)).toBe('address')
    await address.fill(DAVE)
    await address.press('Enter')
    await dialog.getByText('dave was added to your contacts.').waitFor()
    expect(server.world.bits(ALICE, DAVE) & (FL | AL)).toBe(FL | AL)
    await expectAccessible(page, 'add contact dialog')
    await screenshot(page, 'messenger-contacts-01-add')

    // Block carol from the same dialog, by keyboard.
    const block = dialog.getByRole('button', { name: 'Block Carol C.' })
    await block.focus()
    await page.keyboard.press('Enter')
    await dialog.getByText('Carol C. is blocked.').waitFor()
    expect(server.world.bits(ALICE, 'carol@example.com') & (AL | BL)).toBe(BL)
    await dialog.getByRole('button', { name: 'Unblock Carol C.' }).waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })

    // Bob adds Alice: the request shows above the chat list; Alice accepts it.
    server.peer(BOB).addContact(ALICE)
    const requests = page.getByRole('region', { name: 'Contact requests' })
    await requests.getByText(`Bob B. (${BOB}) wants to add you`).waitFor()
    await expectAccessible(page, 'contact requests')
    await screenshot(page, 'messenger-contacts-02-request')
    await requests.getByRole('button', { name: `Accept Bob B. (${BOB})’s request` }).focus()
    await page.keyboard.press('Enter')
    await requests.waitFor({ state: 'detached' })
    expect(server.world.bits(ALICE, BOB) & (FL | AL | PL)).toBe(FL | AL)
    expect(app.errors).toEqual([])
  })
})
