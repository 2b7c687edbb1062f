// The login services of the reference server: SecondaryQrCodeLogin* (spec §4.1),
// AuthService.loginV2 / confirmE2EELogin / logoutV2 (spec §4.2, §4.3, capture 002), with
// the shapes and error codes of capture 002.

import { timingSafeEqual } from 'node:crypto'
import type { AuthState, QrSession } from './auth-state'
import { arg, isObject, isString, LCT_CLEARED, LCT_COOKIE, type CallContext, type Handler } from './handlers'
import { pollTimeout, qrError, talkError, waitFor } from './http-util'
import { expectedDeviceSecret, openPasswordBlob, wrapKeychain } from './server-crypto'
import type { LineWorld } from './world'

function session(c: CallContext): QrSession {
  const req = arg(c, 0, isObject, 'request')
  const id = req.authSessionId
  const s = typeof id === 'string' ? c.auth.qr.get(id) : undefined
  // spec §4.1: 100 INVALID_CONTEXT, "QR code has expired".
  if (!s || s.issued) throw qrError(100, 'QR code has expired')
  return s
}

function waitMs(c: CallContext, lst: string | undefined): number {
  const asked = Number(lst)
  return Math.min(c.options.maxLongPollMs, Number.isFinite(asked) && asked > 0 ? asked : c.options.maxLongPollMs)
}

export function qrHandlers(lst: () => string | undefined): Record<string, Handler> {
  return {
    createSession: (c) => ({ authSessionId: c.auth.newQrSession().id }),
    createQrCode: (c) => {
      const s = session(c)
      return { callbackUrl: `https://line.me/R/au/lgn/sq/${s.id}`, longPollingMaxCount: c.options.qrMaxPolls, longPollingIntervalSec: c.options.qrPollSec }
    },
    checkQrCodeVerified: async (c) => {
      const s = session(c)
      const done = await waitFor(
        () => (s.scannedBy ? true : null),
        (wake) => c.auth.onChange(wake),
        waitMs(c, lst()),
        c.signal
      )
      if (!done) throw pollTimeout()
      return {}
    },
    verifyCertificate: (c) => {
      const s = session(c)
      if (!s.scannedBy) throw qrError(100, 'QR code has expired')
      s.verifyCalled = true
      const cert = (c.args[0] as { certificate?: unknown }).certificate
      if (typeof cert === 'string' && cert !== '' && c.world.user(s.scannedBy).certificates.has(cert)) {
        s.certificateOk = true
        return {}
      }
      throw qrError(2, 'verification failed')
    },
    createPinCode: (c) => {
      const s = session(c)
      // spec §4.1: verifyCertificate must come first, else 100 "QR code has expired".
      if (!s.verifyCalled || !s.scannedBy) throw qrError(100, 'QR code has expired')
      s.pin ??= String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')
      return { pinCode: s.pin }
    },
    checkPinCodeVerified: async (c) => {
      const s = session(c)
      if (!s.pin) throw qrError(100, 'QR code has expired')
      const done = await waitFor(
        () => (s.pinOk ? true : null),
        (wake) => c.auth.onChange(wake),
        waitMs(c, lst()),
        c.signal
      )
      if (!done) throw pollTimeout()
      return {}
    },
    qrCodeLoginV2: (c) => {
      const s = session(c)
      if (!s.scannedBy || !(s.certificateOk || s.pinOk)) throw qrError(2, 'verification failed')
      s.issued = true
      const user = c.world.user(s.scannedBy)
      const tokens = c.world.issueTokens(user.mid)
      c.setCookie(LCT_COOKIE(tokens.accessToken))
      let metaData: Record<string, string> = {}
      if (user.sealing && s.secretPub) {
        metaData = wrapKeychain(s.secretPub, user.keys, user.activeKeyId)
        delete metaData._ephemeralPriv
      }
      return {
        certificate: c.world.issueCertificate(user.mid),
        tokenV3IssueResult: c.world.tokenResult(tokens),
        mid: user.mid,
        lastBindTimestamp: '0',
        metaData
      }
    }
  }
}

function findByEmail(world: LineWorld, email: string, password: string): string | null {
  for (const u of world.users.values()) if (u.email !== null && u.email.toLowerCase() === email.toLowerCase() && u.password === password) return u.mid
  return null
}

function loginSuccess(c: CallContext, mid: string, certificate: string): Record<string, unknown> {
  const tokens = c.world.issueTokens(mid)
  c.setCookie(LCT_COOKIE(tokens.accessToken))
  // capture 002 step 4: certificate, type 1, lastPrimaryBindTime, tokenV3IssueResult (no retry policy), mid.
  return { certificate, type: 1, lastPrimaryBindTime: '1483535856056', tokenV3IssueResult: c.world.tokenResult(tokens, false), mid }
}

