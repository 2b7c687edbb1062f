// The Connector's contact actions for a Messenger (MSNP18) account (issue 16 point 1):
// Junction's remote ids and typed addresses turned into Passport accounts, the dialect's
// address-book + ADL/RML changes (contact-actions.ts, msnp18.md §3.8–§3.10), the address
// book read back once done (no NOT comes for one's own change, §3.8), and the address
// book's and the NS's refusals as typed errors.

import { JunctionError } from '../../../../shared/errors'
import type { ContactInfo } from '../../connector'
import { toContactInfo, type AddressBook } from '../contacts'
import { passportOf } from './args'
import type { ContactActions } from './contact-actions'
import type { Session18 } from './session'

/** What an address a person types must look like: one Passport (e-mail) address, `1:` optional. */
const ADDRESS = /^[^\s@<>"'&;:]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$/

export interface LiveContacts {
  session: Session18
  actions: ContactActions
  book: AddressBook
}

/** A typed address (`bob@example.com`, `1:bob@example.com`) as the Passport account it names. */
export function accountOfAddress(address: string): string {
  const bare = address.trim().replace(/^1:/, '').toLowerCase()
  if (!ADDRESS.test(bare) || bare.length > 254) throw new JunctionError('invalid-argument', 'A Messenger contact is added by their e-mail address.')
  return bare
}

function accountOfRemote(remoteId: string): string {
  const account = passportOf(remoteId)
  if (!account) throw new JunctionError('invalid-argument', 'That is not a Messenger contact.')
  return account
}

/** §3.8 faults and §3.8's `208` as the person would understand them. */
function refusal(error: unknown): unknown {
  if (!(error instanceof JunctionError)) return error
  if (error.detail === 'InvalidPassportUser' || error.detail?.startsWith('MSNP 208'))
    return new JunctionError('not-found', 'No Messenger account has that address.', { detail: error.detail, cause: error })
  if (error.detail === 'BadEmailArgument')
    return new JunctionError('invalid-argument', 'A Messenger contact is added by their e-mail address.', { detail: error.detail, cause: error })
  return error
}

async function run<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    throw refusal(error)
  }
}

export async function addContact18(live: LiveContacts, address: string): Promise<ContactInfo> {
  const account = accountOfAddress(address)
  if (account === live.session.selfAddress.slice(2)) throw new JunctionError('invalid-argument', 'That is this account’s own address.')
  await run(() => live.actions.add(account))
  await run(() => live.session.reloadContacts())
  const entry = live.book.get(`1:${account}`)
  return entry ? toContactInfo(entry) : { remoteId: `1:${account}`, name: account.slice(0, account.indexOf('@')), blocked: false }
}

export async function removeContact18(live: LiveContacts, remoteId: string): Promise<void> {
  const account = accountOfRemote(remoteId)
  await run(() => live.actions.remove(account))
  await run(() => live.session.reloadContacts())
}

export async function setBlocked18(live: LiveContacts, remoteId: string, blocked: boolean): Promise<void> {
  const account = accountOfRemote(remoteId)
  await run(() => live.actions.block(account, blocked))
  await run(() => live.session.reloadContacts())
}

export async function answerRequest18(live: LiveContacts, remoteId: string, accept: boolean): Promise<void> {
  const account = accountOfRemote(remoteId)
  await run(() => live.actions.answer(account, accept))
  await run(() => live.session.reloadContacts())
}
