// The LINE logins against the reference server: QR + PIN exactly as spec §4.1, a kept
// certificate that skips the PIN, QR renewal, and e-mail + password as spec §4.2 and
// capture 002 (Letter Sealing on: LF1 + confirmE2EELogin; off: 89 → type 0 → JQ).

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../../src/shared/errors'
import { LinePhone } from '../../../../servers/line/phone'
import { TestSigner } from '../../../../servers/line/test-signer'
import { lineFixture, qrLoginAs, scriptedIO, type LineFixture } from './helpers'

let f: LineFixture

beforeEach(async () => {
  f = await lineFixture()
})

afterEach(async () => {
  await f.close()
})

const calls = (f: LineFixture): string[] =>
  f.server.world.requests
    .filter((r) => !r.path.startsWith('/api/operation/receive'))
    .map((r) => r.path.replace(/^\/api\/talk\/thrift\/[^/]+\//, '').replace(/\?.*$/, ''))

describe('LINE QR login (spec §4.1)', () => {
  it('shows the QR with the callback URL, secret and e2eeVersion, then the PIN, and logs in with the keychain', async () => {
    const t = f.connector()
    const { result, io } = await qrLoginAs(t, f.phone)
    expect(result.selfId).toBe(f.alice.mid)
    expect(result.displayName).toBe('Alice')
    const qr = io.steps.find((s) => s.kind === 'qr')!
    if (qr.kind !== 'qr') throw new Error('no qr')
    expect(qr.payload).toMatch(/^https:\/\/line\.me\/R\/au\/lgn\/sq\/SQ[0-9a-f]{64}\?secret=[A-Za-z0-9%]+&e2eeVersion=1$/)
    expect(decodeURIComponent(qr.payload.split('secret=')[1]!.split('&')[0]!)).toMatch(/^[A-Za-z0-9+/]{43}=$/)
    expect(qr.attempt).toBe(1)
    const pin = io.steps.find((s) => s.kind === 'pin')
    expect(pin && pin.kind === 'pin' && /^\d{6}$/.test(pin.pin)).toBe(true)
    // The order of spec §4.1, verifyCertificate before createPinCode.
    expect(calls(f).filter((c) => c.startsWith('SecondaryQrCode'))).toEqual([
      'SecondaryQrCodeLoginService/createSession',
      'SecondaryQrCodeLoginService/createQrCode',
      'SecondaryQrCodeLoginPermitNoticeService/checkQrCodeVerified',
      'SecondaryQrCodeLoginService/verifyCertificate',
      'SecondaryQrCodeLoginService/createPinCode',
      'SecondaryQrCodeLoginPermitNoticeService/checkPinCodeVerified',
      'SecondaryQrCodeLoginService/qrCodeLoginV2'
    ])
    const creds = result.credentials as { certificate: string; keychain: { activeKeyId: number; keys: { keyId: number }[] }; accessToken: string }
    expect(creds.certificate).toMatch(/^[0-9a-f]{64}$/)
    // The keychain holds both of Alice's keys, and the active one is not the first (linejs#229).
    expect(creds.keychain.keys.map((k) => k.keyId)).toEqual(f.alice.keys.map((k) => k.keyId))
    expect(creds.keychain.activeKeyId).toBe(f.alice.activeKeyId)
    expect(creds.keychain.keys[0]!.keyId).not.toBe(f.alice.activeKeyId)
    // The long polls carried X-Line-Session-ID and X-LST; the login calls no X-Line-Access.
    const poll = f.server.world.requests.find((r) => r.path.endsWith('checkQrCodeVerified'))!
    expect(poll.headers['x-line-session-id']).toMatch(/^SQ/)
    expect(poll.headers['x-lst']).toBe('150000')
    expect(poll.headers['x-line-access']).toBeUndefined()
    expect(f.server.world.requests.find((r) => r.path.endsWith('checkPinCodeVerified'))!.headers['x-lst']).toBe('110000')
    await t.waitFor('status', (e) => e.status.state === 'online')
  })

  it('skips the PIN with the certificate kept from the previous login', async () => {
    const first = await qrLoginAs(f.connector(), f.phone)
    f.server.world.requests.splice(0)
    const t = f.connector()
    const { result, io } = await qrLoginAs(t, f.phone, first.result.credentials)
    expect(result.selfId).toBe(f.alice.mid)
    expect(io.steps.some((s) => s.kind === 'pin')).toBe(false)
    expect(calls(f)).not.toContain('SecondaryQrCodeLoginService/createPinCode')
    const verify = f.server.world.requests.find((r) => r.path.endsWith('verifyCertificate'))!
    expect(JSON.parse(verify.body)[0].certificate).toBe((first.result.credentials as { certificate: string }).certificate)
  })

  it('renews the QR with a new session when the poll windows end without a scan, then gives up with a clear error', async () => {
    await f.close()
    f = await lineFixture({ qrPollSec: 1, qrMaxPolls: 2 })
    const t = f.connector({ timing: { qrAttempts: 2 } })
    const io = scriptedIO(() => {})
    const error = await t.connector.login({ methodId: 'qr', fields: {}, previous: null }, io).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JunctionError)
    expect((error as JunctionError).code).toBe('timeout')
    const qrs = io.steps.filter((s) => s.kind === 'qr')
    expect(qrs.map((s) => s.kind === 'qr' && s.attempt)).toEqual([1, 2])
    expect(qrs[0]!.kind === 'qr' && qrs[1]!.kind === 'qr' && qrs[0]!.payload !== qrs[1]!.payload).toBe(true)
    // Each session was polled longPollingMaxCount (2) times before a new one was made.
    expect(calls(f).filter((c) => c.endsWith('checkQrCodeVerified')).length).toBe(4)
    expect(calls(f).filter((c) => c.endsWith('createSession')).length).toBe(2)
  })

  it('is cancelled when the person closes the dialog', async () => {
    const t = f.connector()
    const io = scriptedIO((s) => {
      if (s.kind === 'qr') io.abort.abort()
    })
    const error = await t.connector.login({ methodId: 'qr', fields: {}, previous: null }, io).catch((e: unknown) => e)
    expect((error as JunctionError).code).toBe('cancelled')
  })
})

describe('LINE gateway refusals', () => {
  it('fails with a typed integrity error when the signature is wrong (10005)', async () => {
    const t = f.connector({ signer: new TestSigner('not the key the server knows') })
    const error = await t.connector
      .login(
        { methodId: 'qr', fields: {}, previous: null },
        scriptedIO(() => {})
      )
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'integrity', detail: 'gateway 10005' })
    expect((error as Error).message).toMatch(/signature/)
  })

  it('fails with unsupported when LINE says the client version is too old (10006)', async () => {
    const t = f.connector({ chromeVersion: '3.6.0' })
    const error = await t.connector
      .login(
        { methodId: 'qr', fields: {}, previous: null },
        scriptedIO(() => {})
      )
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'unsupported', detail: 'gateway 10006' })
    expect(f.server.world.requests[0]!.headers['x-line-chrome-version']).toBe('3.6.0')
  })
})

