import type { NetworkDefinition } from './connector'
import { lineNetwork } from './line'
import { skypeNetwork } from './skype'
import { whatsappNetwork } from './whatsapp'

/** The networks Junction ships. Each network's folder adds its definition here; only the shells import this. */
export function builtInNetworks(): NetworkDefinition[] {
  return [whatsappNetwork, lineNetwork, skypeNetwork]
}
