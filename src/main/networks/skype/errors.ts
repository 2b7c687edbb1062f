// MSNP error codes as typed errors (spec §12.2, handling per §12.4), and what an error
// means for keeping the session up (the supervisor's classify). The code travels as
// `detail`, so callers and logs can branch on it while the message stays readable; the
// English message is for logs, the `reason` is what the renderer words.

import { JunctionError, verdictForError, type ErrorCode, type Reason, type SessionVerdict } from '../../../shared/errors'

interface Rule {
  code: ErrorCode
  message: string
  reason?: Reason
}

const RULES: Record<number, Rule> = {
  200: { code: 'protocol', message: 'The Skype server did not understand a command.' },
  201: { code: 'rejected', message: 'The Skype server refused a parameter.' },
  205: { code: 'rejected', message: 'That Skype user does not exist.' },
  208: { code: 'rejected', message: 'That Skype name is not valid.' },
  210: { code: 'rejected', message: 'Your contact list is full.' },
  217: { code: 'rejected', message: 'The contact is offline and not accepting messages right now.' },
  240: { code: 'protocol', message: 'The Skype server rejected the contact list.' },
  241: { code: 'protocol', message: 'The Skype server rejected the contact list.' },
  285: { code: 'rejected', message: 'The message is too long.' },
  302: { code: 'unavailable', message: 'The Skype session is not signed in yet.' },
  500: { code: 'unavailable', message: 'The Skype server had an internal error.' },
  501: { code: 'unavailable', message: 'The Skype server had a database error.' },
  540: { code: 'protocol', message: 'The Skype server rejected Junction\u2019s challenge answer.', reason: { code: 'client-outdated' } },
  604: { code: 'unavailable', message: 'The Skype server is going down for maintenance.' },
  710: { code: 'protocol', message: 'The Skype server rejected Junction\u2019s client version.', reason: { code: 'client-outdated' } },
  711: { code: 'rate-limited', message: 'The Skype session is restricted for now.' },
  712: { code: 'rate-limited', message: 'The Skype server is overloaded.' },
  713: { code: 'rate-limited', message: 'Skype says you are sending too fast.' },
  715: { code: 'protocol', message: 'The Skype server did not expect that command now.' },
  731: { code: 'protocol', message: 'The Skype server rejected Junction\u2019s client version.', reason: { code: 'client-outdated' } },
  733: { code: 'conflict', message: 'Signed in elsewhere', reason: { code: 'signed-in-elsewhere' } },
  734: {
    code: 'conflict',
    message: 'Too many devices are signed in to this Skype account. Sign out somewhere and try again.',
    reason: { code: 'refused', params: { detail: 'too many devices' } }
  },
  800: { code: 'rate-limited', message: 'Skype says you are sending too fast.' },
  910: { code: 'unavailable', message: 'The Skype server is too busy.' },
  911: { code: 'auth-failed', message: 'Skype refused the sign-in. Sign in again.' },
  913: { code: 'rejected', message: 'That is not possible while you appear offline.' },
  915: { code: 'auth-failed', message: 'Microsoft has blocked this account. Check it at account.microsoft.com.', reason: { code: 'account-banned' } },
  921: { code: 'timeout', message: 'The Skype server timed the session out.' },
  922: { code: 'auth-failed', message: 'The Skype sign-in expired.', reason: { code: 'session-expired' } },
  923: { code: 'auth-failed', message: 'This account needs parental consent before it can use Skype.' },
  924: { code: 'auth-failed', message: 'This Microsoft account is not verified yet.' },
  928: { code: 'auth-failed', message: 'Skype refused the sign-in ticket. Sign in again.' }
}

/** A typed error for an MSNP error reply; `reason` is the MSNP24 text payload, if any. */
export function msnpError(code: number, reason?: string): JunctionError {
  const rule = RULES[code]
  const detail = `MSNP ${code}${reason ? `: ${reason.slice(0, 80)}` : ''}`
  if (rule) return new JunctionError(rule.code, rule.message, { detail, ...(rule.reason ? { reason: rule.reason } : {}) })
  if (code >= 600 && code < 700) return new JunctionError('unavailable', 'The Skype server is unavailable right now.', { detail })
  if (code >= 500 && code < 600) return new JunctionError('unavailable', 'The Skype server had an error.', { detail })
  return new JunctionError('rejected', 'The Skype server refused the request.', { detail })
}

/** The MSNP error code a typed error came from, if it came from one. */
export function msnpCodeOf(error: unknown): number | null {
  if (!(error instanceof JunctionError) || !error.detail?.startsWith('MSNP ')) return null
  return Number(/^MSNP (\d{3})/.exec(error.detail)?.[1] ?? NaN) || null
}

/** spec §12.3: OUT OTH, 733 or our own endpoint signed out: offline, and never reconnect. */
export function signedInElsewhere(): JunctionError {
  return new JunctionError('conflict', 'Signed in elsewhere', { reason: { code: 'signed-in-elsewhere' } })
}

/** spec §12.2: 715 "not expected". */
export const NOT_EXPECTED = 715

/**
 * What an error that ended a Skype session or a connection attempt means (the supervisor's
 * classify). verdictForError covers the families; 715 mid-session means Junction and the
 * server disagree on the session's state, which a fresh session puts right (§12.2: "resync
 * the state machine").
 */
export function classifySkypeError(error: unknown): SessionVerdict {
  if (msnpCodeOf(error) === NOT_EXPECTED) return { action: 'retry', reason: { code: 'protocol-error', params: { detail: 'MSNP 715' } } }
  return verdictForError(error)
}

/** msnp18.md §1.3: the reply to `VER 1 MSNP18 CVR0` must be MSNP18, or the dialect is not served. */
export function dialectUnavailable(detail: string): JunctionError {
  return new JunctionError('unsupported', 'This Messenger server does not speak MSNP18.', {
    detail: `dialect: ${detail.slice(0, 40)}`,
    reason: { code: 'protocol-moved' }
  })
}

/** The server picked another offered dialect (msnp18.md §1.3); `detail` names it. */
export function dialectChosen(version: string): JunctionError {
  return new JunctionError('unsupported', `The Messenger server chose ${version}.`, { detail: `dialect-chosen: ${version}` })
}

/** True when the error says the server chose `version` among the offered ones (dialectChosen). */
export function choseVersion(error: unknown, version: string): boolean {
  return error instanceof JunctionError && error.detail === `dialect-chosen: ${version}`
}
