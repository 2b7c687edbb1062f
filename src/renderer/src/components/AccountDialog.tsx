import { useState } from 'react'
import type { Account } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { strings } from '../strings'
import { Modal } from './Modal'
import { readableId } from './display-id'
import { NetworkMark } from './NetworkMark'
import { useCountdown } from './useCountdown'
import { describeReason } from '../words'
import { accountName, accountNetworkName } from '../account-name'
import { NicknameEditor } from './NicknameEditor'

/** "Online", "Reconnecting in 4 s", "Needs login — The session was ended on your phone." */
export function useStatusText(account: Account | undefined): string {
  const seconds = useCountdown(account?.status.state === 'reconnecting' ? account.status.retryAt : null)
  const network = useApp((s) => (account ? accountNetworkName(s.networks, account) : ''))
  const linked = useApp((s) => s.link === 'open')
  if (!account) return ''
  if (!linked) return strings.unknownState
  const { status } = account
  const state = status.state === 'reconnecting' && seconds !== null ? strings.reconnectingIn(seconds) : strings.connection[status.state]
  return status.reason && status.state !== 'online' ? `${state} — ${describeReason(status.reason, network)}` : state
}

export function needsAttention(account: Account): boolean {
  return account.status.state === 'needs-login' || account.status.state === 'offline'
}

/** One account: who, where, its health, and what can be done about it. */
export function AccountSummary({ accountId, onDone }: { accountId: string; onDone?: () => void }): React.JSX.Element | null {
  const account = useApp((s) => s.accounts[accountId])
  const openDialog = useApp((s) => s.openDialog)
  const actions = useActions()
  const status = useStatusText(account)
  const networks = useApp((s) => s.networks)
  const [confirming, setConfirming] = useState(false)
  if (!account) return null
  const network = accountNetworkName(networks, account)
  const name = accountName(account)
  // "Signed in as +15550100", never an opaque id, and not the name said twice.
  const readable = readableId(account.selfId)
  const selfShown = readable !== null && readable !== account.displayName ? readable : null
  return (
    <section className="account-summary" aria-label={`${name} · ${network}`} data-account-id={account.id}>
      <div className="account-head">
        <span className="account-swatch" style={{ background: account.color }} aria-hidden="true" />
        <NetworkMark network={account.network} accountId={account.id} size="large" />
        <div>
          <h3 dir="auto">{name}</h3>
          {name !== account.displayName && (
            <p className="hint" dir="auto">
              {strings.account.networkName(account.displayName)}
            </p>
          )}
          {selfShown && (
            <p className="hint">
              {strings.account.identity} {selfShown}
            </p>
          )}
        </div>
      </div>
      <NicknameEditor account={account} network={network} />
      <p className={`account-status status-text-${account.status.state}`} role="status">
        <span className={`status-dot status-${account.status.state}`} aria-hidden="true" /> {status}
        {account.muted && ` · ${strings.account.muted}`}
      </p>
      <div className="row">
        {(account.status.state === 'reconnecting' || account.status.state === 'offline') && (
          <button type="button" className="primary" onClick={() => actions.reconnectAccount(account.id)}>
            {strings.reconnectNow}
          </button>
        )}
        {(account.status.state === 'needs-login' || account.status.state === 'offline') && (
          <button type="button" className="primary" onClick={() => openDialog({ kind: 'add-account', network: account.network, reloginAccountId: account.id })}>
            {strings.account.logInAgain}
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            void actions.setFilter({ kind: 'account', accountId: account.id })
            onDone?.()
          }}
        >
          {strings.account.showChats}
        </button>
        <button type="button" aria-pressed={account.muted} onClick={() => void actions.muteAccount(account.id, !account.muted)}>
          {account.muted ? strings.account.unmute : strings.account.mute}
        </button>
        {!confirming && (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {strings.account.remove}
          </button>
        )}
      </div>
      {confirming && (
        <div className="confirm" role="alertdialog" aria-label={strings.account.remove}>
          <p>{strings.account.confirmRemove(name, network)}</p>
          <button
            type="button"
            className="danger"
            autoFocus
            onClick={() => {
              setConfirming(false)
              void actions.removeAccount(account.id)
              onDone?.()
            }}
          >
            {strings.account.removeConfirmButton}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {strings.addAccount.cancel}
          </button>
        </div>
      )}
    </section>
  )
}

export function AccountDialog({ accountId }: { accountId: string }): React.JSX.Element {
  const openDialog = useApp((s) => s.openDialog)
  const close = (): void => openDialog(null)
  return (
    <Modal label={strings.rail.label} className="account-dialog" onClose={close}>
      <header>
        <h2>{strings.rail.label}</h2>
        <button type="button" className="icon" aria-label={strings.settings.close} onClick={close}>
          ×
        </button>
      </header>
      <AccountSummary accountId={accountId} onDone={close} />
    </Modal>
  )
}
