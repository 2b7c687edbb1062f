import { useShallow } from 'zustand/react/shallow'
import type { Account } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { sortedAccounts } from '../state/accounts'
import { strings } from '../strings'
import { Icon } from './Icon'
import { useStatusText } from './AccountDialog'
import { NetworkMark } from './NetworkMark'
import { Avatar } from './Avatar'
import { accountName, useAccountNetworkName } from '../account-name'

/** Read after each account's name, as its description: how to reach the account's page from the keyboard. */
const ACCOUNT_HINT_ID = 'rail-account-hint'

function AccountButton({ account, index, active, onSelect }: { account: Account; index: number; active: boolean; onSelect(): void }): React.JSX.Element {
  const status = useStatusText(account)
  const network = useAccountNetworkName(account)
  const openDialog = useApp((s) => s.openDialog)
  // While the page cannot reach the engine, no account is shown as online (issue 11 §2).
  const state = useApp((s) => (s.link === 'open' ? account.status.state : 'unknown'))
  const name = accountName(account)
  const label = strings.rail.accountTitle(name, network, status)
  // The account's own page (its nickname, health, mute): right-click, the Menu key or Shift+F10.
  const openAccount = (): void => openDialog({ kind: 'account', accountId: account.id })
  return (
    <li>
      <button
        type="button"
        className={`rail-account${active ? ' active' : ''}`}
        style={{ ['--account-color' as string]: account.color }}
        aria-pressed={active}
        aria-keyshortcuts={index < 9 ? `Control+${index + 1}` : undefined}
        title={index < 9 ? `${label} (${strings.rail.shortcut(index + 1)})` : label}
        onClick={onSelect}
        onContextMenu={(e) => {
          e.preventDefault()
          openAccount()
        }}
        onKeyDown={(e) => {
          if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
            e.preventDefault()
            openAccount()
          }
        }}
        data-account-id={account.id}
        data-state={state}
        aria-describedby={ACCOUNT_HINT_ID}
      >
        {/* The name comes from this text, not aria-label, so the visible initials need not be part of it. */}
        <span className="sr-only">{label}</span>
        <Avatar
          className="rail-avatar"
          name={name}
          id={account.id}
          size={44}
          picture={{ accountId: account.id, remoteId: account.selfId, version: account.avatar }}
        />
        <NetworkMark network={account.network} accountId={account.id} decorative />
        <span className={`status-dot status-${state}`} aria-hidden="true" />
        {account.muted && (
          <span className="rail-muted" aria-hidden="true">
            <Icon name="bellOff" size={12} />
          </span>
        )}
      </button>
    </li>
  )
}

export function AccountRail(): React.JSX.Element {
  const accounts = useApp(useShallow((s) => sortedAccounts(s.accounts)))
  const filter = useApp((s) => s.filter)
  const openDialog = useApp((s) => s.openDialog)
  const actions = useActions()
  const allActive = filter.kind !== 'account'
  return (
    <nav className="rail" aria-label={strings.rail.label}>
      <span id={ACCOUNT_HINT_ID} hidden>
        {strings.rail.accountMenuHint}
      </span>
      <ul className="rail-list">
        <li>
          <button
            type="button"
            className={`rail-all${allActive ? ' active' : ''}`}
            aria-pressed={allActive}
            aria-label={strings.rail.allAccounts}
            title={strings.rail.allAccounts}
            onClick={() => void actions.setFilter({ kind: 'all' })}
          >
            <span aria-hidden="true">∑</span>
          </button>
        </li>
        {accounts.map((a, i) => (
          <AccountButton
            key={a.id}
            account={a}
            index={i}
            active={filter.kind === 'account' && filter.accountId === a.id}
            onSelect={() => void actions.setFilter({ kind: 'account', accountId: a.id })}
          />
        ))}
        <li>
          <button
            type="button"
            className="rail-add"
            aria-label={strings.rail.addAccount}
            title={strings.rail.addAccount}
            onClick={() => openDialog({ kind: 'add-account', network: null, reloginAccountId: null })}
          >
            <span aria-hidden="true">+</span>
          </button>
        </li>
      </ul>
      <div className="rail-bottom">
        <button
          type="button"
          className="rail-tool"
          aria-label={strings.rail.search}
          title={strings.rail.search}
          aria-keyshortcuts="Control+K"
          onClick={() => openDialog({ kind: 'palette' })}
        >
          <Icon name="search" size={20} />
        </button>
        <button
          type="button"
          className="rail-tool"
          aria-label={strings.rail.settings}
          title={strings.rail.settings}
          onClick={() => openDialog({ kind: 'settings', tab: 'accounts' })}
        >
          <Icon name="gear" size={20} />
        </button>
      </div>
    </nav>
  )
}
