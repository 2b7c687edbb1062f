// The message actions that need a dialog (issue 12 §4): forward (pick a chat of any account),
// delete (for me, or for everyone where the network can), and info (sent, delivered, read).

import { useId, useMemo, useState } from 'react'
import type { Message } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { formatDay, formatTime } from '../format'
import { networkName } from '../networks'
import { strings } from '../strings'
import { availableActions, useCapabilities } from './MessageActions'
import { Modal } from './Modal'

function when(t: number | null): string {
  return t === null ? strings.actions.infoUnknown : `${formatDay(t)} ${formatTime(t)}`
}

function ForwardDialog({ message, onClose }: { message: Message; onClose(): void }): React.JSX.Element {
  const actions = useActions()
  const titleId = useId()
  const chats = useApp((s) => s.chats)
  const networks = useApp((s) => s.networks)
  const [query, setQuery] = useState('')
  const targets = useMemo(() => {
    const q = query.trim().toLocaleLowerCase()
    return Object.values(chats)
      .filter((c) => networks.find((n) => n.id === c.network)?.capabilities.forward === true)
      .filter((c) => !c.archived || q !== '')
      .filter((c) => q === '' || c.title.toLocaleLowerCase().includes(q))
      .sort((a, b) => b.lastActivity - a.lastActivity)
      .slice(0, 50)
  }, [chats, networks, query])
  return (
    <Modal labelledBy={titleId} className="message-dialog" onClose={onClose}>
      <h2 id={titleId}>{strings.actions.forwardTitle}</h2>
      <input
        type="search"
        aria-label={strings.actions.forwardFilter}
        placeholder={strings.actions.forwardFilter}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        autoFocus
      />
      {targets.length === 0 ? (
        <p>{strings.actions.forwardNone}</p>
      ) : (
        <ul className="forward-list" aria-label={strings.actions.forwardTitle}>
          {targets.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                onClick={() => {
                  onClose()
                  void actions.forwardMessage(message.id, c.id)
                }}
              >
                <span>{c.title}</span>
                <span className="forward-network">{networkName(networks, c.network)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {strings.actions.cancel}
        </button>
      </div>
    </Modal>
  )
}

function DeleteDialog({ message, onClose }: { message: Message; onClose(): void }): React.JSX.Element {
  const actions = useActions()
  const titleId = useId()
  const can = availableActions(message, useCapabilities(message), Date.now())
  const network = useApp((s) => {
    const id = s.accounts[message.accountId]?.network
    return id ? networkName(s.networks, id) : strings.networkFallback
  })
  return (
    <Modal labelledBy={titleId} className="message-dialog" onClose={onClose}>
      <h2 id={titleId}>{strings.actions.deleteTitle}</h2>
      <p>{strings.actions.deleteForMeHint}</p>
      {can.deleteForEveryone && <p>{strings.actions.deleteForEveryoneHint(network)}</p>}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {strings.actions.cancel}
        </button>
        <button
          type="button"
          className="danger-button"
          onClick={() => {
            onClose()
            void actions.deleteMessage(message.id, false)
          }}
        >
          {strings.actions.deleteForMe}
        </button>
        {can.deleteForEveryone && (
          <button
            type="button"
            className="danger-button"
            onClick={() => {
              onClose()
              void actions.deleteMessage(message.id, true)
            }}
          >
            {strings.actions.deleteForEveryone}
          </button>
        )}
      </div>
    </Modal>
  )
}

function InfoDialog({ message, onClose }: { message: Message; onClose(): void }): React.JSX.Element {
  const titleId = useId()
  const caps = useCapabilities(message)
  const network = useApp((s) => {
    const id = s.accounts[message.accountId]?.network
    return id ? networkName(s.networks, id) : strings.networkFallback
  })
  const receipt = (reported: boolean | undefined, t: number | null): string => (reported ? when(t) : strings.actions.infoNotReported(network))
  return (
    <Modal labelledBy={titleId} className="message-dialog" onClose={onClose}>
      <h2 id={titleId}>{strings.actions.infoTitle}</h2>
      <dl className="message-info">
        <dt>{message.fromMe ? strings.actions.infoSent : strings.actions.infoReceived}</dt>
        <dd>{when(message.timestamp)}</dd>
        {message.fromMe && (
          <>
            <dt>{strings.actions.infoDelivered}</dt>
            <dd>{receipt(caps?.deliveryReceipts, message.deliveredAt ?? (message.status === 'read' ? message.readAt : null))}</dd>
            <dt>{strings.actions.infoRead}</dt>
            <dd>{receipt(caps?.readReceipts, message.readAt)}</dd>
          </>
        )}
        {message.edited && (
          <>
            <dt>{strings.actions.infoEdited}</dt>
            <dd>{when(message.editedAt)}</dd>
          </>
        )}
      </dl>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {strings.actions.close}
        </button>
      </div>
    </Modal>
  )
}

/** The open message dialog, if any, for the messages of `chatId`. */
export function MessageDialogs({ chatId }: { chatId: string }): React.JSX.Element | null {
  const dialog = useApp((s) => s.messageDialog)
  const message = useApp((s) => (dialog && dialog.chatId === chatId ? s.messages[chatId]?.list.find((m) => m.id === dialog.messageId) : undefined))
  const setMessageDialog = useApp((s) => s.setMessageDialog)
  if (!dialog || !message) return null
  const close = (): void => setMessageDialog(null)
  if (dialog.kind === 'forward') return <ForwardDialog message={message} onClose={close} />
  if (dialog.kind === 'delete') return <DeleteDialog message={message} onClose={close} />
  return <InfoDialog message={message} onClose={close} />
}
