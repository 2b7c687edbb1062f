// The Microsoft-account sign-in of the Skype Connector (spec §10), driven through the
// reference server's sign-in page in Chromium: the redirect the headless host asks for,
// a wrong password, cancelling at the page, and cancelling in Junction.

import type { Browser, Page } from 'playwright'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { JunctionError } from '../../../../../src/shared/errors'
import type { ConnectorLoginStep, LoginIO } from '../../../../../src/main/networks/connector'
import { SkypeConnector } from '../../../../../src/main/networks/skype'
import { launchChromium } from '../../../../helpers/browser'
import { startSkypeServer, type SkypeServer } from '../../../../servers/skype/server'
import { ALICE } from '../../../../servers/skype/users'
import { probeEvents } from '../../../../helpers/connector-probe'
import { skypeContext } from '../../../../unit/main/networks/skype/context'
import { FAST, fillSignInForm } from './harness'

let browser: Browser
let server: SkypeServer
let page: Page
let connector: SkypeConnector | null = null

beforeAll(async () => {
  browser = await launchChromium()
  server = await startSkypeServer()
})
afterEach(async () => {
  await connector?.close()
  connector = null
  await page?.close()
})
afterAll(async () => {
  await server?.close()
  await browser?.close()
})

/** A LoginIO whose browser step is handed to `onBrowser`, as the shell or the host page would. */
function loginIO(
  redirectUri: string | null,
  onBrowser: (step: Extract<ConnectorLoginStep, { kind: 'browser' }>, resolve: (url: string) => void) => void,
  abort = new AbortController()
): LoginIO & { steps: ConnectorLoginStep[] } {
  let resolveRedirect: (url: string) => void = () => {}
  const redirect = new Promise<string>((resolve) => (resolveRedirect = resolve))
  const steps: ConnectorLoginStep[] = []
  return {
    steps,
    redirectUri,
    signal: abort.signal,
    waitForRedirect: () => redirect,
    waitForInput: () => new Promise<Record<string, string>>(() => {}),
    step(step) {
      steps.push(step)
      if (step.kind === 'browser') onBrowser(step, resolveRedirect)
    }
  }
}

