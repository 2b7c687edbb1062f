// Skype (MSNP24) photos and files in Chromium (issue 12 §2) against the reference server: a
// picture pasted into the composer and a file dropped on the chat reach Bob as URIObject
// messages whose AMS objects hold the bytes; a photo Bob shares shows as a picture; a file he
// shares shows its name and size and downloads on demand. Screenshots under .artifacts/.

import { readFileSync } from 'node:fs'
import type { Page } from 'playwright'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppInBrowser } from '../helpers/app'
import { expectAccessible } from '../helpers/axe'
import { screenshot } from '../helpers/browser'
import { dropFile, pasteFile } from '../helpers/files'
import type { SkypeServer } from '../servers/skype/server'
import { startSkypeAliceApp } from './keyboard-setup'

let server: SkypeServer
let app: AppInBrowser
let page: Page

beforeAll(async () => {
  ;({ server, app } = await startSkypeAliceApp())
  page = app.page
}, 90_000)

afterAll(async () => {
  await app?.close()
  await server?.close()
})

function picture(width: number, height: number, rgb: [number, number, number]): Buffer {
  const png = new PNG({ width, height })
  for (let i = 0; i < width * height; i++) png.data.set([rgb[0], (rgb[1] + i) & 0xff, rgb[2], 255], i * 4)
  return PNG.sync.write(png)
}

const chatRow = (title: string) => page.locator('.chat-row').filter({ has: page.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })
const bobGot = () => server.ams.received(server.inbox('bob'))

describe('Skype photos and files in the app', () => {
  it('sends a pasted picture: Bob gets a Picture.1 URIObject whose object holds the bytes', async () => {
    await chatRow('Bob Smith').click()
    await page.getByRole('button', { name: 'Send a photo or file' }).waitFor()
    const png = picture(60, 40, [40, 120, 200])
    await pasteFile(page, png, 'pasted.png', 'image/png')
    await expect.poll(() => bobGot().filter((r) => r.kind === 'image').length, { timeout: 15_000 }).toBe(1)
    const got = bobGot().find((r) => r.kind === 'image')!
    expect(got.message.body).toContain('type="Picture.1"')
    expect(got.bytes?.equals(png)).toBe(true)
    await page.locator('.message.mine.kind-image.status-sent').last().waitFor({ timeout: 15_000 })
    await screenshot(page, 'skype-media-01-pasted-photo')
    await expectAccessible(page, 'Skype chat with a pasted photo')
  })

  it('sends a dropped file with its name and size, shown as a tile', async () => {
    const pdf = Buffer.from('%PDF-1.4\nharbour trip\n%%EOF\n')
    await dropFile(page, pdf, 'trip plan.pdf', 'application/pdf')
    await expect.poll(() => bobGot().find((r) => r.kind === 'file')?.name, { timeout: 15_000 }).toBe('trip plan.pdf')
    const got = bobGot().find((r) => r.kind === 'file')!
    expect(got.size).toBe(pdf.length)
    expect(got.bytes?.equals(pdf)).toBe(true)
    const tile = page.locator('.message.mine.kind-file.status-sent [data-testid="attachment-tile"]').last()
    await tile.waitFor({ timeout: 15_000 })
    expect(await tile.locator('.attachment-name').textContent()).toBe('trip plan.pdf')
    await screenshot(page, 'skype-media-02-dropped-file')
  })

  it('shows a photo Bob shares as the picture itself', async () => {
    const photo = picture(120, 80, [220, 90, 30])
    server.ams.sharePhoto(server.peer('bob'), 'alice', 'sunset.png', photo, { width: 120, height: 80 })
    const shown = page.locator('.message.theirs.kind-image img').last()
    await shown.waitFor({ timeout: 15_000 })
    await expect.poll(() => shown.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 15_000 }).toBe(120)
    await screenshot(page, 'skype-media-03-incoming-photo')
    await expectAccessible(page, 'Skype chat with an incoming photo')
  })

  it('shows a file Bob shares by name and size, and downloads it on demand', async () => {
    const minutes = Buffer.from('Minutes of the Skype meeting\n'.repeat(180))
    server.ams.shareFile(server.peer('bob'), 'alice', 'minutes.txt', minutes)
    const tile = page.locator('.message.theirs.kind-file [data-testid="attachment-tile"]', { hasText: 'minutes.txt' })
    await tile.waitFor({ timeout: 15_000 })
    expect(await tile.locator('.attachment-size').textContent()).toBe('5 KB')
    const views = () => server.ams.requests.filter((r) => r.endsWith('/views/original')).length
    // Nothing was downloaded until the person asked.
    expect(views()).toBe(0)
    await screenshot(page, 'skype-media-04-incoming-file')
    await tile.getByRole('button', { name: 'Download minutes.txt' }).click()
    const open = tile.getByRole('button', { name: 'Open minutes.txt' })
    await open.waitFor({ timeout: 15_000 })
    expect(views()).toBe(1)
    const [download] = await Promise.all([page.waitForEvent('download'), open.click()])
    expect(download.suggestedFilename()).toBe('minutes.txt')
    expect(readFileSync(await download.path()).equals(minutes)).toBe(true)
    await screenshot(page, 'skype-media-05-downloaded')
    expect(app.errors).toEqual([])
  })
})
