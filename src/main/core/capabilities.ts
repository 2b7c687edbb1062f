// What an account can do: its network's declared capabilities, narrowed by the protocol or
// dialect the account speaks (Connector.capabilities — a WhatsApp legacy account has no
// reactions, a Messenger account on MSNP18 no edits).

import type { NetworkCapabilities } from '../../shared/api'
import type { Logger } from '../base/log'
import type { Connector } from '../networks/connector'

/** The live Connector's narrowing, or undefined when it narrows nothing (or cannot say). */
export function narrowedCapabilities(connector: Connector | undefined, log: Logger): Partial<NetworkCapabilities> | undefined {
  try {
    const narrowed = connector?.capabilities?.()
    return narrowed && Object.keys(narrowed).length > 0 ? narrowed : undefined
  } catch (error) {
    log.warn({ error }, 'a connector could not say its capabilities')
    return undefined
  }
}

/** What the account's protocol is called where it differs from its network's name (Connector.networkLabel), else undefined. */
export function networkLabelOf(connector: Connector | undefined, log: Logger): string | undefined {
  try {
    const label = connector?.networkLabel?.()
    return label && label.length <= 64 ? label : undefined
  } catch (error) {
    log.warn({ error }, 'a connector could not say its label')
    return undefined
  }
}
