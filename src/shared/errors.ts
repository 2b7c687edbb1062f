// Typed errors: every failure that crosses a layer carries a machine-readable code
// that callers branch on, and a message that is safe to show (never a secret).

export const ERROR_CODES = [
  'invalid-argument', // a request failed validation
  'not-found', // the account, chat or message does not exist
  'unsupported', // the network cannot do this
  'network', // the connection failed or dropped; retryable
  'timeout', // no answer in time; retryable
  'unavailable', // the account is not online right now; retryable
  'rate-limited', // the network asked us to slow down; retryable
  'auth-failed', // credentials were refused: needs a new login
  'logged-out', // the session ended on the network's side (removed on the phone, expired)
  'conflict', // signed in elsewhere, or the session was taken over
  'rejected', // the network refused this request (blocked contact, too large, …)
  'protocol', // a frame, field or shape did not match the protocol
  'integrity', // a MAC or signature did not verify
  'setup-required', // something this machine lacks (a network's component, a setting); the reason says what
  'permission-denied', // the caller is not allowed to ask this
  'cancelled',
  'internal'
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['network', 'timeout', 'unavailable', 'rate-limited'])

/**
 * Why an account is not online, or why a request failed, as a code plus parameters. Main never
 * words a reason for a person: the renderer's strings.ts does (by code, with the params).
 */
export const REASON_CODES = [
  'signed-in-elsewhere', // another client took the session over; no reconnect loop
  'logged-out-remotely', // the session was removed on the phone or on the network
  'session-expired',
  'credentials-refused', // wrong password, refused token
  'credentials-damaged', // the saved session could not be read or unlocked
  'no-credentials', // nothing saved: log in
  'account-banned',
  'client-outdated', // the network refuses this client version
  'protocol-moved', // e.g. the account moved to WhatsApp multi-device
  'setup-required', // params.what names the missing component
  'network-not-in-build', // params.network
  'unreachable', // the network could not be reached
  'engine-unreachable', // the page cannot reach Junction's own engine (the headless host is down)
  'server-unavailable', // the network answered that it cannot serve now
  'rate-limited',
  'timeout',
  'protocol-error', // the network answered in a way Junction did not expect
  'refused', // the network refused this request
  'unknown'
] as const
export type ReasonCode = (typeof REASON_CODES)[number]

export interface Reason {
  code: ReasonCode
  /** Values the wording may use: `network` (display name), `what`, `detail`, `limit`… Never a secret. */
  params?: Record<string, string>
}

export interface SerializedError {
  code: ErrorCode
  /** English for logs and as a last resort; the renderer words `reason` (or `code`) itself. */
  message: string
  retryable: boolean
  /** Network-specific detail safe to show, e.g. a LINE TalkException code. */
  detail?: string
  reason?: Reason
}

export class JunctionError extends Error {
  readonly code: ErrorCode
  readonly retryable: boolean
  readonly detail: string | undefined
  readonly reason: Reason | undefined

  constructor(code: ErrorCode, message: string, options: { retryable?: boolean; detail?: string; cause?: unknown; reason?: Reason } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'JunctionError'
    this.code = code
    this.retryable = options.retryable ?? RETRYABLE.has(code)
    this.detail = options.detail
    this.reason = options.reason
  }

  toJSON(): SerializedError {
    return serializeError(this)
  }
}

/** A frame or field that does not match the wire format. Never retryable. */
export class ProtocolError extends JunctionError {
  constructor(message: string, options: { detail?: string; cause?: unknown; reason?: Reason } = {}) {
    super('protocol', message, { ...options, retryable: false })
    this.name = 'ProtocolError'
  }
}

export function isJunctionError(value: unknown): value is JunctionError {
  return value instanceof JunctionError
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof JunctionError) {
    const out: SerializedError = { code: error.code, message: error.message, retryable: error.retryable }
    if (error.detail !== undefined) out.detail = error.detail
    if (error.reason !== undefined) out.reason = error.reason
    return out
  }
  // Anything untyped is an internal error; its message may hold anything, so it is not passed on.
  return { code: 'internal', message: 'Something went wrong inside Junction.', retryable: false }
}

export function deserializeError(value: SerializedError): JunctionError {
  const code = isErrorCode(value.code) ? value.code : 'internal'
  const options: { retryable: boolean; detail?: string } = { retryable: value.retryable === true }
  if (typeof value.detail === 'string') options.detail = value.detail
  const reason = isReason(value.reason) ? value.reason : undefined
  return new JunctionError(code, String(value.message ?? ''), reason ? { ...options, reason } : options)
}

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && (REASON_CODES as readonly string[]).includes(value)
}

function isReason(value: unknown): value is Reason {
  if (typeof value !== 'object' || value === null) return false
  const { code, params } = value as { code?: unknown; params?: unknown }
  if (!isReasonCode(code)) return false
  return params === undefined || (typeof params === 'object' && params !== null && Object.values(params).every((v) => typeof v === 'string'))
}

/** What keeping a session up should do after an error: the one error→status mapping (issue "one shape"). */
export type SessionVerdict = { action: 'retry'; reason: Reason } | { action: 'needs-login'; reason: Reason } | { action: 'offline'; reason: Reason }

/** The reason an error carries, or the one its code implies. */
export function reasonOf(error: unknown): Reason {
  if (error instanceof JunctionError) {
    if (error.reason) return error.reason
    switch (error.code) {
      case 'auth-failed':
        return { code: 'credentials-refused' }
      case 'logged-out':
        return { code: 'logged-out-remotely' }
      case 'conflict':
        return { code: 'signed-in-elsewhere' }
      case 'setup-required':
        return { code: 'setup-required' }
      case 'rate-limited':
        return { code: 'rate-limited' }
      case 'timeout':
        return { code: 'timeout' }
      case 'network':
        return { code: 'unreachable' }
      case 'unavailable':
        return { code: 'server-unavailable' }
      case 'protocol':
      case 'integrity':
        return { code: 'protocol-error' }
      case 'rejected':
        return { code: 'refused' }
      default:
        return { code: 'unknown' }
    }
  }
  // An untyped failure under a socket (ECONNREFUSED, a reset) is the network being unreachable.
  return { code: 'unreachable' }
}

/**
 * The one error→status mapping: logged out or refused → needs login; taken over → offline
 * without a reconnect loop; anything retryable (or untyped, i.e. a socket failure) → retry;
 * everything else → offline with the reason.
 */
export function verdictForError(error: unknown): SessionVerdict {
  const reason = reasonOf(error)
  if (!(error instanceof JunctionError)) return { action: 'retry', reason }
  if (error.code === 'auth-failed' || error.code === 'logged-out') return { action: 'needs-login', reason }
  if (error.code === 'conflict' || error.code === 'setup-required' || error.code === 'cancelled') return { action: 'offline', reason }
  if (error.retryable) return { action: 'retry', reason }
  return { action: 'offline', reason }
}

/** Ends an exhaustive `switch` over a union: adding a case fails to compile where it is unhandled. */
export function unreachable(value: never): Error {
  return new Error(`unreachable: ${JSON.stringify(value)}`)
}
