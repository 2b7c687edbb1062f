// QR-code login on the gateway, exactly as spec §4.1: createSession → createQrCode → QR
// (callback URL + secret + e2eeVersion) → checkQrCodeVerified long poll with its retry
// rules → verifyCertificate (a kept certificate skips the PIN) → createPinCode (the PIN
// is shown in Junction) → checkPinCodeVerified → qrCodeLoginV2, then the keychain unwrap.

import { JunctionError, ProtocolError } from '../../../../shared/errors'
import { delay } from '../../../base/timers'
import { generateKeyPair, type KeyPair } from '../crypto'
import { LineError, QR } from '../errors'
import { SERVICE } from '../transport'
import { openKeychain } from '../keychain'
import { cancelled, pollWindows, type LoginDeps, type LoginOutcome } from './flow'
import { parseWire, QrCodeLoginV2Wire } from '../wire'

/** spec §4.1: the PIN poll waits 110 s. */
const PIN_WAIT_MS = 110_000

interface QrSession {
  authSessionId: string
  callbackUrl: string
  maxPolls: number
  windowMs: number
}

function str(value: unknown, field: string, what: string): string {
  const v = (value as Record<string, unknown> | null)?.[field]
  if (typeof v !== 'string' || v === '') throw new ProtocolError(`LINE sent ${what} without ${field}.`)
  return v
}

/** spec §4.1 step 3: callbackUrl?secret=<std base64, percent-encoded>&e2eeVersion=1. */
export function qrPayload(callbackUrl: string, publicKey: Uint8Array): string {
  const sep = callbackUrl.includes('?') ? '&' : '?'
  return `${callbackUrl}${sep}secret=${encodeURIComponent(Buffer.from(publicKey).toString('base64'))}&e2eeVersion=1`
}

export async function qrLogin(deps: LoginDeps, previousCertificate: string | null): Promise<LoginOutcome> {
  const { timing, io } = deps
  for (let attempt = 1; attempt <= timing.qrAttempts; attempt++) {
    const session = await openSession(deps)
    const keys = generateKeyPair()
    const expiresAt = Date.now() + session.windowMs * session.maxPolls
    io.step({ kind: 'qr', payload: qrPayload(session.callbackUrl, keys.publicKey), expiresAt, attempt, maxAttempts: timing.qrAttempts })
    const scan = await waitForScan(deps, session, previousCertificate)
    if (scan === 'expired') continue
    io.step({ kind: 'progress', stage: 'verifying' })
    const skipPin = scan === 'certified' || (await verifyCertificate(deps, session.authSessionId, previousCertificate))
    if (!skipPin && !(await confirmPin(deps, session.authSessionId))) continue
    return finish(deps, session.authSessionId, keys)
  }
  throw new JunctionError('timeout', 'No phone confirmed the login in time. Try again when your phone is at hand.', { reason: { code: 'timeout' } })
}

async function openSession(deps: LoginDeps): Promise<QrSession> {
  const { gateway } = deps
  const signal = { signal: deps.io.signal }
  const authSessionId = str(await gateway.call(SERVICE.qrLogin, 'createSession', [{}], signal), 'authSessionId', 'a QR session')
  const qr = await gateway.call(SERVICE.qrLogin, 'createQrCode', [{ authSessionId }], signal)
  const callbackUrl = str(qr, 'callbackUrl', 'a QR code')
  const q = qr as { longPollingMaxCount?: unknown; longPollingIntervalSec?: unknown }
  const maxPolls = typeof q.longPollingMaxCount === 'number' && q.longPollingMaxCount > 0 ? Math.min(q.longPollingMaxCount, 10) : 2
  const intervalSec = typeof q.longPollingIntervalSec === 'number' && q.longPollingIntervalSec > 0 ? Math.min(q.longPollingIntervalSec, 600) : 150
  return { authSessionId, callbackUrl, maxPolls, windowMs: intervalSec * 1000 }
}

