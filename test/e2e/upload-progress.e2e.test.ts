// Photos and documents on a legacy WhatsApp account, with the upload bar (issue 12 §2), and
// the honest composer on a Skype MSNP21 account, which cannot send either (MSNP24 sends both
// through the AMS store: skype-media.e2e.test.ts). WhatsApp: a pasted photo and a dropped document reach the contact's phone byte for
// byte (the sandbox phone page says "[photo]" / "[name]"); a slow media host shows the bar
// with its aria values climbing. Skype: no attach button; a pasted or dropped file is
// refused in Skype's name and the typed text stays; shared pictures and files read as
// placeholders. axe on each screen; screenshots under .artifacts/screenshots.

import type { Page } from 'playwright'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skypeNetwork } from '../../src/main/networks/skype'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { expectAccessible } from '../helpers/axe'
import { readQr, screenshot } from '../helpers/browser'
import { pasteFile, type PageDom } from '../helpers/files'
import { FAST, addAccountWithPassword } from '../integration/main/networks/skype/harness'
import { startSkypeServer, type SkypeServer } from '../servers/skype/server'
import { startWhatsAppSandbox, type WhatsAppSandbox } from '../servers/whatsapp/sandbox'

const BOB_WA = '15550101@c.us'

/** Drags a file over the chat (`drop: false` stops there, for the overlay) and drops it. A large file is made in the page. */
async function drag(page: Page, file: { bytes?: Buffer; size?: number; name: string; type: string }, drop = true): Promise<void> {
  await page.evaluate(
    ([data, size, n, t, d]) => {
      const w = globalThis as unknown as PageDom
      const dt = new w.DataTransfer()
      const bytes = data ? new w.Uint8Array(data as number[]) : new w.Uint8Array(size as number).map((_, i) => (i * 31) & 0xff)
      dt.items.add(new w.File([bytes], n as string, { type: t as string }))
      const target = w.document.querySelector('.chat-view')!
      target.dispatchEvent(new w.DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }))
      if (d) target.dispatchEvent(new w.DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
    },
    [file.bytes ? [...file.bytes] : null, file.size ?? 0, file.name, file.type, drop] as const
  )
}

const chatRow = (p: Page, title: string) => p.locator('.chat-row').filter({ has: p.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })

describe('photos and documents on legacy WhatsApp, with the upload bar', () => {
  let wa: WhatsAppSandbox
  let app: AppInBrowser
  let page: Page

  beforeAll(async () => {
    wa = await startWhatsAppSandbox()
    app = await startAppInBrowser({ networks: () => [wa.definition], networkConfig: { whatsapp: wa.config }, open: false })
    page = app.page
    await page.goto(app.h.host.url)
    await page.getByRole('button', { name: 'Add account' }).click()
    await page.locator('[data-network="whatsapp"]').click()
    const qr = page.locator('canvas.qr')
    await qr.waitFor()
    await wa.phone.scan!(await readQr(qr))
    await page.locator('dialog.add-account').waitFor({ state: 'hidden' })
    await page.locator('.rail-account[data-state="online"]').waitFor()
  }, 90_000)

  afterAll(async () => {
    await app?.close()
    await wa?.close()
  })

  it('sends a pasted photo that Bob’s phone opens byte for byte and lists as "[photo]"', async () => {
    await chatRow(page, 'Bob Builder').click()
    await page.getByRole('button', { name: 'Send a photo or file' }).waitFor()
    const picture = new PNG({ width: 48, height: 32 })
    for (let i = 0; i < picture.data.length; i += 4) picture.data.set([30, 140, 90, 255], i)
    const png = PNG.sync.write(picture)
    await pasteFile(page, png, 'pasted.png', 'image/png')
    await expect.poll(() => wa.server.uploads.received.find((r) => r.kind === 'image')?.file?.equals(png), { timeout: 15_000 }).toBe(true)
    await page.locator('.message.mine.kind-image[data-status="delivered"]').last().waitFor({ timeout: 15_000 })
    await expect.poll(async () => (await wa.phone.received!(BOB_WA)).at(-1)?.text).toBe('[photo]')
    expect(app.errors).toEqual([])
  })

  it('shows the upload bar with its progress while a dropped document goes to a slow media host', async () => {
    // Loopback socket buffers take about 4 MB at once, so the file is larger than that and the host slow.
    wa.server.uploads.script.bytesPerSecond = 1536 * 1024
    const size = 12 * 1024 * 1024
    await drag(page, { size, name: 'survey.bin', type: 'application/octet-stream' })
    const bar = page.locator('.message.mine.kind-file [data-testid="upload-progress"]').last().getByRole('progressbar')
    await bar.waitFor({ timeout: 15_000 })
    expect(await bar.getAttribute('aria-label')).toBe('Uploading survey.bin')
    // The bar climbs: a value strictly between 0 and 100 shows while the host is still reading.
    const valueNow = async (): Promise<number> => Number((await bar.getAttribute('aria-valuenow')) ?? NaN)
    await expect.poll(valueNow, { timeout: 15_000, interval: 50 }).toBeGreaterThan(0)
    const first = await valueNow()
    expect(first).toBeLessThan(100)
    // …and climbs while the host reads.
    await expect.poll(valueNow, { timeout: 15_000, interval: 50 }).toBeGreaterThan(first)
    expect(await bar.getAttribute('aria-valuemin')).toBe('0')
    expect(await bar.getAttribute('aria-valuemax')).toBe('100')
    expect(await bar.getAttribute('aria-valuetext')).toMatch(/^Uploading… \d{1,2}%$/)
    await screenshot(page, 'upload-01-progress-bar')
    await expectAccessible(page, 'a document uploading')
    const tile = page.locator('.message.mine.kind-file', { hasText: 'survey.bin' }).last()
    await expect.poll(() => tile.getAttribute('data-status'), { timeout: 30_000 }).toMatch(/sent|delivered/)
    expect(await tile.locator('[data-testid="upload-progress"]').count()).toBe(0)
    const got = wa.server.uploads.received.find((r) => r.name === 'survey.bin')!
    expect(got.file?.length).toBe(size)
    expect(got.file?.[size - 1]).toBe(((size - 1) * 31) & 0xff)
    await expect.poll(async () => (await wa.phone.received!(BOB_WA)).at(-1)?.text).toBe('[survey.bin]')
    wa.server.uploads.script.bytesPerSecond = null
    expect(app.errors).toEqual([])
  }, 60_000)
})