describe('Microsoft-account sign-in', () => {
  it('sends the sign-in back to the redirect the headless host asks for', async () => {
    page = await browser.newPage()
    // The host's callback page is stood in for by a blank page; only the URL it was opened with matters.
    const host = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>callback</title>'))
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
    const callback = `http://127.0.0.1:${(host.address() as AddressInfo).port}/auth/callback/login-123`
    onTestFinished(() => new Promise<void>((resolve) => host.close(() => resolve())))
    connector = new SkypeConnector(skypeContext({ ...server.config(), ...FAST }))
    const io = loginIO(callback, (step, resolve) => {
      expect(step.redirectPrefix).toBe(callback)
      expect(new URL(step.url).searchParams.get('redirect_uri')).toBe(callback)
      void fillSignInForm(page, step.url, ALICE.email, ALICE.password, /auth\/callback/).then(resolve)
    })
    const result = await connector.login({ methodId: 'browser', fields: {}, previous: null }, io)
    expect(result).toMatchObject({ selfId: '8:live:alice_1', displayName: 'Alice' })
    expect(result.credentials).toMatchObject({ method: 'browser', skypeName: 'live:alice_1', email: ALICE.email })
    expect(Object.keys(result.credentials.tokens as object).sort()).toEqual(['contacts', 'hotmail', 'loginSkype', 'skype', 'ssl'])
    expect(io.steps.map((s) => s.kind)).toEqual(['browser', 'progress', 'progress'])
  })

  it('uses Live\u2019s desktop redirect when no redirect is asked for (the Electron sign-in window)', async () => {
    page = await browser.newPage()
    connector = new SkypeConnector(skypeContext({ ...server.config(), ...FAST }))
    const io = loginIO(null, (step, resolve) => {
      expect(step.redirectPrefix).toBe(`${server.httpUrl}/oauth20_desktop.srf`)
      void fillSignInForm(page, step.url).then((url) => {
        expect(url.startsWith(step.redirectPrefix)).toBe(true)
        expect(url).toContain('?lc=1033#access_token=')
        resolve(url)
      })
    })
    expect((await connector.login({ methodId: 'browser', fields: {}, previous: null }, io)).selfId).toBe('8:live:alice_1')
  })

  it('tells the person when the password is wrong, then signs in', async () => {
    page = await browser.newPage()
    connector = new SkypeConnector(skypeContext({ ...server.config(), ...FAST }))
    const io = loginIO(null, (step, resolve) => {
      void (async () => {
        await page.goto(step.url)
        await page.getByLabel('Email, phone, or Skype').fill(ALICE.email)
        await page.getByLabel('Password').fill('not my password')
        await page.getByRole('button', { name: 'Sign in' }).click()
        await page.getByRole('alert').filter({ hasText: 'Your account or password is incorrect' }).waitFor()
        await page.getByLabel('Password').fill(ALICE.password)
        await Promise.all([page.waitForURL(/oauth20_desktop/), page.getByRole('button', { name: 'Sign in' }).click()])
        resolve(page.url())
      })()
    })
    expect((await connector.login({ methodId: 'browser', fields: {}, previous: null }, io)).selfId).toBe('8:live:alice_1')
  })

  it('reports a cancel at the Microsoft page as cancelled', async () => {
    page = await browser.newPage()
    connector = new SkypeConnector(skypeContext({ ...server.config(), ...FAST }))
    const io = loginIO(null, (step, resolve) => {
      void (async () => {
        await page.goto(step.url)
        await Promise.all([page.waitForURL(/oauth20_desktop/), page.getByRole('button', { name: 'Cancel' }).click()])
        resolve(page.url())
      })()
    })
    const error = await connector.login({ methodId: 'browser', fields: {}, previous: null }, io).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JunctionError)
    expect(error).toMatchObject({ code: 'cancelled', message: 'The Microsoft sign-in was cancelled.' })
  })

  it('refreshes the service tokens before they expire and reports the rotated credentials', async () => {
    const shortLived = await startSkypeServer({ tokenLifetimeSec: 4 })
    onTestFinished(() => shortLived.close())
    page = await browser.newPage()
    connector = new SkypeConnector(skypeContext({ ...shortLived.config(), ...FAST }))
    const probe = probeEvents(connector)
    const io = loginIO(null, (step, resolve) => void fillSignInForm(page, step.url).then(resolve))
    const { credentials } = await connector.login({ methodId: 'browser', fields: {}, previous: null }, io)
    const before = (credentials.tokens as Record<string, { accessToken: string; expiresAt: number }>).ssl!
    const sslOf = (c: Record<string, unknown>): { accessToken: string } | undefined => (c.tokens as Record<string, { accessToken: string }>).ssl
    const rotated = (await probe.next('credentials', (e) => sslOf(e.credentials)?.accessToken !== before.accessToken, 15_000)).credentials
    const after = (rotated.tokens as Record<string, { accessToken: string; expiresAt: number }>).ssl!
    // Refreshed ahead of expiry (at most half the lifetime in), and with a later expiry.
    expect(after.expiresAt).toBeGreaterThan(before.expiresAt)
    expect(Date.now()).toBeLessThan(before.expiresAt)
    expect(rotated.refreshToken).not.toBe(credentials.refreshToken)
  })

  it('stops waiting when Junction cancels the login', async () => {
    connector = new SkypeConnector(skypeContext({ ...server.config(), ...FAST }))
    const abort = new AbortController()
    const io = loginIO(null, () => abort.abort(), abort)
    await expect(connector.login({ methodId: 'browser', fields: {}, previous: null }, io)).rejects.toMatchObject({ code: 'cancelled' })
  })
})