function backoff(deps: LoginDeps): (n: number) => Promise<void> {
  // spec §4.1: 1 s, 2 s, 4 s… capped at 30 s.
  return (n) => delay(Math.min(deps.timing.qrRetryMaxMs, deps.timing.qrRetryBaseMs * 2 ** n), deps.io.signal)
}

/**
 * spec §4.1 step 4. The same session is polled up to longPollingMaxCount windows. spec §13:
 * an error other than the wrapped 410 may mean the scan raced the poll, so verifyCertificate
 * is tried once before giving up.
 */
async function waitForScan(deps: LoginDeps, s: QrSession, certificate: string | null): Promise<'scanned' | 'certified' | 'expired'> {
  const poll = (): Promise<unknown> =>
    deps.gateway.call(SERVICE.qrPermit, 'checkQrCodeVerified', [{ authSessionId: s.authSessionId }], {
      longPoll: { sessionId: s.authSessionId, waitMs: s.windowMs },
      signal: deps.io.signal
    })
  try {
    const answer = await pollWindows(deps, s.maxPolls, poll, backoff(deps))
    return answer === null ? 'expired' : 'scanned'
  } catch (error) {
    if (!(error instanceof LineError) || error.info.outer === null) throw error
    deps.log.info({ error }, 'QR poll failed; trying verifyCertificate once')
    try {
      await deps.gateway.call(SERVICE.qrLogin, 'verifyCertificate', [{ authSessionId: s.authSessionId, certificate: certificate ?? '' }], {
        signal: deps.io.signal
      })
      return 'certified'
    } catch (second) {
      if (second instanceof LineError && second.isTalk(QR.VERIFICATION_FAILED)) return 'scanned'
      throw error
    }
  }
}

/** spec §4.1 step 5: `{}` skips the PIN; inner code 2 (VERIFICATION_FAILED) means go to the PIN. */
async function verifyCertificate(deps: LoginDeps, authSessionId: string, certificate: string | null): Promise<boolean> {
  try {
    await deps.gateway.call(SERVICE.qrLogin, 'verifyCertificate', [{ authSessionId, certificate: certificate ?? '' }], { signal: deps.io.signal })
    return true
  } catch (error) {
    if (error instanceof LineError && error.isTalk(QR.VERIFICATION_FAILED)) return false
    throw error
  }
}

/** spec §4.1 step 6: the PIN shown in Junction; a PIN poll that times out ends this session. */
async function confirmPin(deps: LoginDeps, authSessionId: string): Promise<boolean> {
  const signal = deps.io.signal
  const answer = await deps.gateway.call(SERVICE.qrLogin, 'createPinCode', [{ authSessionId }], { signal })
  const pin = str(answer, 'pinCode', 'a PIN')
  deps.io.step({ kind: 'pin', pin, expiresAt: Date.now() + PIN_WAIT_MS })
  try {
    await deps.gateway.call(SERVICE.qrPermit, 'checkPinCodeVerified', [{ authSessionId }], {
      longPoll: { sessionId: authSessionId, waitMs: PIN_WAIT_MS },
      signal
    })
  } catch (error) {
    if (signal.aborted) throw cancelled()
    if (error instanceof LineError && error.isPollTimeout) {
      deps.log.info({}, 'PIN not entered in time; starting over')
      return false
    }
    throw error
  }
  deps.io.step({ kind: 'progress', stage: 'verifying' })
  return true
}

/** spec §4.1 step 7, and the keychain in metaData unwrapped with the QR secret key (spec §8.3). */
async function finish(deps: LoginDeps, authSessionId: string, keys: KeyPair): Promise<LoginOutcome> {
  const request = { systemName: 'CHROMEOS', modelName: 'CHROME', autoLoginIsRequired: false, authSessionId }
  const data = parseWire(QrCodeLoginV2Wire, await deps.gateway.call(SERVICE.qrLogin, 'qrCodeLoginV2', [request], { signal: deps.io.signal }), 'a QR login')
  const keychain = openKeychain(keys.privateKey, data.metaData)
  deps.log.info({ sealing: keychain !== null }, 'QR login complete')
  return { mid: data.mid, token: data.tokenV3IssueResult, certificate: data.certificate ?? null, keychain }
}
