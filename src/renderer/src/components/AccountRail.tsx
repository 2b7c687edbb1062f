import { useShallow } from 'zustand/react/shallow'
import type { Account } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { sortedAccounts } from '../state/accounts'
import { strings } from '../strings'
import { NetworkMark } from './NetworkMark'

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean)
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase()
}

function AccountButton({ account, active, onSelect }: { account: Account; active: boolean; onSelect(): void }): React.JSX.Element {
  const state = strings.connection[account.status.state]
  const label = strings.rail.accountTitle(account.displayName, strings.networks[account.network], state)
  return (
    <li>
      <button
        type="button"
        className={`rail-account${active ? ' active' : ''}`}
        style={{ ['--account-color' as string]: account.color }}
        aria-label={label}
        aria-pressed={active}
        title={account.status.reason ? `${label} — ${account.status.reason}` : label}
        onClick={onSelect}
        data-account-id={account.id}
        data-state={account.status.state}
      >
        <span className="rail-avatar" aria-hidden="true">
          {initials(account.displayName)}
        </span>
        <NetworkMark network={account.network} />
        <span className={`status-dot status-${account.status.state}`} aria-hidden="true" />
      </button>
    </li>
  )
}

export function AccountRail(): React.JSX.Element {
  const accounts = useApp(useShallow((s) => sortedAccounts(s.accounts)))
  const filter = useApp((s) => s.filter)
  const setFilter = useApp((s) => s.setFilter)
  const openDialog = useApp((s) => s.openDialog)
  const actions = useActions()
  const select = (next: typeof filter): void => {
    setFilter(next)
    void actions.bootstrap()
  }
  return (
    <nav className="rail" aria-label={strings.rail.label}>
      <ul className="rail-list">
        <li>
          <button
            type="button"
            className={`rail-all${filter.kind !== 'account' ? ' active' : ''}`}
            aria-pressed={filter.kind !== 'account'}
            aria-label={strings.rail.allAccounts}
            title={strings.rail.allAccounts}
            onClick={() => select({ kind: 'all' })}
          >
            ∑
          </button>
        </li>
        {accounts.map((a) => (
          <AccountButton
            key={a.id}
            account={a}
            active={filter.kind === 'account' && filter.accountId === a.id}
            onSelect={() => select({ kind: 'account', accountId: a.id })}
          />
        ))}
      </ul>
      <button
        type="button"
        className="rail-add"
        aria-label={strings.rail.addAccount}
        title={strings.rail.addAccount}
        onClick={() => openDialog({ kind: 'add-account', loginId: null, network: null })}
      >
        +
      </button>
    </nav>
  )
}
