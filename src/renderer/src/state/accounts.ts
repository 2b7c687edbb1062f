import type { StateCreator } from 'zustand'
import type { NetworkInfo } from '../../../shared/api'
import type { Account } from '../../../shared/model'
import type { AppState } from './store'

export interface AccountsSlice {
  networks: NetworkInfo[]
  accounts: Record<string, Account>
  setNetworks(networks: NetworkInfo[]): void
  setAccounts(accounts: Account[]): void
  upsertAccount(account: Account): void
  removeAccount(accountId: string): void
}

export const createAccountsSlice: StateCreator<AppState, [], [], AccountsSlice> = (set) => ({
  networks: [],
  accounts: {},
  setNetworks: (networks) => set({ networks }),
  setAccounts: (accounts) => set({ accounts: Object.fromEntries(accounts.map((a) => [a.id, a])) }),
  upsertAccount: (account) => set((s) => ({ accounts: { ...s.accounts, [account.id]: account } })),
  removeAccount: (accountId) =>
    set((s) => {
      const accounts = { ...s.accounts }
      delete accounts[accountId]
      const chats = Object.fromEntries(Object.entries(s.chats).filter(([, c]) => c.accountId !== accountId))
      return { accounts, chats }
    })
})

/** Accounts in rail order. */
export function sortedAccounts(accounts: Record<string, Account>): Account[] {
  return Object.values(accounts).sort((a, b) => a.position - b.position || a.createdAt - b.createdAt)
}
