// The Skype Connector's "Messenger (revival service)" sign-in driven without Core: a
// Connector on a server's settings, its events recorded (test/helpers/connector-probe.ts),
// and a login that returns what would be saved.

import type { Credentials, LoginResult } from '../../../../../../src/main/networks/connector'
import { SkypeConnector } from '../../../../../../src/main/networks/skype'
import { probeEvents, type EventProbe } from '../../../../../helpers/connector-probe'
import { loginIO, skypeContext } from '../../../../../unit/main/networks/skype/context'

/** Fast retries and short waits, so a fallback takes milliseconds, not the default 20 s. */
export const QUICK = { reconnectBaseMs: 40, reconnectMaxMs: 400, requestTimeoutMs: 1_500 }

export interface Driven {
  connector: SkypeConnector
  probe: EventProbe
}

export function messengerConnector(config: Record<string, unknown>): Driven {
  const connector = new SkypeConnector(skypeContext({ ...QUICK, ...config }))
  return { connector, probe: probeEvents(connector) }
}

export function messengerLogin(d: Driven, fields: Record<string, string>): Promise<LoginResult> {
  return d.connector.login({ methodId: 'messenger', fields, previous: null }, loginIO())
}

export function dialectOf(credentials: Credentials): unknown {
  return (credentials as { dialect?: unknown }).dialect
}
