// Setup for the keyboard-*.e2e tests: accounts are linked through Core (the sign-in and QR
// screens have their own tests), so the app's page is driven by the keyboard alone afterwards.

import { expect } from 'vitest'
import type { LoginStep } from '../../src/shared/api'
import { skypeNetwork } from '../../src/main/networks/skype'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { waitFor } from '../helpers/events'
import { FAST } from '../integration/main/networks/skype/harness'
import { startSkypeServer, type SkypeServer } from '../servers/skype/server'
import { ALICE } from '../servers/skype/users'

/** Alice signs in to Skype on the Microsoft page in a tab of its own; the host's callback page hands the redirect back. */
export async function signInSkypeAlice(app: AppInBrowser): Promise<void> {
  const core = app.h.host.core
  const shown = waitFor(core.events, 'login', (e) => e.step.kind === 'browser', 10_000)
  const { loginId } = await core.handlers.startLogin({ network: 'skype', methodId: 'browser' })
  const step = (await shown).step as Extract<LoginStep, { kind: 'browser' }>
  const done = waitFor(core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 15_000)
  const signIn = await app.browser.newPage()
  try {
    await signIn.goto(step.url)
    await signIn.getByLabel('Email, phone, or Skype').fill(ALICE.email)
    await signIn.getByLabel('Password').fill(ALICE.password)
    await signIn.getByRole('button', { name: 'Sign in' }).click()
    expect((await done).step.kind).toBe('done')
  } finally {
    await signIn.close()
  }
}

/**
 * The app in Chromium with Alice signed in to the seeded Skype (MSNP24) reference server and
 * online; `beforeGoto` runs once she is signed in, before the page loads (permissions).
 */
export async function startSkypeAliceApp(beforeGoto?: (app: AppInBrowser) => Promise<void>): Promise<{ server: SkypeServer; app: AppInBrowser }> {
  const server = await startSkypeServer({ seed: true })
  const app = await startAppInBrowser({ networks: () => [skypeNetwork], networkConfig: { skype: { ...server.config('msnp24'), ...FAST } }, open: false })
  await signInSkypeAlice(app)
  await beforeGoto?.(app)
  await app.page.goto(app.h.host.url)
  await app.page.locator('.rail-account[data-state="online"]').waitFor({ timeout: 15_000 })
  return { server, app }
}

/** A QR login whose payload `scan` (the phone on a reference server) reads; `enterPin` types the PIN Core then shows (LINE). */
export async function linkByQr(
  app: AppInBrowser,
  network: 'whatsapp' | 'line',
  scan: (payload: string) => Promise<unknown>,
  enterPin?: (pin: string) => Promise<unknown>
): Promise<void> {
  const core = app.h.host.core
  const qr = waitFor(core.events, 'login', (e) => e.step.kind === 'qr', 10_000)
  const pin = waitFor(core.events, 'login', (e) => e.step.kind === 'pin', 15_000)
  const { loginId } = await core.handlers.startLogin({ network, methodId: 'qr' })
  const done = waitFor(core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 15_000)
  await scan(((await qr).step as Extract<LoginStep, { kind: 'qr' }>).payload)
  if (enterPin) await enterPin(((await pin).step as Extract<LoginStep, { kind: 'pin' }>).pin)
  else pin.catch(() => {})
  expect((await done).step.kind).toBe('done')
}
