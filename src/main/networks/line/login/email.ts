// E-mail and password login (spec §4.2 and capture 002): getRSAKeyInfo, the RSA password
// blob, loginV2 type 2 (Letter Sealing) → on 89 a fresh key and type 0, the PIN the
// person confirms on the phone, the LF1 (sealed) or JQ (plain) long poll, and the final
// type 1 login with the verifier. A kept certificate is tried first with type 0, as the
// extension does in capture 002 (on-to-off, step 4), which logs in at once.

import { JunctionError, ProtocolError } from '../../../../shared/errors'
import { delay } from '../../../base/timers'
import { deviceSecret, generateKeyPair, type KeyPair } from '../crypto'
import { isTalkError, TALK } from '../errors'
import { openKeychain, type Keychain } from '../keychain'
import { cancelled, pollWindows, type LoginDeps, type LoginOutcome } from './flow'
import { emailLoginSecret, randomPinCode, rsaPasswordBlob } from './email-crypto'
import type { LoginRequestWire } from '../session'
import { LongPollResultWire, parseWire } from '../wire'

/** spec §2.1 / §4.2: X-LST of the two confirmation polls. */
const LF1_WAIT_MS = 110_000
const JQ_WAIT_MS = 180_000

/** spec §4.2: LoginResultType. */
const RESULT = { SUCCESS: 1, REQUIRE_QRCODE: 2, REQUIRE_DEVICE_CONFIRM: 3, REQUIRE_SMS_CONFIRM: 4 } as const

function request(deps: LoginDeps, fields: Partial<LoginRequestWire> & Pick<LoginRequestWire, 'type'>): LoginRequestWire {
  // The field order of capture 002.
  return {
    type: fields.type,
    identityProvider: 1,
    identifier: fields.identifier ?? '',
    password: fields.password ?? '',
    keepLoggedIn: false,
    accessLocation: '',
    systemName: deps.systemName,
    certificate: fields.certificate ?? '',
    verifier: fields.verifier ?? '',
    secret: fields.secret ?? '',
    e2eeVersion: 1,
    modelName: ''
  }
}

export async function emailLogin(
  deps: LoginDeps,
  email: string,
  password: string,
  previous: { certificate: string | null; keychain: Keychain | null }
): Promise<LoginOutcome> {
  const { talk, io } = deps
  io.step({ kind: 'progress', stage: 'verifying' })
  if (previous.certificate) {
    // capture 002 (on-to-off) step 4: with a stored certificate the extension sends type 0, no
    // secret, and gets type 1 at once; the keys it already has stay in use.
    const rsa = await talk.getRSAKeyInfo()
    const result = await talk.loginV2(
      request(deps, { type: 0, identifier: rsa.keynm, password: rsaPasswordBlob(rsa, email, password), certificate: previous.certificate })
    )
    if (result.type === RESULT.SUCCESS && result.tokenV3IssueResult && result.mid) {
      return { mid: result.mid, token: result.tokenV3IssueResult, certificate: result.certificate ?? previous.certificate, keychain: previous.keychain }
    }
    deps.log.info({ type: result.type }, 'the stored certificate was not accepted; logging in afresh')
  }
  const loginKeys = generateKeyPair()
  const code = randomPinCode()
  let sealed = true
  let rsa = await talk.getRSAKeyInfo()
  let result
  try {
    result = await talk.loginV2(
      request(deps, {
        type: 2,
        identifier: rsa.keynm,
        password: rsaPasswordBlob(rsa, email, password),
        secret: emailLoginSecret(code, loginKeys.publicKey)
      })
    )
  } catch (error) {
    // spec §4.2 step 6, capture 002 step 1: Letter Sealing off (89; the extension also falls back on 94 and 97).
    if (!isTalkError(error, TALK.E2EE_SENDER_NOT_ALLOWED, TALK.E2EE_UPDATE_PRIMARY_DEVICE, TALK.E2EE_PRIMARY_NOT_SUPPORT)) throw error
    deps.log.info({ code: error.info.talkCode }, 'Letter Sealing login refused; retrying without it')
    sealed = false
    rsa = await talk.getRSAKeyInfo() // the old key is invalidated
    result = await talk.loginV2(request(deps, { type: 0, identifier: rsa.keynm, password: rsaPasswordBlob(rsa, email, password) }))
  }
  if (io.signal.aborted) throw cancelled()

  if (result.type === RESULT.SUCCESS && result.tokenV3IssueResult && result.mid) {
    return { mid: result.mid, token: result.tokenV3IssueResult, certificate: result.certificate ?? null, keychain: null }
  }
  if (result.type !== RESULT.REQUIRE_DEVICE_CONFIRM || !result.verifier) {
    if (result.type === RESULT.REQUIRE_SMS_CONFIRM || result.type === RESULT.REQUIRE_QRCODE) {
      throw new JunctionError('unsupported', 'LINE asks for a confirmation Junction cannot do for this account. Use the QR code login.', {
        detail: `loginV2 type ${result.type}`,
        reason: { code: 'refused', params: { detail: `loginV2 type ${result.type}` } }
      })
    }
    throw new ProtocolError('LINE answered the login in an unexpected way.', { detail: `loginV2 type ${result.type}` })
  }

  // Sealed: the PIN is our own 6-digit code; plain: the server's PIN (capture 002: "2423").
  const pin = sealed ? code : (result.pinCode ?? '')
  if (!pin) throw new ProtocolError('LINE asked for a confirmation without a PIN.')
  const waitMs = sealed ? LF1_WAIT_MS : JQ_WAIT_MS
  io.step({ kind: 'pin', pin, expiresAt: Date.now() + waitMs * deps.timing.loginPollWindows })
  const confirmed = sealed ? await confirmSealed(deps, result.verifier, loginKeys) : { verifier: await confirmPlain(deps, result.verifier), keychain: null }
  io.step({ kind: 'progress', stage: 'verifying' })

  const final = await talk.loginV2(request(deps, { type: 1, verifier: confirmed.verifier }))
  if (final.type !== RESULT.SUCCESS || !final.tokenV3IssueResult || !final.mid) {
    throw new ProtocolError('LINE did not complete the login.', { detail: `loginV2 type ${final.type}` })
  }
  return { mid: final.mid, token: final.tokenV3IssueResult, certificate: final.certificate ?? null, keychain: confirmed.keychain }
}

