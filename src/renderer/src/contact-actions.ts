// Contact actions (issue 16 point 1) as the UI uses them: add a contact by address, remove,
// block or unblock one, answer a contact request, and hear contact changes. Failures are
// thrown (the dialogs word them in place with `describeError`).

import type { Contact } from '../../shared/model'
import type { Api } from './api'

export interface ContactActions {
  listContacts(accountId: string): Promise<Contact[]>
  addContact(accountId: string, address: string): Promise<Contact>
  removeContact(accountId: string, remoteId: string): Promise<void>
  setContactBlocked(accountId: string, remoteId: string, blocked: boolean): Promise<Contact>
  /** Resolves with the new contact (accepted) or null (declined). */
  answerContactRequest(accountId: string, remoteId: string, accept: boolean): Promise<Contact | null>
  /** Every `contact` event; returns the unsubscribe function. */
  onContact(listener: (contact: Contact) => void): () => void
}

export function createContactActions(api: Api): ContactActions {
  return {
    listContacts: (accountId) => api.listContacts({ accountId }),
    addContact: (accountId, address) => api.addContact({ accountId, address }),
    removeContact: (accountId, remoteId) => api.removeContact({ accountId, remoteId }),
    setContactBlocked: (accountId, remoteId, blocked) => api.setContactBlocked({ accountId, remoteId, blocked }),
    answerContactRequest: (accountId, remoteId, accept) => api.answerContactRequest({ accountId, remoteId, accept }),
    onContact: (listener) =>
      api.onEvent((event) => {
        if (event.type === 'contact') listener(event.payload)
      })
  }
}
