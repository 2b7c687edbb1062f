// Every login and session outcome of spec §2.7/§2.8 as a typed error carrying a `Reason`
// (the renderer words it), and `classify`: what each means for keeping the session up.
// logged-out/auth-failed → needs login; conflict (taken over) → offline, never a reconnect loop.

import { JunctionError, verdictForError, type SessionVerdict } from '../../../../shared/errors'

export function conflictError(): JunctionError {
  return new JunctionError('conflict', 'Signed in elsewhere', { retryable: false, reason: { code: 'signed-in-elsewhere' } })
}

/** spec §2.7: the status of a failed `admin login`. */
export function loginStatusError(status: number, reply: Record<string, unknown> = {}): JunctionError {
  const detail = String(status)
  switch (status) {
    case 401:
      return new JunctionError('logged-out', 'This computer was logged out on the phone.', { detail, reason: { code: 'logged-out-remotely' } })
    case 403: {
      const tos = typeof reply.tos === 'number' ? reply.tos : 0
      return tos >= 2
        ? new JunctionError('logged-out', 'WhatsApp has banned this account for breaking its terms of service.', { detail, reason: { code: 'account-banned' } })
        : new JunctionError('logged-out', 'WhatsApp denied access to this session.', { detail, reason: { code: 'credentials-refused', params: { detail } } })
    }
    case 419:
      return new JunctionError('logged-out', 'The WhatsApp Web session expired.', { detail, reason: { code: 'session-expired' } })
    case 409:
      return conflictError()
    case 405:
      // "Already logged in on this connection": a fresh connection settles it.
      return new JunctionError('network', 'WhatsApp says this connection is already logged in.', {
        detail,
        reason: { code: 'server-unavailable', params: { detail } }
      })
    case 429:
      return new JunctionError('rate-limited', 'WhatsApp asked to slow down.', { detail, reason: { code: 'rate-limited' } })
    case 599:
      return new JunctionError('unavailable', 'WhatsApp could not reach the phone.', { detail, reason: { code: 'server-unavailable', params: { detail } } })
    default:
      return status >= 500
        ? new JunctionError('unavailable', `WhatsApp answered the login with status ${status}.`, {
            detail,
            reason: { code: 'server-unavailable', params: { detail } }
          })
        : new JunctionError('protocol', `WhatsApp answered the login with status ${status}.`, {
            detail,
            reason: { code: 'protocol-error', params: { detail } }
          })
  }
}

/** spec §2.1/§10.4: `admin init` answered with an array means this client version is refused. */
export function updateRequiredError(): JunctionError {
  return new JunctionError('unsupported', 'WhatsApp refused this client version (see the "version" setting).', {
    retryable: false,
    reason: { code: 'client-outdated' }
  })
}

/** spec §2.7: the account moved to multi-device; the legacy login can no longer work. */
export function multiDeviceError(): JunctionError {
  return new JunctionError('auth-failed', 'This WhatsApp account uses multi-device, which no longer accepts legacy WhatsApp Web logins.', {
    detail: 'upgrade_md_prod',
    reason: { code: 'protocol-moved', params: { detail: 'upgrade_md_prod' } }
  })
}

/** spec §2.8 `["Cmd",{"type":"disconnect",…}]`: "replaced" is a takeover elsewhere; never reconnect on it. */
export function disconnectError(kind: string | undefined): JunctionError {
  if (kind === 'replaced') return conflictError()
  return new JunctionError('logged-out', 'WhatsApp ended this session.', { detail: kind ?? 'disconnect', reason: { code: 'logged-out-remotely' } })
}

export function damagedCredentialsError(): JunctionError {
  return new JunctionError('auth-failed', 'The saved WhatsApp session is damaged.', { reason: { code: 'credentials-damaged' } })
}

export function challengeRefusedError(): JunctionError {
  return new JunctionError('auth-failed', 'WhatsApp did not accept the session keys.', {
    detail: 'challenge',
    reason: { code: 'credentials-refused', params: { detail: 'challenge' } }
  })
}

/**
 * The supervisor's view of an error (networks/supervisor.ts). Every error above already says
 * what it means through its code; `unsupported` (an outdated client) stays offline until the
 * person updates, and anything untyped under a socket is retried.
 */
export function classify(error: unknown): SessionVerdict {
  return verdictForError(error)
}
