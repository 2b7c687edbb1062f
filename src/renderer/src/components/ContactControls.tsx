// Block/Unblock and Remove for one contact (issue 16 point 1). Used in the Add contact
// dialog's list; it belongs beside a direct chat's title too (a chat info panel), where the
// chat's contact is known.

import { useState } from 'react'
import type { Contact } from '../../../shared/model'
import { useActions } from '../context'
import { strings } from '../strings'

export function ContactControls({
  contact,
  onChanged,
  onError
}: {
  contact: Contact
  /** The contact as it now is, or null once removed; `said` is what happened, for a status line. */
  onChanged(contact: Contact | null, said: string): void
  onError(error: unknown): void
}): React.JSX.Element {
  const actions = useActions()
  const [busy, setBusy] = useState(false)
  const run = async (step: () => Promise<void>): Promise<void> => {
    setBusy(true)
    try {
      await step()
    } catch (error) {
      onError(error)
    } finally {
      setBusy(false)
    }
  }
  const toggleBlock = (): Promise<void> =>
    run(async () => {
      const next = await actions.setContactBlocked(contact.accountId, contact.remoteId, !contact.blocked)
      onChanged(next, next.blocked ? strings.contacts.blocked(contact.name) : strings.contacts.unblocked(contact.name))
    })
  const remove = (): Promise<void> =>
    run(async () => {
      await actions.removeContact(contact.accountId, contact.remoteId)
      onChanged(null, strings.contacts.removed(contact.name))
    })
  return (
    <span className="contact-controls">
      <button
        type="button"
        disabled={busy}
        aria-label={contact.blocked ? strings.contacts.unblockLabel(contact.name) : strings.contacts.blockLabel(contact.name)}
        onClick={() => void toggleBlock()}
      >
        {contact.blocked ? strings.contacts.unblock : strings.contacts.block}
      </button>
      <button type="button" disabled={busy} aria-label={strings.contacts.removeLabel(contact.name)} onClick={() => void remove()}>
        {strings.contacts.remove}
      </button>
    </span>
  )
}
