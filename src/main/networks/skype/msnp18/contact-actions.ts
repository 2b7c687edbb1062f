// Changing the contact list the way WLM 2009 does (msnp18.md §3.8–§3.10): the address
// book call that does the work on the server, then the incremental ADL/RML that makes the
// NS send (or stop) presence, one `<d>` per command (§3.12).

import type { AddressBook18 } from './address-book'
import { AL, BL, FL, PL } from './lists'
import type { Session18 } from './session'

export interface ContactActions {
  /** §3.8: ABContactAdd, then `ADL l="1"` (FL), and AL so the contact may see us. */
  add(account: string, name?: string): Promise<void>
  /** §3.9: RML of FL and ABContactDelete (either alone works on Escargot; WLM sends both). */
  remove(account: string): Promise<void>
  /** §3.10: AL → BL, mirrored in the address book; unblock reverses it. */
  block(account: string, blocked: boolean): Promise<void>
  /** §3.9: a pending request (someone who added us): accept = Allow + clear Pending + add; decline = clear Pending (and block). */
  answer(account: string, accept: boolean): Promise<void>
}

export function contactActions(session: Session18, book: AddressBook18): ContactActions {
  const normal = (a: string): string => a.trim().toLowerCase().replace(/^1:/, '')
  return {
    async add(raw, name) {
      const account = normal(raw)
      const id = await book.addContact(account, name ?? account.slice(0, account.indexOf('@')))
      if (id) session.noteContactId(account, id)
      // The ADL's NLN (§3.8) arrives before its OK: the contact must be known by then.
      await session.reloadContacts()
      await session.changeList(account, FL, 0)
      if (!((session.lists.get(account) ?? 0) & (AL | BL))) await session.changeList(account, AL, 0)
    },
    async remove(raw) {
      const account = normal(raw)
      await session.changeList(account, 0, FL)
      const id = session.contactIdOf(account)
      if (id) await book.deleteContact(id)
    },
    async block(raw, blocked) {
      const account = normal(raw)
      await session.setBlocked(account, blocked)
      await book.member('DeleteMember', blocked ? 'Allow' : 'Block', account)
      await book.member('AddMember', blocked ? 'Block' : 'Allow', account)
    },
    async answer(raw, accept) {
      const account = normal(raw)
      if (accept) {
        await book.member('AddMember', 'Allow', account)
        await book.member('DeleteMember', 'Pending', account)
        const id = await book.addContact(account, account.slice(0, account.indexOf('@')))
        if (id) session.noteContactId(account, id)
        await session.reloadContacts()
        await session.changeList(account, FL | AL, 0)
      } else {
        await book.member('DeleteMember', 'Pending', account)
      }
      session.lists.set(account, (session.lists.get(account) ?? 0) & ~PL)
    }
  }
}
