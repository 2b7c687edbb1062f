// The login methods Skype's NetworkDefinition declares, in the order the add-account dialog
// shows them: Microsoft's sign-in page, Passport e-mail/password (MSNP21 servers), and the
// Messenger revival services (MSNP18, issue 16).

import type { LoginMethod } from '../../../../shared/api'

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
