// What the renderer knows of a network comes from its NetworkInfo (listNetworks): name,
// brand and capabilities. There is no per-network table here.

import { useMemo } from 'react'
import type { NetworkCapabilities, NetworkInfo } from '../../shared/api'
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

/**
 * What an account can do: its network's capabilities with the account's own narrowing laid
 * over them (`Account.capabilities`: a Messenger revival account has no edits). Both parts
 * are selected as they are in the store, so the merged object changes only when they do.
 */
export function useAccountCapabilities(accountId: string | undefined, network: NetworkId | undefined): NetworkCapabilities | undefined {
  const base = useApp((s) => (network ? s.networks.find((n) => n.id === network)?.capabilities : undefined))
  const narrowed = useApp((s) => (accountId ? s.accounts[accountId]?.capabilities : undefined))
  return useMemo(() => (base && narrowed ? { ...base, ...narrowed } : base), [base, narrowed])
}
