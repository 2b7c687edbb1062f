// A contact's "last seen" in the chat info panel (issue 12 §5, issue 15 §5 presence), in
// Chromium against the headless host: Core stored the contact offline with the time the
// network last saw them (as a WhatsApp `<presence last>` leaves it), and the panel says so.

import { join } from 'node:path'
import type { Browser } from 'playwright'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ConnectorEvent } from '../../src/main/networks/connector'
import { DATABASE_FILE } from '../../src/main/core/profile'
import { Store } from '../../src/main/core/store'
import { strings } from '../../src/renderer/src/strings'
import { expectAccessible } from '../helpers/axe'
import { launchChromium, screenshot } from '../helpers/browser'
import { startUi, type Ui } from '../helpers/ui'

let browser: Browser
let ui: Ui
beforeAll(async () => {
  browser = await launchChromium()
}, 60_000)
afterAll(async () => browser?.close())
beforeEach(async () => {
  ui = await startUi({ browser })
}, 60_000)
afterEach(async () => {
  expect(ui.errors).toEqual([])
  await ui?.close()
})

const panel = () => ui.page.getByRole('complementary', { name: 'Chat info' })

describe('last seen in the chat info panel', () => {
  it('shows an offline contact’s last seen time', async () => {
    const seen = new Date(2026, 0, 15, 9, 30).getTime()
    const { dataDir } = await ui.h.host.core.handlers.getAppInfo()
    const side = Store.open(join(dataDir, DATABASE_FILE))
    try {
      // A presence-only update: the name stays, presence and last seen change.
      side.contacts.upsert(ui.accounts.whatsapp, { remoteId: 'bob@c.us', name: '', presence: 'offline', lastSeen: seen })
    } finally {
      side.close()
    }
    await ui.page.locator('.chat-row', { hasText: 'Bob' }).click()
    await ui.page.locator('.chat-header').getByRole('button', { name: 'Chat info' }).click()
    await expect.poll(() => panel().locator('.chat-info-name').textContent()).toBe('Bob')
    await expect.poll(() => panel().locator('dt').allTextContents()).toContain(strings.chat.infoLastSeen)
    await expect.poll(() => panel().locator('time').textContent()).toBe(strings.chat.lastSeenAt(seen))
    expect(await panel().locator('time').getAttribute('datetime')).toBe(new Date(seen).toISOString())
    await screenshot(ui.page, 'chat-info-03-last-seen')
    await expectAccessible(ui.page, 'chat info, last seen')
  })

  it('follows the contact’s presence while the panel is open', async () => {
    // Core hears presence from a Connector's `contact` events; these are what a WhatsApp `<presence>` gives.
    const ingest = (ui.h.host.core as unknown as { ingest: { apply(a: string, e: ConnectorEvent): void; flush(): void } }).ingest
    const hear = (contact: Extract<ConnectorEvent, { type: 'contact' }>['contact']): void => {
      ingest.apply(ui.accounts.whatsapp, { type: 'contact', contact })
      ingest.flush()
    }
    await ui.page.locator('.chat-row', { hasText: 'Bob' }).click()
    await ui.page.locator('.chat-header').getByRole('button', { name: 'Chat info' }).click()
    await expect.poll(() => panel().locator('.chat-info-name').textContent()).toBe('Bob')
    hear({ remoteId: 'bob@c.us', name: '', presence: 'online' })
    await panel().getByText(strings.chat.presence.online).waitFor()
    expect(await panel().locator('time').count()).toBe(0)
    const seen = Date.now() - 5 * 60_000
    hear({ remoteId: 'bob@c.us', name: '', presence: 'offline', lastSeen: seen })
    await expect.poll(() => panel().locator('time').textContent()).toBe(strings.chat.lastSeenAt(seen))
    await panel().getByText(strings.chat.presence.offline).waitFor()
  })
})
