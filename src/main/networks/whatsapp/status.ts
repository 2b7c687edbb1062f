// Every login outcome of spec §2.7/§2.8 as a typed error with words a person can act on.
// Core maps `logged-out`/`auth-failed` to "needs login" and `conflict` to "offline".

import { JunctionError } from '../../../shared/errors'

export const SIGNED_IN_ELSEWHERE = 'Signed in elsewhere'

export function conflictError(): JunctionError {
  return new JunctionError('conflict', SIGNED_IN_ELSEWHERE, { retryable: false })
}

/** spec §2.7: the status of a failed `admin login`. */
export function loginStatusError(status: number, reply: Record<string, unknown> = {}): JunctionError {
  switch (status) {
    case 401:
      return new JunctionError('logged-out', 'This computer was logged out on your phone. Scan a new QR code to add it again.', { detail: '401' })
    case 403: {
      const tos = typeof reply.tos === 'number' ? reply.tos : 0
      return new JunctionError(
        'logged-out',
        tos >= 2 ? 'WhatsApp has banned this account for breaking its terms of service.' : 'WhatsApp denied access to this session. Scan a new QR code.',
        { detail: '403' }
      )
    }
    case 419:
      return new JunctionError('logged-out', 'The WhatsApp Web session expired. Scan a new QR code.', { detail: '419' })
    case 409:
      return conflictError()
    case 405:
      // "Already logged in on this connection": a fresh connection settles it.
      return new JunctionError('network', 'WhatsApp says this connection is already logged in.', { detail: '405' })
    case 429:
      return new JunctionError('rate-limited', 'WhatsApp asked to slow down. Junction will try again.', { detail: '429' })
    case 599:
      return new JunctionError('unavailable', 'WhatsApp could not reach your phone. Junction will try again.', { detail: '599' })
    default:
      return new JunctionError(status >= 500 ? 'unavailable' : 'protocol', `WhatsApp answered the login with status ${status}.`, { detail: String(status) })
  }
}

/** spec §2.1/§10.4: `admin init` answered with an array means this client version is refused. */
export function updateRequiredError(): JunctionError {
  return new JunctionError('unsupported', 'WhatsApp refused this client version. Junction needs an update (or a newer "version" setting).')
}

/** spec §2.7: the account moved to multi-device; the legacy login can no longer work. */
export function multiDeviceError(): JunctionError {
  return new JunctionError('auth-failed', 'This WhatsApp account uses multi-device, which no longer accepts legacy WhatsApp Web logins.', {
    detail: 'upgrade_md_prod'
  })
}

/** spec §2.8 `["Cmd",{"type":"disconnect",…}]`: "replaced" is a takeover elsewhere; never reconnect on it. */
export function disconnectError(kind: string | undefined): JunctionError {
  if (kind === 'replaced') return conflictError()
  return new JunctionError('logged-out', 'WhatsApp ended this session. Scan a new QR code.', { detail: kind ?? 'disconnect' })
}
