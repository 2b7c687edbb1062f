// Contact actions (issue 16 point 1): add, remove, block or unblock a contact and answer a
// contact request. Each checks the account's capabilities (`contactActions`, narrowed by
// the protocol the account speaks), asks its online Connector, then stores the outcome and
// tells the renderer with a `contact` event. The network reports the same change again
// later (a full address-book sync); the store's upserts make that a no-op.

import type { NetworkCapabilities } from '../../shared/api'
import { JunctionError } from '../../shared/errors'
import type { Contact } from '../../shared/model'
import type { Logger } from '../base/log'
import type { Connector, ContactInfo } from '../networks/connector'
import type { EmitApiEvent } from './ingest'
import type { Store } from './store'

export interface ContactActionsOptions {
  store: Store
  emit: EmitApiEvent
  log: Logger
  /** The Connector of an account, only while it is online. */
  connectorFor(accountId: string): Connector | undefined
  capabilitiesOf(accountId: string): NetworkCapabilities
}

type Actionable = Required<Pick<Connector, 'addContact' | 'removeContact' | 'setBlocked' | 'answerContactRequest'>>

export class ContactActions {
  constructor(private readonly o: ContactActionsOptions) {}

  /** The account's Connector, when it declares contact actions and is online. */
  private connector(accountId: string): Actionable {
    // capabilitiesOf throws not-found for an account that does not exist.
    if (!this.o.capabilitiesOf(accountId).contactActions) throw new JunctionError('unsupported', 'This account cannot change its contacts from Junction.')
    const c = this.o.connectorFor(accountId)
    if (!c) throw new JunctionError('unavailable', 'The account is not online.')
    if (!c.addContact || !c.removeContact || !c.setBlocked || !c.answerContactRequest) {
      throw new JunctionError('unsupported', 'This account cannot change its contacts from Junction.')
    }
    return c as Actionable
  }

  private existing(accountId: string, remoteId: string): Contact {
    const contact = this.o.store.contacts.get(accountId, remoteId)
    if (!contact) throw new JunctionError('not-found', 'That contact is not in this account’s list.')
    return contact
  }

  /** Stores what the network answered and tells the renderer; returns the stored contact. */
  private save(accountId: string, info: ContactInfo): Contact {
    const changed = this.o.store.contacts.upsert(accountId, info)
    if (changed) this.o.emit('contact', changed)
    const stored = changed ?? this.o.store.contacts.get(accountId, info.remoteId)
    if (!stored) throw new JunctionError('internal', 'The contact was not stored.')
    return stored
  }

  async add(accountId: string, address: string): Promise<Contact> {
    const connector = this.connector(accountId)
    const info = await connector.addContact(address.trim())
    this.o.log.info({ accountId }, 'contact added')
    return this.save(accountId, { ...info, pending: false })
  }

  async remove(accountId: string, remoteId: string): Promise<void> {
    const connector = this.connector(accountId)
    const contact = this.existing(accountId, remoteId)
    if (contact.pending) throw new JunctionError('invalid-argument', 'A contact request is answered, not removed.')
    await connector.removeContact(remoteId)
    this.o.store.contacts.remove(accountId, remoteId)
    this.o.log.info({ accountId }, 'contact removed')
  }

  async setBlocked(accountId: string, remoteId: string, blocked: boolean): Promise<Contact> {
    const connector = this.connector(accountId)
    const contact = this.existing(accountId, remoteId)
    if (contact.pending) throw new JunctionError('invalid-argument', 'Answer the contact request first.')
    await connector.setBlocked(remoteId, blocked)
    return this.save(accountId, { remoteId, name: contact.name, blocked })
  }

  async answer(accountId: string, remoteId: string, accept: boolean): Promise<Contact | null> {
    const connector = this.connector(accountId)
    const request = this.existing(accountId, remoteId)
    if (!request.pending) throw new JunctionError('invalid-argument', 'There is no contact request from that person.')
    await connector.answerContactRequest(remoteId, accept)
    if (!accept) {
      this.o.store.contacts.remove(accountId, remoteId)
      return null
    }
    // The network may already have reported the new contact, with its own name: that one stays.
    const reported = this.o.store.contacts.get(accountId, remoteId)
    if (reported && !reported.pending) return reported
    return this.save(accountId, { remoteId, name: request.name, blocked: false, presence: request.presence, pending: false })
  }
}
