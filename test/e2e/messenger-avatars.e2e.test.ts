// Messenger (MSNP18) display pictures in Chromium: a "Messenger (revival service)" account
// against the MSNP18 reference server, where Bob has a picture (served at
// `/storage/usertile/<uuid>/static`, msnp18.md §7.3) and Carol none (her NLN's msnobj is `0`,
// §4.1). Bob's chat row shows his picture, fetched through the host's token-checked /avatar/
// route; Carol's keeps her initials; a new picture of Bob's replaces the old one on screen.
// The rail shows Alice's own picture, by the uuid of the address book's `Me` entry.

import type { Locator, Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skypeNetwork } from '../../src/main/networks/skype'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { screenshot } from '../helpers/browser'
import { QUICK } from '../integration/main/networks/skype/messenger/harness'
import { startMsnp18Server, type Msnp18Server } from '../servers/skype/msnp18/server'
import { ALICE18 } from '../servers/skype/msnp18/world'

const BOB = 'bob@example.com'
const CAROL = 'carol@example.com'

let server: Msnp18Server
let app: AppInBrowser
let page: Page

beforeAll(async () => {
  server = await startMsnp18Server()
  server.usertiles.set(BOB)
  server.usertiles.set(ALICE18.email)
  app = await startAppInBrowser({ networks: () => [skypeNetwork], networkConfig: { skype: { ...server.config(), ...QUICK } } })
  page = app.page
})

afterAll(async () => {
  await app?.close()
  await server?.close()
})

const chatRow = (title: string): Locator => page.locator('.chat-row').filter({ has: page.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })

/** The picture in `scope` has loaded with real pixels (not a broken image, not the initials). */
async function pictureShown(scope: Locator): Promise<boolean> {
  const img = scope.locator('img.avatar-picture.loaded')
  if ((await img.count()) === 0) return false
  return img.first().evaluate((el) => {
    const image = el as unknown as { complete: boolean; naturalWidth: number }
    return image.complete && image.naturalWidth > 0
  })
}

describe('Messenger display pictures, end to end', () => {
  it('shows Bob’s picture in the chat list, Carol’s initials, and Bob’s new picture when he changes it', async () => {
    await page.getByRole('button', { name: 'Add account' }).click()
    await page.locator('[data-network="skype"]').click()
    await page.getByRole('button', { name: /Messenger \(revival service\)/ }).click()
    await page.getByLabel('E-mail address').fill(ALICE18.email)
    await page.getByLabel('Password').fill(ALICE18.password)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByText('Account added').waitFor()
    await page.keyboard.press('Escape')
    await page.locator('dialog.add-account').waitFor({ state: 'hidden' })
    await expect.poll(() => page.locator('.rail-account').first().getAttribute('data-state')).toBe('online')
    // The own picture in the rail (issue 12 §3).
    await expect.poll(() => pictureShown(page.locator('.rail-account').first()), { timeout: 10_000 }).toBe(true)

    // A line from each puts both in the chat list.
    server.peer(BOB).say(ALICE18.email, 'Hi Alice, see my picture?')
    server.peer(CAROL).say(ALICE18.email, 'Hi Alice, I have none')
    await expect.poll(() => page.locator('.chat-title').allTextContents()).toEqual(expect.arrayContaining(['Bob B.', 'Carol C.']))

    await expect.poll(() => pictureShown(chatRow('Bob B.')), { timeout: 10_000 }).toBe(true)
    expect(await chatRow('Carol C.').locator('img').count()).toBe(0)
    expect((await chatRow('Carol C.').locator('.avatar-initials').textContent())?.trim()).toBe('CC')
    // The page loaded it from the token-checked route; the picture came from the usertile path by Bob's uuid.
    const src = await chatRow('Bob B.').locator('img.avatar-picture').getAttribute('src')
    expect(src).toMatch(/^\/avatar\/acc_[\w-]+\/[^/]+\/[a-z0-9]+\?token=/)
    const bobTile = `/storage/usertile/${server.world.get(BOB)!.uuid}/static`
    const ownTile = `/storage/usertile/${server.world.get(ALICE18.email)!.uuid}/static`
    expect(server.usertiles.served.filter((p) => p !== ownTile)).toEqual([bobTile])
    expect(server.usertiles.served.filter((p) => p === ownTile)).toHaveLength(1)
    await screenshot(page, 'messenger-avatars-01-chat-list')

    // A new picture (a new SHA1D in Bob's NLN) is a new token: the row asks again and shows it.
    server.usertiles.set(BOB)
    await expect.poll(() => chatRow('Bob B.').locator('img.avatar-picture').getAttribute('src'), { timeout: 10_000 }).not.toBe(src)
    await expect.poll(() => pictureShown(chatRow('Bob B.')), { timeout: 10_000 }).toBe(true)
    expect(server.usertiles.served.filter((p) => p !== ownTile)).toEqual([bobTile, bobTile])
    await screenshot(page, 'messenger-avatars-02-new-picture')
    expect(app.errors).toEqual([])
  })
})