describe('LINE e-mail login (spec §4.2, capture 002)', () => {
  it('logs in a Letter Sealing account: type 2, the 6-digit PIN, LF1, confirmE2EELogin, type 1', async () => {
    const t = f.connector()
    const io = scriptedIO(async (s) => {
      if (s.kind === 'pin') await f.phone.enterPin(s.pin)
    })
    const result = await t.connector.login({ methodId: 'email', fields: { email: 'alice@example.com', password: 'correct horse' }, previous: null }, io)
    expect(result.selfId).toBe(f.alice.mid)
    const pin = io.steps.find((s) => s.kind === 'pin')
    expect(pin?.kind === 'pin' && /^\d{6}$/.test(pin.pin)).toBe(true)
    expect(calls(f).slice(0, 6)).toEqual([
      'TalkService/getRSAKeyInfo',
      'AuthService/loginV2',
      '/api/talk/long-polling/LF1',
      'AuthService/confirmE2EELogin',
      'AuthService/loginV2',
      'TalkService/getProfile'
    ])
    const [first, , , final] = f.server.world.requests.slice(1, 5).map((r) => r.body)
    expect(JSON.parse(first!)[0]).toMatchObject({ type: 2, identityProvider: 1, systemName: 'Chrome', e2eeVersion: 1, verifier: '' })
    expect(JSON.parse(first!)[0].password).toMatch(/^[0-9a-f]{256}$/)
    expect(JSON.parse(final!)[0]).toMatchObject({ type: 1, identifier: '', password: '', secret: '' })
    expect((result.credentials as { keychain: unknown }).keychain).not.toBeNull()
  })

  it('falls back for a Letter Sealing off account: 89 → fresh key, type 0 → server PIN → JQ → type 1', async () => {
    const t = f.connector()
    const carolPhone = new LinePhone(f.server, f.carol.mid)
    const io2 = scriptedIO(async (s) => {
      if (s.kind === 'pin') await carolPhone.enterPin(s.pin)
    })
    const result = await t.connector.login({ methodId: 'email', fields: { email: 'carol@example.com', password: 'carol pw' }, previous: null }, io2)
    expect(result.selfId).toBe(f.carol.mid)
    const pin = io2.steps.find((s) => s.kind === 'pin')
    expect(pin?.kind === 'pin' && /^\d{4}$/.test(pin.pin)).toBe(true)
    expect(calls(f).slice(0, 6)).toEqual([
      'TalkService/getRSAKeyInfo',
      'AuthService/loginV2',
      'TalkService/getRSAKeyInfo',
      'AuthService/loginV2',
      '/api/talk/long-polling/JQ',
      'AuthService/loginV2'
    ])
    const reqs = f.server.world.requests
    expect(JSON.parse(reqs[1]!.response)).toEqual({
      code: 10051,
      message: 'RESPONSE_ERROR',
      data: { name: 'TalkException', message: 'TalkException', code: 89, reason: 'not supported', parameterMap: null }
    })
    expect(JSON.parse(reqs[3]!.body)[0]).toMatchObject({ type: 0, secret: '' })
    expect(JSON.parse(reqs[3]!.body)[0].identifier).not.toBe(JSON.parse(reqs[1]!.body)[0].identifier)
    expect(reqs[4]!.headers['x-lst']).toBe('180000')
    expect((result.credentials as { keychain: unknown }).keychain).toBeNull()
  })

  it('logs in at once with a kept certificate: type 0 + certificate → type 1 (capture 002, on-to-off step 4), keys kept', async () => {
    const first = await f.connector().connector.login(
      { methodId: 'email', fields: { email: 'alice@example.com', password: 'correct horse' }, previous: null },
      scriptedIO(async (s) => {
        if (s.kind === 'pin') await f.phone.enterPin(s.pin)
      })
    )
    f.server.world.requests.splice(0)
    const io = scriptedIO(() => {})
    const t = f.connector()
    const again = await t.connector.login(
      { methodId: 'email', fields: { email: 'alice@example.com', password: 'correct horse' }, previous: first.credentials },
      io
    )
    expect(again.selfId).toBe(f.alice.mid)
    expect(io.steps.some((s) => s.kind === 'pin')).toBe(false)
    expect(calls(f).slice(0, 2)).toEqual(['TalkService/getRSAKeyInfo', 'AuthService/loginV2'])
    expect(JSON.parse(f.server.world.requests.find((r) => r.path.endsWith('/loginV2'))!.body)[0]).toMatchObject({
      type: 0,
      secret: '',
      certificate: (first.credentials as { certificate: string }).certificate
    })
    // No new keychain comes with such a login: the one already held keeps Letter Sealing working.
    expect((again.credentials as { keychain: unknown }).keychain).toEqual((first.credentials as { keychain: unknown }).keychain)
    await t.connector.send(f.bob.mid, 'sealed-after-cert', { kind: 'text', text: 'still sealed' })
    expect(f.phone.open(f.server.world.messages.at(-1)!, f.bob.mid)).toEqual({ text: 'still sealed' })
  })

  it('logs in afresh when the kept certificate is no longer accepted', async () => {
    const io = scriptedIO(async (s) => {
      if (s.kind === 'pin') await f.phone.enterPin(s.pin)
    })
    const stale = { certificate: 'ab'.repeat(32) }
    const result = await f
      .connector()
      .connector.login({ methodId: 'email', fields: { email: 'alice@example.com', password: 'correct horse' }, previous: stale }, io)
    expect(result.selfId).toBe(f.alice.mid)
    expect(calls(f).slice(0, 4)).toEqual(['TalkService/getRSAKeyInfo', 'AuthService/loginV2', 'TalkService/getRSAKeyInfo', 'AuthService/loginV2'])
    expect((result.credentials as { keychain: unknown }).keychain).not.toBeNull()
  })

  it('refuses a wrong password with auth-failed', async () => {
    const error = await f
      .connector()
      .connector.login(
        { methodId: 'email', fields: { email: 'alice@example.com', password: 'wrong' }, previous: null },
        scriptedIO(() => {})
      )
      .catch((e: unknown) => e)
    expect((error as JunctionError).code).toBe('auth-failed')
    expect((error as JunctionError).detail).toBe('TalkException 18: Invalid identity credential')
  })
})
