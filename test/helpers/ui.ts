// A person at the app: the headless host with two fake networks and accounts on both,
// Chromium with notifications allowed, and every Notification the page shows recorded.

import type { Browser, BrowserContext, Page } from 'playwright'
import { FakeNetwork } from '../doubles/fake-network'
import { testNetwork } from '../doubles/test-connector'
import { launchChromium, watchPageErrors } from './browser'
import { addAccountByQr } from './core-harness'
import { eventually } from './events'
import { startTestHost, type HostHarness } from './host-harness'

export interface Ui {
  h: HostHarness
  net: FakeNetwork
  browser: Browser
  context: BrowserContext
  page: Page
  errors: string[]
  accounts: { whatsapp: string; line: string }
  notifications(): Promise<{ title: string; body: string }[]>
  close(): Promise<void>
}

/** `browser`: a browser shared by several tests (each gets its own context, host and profile); closed by its owner. */
export async function startUi(options: { browser?: Browser } = {}): Promise<Ui> {
  const net = new FakeNetwork({ qrTtlMs: 30_000 })
  net.addUser('alice@c.us', 'Alice', {
    chats: [
      {
        id: 'bob@c.us',
        title: 'Bob',
        messages: [
          ['bob@c.us', 'the quarterly report is ready'],
          ['alice@c.us', 'great, thanks']
        ]
      },
      { id: 'team@g.us', kind: 'group', title: 'Team', messages: [['carol@c.us', 'standup at 10']] }
    ]
  })
  net.addUser('alice-line', 'Alice L', {
    chats: [
      { id: 'u-dan', title: 'Dan', messages: [['u-dan', 'did you read the report?']] },
      { id: 'u-eve', title: 'Eve', messages: [['u-eve', 'see you at lunch']] }
    ]
  })
  const h = await startTestHost({ net, networks: (n) => [testNetwork(n, 'whatsapp', { reconnectMs: 300 }), testNetwork(n, 'line', { reconnectMs: 300 })] })
  const whatsapp = await addAccountByQr(h.host.core, net, 'alice@c.us', 'whatsapp')
  const line = await addAccountByQr(h.host.core, net, 'alice-line', 'line')
  await eventually(async () => (await h.host.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 10 })).chats.length === 4)
  const browser = options.browser ?? (await launchChromium())
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, acceptDownloads: true })
  await context.grantPermissions(['notifications'])
  // Runs in the page (DOM types are not in the Node tsconfig, hence the local shapes).
  await context.addInitScript(() => {
    type Options = { body?: string; tag?: string }
    type NotificationClass = new (title: string, options?: Options) => object
    const w = globalThis as unknown as { Notification: NotificationClass; __notifications: { title: string; body: string }[]; __lastNotification: object }
    const shown: { title: string; body: string }[] = []
    const Real = w.Notification
    class Recorded extends Real {
      constructor(title: string, options?: Options) {
        super(title, options)
        shown.push({ title, body: options?.body ?? '' })
        w.__lastNotification = this
      }
    }
    Object.defineProperty(Recorded, 'permission', { get: () => 'granted' })
    w.__notifications = shown
    w.Notification = Recorded
  })
  const page = await context.newPage()
  const errors = watchPageErrors(page)
  await page.goto(h.host.url)
  await page.locator('.chat-row').first().waitFor()
  return {
    h,
    net,
    browser,
    context,
    page,
    errors,
    accounts: { whatsapp, line },
    notifications: () => page.evaluate(() => (globalThis as unknown as { __notifications: { title: string; body: string }[] }).__notifications.slice()),
    async close() {
      if (options.browser) await context.close()
      else await browser.close()
      await h.close()
    }
  }
}

export async function chatTitles(page: Page): Promise<string[]> {
  return page.locator('.chat-row .chat-title').allTextContents()
}
