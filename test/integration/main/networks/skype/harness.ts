// Core with the real Skype Connector, pointed at the reference server, and the sign-in
// flows a person goes through: the Microsoft page driven in Chromium, or a password.

import type { Browser, Page } from 'playwright'
import type { LoginStep } from '../../../../../src/shared/api'
import type { AccountStatus } from '../../../../../src/shared/model'
import type { Core } from '../../../../../src/main/core/core'
import { skypeNetwork } from '../../../../../src/main/networks/skype'
import { createHarness, type Harness } from '../../../../helpers/core-harness'
import { waitFor } from '../../../../helpers/events'
import { startSkypeServer, type SkypeServer, type SkypeServerOptions } from '../../../../servers/skype/server'
import { ALICE } from '../../../../servers/skype/users'

/** Fast retries, so a reconnect test takes milliseconds. */
export const FAST = { reconnectBaseMs: 40, reconnectMaxMs: 400, requestTimeoutMs: 5_000 }

export interface SkypeHarness {
  server: SkypeServer
  h: Harness
  core: Core
  close(): Promise<void>
}

export async function startSkypeHarness(
  options: { server?: SkypeServerOptions; dialect?: 'msnp24' | 'msnp21'; config?: Record<string, unknown>; dataDir?: string } = {}
): Promise<SkypeHarness> {
  const server = await startSkypeServer(options.server)
  const config = { ...server.config(options.dialect ?? 'msnp24'), ...FAST, ...options.config }
  const h = await createHarness({
    networks: () => [skypeNetwork],
    core: { networkConfig: { skype: config } },
    ...(options.dataDir ? { dataDir: options.dataDir } : {})
  })
  return {
    server,
    h,
    get core() {
      return h.core
    },
    async close() {
      await h.close()
      await server.close()
    }
  }
}

/** Fills the Microsoft sign-in form as a person would and returns the URL the sign-in ended on. */
export async function fillSignInForm(
  page: Page,
  url: string,
  email = ALICE.email,
  password = ALICE.password,
  redirectPattern: RegExp = /oauth20_desktop\.srf/
): Promise<string> {
  await page.goto(url)
  await page.getByLabel('Email, phone, or Skype').fill(email)
  await page.getByLabel('Password').fill(password)
  await Promise.all([page.waitForURL(redirectPattern), page.getByRole('button', { name: 'Sign in' }).click()])
  return page.url()
}

/** Adds Alice through the Microsoft page in Chromium; returns the account id. */
export async function addAccountWithBrowser(core: Core, browser: Browser): Promise<string> {
  const shown = waitFor(core.events, 'login', (e) => e.step.kind === 'browser', 10_000)
  const { loginId } = await core.handlers.startLogin({ network: 'skype', methodId: 'browser' })
  const step = (await shown).step as Extract<LoginStep, { kind: 'browser' }>
  const page = await browser.newPage()
  try {
    const redirect = await fillSignInForm(page, step.url)
    const done = waitFor(core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 15_000)
    await core.handlers.completeBrowserLogin({ loginId, redirectUrl: redirect })
    const result = (await done).step
    if (result.kind !== 'done') throw new Error(`login failed: ${JSON.stringify(result)}`)
    return result.accountId
  } finally {
    await page.close()
  }
}

/** Adds an account with the Passport (MSNP21) password sign-in; returns the account id. */
export async function addAccountWithPassword(core: Core, email: string = ALICE.email, password: string = ALICE.password): Promise<string> {
  const { loginId } = await core.handlers.startLogin({ network: 'skype', methodId: 'passport', fields: { email, password } })
  const result = (await waitFor(core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 15_000)).step
  if (result.kind !== 'done') throw new Error(`login failed: ${JSON.stringify(result)}`)
  return result.accountId
}

export function accountStatus(core: Core, accountId: string, predicate: (s: AccountStatus) => boolean, timeoutMs = 10_000): Promise<AccountStatus> {
  return waitFor(core.events, 'account', (a) => a.id === accountId && predicate(a.status), timeoutMs).then((a) => a.status)
}

/** Every status an account goes through from now on. */
export function recordStatuses(core: Core, accountId: string): AccountStatus[] {
  const out: AccountStatus[] = []
  core.events.on('account', (a) => {
    if (a.id === accountId && JSON.stringify(out.at(-1)) !== JSON.stringify(a.status)) out.push(a.status)
  })
  return out
}

export async function chatIdOf(core: Core, remoteId: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const page = await core.handlers.listInbox({ filter: { kind: 'all' }, limit: 200 })
    const chat = page.chats.find((c) => c.remoteId === remoteId)
    if (chat) return chat.id
    if (Date.now() > deadline) throw new Error(`no chat ${remoteId}`)
    await waitFor(core.events, 'chat', () => true, Math.max(1, deadline - Date.now())).catch(() => {})
  }
}
