// Shared by the contact components (issue 16 point 1): which accounts can change their
// contacts, and how a failed contact action is worded.

import { useShallow } from 'zustand/react/shallow'
import { JunctionError } from '../../../shared/errors'
import type { Account } from '../../../shared/model'
import { useApp } from '../context'
import { sortedAccounts } from '../state/accounts'
import type { AppState } from '../state/store'
import { strings } from '../strings'
import { describeError } from '../words'

/** The account's network's capabilities with its own narrowing laid over them. */
function canChangeContacts(s: AppState, a: Account): boolean {
  const base = s.networks.find((n) => n.id === a.network)?.capabilities
  return ({ ...base, ...a.capabilities }.contactActions ?? false) === true
}

/** The ids of the accounts that declare contact actions, in rail order. */
export function useContactAccounts(): string[] {
  return useApp(
    useShallow((s) =>
      sortedAccounts(s.accounts)
        .filter((a) => canChangeContacts(s, a))
        .map((a) => a.id)
    )
  )
}

export function contactError(error: unknown, network: string): string {
  if (error instanceof JunctionError && error.code === 'not-found') return strings.contacts.notFound
  return describeError(error, network)
}
