// Sessions over time (spec §4.3, capture 002): the token refreshed before its refresh time
// and on 119, the session that fails with code 1 "Authentication Failed." (capture 002
// step 0) going to needs-login without a crash, recovery by logging in again (the kept
// certificate skips the PIN), and logoutV2 clearing the lct cookie.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../../src/shared/errors'
import type { Harness } from '../../../../helpers/core-harness'
import { eventually, waitFor } from '../../../../helpers/events'
import { lineFixture, qrLoginAs, scriptedIO, syncAll, type LineFixture } from './helpers'
import { addLineAccount, chatByRemote, lineHarness, messageIn } from './core-helpers'

let f: LineFixture
let h: Harness | undefined

beforeEach(async () => {
  f = await lineFixture()
})

afterEach(async () => {
  await h?.close()
  h = undefined
  await f.close()
})

const requests = (f: LineFixture, suffix: string) => f.server.world.requests.filter((r) => r.path.endsWith(suffix))

describe('LINE token refresh (spec §4.3)', () => {
  it('refreshes before the refresh time after an e-mail login, rotates both tokens and reports the credentials', async () => {
    f.server.world.tokenRefreshSec = 1
    const t = f.connector()
    const login = await t.connector.login(
      { methodId: 'email', fields: { email: 'alice@example.com', password: 'correct horse' }, previous: null },
      scriptedIO(async (s) => {
        if (s.kind === 'pin') await f.phone.enterPin(s.pin)
      })
    )
    const before = login.credentials as { accessToken: string; refreshToken: string }
    const rotated = await t.waitFor('credentials', undefined, 8_000)
    const after = rotated.credentials as { accessToken: string; refreshToken: string; refreshAtSec: number; keychain: unknown }
    expect(after.accessToken).not.toBe(before.accessToken)
    expect(after.refreshToken).not.toBe(before.refreshToken)
    expect(after.keychain).toEqual((login.credentials as { keychain: unknown }).keychain)
    const refresh = requests(f, '/api/auth/tokenRefresh')[0]!
    expect(JSON.parse(refresh.body)).toEqual({ refreshToken: before.refreshToken })
    expect(refresh.headers['x-line-access']).toBe(before.accessToken)
    expect(refresh.headers['x-hmac']).toBeDefined()
    // The next calls carry the new token.
    await syncAll(t.connector)
    expect(requests(f, '/getAllContactIds').at(-1)!.headers['x-line-access']).toBe(after.accessToken)
    expect(f.server.world.refreshTokens.has(before.refreshToken)).toBe(false)
  })

  it('refreshes on 119 MUST_REFRESH_V3_TOKEN and replays the call once (bare-object refresh answer)', async () => {
    await f.close()
    f = await lineFixture({ bareTokenRefresh: true })
    const t = f.connector()
    const { result } = await qrLoginAs(t, f.phone)
    const token = (result.credentials as { accessToken: string }).accessToken
    f.server.world.tokens.get(token)!.expiresAtMs = 0
    const sync = await syncAll(t.connector)
    expect(sync.contacts.map((c) => c.name).sort()).toEqual(['Bob', 'Carol'])
    const codes = requests(f, '/getProfile').map((r) => (JSON.parse(r.response) as { data?: { code?: number } }).data?.code)
    expect(codes.slice(-2)).toEqual([119, undefined])
    expect(requests(f, '/api/auth/tokenRefresh')).toHaveLength(1)
    await t.waitFor('credentials')
  })

  it('refreshes an overdue token before anything else on restore, retrying through 10202', async () => {
    const first = f.connector()
    const { result } = await qrLoginAs(first, f.phone)
    await first.connector.close()
    const overdue = { ...result.credentials, refreshAtSec: Math.floor(Date.now() / 1000) - 60 }
    f.server.world.refreshRetries = 2
    f.server.world.requests.splice(0)
    const t = f.connector()
    await t.connector.restore(overdue, { localRev: '100000' })
    const paths = f.server.world.requests.map((r) => r.path).filter((p) => !p.startsWith('/api/operation/receive'))
    expect(paths.slice(0, 4)).toEqual([
      '/api/auth/tokenRefresh',
      '/api/auth/tokenRefresh',
      '/api/auth/tokenRefresh',
      '/api/talk/thrift/Talk/TalkService/getProfile'
    ])
    const refreshes = f.server.world.requests.filter((r) => r.path === '/api/auth/tokenRefresh')
    expect(refreshes.map((r) => JSON.parse(r.response).code)).toEqual([10202, 10202, 0])
    const rotated = (await t.waitFor('credentials')).credentials as { accessToken: string; refreshAtSec: number }
    expect(rotated.refreshAtSec).toBeGreaterThan(Date.now() / 1000)
    expect(f.server.world.requests.find((r) => r.path.endsWith('/getProfile'))!.headers['x-line-access']).toBe(rotated.accessToken)
  })
})