export function authHandlers(): Record<string, Handler> {
  return {
    loginV2: (c) => {
      const req = arg(c, 0, isObject, 'LoginRequest')
      const type = req.type
      if (type === 1) {
        const verifier = typeof req.verifier === 'string' ? req.verifier : ''
        const login = [...c.auth.email.values()].find((l) => (l.sealed ? l.finalVerifier === verifier : l.verifier === verifier))
        if (!login || !login.confirmed || (login.sealed && !login.e2eeConfirmed) || login.done) throw talkError(20, 'verifier not confirmed')
        login.done = true
        return loginSuccess(c, login.mid, c.world.issueCertificate(login.mid))
      }
      if (type !== 0 && type !== 2) throw talkError(0, 'invalid login type')
      const key = c.auth.takeRsaKey(String(req.identifier ?? ''))
      const fields = key && typeof req.password === 'string' ? openPasswordBlob(key, req.password) : null
      if (!key || !fields || fields.sessionKey !== key.sessionKey) throw talkError(18, 'Invalid identity credential')
      const mid = findByEmail(c.world, fields.email, fields.password)
      if (!mid) throw talkError(18, 'Invalid identity credential')
      const user = c.world.user(mid)
      // capture 002 step 1: a Letter Sealing off account refuses type 2 with 89 "not supported".
      if (type === 2 && !user.sealing) throw talkError(89, 'not supported')
      const certificate = typeof req.certificate === 'string' ? req.certificate : ''
      if (certificate !== '' && user.certificates.has(certificate)) {
        // capture 002 (on-to-off) step 4: a known certificate logs in at once; no new certificate.
        const tokens = c.world.issueTokens(mid)
        c.setCookie(LCT_COOKIE(tokens.accessToken))
        return { type: 1, lastPrimaryBindTime: '1534608800980', tokenV3IssueResult: c.world.tokenResult(tokens, false), mid }
      }
      const login = c.auth.newEmailLogin(mid, type === 2, typeof req.secret === 'string' ? req.secret : '')
      // capture 002 step 2: verifier, pinCode (type 0 only), type 3, lastPrimaryBindTime.
      const out: Record<string, unknown> = { verifier: login.verifier }
      if (login.pinCode) out.pinCode = login.pinCode
      out.type = 3
      out.lastPrimaryBindTime = '0'
      return out
    },
    confirmE2EELogin: (c) => {
      const verifier = arg(c, 0, isString, 'verifier')
      const secret = Buffer.from(arg(c, 1, isString, 'deviceSecret'), 'base64')
      const login = c.auth.email.get(verifier)
      if (!login?.sealed || !login.confirmed || !login.metadata || !login.ephemeralPriv || !login.loginPub) throw talkError(20, 'verifier not confirmed')
      const expected = expectedDeviceSecret(login.ephemeralPriv, login.loginPub, Buffer.from(login.metadata.encryptedKeyChain!, 'base64'))
      if (secret.length !== expected.length || !timingSafeEqual(secret, expected)) throw talkError(20, 'Failed to confirm E2EE login')
      login.e2eeConfirmed = true
      login.finalVerifier = `${login.verifier}-e2ee`
      return login.finalVerifier
    },
    logoutV2: (c) => {
      // capture 002: answered OK even for a dead session; the cookie is cleared.
      const record = c.accessToken ? c.world.tokens.get(c.accessToken) : undefined
      if (record) record.revoked = true
      c.setCookie(LCT_CLEARED)
      return undefined
    }
  }
}

/** GET /api/talk/long-polling/JQ and LF1 (spec §4.2, capture 002 step 3). */
export async function emailLongPoll(
  auth: AuthState,
  kind: 'JQ' | 'LF1',
  verifier: string | undefined,
  ms: number,
  signal: AbortSignal
): Promise<Record<string, unknown>> {
  const login = verifier ? auth.email.get(verifier) : undefined
  if (!login || login.sealed !== (kind === 'LF1')) throw talkError(5, 'key is not found')
  const done = await waitFor(
    () => (login.confirmed ? true : null),
    (wake) => auth.onChange(wake),
    ms,
    signal
  )
  if (!done) throw pollTimeout()
  const timestamp = String(Date.now())
  if (kind === 'JQ') return { result: { verifier: login.verifier, authPhase: 'QRCODE_VERIFIED', userAuthLogEventListNotValid: true }, timestamp }
  return { result: { verifier: login.verifier, authPhase: 'QRCODE_VERIFIED', metadata: login.metadata }, timestamp }
}
