// Contact requests (issue 16 point 1): people who added one of the accounts and await an
// answer, with Accept and Decline, above the chat list. Shown only while there are some.

import { useEffect, useId, useState } from 'react'
import type { Contact } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { networkName } from '../networks'
import { strings } from '../strings'
import { contactError, useContactAccounts } from './contact-words'

const keyOf = (c: Pick<Contact, 'accountId' | 'remoteId'>): string => `${c.accountId}\u0000${c.remoteId}`

export function ContactRequests(): React.JSX.Element | null {
  const actions = useActions()
  const titleId = useId()
  const accountIds = useContactAccounts()
  const accounts = useApp((s) => s.accounts)
  const networks = useApp((s) => s.networks)
  const [requests, setRequests] = useState<Record<string, Contact>>({})
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const ids = accountIds.join('\u0000')

  useEffect(() => {
    let live = true
    const wanted = new Set(ids === '' ? [] : ids.split('\u0000'))
    // A contact event says what a contact now is: a request, or no longer one.
    const off = actions.onContact((c) => {
      if (!wanted.has(c.accountId)) return
      setRequests((r) => {
        const next = { ...r }
        if (c.pending) next[keyOf(c)] = c
        else delete next[keyOf(c)]
        return next
      })
    })
    void Promise.all([...wanted].map((id) => actions.listContacts(id).catch(() => [] as Contact[]))).then((lists) => {
      if (!live) return
      // Requests heard while the lists loaded are newer than the lists.
      setRequests((r) => ({
        ...Object.fromEntries(
          lists
            .flat()
            .filter((c) => c.pending)
            .map((c) => [keyOf(c), c])
        ),
        ...r
      }))
    })
    return () => {
      live = false
      off()
    }
  }, [ids, actions])

  const answer = async (c: Contact, accept: boolean): Promise<void> => {
    setBusy(keyOf(c))
    setError(null)
    try {
      await actions.answerContactRequest(c.accountId, c.remoteId, accept)
      setRequests((r) => {
        const next = { ...r }
        delete next[keyOf(c)]
        return next
      })
    } catch (e) {
      const account = accounts[c.accountId]
      setError(contactError(e, account ? networkName(networks, account.network) : ''))
    } finally {
      setBusy(null)
    }
  }

  const list = Object.values(requests).sort((a, b) => a.name.localeCompare(b.name))
  if (list.length === 0 && !error) return null
  return (
    <section className="contact-requests" aria-labelledby={titleId}>
      <h2 id={titleId}>{strings.contacts.requestsTitle}</h2>
      <ul>
        {list.map((c) => (
          <li key={keyOf(c)} className="contact-request">
            <span>{strings.contacts.requestFrom(c.name, accounts[c.accountId]?.displayName ?? '')}</span>
            <span className="contact-controls">
              <button
                type="button"
                className="primary"
                disabled={busy === keyOf(c)}
                aria-label={strings.contacts.acceptLabel(c.name)}
                onClick={() => void answer(c, true)}
              >
                {strings.contacts.accept}
              </button>
              <button type="button" disabled={busy === keyOf(c)} aria-label={strings.contacts.declineLabel(c.name)} onClick={() => void answer(c, false)}>
                {strings.contacts.decline}
              </button>
            </span>
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}
