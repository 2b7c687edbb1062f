// Login failures (spec §4.4) and stream errors (spec §4.6) as typed errors with a `Reason`,
// and `classify`: logged out → needs login; conflict/replaced → offline "signed in elsewhere"
// with no reconnect loop; outdated client → offline 'client-outdated'; 515 → reconnect now.

import { JunctionError, verdictForError, type SessionVerdict } from '../../../../shared/errors'
import type { BinaryNode } from './binary'

/** The 515 restart (spec §4.6, §5.5): not an error; the supervisor reconnects at once. */
export class RestartRequired extends JunctionError {
  constructor() {
    super('network', 'WhatsApp asked for a reconnect (515).', {
      retryable: true,
      detail: '515',
      reason: { code: 'server-unavailable', params: { detail: '515' } }
    })
    this.name = 'RestartRequired'
  }
}

export function loggedOutError(detail: string): JunctionError {
  return new JunctionError('logged-out', 'This device was logged out on the phone.', { detail, reason: { code: 'logged-out-remotely' } })
}

export function conflictError(): JunctionError {
  return new JunctionError('conflict', 'Signed in elsewhere', { retryable: false, reason: { code: 'signed-in-elsewhere' } })
}

export function outdatedError(): JunctionError {
  return new JunctionError('unsupported', 'WhatsApp refused this client version (see the "clientVersion" setting).', {
    retryable: false,
    detail: '405',
    reason: { code: 'client-outdated' }
  })
}

/** spec §4.4 `<failure reason=…/>`. */
export function failureError(failure: BinaryNode): JunctionError {
  const reason = failure.attrs.reason ?? ''
  const detail = reason
  switch (reason) {
    case '401':
    case '403':
    case '406':
      return loggedOutError(detail)
    case '402':
      return new JunctionError('rejected', 'This WhatsApp account is temporarily banned.', {
        retryable: false,
        detail,
        reason: { code: 'account-banned', params: { detail: failure.attrs.expire ?? '' } }
      })
    case '405':
      return outdatedError()
    case '500':
    case '503':
      return new JunctionError('unavailable', 'WhatsApp cannot serve this connection now.', {
        detail,
        reason: { code: 'server-unavailable', params: { detail } }
      })
    default:
      return new JunctionError('protocol', `WhatsApp refused the login (${reason || 'no reason'}).`, {
        retryable: false,
        detail,
        reason: { code: 'protocol-error', params: { detail } }
      })
  }
}

/** spec §4.6 `<stream:error>`. */
export function streamError(node: BinaryNode): JunctionError {
  const code = node.attrs.code
  const conflict = Array.isArray(node.content) ? node.content.find((c) => c.tag === 'conflict') : undefined
  if (code === '515') return new RestartRequired()
  if (conflict?.attrs.type === 'device_removed' || code === '401') return loggedOutError(conflict?.attrs.type ?? '401')
  if (conflict) return conflictError()
  if (code === '503' || code === '500')
    return new JunctionError('unavailable', 'WhatsApp is unavailable.', { detail: code, reason: { code: 'server-unavailable', params: { detail: code } } })
  return new JunctionError('network', `WhatsApp ended the stream (${code ?? 'no code'}).`, { detail: code ?? '', reason: { code: 'unreachable' } })
}

export function classify(error: unknown): SessionVerdict {
  if (error instanceof JunctionError && error.reason?.code === 'client-outdated') return { action: 'offline', reason: error.reason }
  return verdictForError(error)
}
