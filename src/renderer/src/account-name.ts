// How the renderer names an account (issue 12 §3): the person's nickname where they gave one,
// else the name the network reports; and its network as the account's protocol calls itself
// (a Messenger revival account on MSNP18 is "Messenger", not "Skype"), from Account.networkLabel.

import type { NetworkInfo } from '../../shared/api'
import type { Account } from '../../shared/model'
import { useApp } from './context'
import { networkName } from './networks'

export function accountName(account: Pick<Account, 'displayName' | 'nickname'>): string {
  return account.nickname?.trim() || account.displayName
}

/** The account's network name: its own label where the protocol has one, else the network's display name. */
export function accountNetworkName(networks: readonly NetworkInfo[], account: Pick<Account, 'network' | 'networkLabel'>): string {
  return account.networkLabel || networkName(networks, account.network)
}

export function useAccountNetworkName(account: Pick<Account, 'network' | 'networkLabel'> | undefined): string {
  return useApp((s) => (account ? accountNetworkName(s.networks, account) : ''))
}
