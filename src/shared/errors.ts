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
  'signer-missing', // LINE's signing module is not installed
  'permission-denied', // the caller is not allowed to ask this
  'cancelled',
  'internal'
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['network', 'timeout', 'unavailable', 'rate-limited'])

export interface SerializedError {
  code: ErrorCode
  message: string
  retryable: boolean
  /** Network-specific detail safe to show, e.g. a LINE TalkException code. */
  detail?: string
}

export class JunctionError extends Error {
  readonly code: ErrorCode
  readonly retryable: boolean
  readonly detail: string | undefined

  constructor(code: ErrorCode, message: string, options: { retryable?: boolean; detail?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'JunctionError'
    this.code = code
    this.retryable = options.retryable ?? RETRYABLE.has(code)
    this.detail = options.detail
  }

  toJSON(): SerializedError {
    return serializeError(this)
  }
}

/** A frame or field that does not match the wire format. Never retryable. */
export class ProtocolError extends JunctionError {
  constructor(message: string, options: { detail?: string; cause?: unknown } = {}) {
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
    return out
  }
  // Anything untyped is an internal error; its message may hold anything, so it is not passed on.
  return { code: 'internal', message: 'Something went wrong inside Junction.', retryable: false }
}

export function deserializeError(value: SerializedError): JunctionError {
  const code = isErrorCode(value.code) ? value.code : 'internal'
  const options: { retryable: boolean; detail?: string } = { retryable: value.retryable === true }
  if (typeof value.detail === 'string') options.detail = value.detail
  return new JunctionError(code, String(value.message ?? ''), options)
}

/** Ends an exhaustive `switch` over a union: adding a case fails to compile where it is unhandled. */
export function unreachable(value: never): Error {
  return new Error(`unreachable: ${JSON.stringify(value)}`)
}
