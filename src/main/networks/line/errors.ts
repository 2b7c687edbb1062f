// Gateway failures as typed errors (spec §1.3, §6.8): the outer envelope code, and for
// 10051 the inner TalkException (or SecondaryQrCodeException) code and reason, mapped to
// Junction's error codes so that core can act (needs-login, retry, give up).

import { JunctionError, reasonOf, verdictForError, type ErrorCode, type Reason, type SessionVerdict } from '../../../shared/errors'

/** Outer gateway codes (spec §1.3). */
export const GW = {
  OK: 0,
  NEED_LOGIN: 10004,
  INVALID_HMAC: 10005,
  MUST_UPGRADE: 10006,
  RESPONSE_ERROR: 10051,
  RESPONSE_HTTP_ERROR: 10052,
  INVALID_ARGUMENTS: 10102,
  AUTH_INVALID_REQUEST: 10201,
  AUTH_RETRY_REQUIRED: 10202,
  UNKNOWN: 99999
} as const

/** TalkException codes the client branches on (spec §6.8). */
export const TALK = {
  ILLEGAL_ARGUMENT: 0,
  AUTHENTICATION_FAILED: 1,
  NOT_FOUND: 5,
  NOT_AVAILABLE_USER: 7,
  NOT_AUTHORIZED_DEVICE: 8,
  NOT_A_MEMBER: 10,
  DEACTIVATED_ACCOUNT: 22,
  E2EE_RETRY_ENCRYPT: 82,
  E2EE_UPDATE_SENDER_KEY: 83,
  E2EE_UPDATE_RECEIVER_KEY: 84,
  E2EE_INVALID_VERSION: 86,
  E2EE_SENDER_NOT_ALLOWED: 89,
  E2EE_UPDATE_PRIMARY_DEVICE: 94,
  E2EE_PRIMARY_NOT_SUPPORT: 97,
  E2EE_RETRY_PLAIN: 98,
  E2EE_RECREATE_GROUP_KEY: 99,
  E2EE_GROUP_TOO_MANY_MEMBERS: 100,
  SHOULD_RETRY: 115,
  MUST_REFRESH_V3_TOKEN: 119,
  REFRESH_MEDIA_FLOW: 122
} as const

/** SecondaryQrCodeException codes (spec §4.1). */
export const QR = { VERIFICATION_FAILED: 2, RETRY_LATER: 5, INVALID_CONTEXT: 100, APP_UPGRADE_REQUIRED: 101 } as const

export interface LineErrorInfo {
  /** The envelope's outer code, or null for a transport-level failure. */
  outer: number | null
  /** The inner exception: `TalkException`, `SecondaryQrCodeException`… */
  exception?: string
  /** The inner exception's code (TalkException.code). */
  talkCode?: number
  reason?: string
  /** For 10052: the backend HTTP status (410 = long-poll window elapsed). */
  statusCode?: number
  httpStatus?: number
}

function talkErrorCode(code: number): ErrorCode {
  switch (code) {
    case 1:
    case 7:
    case 18:
    case 23:
    case 119:
      return 'auth-failed'
    case 8:
    case 22:
      return 'logged-out'
    case 5:
    case 25:
    case 64:
      return 'not-found'
    case 0:
    case 6:
    case 9:
    case 47: // EXCEED_FILE_MAX_SIZE
    case 85:
      return 'invalid-argument'
    case 4:
    case 48:
    case 58:
      return 'rate-limited'
    case 12:
    case 15:
    case 20:
    case 33:
    case 101:
    case 115:
      return 'unavailable'
    case 11:
    case 49: // NOT_SUPPORT_SEND_FILE
    case 50:
    case 124:
      return 'unsupported'
    default:
      return 'rejected'
  }
}

