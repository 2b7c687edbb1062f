// The app as a person meets it in the end-to-end tests: the headless host with the given
// networks (pointed at their reference servers), and Chromium on its page, with every page
// error recorded.

import type { Browser, Page } from 'playwright'
import type { NetworkDefinition } from '../../src/main/networks/connector'
import type { NetworkId } from '../../src/shared/model'
import type { FakeNetwork } from '../doubles/fake-network'
import { launchChromium, watchPageErrors } from './browser'
import { startTestHost, type HostHarness } from './host-harness'

export interface AppInBrowser {
  h: HostHarness
  browser: Browser
  page: Page
  errors: string[]
  close(): Promise<void>
}

export async function startAppInBrowser(options: {
  networks?: (net: FakeNetwork) => NetworkDefinition[]
  networkConfig?: Partial<Record<NetworkId, Record<string, unknown>>>
  net?: FakeNetwork
  viewport?: { width: number; height: number }
  /** Opens the app's page at once (default); false leaves `page` blank for the test to navigate. */
  open?: boolean
}): Promise<AppInBrowser> {
  const h = await startTestHost({
    ...(options.net ? { net: options.net } : {}),
    ...(options.networks ? { networks: options.networks } : {}),
    ...(options.networkConfig ? { networkConfig: options.networkConfig } : {})
  })
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1200, height: 800 } })
  const errors = watchPageErrors(page)
  if (options.open !== false) await page.goto(h.host.url)
  return {
    h,
    browser,
    page,
    errors,
    async close() {
      await browser.close()
      await h.close()
    }
  }
}