describe('the honest composer on Skype (MSNP21), which sends neither photos nor files', () => {
  let server: SkypeServer
  let app: AppInBrowser
  let page: Page

  beforeAll(async () => {
    server = await startSkypeServer({ seed: true })
    app = await startAppInBrowser({ networks: () => [skypeNetwork], networkConfig: { skype: { ...server.config('msnp21'), ...FAST } }, open: false })
    page = app.page
    await addAccountWithPassword(app.h.host.core)
    await page.goto(app.h.host.url)
    await page.locator('.rail-account[data-state="online"]').waitFor({ timeout: 15_000 })
  }, 90_000)

  afterAll(async () => {
    await app?.close()
    await server?.close()
  })

  it('offers no attach button; a pasted or dropped file is refused in Skype’s name and the typed text stays', async () => {
    await chatRow(page, 'Bob Smith').click()
    const composer = page.getByRole('textbox', { name: 'Message' })
    await composer.waitFor()
    expect(await page.locator('.composer .attach').count()).toBe(0)
    expect(await page.getByRole('button', { name: /Send a photo/ }).count()).toBe(0)
    await composer.fill('the photos are coming')
    await pasteFile(page, Buffer.from('not really a png'), 'holiday.png', 'image/png')
    await page.locator('.toast', { hasText: 'Skype cannot send photos from Junction.' }).waitFor()
    expect(await composer.inputValue()).toBe('the photos are coming')
    await drag(page, { bytes: Buffer.from('%PDF-1.4\n'), name: 'plan.pdf', type: 'application/pdf' }, false)
    await page.locator('.drop-overlay', { hasText: 'Skype cannot send photos or files from Junction' }).waitFor()
    await drag(page, { bytes: Buffer.from('%PDF-1.4\n'), name: 'plan.pdf', type: 'application/pdf' })
    await page.locator('.toast', { hasText: 'Skype cannot send files from Junction.' }).waitFor()
    expect(await composer.inputValue()).toBe('the photos are coming')
    expect(server.inbox('bob').filter((m) => m.body.includes('holiday') || m.body.includes('plan.pdf'))).toEqual([])
    await screenshot(page, 'upload-02-skype-composer')
    await expectAccessible(page, 'the Skype composer after a refused file')
    expect(app.errors).toEqual([])
  })

  it('shows a picture and a file Bob shares as placeholders, not as markup', async () => {
    const object = (type: string, name: string): string =>
      `<URIObject type="${type}" uri="https://api.asm.skype.com/v1/objects/0-weu-d1-abc"><Title>Title: ${name}</Title>` +
      `<a href="https://login.skype.com/login/sso?go=webclient.xmm&amp;pic=0-weu-d1-abc">https://login.skype.com/login/sso</a><OriginalName v="${name}"/><FileSize v="2048"/></URIObject>`
    server.peer('bob').shareMedia('alice', 'RichText/UriObject', object('Picture.1', 'beach.jpg'))
    server.peer('bob').shareMedia('alice', 'RichText/Media_GenericFile', object('File.1', 'minutes.docx'))
    await page.locator('.message.theirs .text', { hasText: /^Photo$/ }).waitFor()
    await page.locator('.message.theirs', { hasText: 'File: minutes.docx' }).waitFor()
    expect(await page.locator('.message.theirs', { hasText: 'URIObject' }).count()).toBe(0)
    await screenshot(page, 'upload-03-skype-placeholders')
  })
})