function outerErrorCode(outer: number, statusCode: number | undefined): ErrorCode {
  switch (outer) {
    case GW.NEED_LOGIN:
    case GW.AUTH_INVALID_REQUEST:
      return 'auth-failed'
    case GW.INVALID_HMAC:
      return 'integrity'
    case GW.MUST_UPGRADE:
      return 'unsupported'
    case GW.RESPONSE_HTTP_ERROR:
      return statusCode === 410 ? 'timeout' : 'network'
    case GW.INVALID_ARGUMENTS:
      return 'invalid-argument'
    case GW.AUTH_RETRY_REQUIRED:
    case GW.UNKNOWN:
      return 'unavailable'
    default:
      return 'network'
  }
}

/** Why a session or a login ended, as the renderer words it (spec §1.3, §6.8). */
function reasonFor(code: ErrorCode, info: LineErrorInfo, detail: string): Reason {
  const talk = info.outer === GW.RESPONSE_ERROR ? info.talkCode : undefined
  if (info.exception === 'SecondaryQrCodeException') {
    if (talk === QR.APP_UPGRADE_REQUIRED) return { code: 'client-outdated' }
    if (talk === QR.RETRY_LATER) return { code: 'server-unavailable' }
    return { code: 'refused', params: { detail } }
  }
  if (talk === TALK.NOT_AUTHORIZED_DEVICE || talk === TALK.DEACTIVATED_ACCOUNT) return { code: 'logged-out-remotely' }
  // 18 INVALID_IDENTITY_CREDENTIAL: the e-mail or password (spec §6.8).
  if (talk === 18) return { code: 'credentials-refused' }
  // spec §6.8 47 EXCEED_FILE_MAX_SIZE / 49 NOT_SUPPORT_SEND_FILE: worded like Core's own attachment refusals (core/attachments.ts).
  if (talk === 47) return { code: 'refused', params: { what: 'attachment-size', detail } }
  if (talk === 49) return { code: 'refused', params: { what: 'attachment-type', detail } }
  if (info.outer === GW.INVALID_HMAC) return { code: 'setup-required', params: { what: 'line-signer', component: 'the LINE Chrome extension' } }
  if (info.outer === GW.MUST_UPGRADE) return { code: 'client-outdated' }
  switch (code) {
    case 'auth-failed':
    case 'logged-out':
      return { code: 'session-expired' }
    case 'rate-limited':
      return { code: 'rate-limited' }
    case 'unavailable':
      return { code: 'server-unavailable' }
    case 'timeout':
      return { code: 'timeout' }
    case 'network':
      return { code: 'unreachable' }
    default:
      return { code: 'refused', params: { detail } }
  }
}

function describe(info: LineErrorInfo): { code: ErrorCode; message: string; detail: string } {
  if (info.outer === GW.RESPONSE_ERROR && info.talkCode !== undefined) {
    const name = info.exception ?? 'TalkException'
    const reason = info.reason ? `: ${info.reason}` : ''
    const detail = `${name} ${info.talkCode}${reason}`
    if (name === 'SecondaryQrCodeException') {
      const code: ErrorCode = info.talkCode === QR.RETRY_LATER ? 'unavailable' : info.talkCode === QR.APP_UPGRADE_REQUIRED ? 'unsupported' : 'auth-failed'
      return { code, message: `LINE refused the QR login${reason}.`, detail }
    }
    const code = talkErrorCode(info.talkCode)
    const message =
      code === 'auth-failed'
        ? `LINE needs you to log in again${reason}.`
        : code === 'logged-out'
          ? `LINE ended this session${reason}.`
          : `LINE refused the request${reason}.`
    return { code, message, detail }
  }
  if (info.outer !== null) {
    const code = outerErrorCode(info.outer, info.statusCode)
    const messages: Partial<Record<ErrorCode, string>> = {
      'auth-failed': 'LINE needs you to log in again.',
      integrity: 'LINE rejected the request signature (X-Hmac). Check the LINE signing module.',
      unsupported: 'LINE says this client version is too old.',
      timeout: 'LINE’s waiting window ended.',
      unavailable: 'LINE is busy; trying again later.'
    }
    const detail = `gateway ${info.outer}${info.statusCode !== undefined ? ` (HTTP ${info.statusCode})` : ''}`
    return { code, message: messages[code] ?? 'LINE answered with an error.', detail }
  }
  const status = info.httpStatus
  if (status === 401 || status === 403) return { code: 'auth-failed', message: 'LINE needs you to log in again.', detail: `HTTP ${status}` }
  if (status === 429) return { code: 'rate-limited', message: 'LINE asked Junction to slow down.', detail: 'HTTP 429' }
  return { code: 'network', message: 'LINE could not be reached.', detail: status !== undefined ? `HTTP ${status}` : 'no response' }
}