describe('LINE failed authentication (capture 002 step 0)', () => {
  it('puts a restored account whose session is gone into needs-login: getProfile → code 1, then logoutV2', async () => {
    const t = f.connector()
    const { result } = await qrLoginAs(t, f.phone)
    await t.connector.close()
    await f.phone.logoutEverywhere()
    f.server.world.requests.splice(0)
    const again = f.connector()
    const error = await again.connector.restore(result.credentials, { localRev: '100000' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JunctionError)
    expect((error as JunctionError).code).toBe('auth-failed')
    expect((error as JunctionError).detail).toBe('TalkException 1: Authentication Failed.')
    const [profile, logout] = f.server.world.requests
    expect(profile!.path).toBe('/api/talk/thrift/Talk/TalkService/getProfile')
    expect(JSON.parse(profile!.body)).toEqual([2])
    expect(JSON.parse(profile!.response)).toEqual({
      code: 10051,
      message: 'RESPONSE_ERROR',
      data: { name: 'TalkException', message: 'TalkException', code: 1, reason: 'Authentication Failed.', parameterMap: null }
    })
    expect(logout!.path).toBe('/api/talk/thrift/Talk/AuthService/logoutV2')
    expect(logout!.body).toBe('[]')
    expect(JSON.parse(logout!.response)).toEqual({ code: 0, message: 'OK' })
  })

  it('turns a live session that LINE ends into needs-login, and recovers by logging in again without a PIN', async () => {
    h = await lineHarness(f.server)
    const accountId = await addLineAccount(h.core, f.phone)
    await f.phone.sendAs(f.bob.mid, 'hello')
    const bob = await chatByRemote(h.core, f.bob.mid)
    await messageIn(h.core, bob.id, (m) => m.text === 'hello')

    const needsLogin = waitFor(h.core.events, 'account', (a) => a.id === accountId && a.status.state === 'needs-login', 10_000)
    await f.phone.logoutEverywhere()
    f.server.dropStreams()
    expect((await needsLogin).status.reason).toEqual({ code: 'session-expired' })

    // Logging in again to the same account: the certificate kept from the first login skips the PIN.
    const steps: string[] = []
    const off = h.core.events.on('login', (e) => steps.push(e.step.kind))
    const qr = waitFor(h.core.events, 'login', (e) => e.step.kind === 'qr')
    const { loginId } = await h.core.handlers.startLogin({ network: 'line', methodId: 'qr', accountId })
    const done = waitFor(h.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 10_000)
    const step = (await qr).step
    await f.phone.scan(step.kind === 'qr' ? step.payload : '')
    expect((await done).step).toEqual({ kind: 'done', accountId })
    off()
    expect(steps).not.toContain('pin')
    await eventually(async () => (await h!.core.handlers.listAccounts())[0]!.status.state === 'online')
    await f.phone.sendAs(f.bob.mid, 'welcome back')
    await messageIn(h.core, bob.id, (m) => m.text === 'welcome back')
  })

  it('goes to needs-login when a send fails with code 1, and the message is not lost', async () => {
    const t = f.connector()
    await qrLoginAs(t, f.phone)
    await f.phone.logoutEverywhere()
    const error = await t.connector.send(f.bob.mid, 'c-dead', { kind: 'text', text: 'hi' }).catch((e: unknown) => e)
    expect((error as JunctionError).code).toBe('auth-failed')
    await t.waitFor('status', (e) => e.status.state === 'needs-login')
    expect(f.server.world.messages.some((m) => m.text === 'hi')).toBe(false)
  })
})

describe('LINE logout', () => {
  it('calls logoutV2 with the session, and the lct cookie and token are gone', async () => {
    const t = f.connector()
    const { result } = await qrLoginAs(t, f.phone)
    const token = (result.credentials as { accessToken: string }).accessToken
    expect(requests(f, '/qrCodeLoginV2')[0]!.headers['x-line-access']).toBeUndefined()
    await t.connector.logout()
    const logout = requests(f, '/logoutV2').at(-1)!
    expect(logout.headers['x-line-access']).toBe(token)
    expect(logout.headers.cookie).toBe(`lct=${token}`)
    expect(f.server.world.tokens.get(token)!.revoked).toBe(true)
    await expect(syncAll(t.connector)).rejects.toMatchObject({ code: 'unavailable' })
  })

  it('removing the account through Core logs it out on LINE', async () => {
    h = await lineHarness(f.server)
    const accountId = await addLineAccount(h.core, f.phone)
    await h.core.handlers.removeAccount({ accountId })
    expect(requests(f, '/logoutV2')).toHaveLength(1)
    expect([...f.server.world.tokens.values()].every((t) => t.revoked)).toBe(true)
  })
})