async function longPoll(deps: LoginDeps, path: string, verifier: string, waitMs: number) {
  const poll = (): Promise<unknown> => deps.gateway.longPollGet(path, { longPoll: { sessionId: verifier, waitMs }, signal: deps.io.signal })
  const data = await pollWindows(deps, deps.timing.loginPollWindows, poll, (n) =>
    delay(Math.min(deps.timing.qrRetryMaxMs, deps.timing.qrRetryBaseMs * 2 ** n), deps.io.signal)
  )
  if (data === null) throw new JunctionError('timeout', 'The PIN was not confirmed on the phone in time.', { reason: { code: 'timeout' } })
  return parseWire(LongPollResultWire, data, 'a login confirmation')
}

/** spec §4.2 step 5, non-E2EE: GET JQ → `{result:{verifier, authPhase:"QRCODE_VERIFIED"}}`. */
async function confirmPlain(deps: LoginDeps, verifier: string): Promise<string> {
  const data = await longPoll(deps, '/api/talk/long-polling/JQ', verifier, JQ_WAIT_MS)
  return data.result?.verifier ?? verifier
}

/** spec §4.2 step 5, E2EE: GET LF1 → the keychain; confirmE2EELogin with the deviceSecret → a new verifier. */
async function confirmSealed(deps: LoginDeps, verifier: string, loginKeys: KeyPair): Promise<{ verifier: string; keychain: Keychain | null }> {
  const data = await longPoll(deps, '/api/talk/long-polling/LF1', verifier, LF1_WAIT_MS)
  const metadata = data.result?.metadata
  if (!metadata?.publicKey || !metadata.encryptedKeyChain) throw new ProtocolError('LINE confirmed the login without the Letter Sealing keys.')
  const keychain = openKeychain(loginKeys.privateKey, metadata)
  const secret = deviceSecret(loginKeys.privateKey, Buffer.from(metadata.publicKey, 'base64'), Buffer.from(metadata.encryptedKeyChain, 'base64'))
  const next = await deps.talk.confirmE2EELogin(verifier, Buffer.from(secret).toString('base64'))
  return { verifier: next, keychain }
}