export class LineError extends JunctionError {
  readonly info: LineErrorInfo

  constructor(info: LineErrorInfo, options: { cause?: unknown; retryable?: boolean } = {}) {
    const d = describe(info)
    super(d.code, d.message, { detail: d.detail, reason: reasonFor(d.code, info, d.detail), ...options })
    this.name = 'LineError'
    this.info = info
  }

  /** An inner TalkException (or QR exception) with this code. */
  isTalk(code: number): boolean {
    return this.info.outer === GW.RESPONSE_ERROR && this.info.talkCode === code
  }

  /** spec §4.1: the long-poll window ended (wrapped HTTP 410). */
  get isPollTimeout(): boolean {
    return this.info.outer === GW.RESPONSE_HTTP_ERROR && this.info.statusCode === 410
  }
}

export function isTalkError(error: unknown, ...codes: number[]): error is LineError {
  return error instanceof LineError && codes.some((c) => error.isTalk(c))
}

/** The session is dead and only a new login helps (spec §1.3: 1/7/8 → re-login). */
export function isSessionDead(error: unknown): boolean {
  return error instanceof JunctionError && (error.code === 'auth-failed' || error.code === 'logged-out')
}

/**
 * Whether doing the same work again may go differently: the network or LINE was briefly
 * unable (retryable), the session itself failed (it ends, and a new one starts over), or
 * something this machine lacks is missing (the signer). Anything else — LINE refusing the
 * request, a malformed answer, a bug of ours — fails the same way every time, so an
 * operation that met it is applied as far as it can be and passed, never fetched forever.
 */
export function mayGoDifferently(error: unknown): boolean {
  if (!(error instanceof JunctionError)) return false
  return error.retryable || isSessionDead(error) || error.code === 'conflict' || error.reason?.code === 'setup-required'
}

/** A Reason for the errors LINE code raises itself (not from the wire). */
export const SESSION_EXPIRED: Reason = { code: 'session-expired' }
export const SIGNER_MISSING: Reason = { code: 'setup-required', params: { what: 'line-signer', component: 'the LINE Chrome extension' } }

/**
 * What an error means for the supervised session (networks/supervisor.ts): a dead session
 * (spec §1.3: 1/7/8, a refused token refresh) needs a login; a refused signature or an old
 * client version stays offline until the setup changes; the rest follows verdictForError.
 */
export function classifyLineError(error: unknown): SessionVerdict {
  if (error instanceof LineError && (error.info.outer === GW.INVALID_HMAC || error.info.outer === GW.MUST_UPGRADE)) {
    return { action: 'offline', reason: error.reason ?? { code: 'protocol-error' } }
  }
  return verdictForError(error)
}

/** A typed error that ends a login or a restore carries its reason (the renderer words it); an untyped one stays as it is. */
export function withReason(error: unknown): unknown {
  if (!(error instanceof JunctionError) || error.reason) return error
  const copy = new JunctionError(error.code, error.message, {
    retryable: error.retryable,
    cause: error,
    reason: reasonOf(error),
    ...(error.detail !== undefined ? { detail: error.detail } : {})
  })
  return copy
}
