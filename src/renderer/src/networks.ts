// What the renderer knows of a network comes from its NetworkInfo (listNetworks): name,
// brand and capabilities. There is no per-network table here.

import type { NetworkInfo } from '../../shared/api'
import type { NetworkId } from '../../shared/model'
import { useApp } from './context'

export function networkName(networks: readonly NetworkInfo[], id: NetworkId): string {
  return networks.find((n) => n.id === id)?.displayName ?? id
}

export function useNetwork(id: NetworkId): NetworkInfo | undefined {
  return useApp((s) => s.networks.find((n) => n.id === id))
}

export function useNetworkName(id: NetworkId): string {
  return useApp((s) => networkName(s.networks, id))
}
