// Attachments in Chromium (issue 12 §2) against the LINE reference server: a picture pasted
// into the composer and a file dropped on the chat both arrive at the server with their
// bytes; an incoming file shows its name and size, downloads on demand and is offered as a
// download by the token-checked media route; the attach button is absent on a network that
// sends neither photos nor files. axe on each new surface; screenshots under .artifacts/.

import type { Page } from 'playwright'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lineNetwork } from '../../src/main/networks/line'
import { FakeNetwork } from '../doubles/fake-network'
import { testNetwork } from '../doubles/test-connector'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { addAccountByQr } from '../helpers/core-harness'
import { expectAccessible } from '../helpers/axe'
import { readQr, screenshot } from '../helpers/browser'
import { dropFile, pasteFile, type PageDom } from '../helpers/files'
import { startLineSandbox, type LineSandbox } from '../servers/line/sandbox'
import type { WorldUser } from '../servers/line/world'

let sandbox: LineSandbox
let app: AppInBrowser
let page: Page
let carol: WorldUser

beforeAll(async () => {
  sandbox = await startLineSandbox()
  app = await startAppInBrowser({ networks: () => [lineNetwork], networkConfig: { line: sandbox.config }, open: false })
  page = app.page
  carol = [...sandbox.server.world.users.values()].find((u) => u.displayName === 'Carol')!
  await sandbox.linePhone.sendAs(carol.mid, 'Send me the photos?')
  await page.goto(app.h.host.url)
  await page.getByRole('button', { name: 'Add account' }).click()
  await page.locator('[data-network="line"]').click()
  await page.getByRole('button', { name: 'Scan a QR code with your phone' }).click()
  const qr = page.locator('canvas.qr')
  await qr.waitFor()
  await sandbox.phone.scan!(await readQr(qr))
  const pin = page.locator('[data-pin]')
  await pin.waitFor()
  await sandbox.phone.enterPin!((await pin.getAttribute('data-pin'))!)
  await page.locator('dialog.add-account').waitFor({ state: 'hidden' })
  await page.locator('.rail-account[data-state="online"]').waitFor()
}, 90_000)

afterAll(async () => {
  await app?.close()
  await sandbox?.close()
})

const chatRow = (p: Page, title: string) => p.locator('.chat-row').filter({ has: p.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })
/** Alice's messages of a content type at the server, newest last. */
const sentOfType = (contentType: number) => sandbox.server.world.messages.filter((m) => m.contentType === contentType && m.from !== carol.mid)

