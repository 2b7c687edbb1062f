// "Add contact" (issue 16 point 1), opened from the command palette: pick an account that
// can change its contacts, type an address, add. Below, that account's contacts with
// Block/Unblock and Remove, so every contact action is reachable by keyboard.

import { useCallback, useEffect, useId, useState } from 'react'
import type { Contact } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { networkName } from '../networks'
import { strings } from '../strings'
import { contactError, useContactAccounts } from './contact-words'
import { ContactControls } from './ContactControls'
import { Modal } from './Modal'

export function AddContactDialog({ onClose }: { onClose(): void }): React.JSX.Element {
  const actions = useActions()
  const titleId = useId()
  const listId = useId()
  const accountIds = useContactAccounts()
  const accounts = useApp((s) => s.accounts)
  const networks = useApp((s) => s.networks)
  const [accountId, setAccountId] = useState<string>(accountIds[0] ?? '')
  const [address, setAddress] = useState('')
  const [busy, setBusy] = useState(false)
  const [said, setSaid] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [contacts, setContacts] = useState<Contact[]>([])
  const account = accounts[accountId]
  const network = account ? networkName(networks, account.network) : ''

  const accountLabel = (id: string): string => {
    const a = accounts[id]
    return a ? `${a.displayName} · ${networkName(networks, a.network)}` : ''
  }

  const fail = useCallback(
    (e: unknown) => {
      setSaid(null)
      setError(contactError(e, network))
    },
    [network]
  )

  useEffect(() => {
    if (!accountId) return
    let live = true
    const load = (): void =>
      void actions
        .listContacts(accountId)
        .then((list) => live && setContacts(list.filter((c) => !c.pending)))
        .catch((e: unknown) => live && fail(e))
    load()
    const off = actions.onContact((c) => {
      if (c.accountId === accountId) load()
    })
    return () => {
      live = false
      off()
    }
  }, [accountId, actions, fail])

  const submit = async (): Promise<void> => {
    if (!accountId || address.trim() === '') return
    setBusy(true)
    setError(null)
    setSaid(null)
    try {
      const contact = await actions.addContact(accountId, address.trim())
      setSaid(strings.contacts.added(contact.name))
      setAddress('')
      setContacts((list) => [...list.filter((c) => c.remoteId !== contact.remoteId), contact])
    } catch (e) {
      fail(e)
    } finally {
      setBusy(false)
    }
  }

  const changed = (remoteId: string, next: Contact | null, text: string): void => {
    setError(null)
    setSaid(text)
    setContacts((list) => (next ? list.map((c) => (c.remoteId === remoteId ? next : c)) : list.filter((c) => c.remoteId !== remoteId)))
  }

  return (
    <Modal labelledBy={titleId} className="contact-dialog" onClose={onClose}>
      <h2 id={titleId}>{strings.contacts.addTitle}</h2>
      {accountIds.length === 0 ? (
        <p>{strings.contacts.noAccounts}</p>
      ) : (
        <form
          className="login-form"
          onSubmit={(e) => {
            e.preventDefault()
            void submit()
          }}
        >
          {accountIds.length > 1 ? (
            <label>
              {strings.contacts.account}
              <select value={accountId} onChange={(e) => setAccountId(e.target.value)}>
                {accountIds.map((id) => (
                  <option key={id} value={id}>
                    {accountLabel(id)}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            // One account: nothing to choose, and the address field is the first stop.
            <p>
              {strings.contacts.account}: {accountLabel(accountId)}
            </p>
          )}
          <label>
            {strings.contacts.address}
            <input
              type="text"
              name="address"
              required
              autoFocus
              autoComplete="off"
              aria-describedby={`${titleId}-hint`}
              value={address}
              onChange={(e) => setAddress(e.target.value)}
            />
            <small id={`${titleId}-hint`}>{strings.contacts.addressHint}</small>
          </label>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? strings.contacts.adding : strings.contacts.add}
          </button>
        </form>
      )}
      <p className="contact-status" role="status">
        {said}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {accountIds.length > 0 && (
        <section aria-labelledby={listId}>
          <h3 id={listId}>{strings.contacts.listTitle}</h3>
          {contacts.length === 0 ? (
            <p>{strings.contacts.none}</p>
          ) : (
            <ul className="contact-list">
              {contacts.map((c) => (
                <li key={c.remoteId} className="contact-row">
                  <span className="contact-name">
                    {c.name}
                    {c.blocked && <span className="contact-tag"> · {strings.contacts.blockedTag}</span>}
                  </span>
                  <ContactControls contact={c} onChanged={(next, text) => changed(c.remoteId, next, text)} onError={fail} />
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <footer>
        <button type="button" onClick={onClose}>
          {strings.contacts.close}
        </button>
      </footer>
    </Modal>
  )
}
