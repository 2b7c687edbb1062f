// Which dialect a "Messenger (revival service)" account speaks (issue 16 point 2): VER
// offers what Junction speaks and the server picks (msnp18.md §1.3); MSNP18 runs on
// Msnp18Connection, MSNP21 on the Skype connection with the Passport password. A server that
// picks MSNP21 but leaves its publication unanswered (Escargot accepts MSNP21 logins without
// serving them, msnp18.md §0) is left for MSNP18 rather than half-working.

import type { SkypeConfig } from '../config'
import type { MessengerCredentials, MessengerServer } from '../credentials'
import type { SkypeConnection } from '../connection'
import { choseVersion } from '../errors'
import { Msnp18Connection, type MessengerAccount } from './connection'

/** msnp18.md §1.3: the versions Junction speaks, best first; Escargot walks 18 downwards first, so it picks MSNP18. */
export const MESSENGER_OFFER = ['MSNP21', 'MSNP18']

export type MessengerDialect = NonNullable<MessengerCredentials['dialect']>

/** Where the account's server is: what the person typed, else the configured default (msnp18.md §8). */
export function messengerServer(config: SkypeConfig, creds: MessengerCredentials): MessengerServer {
  return creds.server ?? { host: config.messengerHost, port: config.messengerPort, servicesUrl: config.messengerServicesUrl }
}

/** The Skype settings an MSNP21 session of this account runs with: every endpoint on the revival server. */
export function messengerConfig21(config: SkypeConfig, server: MessengerServer): SkypeConfig {
  const base = server.servicesUrl.replace(/\/+$/, '')
  return {
    ...config,
    msnpDialect: 'msnp21',
    msnpHost: server.host,
    msnpPort: server.port,
    msnpTls: false, // msnp18.md §1.1: the NS is plain TCP
    passportUrl: `${base}/RST2.srf`,
    abchUrl: `${base}/abservice`,
    activeSync: false
  }
}

export interface NegotiationSteps {
  /** The dialect recorded by an earlier sign-in, if any. */
  recorded: MessengerDialect | undefined
  open18(offer: string[]): Promise<Msnp18Connection>
  open21(): Promise<SkypeConnection>
  /** The dialect that is now in use. */
  settled(dialect: MessengerDialect): void
  log: MessengerAccount['log']
}

/** One connection attempt of a Messenger account, in the dialect the server serves. */
export async function connectMessenger(s: NegotiationSteps): Promise<Msnp18Connection | SkypeConnection> {
  if (s.recorded !== 'msnp21') {
    try {
      const c = await s.open18(s.recorded === 'msnp18' ? ['MSNP18'] : MESSENGER_OFFER)
      s.settled('msnp18')
      return c
    } catch (error) {
      if (!choseVersion(error, 'MSNP21')) throw error
      s.log.info({}, 'the Messenger server chose MSNP21')
    }
  }
  const c21 = await s.open21()
  const unserved = c21.unserved
  if (unserved.length === 0) {
    s.settled('msnp21')
    return c21
  }
  // Issue 16 point 2: the login was accepted but MSNP21 itself is not served; MSNP18 is.
  s.log.warn({ unserved }, 'the Messenger server accepts MSNP21 without serving it; using MSNP18')
  c21.close()
  await c21.ended
  const c18 = await s.open18(['MSNP18'])
  s.settled('msnp18')
  return c18
}