describe('attachments in the browser, against LINE', () => {
  it('offers the attach button on LINE and sends a pasted picture through OBS', async () => {
    await chatRow(page, 'Carol').click()
    const attach = page.getByRole('button', { name: 'Send a photo or file' })
    await attach.waitFor()
    const picture = new PNG({ width: 60, height: 40 })
    for (let i = 0; i < picture.data.length; i += 4) picture.data.set([200, 60, 40, 255], i)
    const png = PNG.sync.write(picture)
    const before = sentOfType(1).length
    await pasteFile(page, png, 'pasted.png', 'image/png')
    await expect.poll(() => sentOfType(1).length, { timeout: 15_000 }).toBe(before + 1)
    const message = sentOfType(1).at(-1)!
    await expect.poll(() => sandbox.server.world.objects.get(`m/${message.id}`)?.bytes.equals(png), { timeout: 15_000 }).toBe(true)
    await page.locator('.message.mine.kind-image.status-sent').last().waitFor()
    await screenshot(page, 'attachments-01-pasted-photo')
    await expectAccessible(page, 'chat with a pasted photo')
  })

  it('sends a file dropped on the chat, with its name and size, and shows it as a tile', async () => {
    const pdf = Buffer.from('%PDF-1.4\ntrip plan\n%%EOF\n')
    const before = sentOfType(14).length
    await dropFile(page, pdf, 'trip plan.pdf', 'application/pdf')
    await expect.poll(() => sentOfType(14).length, { timeout: 15_000 }).toBe(before + 1)
    const message = sentOfType(14).at(-1)!
    expect(message.contentMetadata).toMatchObject({ FILE_NAME: 'trip plan.pdf', FILE_SIZE: String(pdf.length) })
    await expect.poll(() => sandbox.server.world.objects.get(`m/${message.id}`)?.bytes.equals(pdf), { timeout: 15_000 }).toBe(true)
    const tile = page.locator('.message.mine.kind-file.status-sent [data-testid="attachment-tile"]').last()
    await tile.waitFor()
    expect(await tile.locator('.attachment-name').textContent()).toBe('trip plan.pdf')
    expect(await tile.locator('.attachment-size').textContent()).toBe(`${pdf.length} B`)
    await screenshot(page, 'attachments-02-dropped-file')
    await expectAccessible(page, 'chat with a sent file')
  })

  it('shows an incoming file by name and size, downloads it on demand, and opens it as a download', async () => {
    const minutes = Buffer.from('Minutes of the meeting\n'.repeat(223))
    await sandbox.linePhone.sendFileAs(carol.mid, 'minutes.txt', minutes)
    const tile = page.locator('.message.theirs.kind-file [data-testid="attachment-tile"]', { hasText: 'minutes.txt' })
    await tile.waitFor()
    expect(await tile.locator('.attachment-size').textContent()).toBe('5 KB')
    await screenshot(page, 'attachments-03-incoming-file')
    await expectAccessible(page, 'chat with an incoming file')
    await tile.getByRole('button', { name: 'Download minutes.txt' }).click()
    const open = tile.getByRole('button', { name: 'Open minutes.txt' })
    await open.waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), open.click()])
    expect(download.suggestedFilename()).toBe('minutes.txt')
    const path = await download.path()
    const { readFileSync } = await import('node:fs')
    expect(readFileSync(path).equals(minutes)).toBe(true)
    await screenshot(page, 'attachments-04-downloaded')
  })

  it('words LINE’s refusal of a file too large and keeps the typed text', async () => {
    const composer = page.getByRole('textbox', { name: 'Message' })
    await composer.fill('see attached')
    await page.evaluate(() => {
      const w = globalThis as unknown as PageDom
      const dt = new w.DataTransfer()
      dt.items.add(new w.File([new w.Uint8Array(21 * 1024 * 1024)], 'huge.bin', { type: 'application/octet-stream' }))
      w.document.querySelector('textarea')!.dispatchEvent(new w.ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
    })
    await page.locator('.toast', { hasText: 'LINE does not take attachments this large (at most 20 MB).' }).waitFor()
    expect(await composer.inputValue()).toBe('see attached')
    await screenshot(page, 'attachments-05-too-large')
  })
})

describe('a network that sends neither photos nor files', () => {
  let fake: AppInBrowser

  beforeAll(async () => {
    const net = new FakeNetwork()
    net.addUser('me', 'Me', { chats: [{ id: 'dora', title: 'Dora', messages: [['dora', 'Hi']] }] })
    fake = await startAppInBrowser({
      net,
      networks: (n) => {
        const definition = testNetwork(n, 'skype')
        return [{ ...definition, capabilities: { ...definition.capabilities, sendImages: false, sendFiles: false } }]
      }
    })
    await addAccountByQr(fake.h.host.core, net, 'me', 'skype')
  }, 60_000)

  afterAll(async () => fake?.close())

  it('has no attach button', async () => {
    const p = fake.page
    await chatRow(p, 'Dora').click()
    await p.getByRole('textbox', { name: 'Message' }).waitFor()
    expect(await p.locator('.composer .attach').count()).toBe(0)
    expect(await p.getByRole('button', { name: /Send a photo/ }).count()).toBe(0)
    await screenshot(p, 'attachments-06-no-attach')
    await expectAccessible(p, 'composer without attachments')
  })
})
