// The login methods Skype's NetworkDefinition declares, in the order the add-account dialog
// shows them: Microsoft's sign-in page, Passport e-mail/password (MSNP21 servers), and the
// Messenger revival services (MSNP18, issue 16). Which of the first two can work depends on
// the configured dialect, so the dialog offers only that one (`skypeLoginMethodsFor`).

import type { LoginMethod } from '../../../../shared/api'
import { parseSkypeConfig } from '../config'

export const SKYPE_LOGIN_METHODS: LoginMethod[] = [
  { id: 'browser', kind: 'browser' },
  {
    id: 'passport',
    kind: 'credentials',
    fields: [
      { name: 'email', kind: 'email', label: 'E-mail address' },
      { name: 'password', kind: 'password', label: 'Password' }
    ]
  },
  // Issue 16: after the existing methods, so their order (and what picks them) stays.
  {
    id: 'messenger',
    kind: 'credentials',
    label: 'Messenger (revival service)',
    hint: 'Windows Live Messenger on a revival service such as Escargot. Skype itself was shut down on 5 May 2025.',
    fields: [
      { name: 'email', kind: 'email', label: 'E-mail address' },
      { name: 'password', kind: 'password', label: 'Password' },
      // msnp18.md §8: empty = the public service's endpoints (config.ts messengerHost/messengerServicesUrl).
      { name: 'server', kind: 'text', label: 'Server (leave empty for msnmsgr.escargot.chat)', hint: 'host or host:port', optional: true }
    ]
  }
]

/**
 * The methods that can work with this configuration. spec §4.3: an MSNP21 server takes a
 * Passport ticket with its proof key, which only a password gets; MSNP24 signs in through
 * Microsoft's page only. Offering the other one meant a login that always failed. A setting
 * that cannot be read is reported by setupProblem, so all methods are listed then.
 */
export function skypeLoginMethodsFor(config: Record<string, unknown>): LoginMethod[] {
  let dialect: 'msnp24' | 'msnp21'
  try {
    dialect = parseSkypeConfig(config).msnpDialect
  } catch {
    return SKYPE_LOGIN_METHODS
  }
  const unusable = dialect === 'msnp21' ? 'browser' : 'passport'
  return SKYPE_LOGIN_METHODS.filter((m) => m.id !== unusable)
}
