// Linking WhatsApp with a phone number instead of a QR code (issue 15 point 3, spec whatsapp-md
// §5.6), in Chromium against the multi-device reference server, as a person does it: the method
// asks for the number at once (no empty "Continue" page first), says what is wrong with a number
// that cannot be one, shows the 8-character code with its countdown, and finishes when the phone
// takes the code. The question's words sit at the form's inset, not against the dialog's edge.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { whatsappNetwork } from '../../src/main/networks/whatsapp'
import { strings } from '../../src/renderer/src/strings'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { expectAccessible } from '../helpers/axe'
import { screenshot } from '../helpers/browser'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../servers/whatsapp-md'
import { mdClientConfig } from '../servers/whatsapp-md/sandbox'

const ALICE = '15550100'

let dir: string
let server: WhatsAppMdServerControls
let app: AppInBrowser

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wamd-phone-link-'))
  server = await startWhatsAppMdServer({ stateDir: dir })
  server.hub.world.account(ALICE, 'Alice')
  app = await startAppInBrowser({
    networks: () => [whatsappNetwork],
    networkConfig: { whatsapp: { md: mdClientConfig(server, { initialPreKeys: 30, reconnectBaseMs: 50, requestTimeoutMs: 5_000 }) } },
    open: false
  })
}, 90_000)

afterAll(async () => {
  await app?.close()
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('linking WhatsApp with a phone number', () => {
  it('asks for the number, refuses one that cannot be, shows the code and links when the phone takes it', async () => {
    const page = app.page
    await page.goto(app.h.host.url)
    // A first start: the empty chat list offers the way in.
    await page.locator('.chat-scroller').getByText(strings.inbox.emptyNoAccounts).waitFor()
    await screenshot(page, 'link-phone-00-first-start')
    await expectAccessible(page, 'first start')
    await page.locator('.chat-scroller').getByRole('button', { name: strings.inbox.addFirstAccount }).click()
    await page.locator('[data-network="whatsapp"]').click()
    await page.getByRole('button', { name: /Link with a phone number/ }).click()
    const dialog = page.locator('dialog.add-account')
    const number = dialog.getByRole('textbox', { name: 'Phone number' })
    // The question comes at once: no page with only a Continue button before it.
    await number.waitFor({ timeout: 10_000 })
    const box = (await dialog.boundingBox())!
    const words = (await dialog.getByText(strings.addAccount.inputInstructions('WhatsApp')).boundingBox())!
    expect(words.x - box.x).toBeGreaterThanOrEqual(12)
    await screenshot(page, 'link-phone-01-number')
    await expectAccessible(page, 'phone-number question')

    await number.fill('12')
    await number.press('Enter')
    await dialog.getByRole('alert').waitFor()
    await dialog.getByRole('textbox', { name: 'Phone number' }).fill('+1 555 0100')
    await dialog.getByRole('textbox', { name: 'Phone number' }).press('Enter')
    const pin = dialog.locator('.pin')
    await pin.waitFor()
    const code = (await pin.getAttribute('data-pin'))!
    expect(code.replace('-', '')).toMatch(/^[A-Z0-9]{8}$/)
    await dialog.getByText(/The code is good for \d+ s more/).waitFor()
    await screenshot(page, 'link-phone-02-code')
    await expectAccessible(page, 'phone-number code')

    expect(await server.enterPairingCode(ALICE, code)).toEqual({ jid: `${ALICE}:1@s.whatsapp.net` })
    await dialog.waitFor({ state: 'hidden', timeout: 20_000 })
    await page.locator('.rail-account[data-state="online"]').waitFor({ timeout: 15_000 })
  })
})
