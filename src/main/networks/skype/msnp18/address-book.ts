// The address book as WLM 2009 reads and edits it (msnp18.md §3.2, §3.8–§3.10, base spec
// §13): FindMembership (SharingService) for AL/BL/RL/PL and ABFindContactsPaged
// (abservice) for FL, always full syncs (Escargot faults every delta request), with the
// contacts.msn.com ticket of a signed-in NS session. Replies are read by ../abch/parse.

import { JunctionError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import { readEnvelope, readMemberships } from '../abch/parse'
import { httpRequest, statusError } from '../http'
import { children, escapeXml, text, type XmlNode } from '../xml'
import { AL, BL, FL, PL, RL } from './lists'

const AB = 'http://www.msn.com/webservices/AddressBook'
/** §3.2: MSNPSharp 3.1's application id for MSNP18. */
export const MSNP18_AB_APPLICATION_ID = 'AAD9B99B-58E6-4F23-B975-D9EC1F9EC24A'
const NEVER = '0001-01-01T00:00:00.0000000-08:00'
const SERVICE = 'the Messenger address book'

/** §3.2: the SOAP 1.1 envelope, as verified (one line). */
export function abEnvelope18(scenario: string, ticket: string, body: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"><soap:Header>' +
    `<ABApplicationHeader xmlns="${AB}"><ApplicationId>${MSNP18_AB_APPLICATION_ID}</ApplicationId><IsMigration>false</IsMigration>` +
    `<PartnerScenario>${escapeXml(scenario)}</PartnerScenario><CacheKey></CacheKey></ABApplicationHeader>` +
    `<ABAuthHeader xmlns="${AB}"><ManagedGroupRequest>false</ManagedGroupRequest><TicketToken>${escapeXml(ticket)}</TicketToken></ABAuthHeader>` +
    `</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`
  )
}

/** §3.2: FindMembership over WLM 2009's five service types. */
export function findMembershipBody(): string {
  const types = ['Messenger', 'Invitation', 'SocialNetwork', 'Space', 'Profile'].map((t) => `<ServiceType>${t}</ServiceType>`).join('')
  return `<FindMembership xmlns="${AB}"><serviceFilter><Types>${types}</Types></serviceFilter><View>Full</View><deltasOnly>false</deltasOnly><lastChange>${NEVER}</lastChange></FindMembership>`
}

/** §3.2: ABFindContactsPaged, full. */
export function findContactsBody(): string {
  return (
    `<ABFindContactsPaged xmlns="${AB}"><abView>MessengerClient8</abView><extendedContent>AB AllGroups CircleResult</extendedContent>` +
    `<filterOptions><DeltasOnly>false</DeltasOnly><LastChanged>${NEVER}</LastChanged><ContactFilter><IncludeHiddenContacts>true</IncludeHiddenContacts></ContactFilter></filterOptions>` +
    '<pageContext><PageSize>1500</PageSize><Direction>Forward</Direction></pageContext></ABFindContactsPaged>'
  )
}

/** §3.8: ABContactAdd, as verified. */
export function contactAddBody(account: string, name: string): string {
  return (
    `<ABContactAdd xmlns="${AB}"><abId>00000000-0000-0000-0000-000000000000</abId><contacts><Contact xmlns="${AB}"><contactInfo>` +
    `<contactType>LivePending</contactType><passportName>${escapeXml(account)}</passportName><isMessengerUser>true</isMessengerUser>` +
    `<MessengerMemberInfo><DisplayName>${escapeXml(name)}</DisplayName></MessengerMemberInfo></contactInfo></Contact></contacts>` +
    '<options><EnableAllowListManagement>true</EnableAllowListManagement></options></ABContactAdd>'
  )
}

export function contactDeleteBody(contactId: string): string {
  return `<ABContactDelete xmlns="${AB}"><abId>00000000-0000-0000-0000-000000000000</abId><contacts><Contact><contactId>${escapeXml(contactId)}</contactId></Contact></contacts></ABContactDelete>`
}

/** §3.9: AddMember / DeleteMember of one Passport member under a role. */
export function memberBody(method: 'AddMember' | 'DeleteMember', role: 'Allow' | 'Block' | 'Pending', account: string): string {
  return (
    `<${method} xmlns="${AB}"><serviceHandle><Id>0</Id><Type>Messenger</Type><ForeignId></ForeignId></serviceHandle><memberships><Membership>` +
    `<MemberRole>${role}</MemberRole><Members><Member xsi:type="PassportMember" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<Type>Passport</Type><State>Accepted</State><PassportName>${escapeXml(account)}</PassportName></Member></Members></Membership></memberships></${method}>`
  )
}

export interface BookContact {
  account: string
  name: string
  contactId?: string
}

export interface BookSnapshot {
  contacts: BookContact[]
  /** Our own display name (the `Me` contact, §3.2). */
  selfName?: string
  /**
   * The `Me` contact's contactId: our own user uuid, which names our display picture
   * (§7.3). The spec says so only of FL contacts (§3.2); Escargot's address-book template
   * writes the user's uuid for the `Me` entry too.
   */
  selfContactId?: string
  /** account → FL/AL/BL/RL/PL bits. */
  lists: Map<string, number>
}

/** A contactId or guid as the address book writes them (it goes into requests and URLs). */
const CONTACT_ID = /^[0-9A-Fa-f{}-]{1,40}$/

/** §3.2: the membership roles and the list each one is. A Map, so a role such as `constructor` is no list. */
const ROLE_BITS: ReadonlyMap<string, number> = new Map([
  ['Allow', AL],
  ['Block', BL],
  ['Reverse', RL],
  ['Pending', PL]
])

/** The list bits of the address book (§3.2): FL from the contacts, AL/BL/RL/PL from the memberships' roles. */
export function listsOf(contacts: readonly BookContact[], memberships: readonly { role: string; address: string }[]): Map<string, number> {
  const lists = new Map<string, number>()
  const add = (account: string, bit: number): void => void lists.set(account, (lists.get(account) ?? 0) | bit)
  for (const c of contacts) add(c.account, FL)
  for (const m of memberships) {
    // The role is a wire string: only the four names above count (issue 11 point 11).
    const bit = ROLE_BITS.get(m.role)
    if (bit !== undefined) add(m.address.replace(/^1:/, ''), bit)
  }
  return lists
}

/** The `Me` contact (§3.2): our display name and contactId. */
function readSelf(body: XmlNode): { name?: string; contactId?: string } {
  const result = children(body, 'ABFindContactsPagedResponse', 'ABFindContactsPagedResult')[0]
  for (const c of children(result, 'Contacts', 'Contact')) {
    const info = children(c, 'contactInfo')[0]
    if (text(info, 'contactType') !== 'Me') continue
    const name = text(info, 'displayName')?.trim()
    const id = text(c, 'contactId')
    return { ...(name ? { name } : {}), ...(id && CONTACT_ID.test(id) ? { contactId: id } : {}) }
  }
  return {}
}

function readFl(body: XmlNode): BookContact[] {
  const result = children(body, 'ABFindContactsPagedResponse', 'ABFindContactsPagedResult')[0]
  const out: BookContact[] = []
  for (const c of children(result, 'Contacts', 'Contact')) {
    if (text(c, 'fDeleted') === 'true') continue
    const info = children(c, 'contactInfo')[0]
    if (text(info, 'contactType') === 'Me' || text(info, 'isMessengerUser') !== 'true') continue
    const account = text(info, 'passportName')?.trim().toLowerCase()
    if (!account || !/^[^\s@<>]{1,128}@[^\s@<>]{1,253}$/.test(account)) continue
    const entry: BookContact = { account, name: text(info, 'displayName')?.trim() || account.slice(0, account.indexOf('@')) }
    const id = text(c, 'contactId')
    if (id && CONTACT_ID.test(id)) entry.contactId = id
    out.push(entry)
  }
  return out
}

export class AddressBook18 {
  constructor(private readonly o: { baseUrl: string; ticket: () => Promise<string>; timeoutMs: number; log: Logger; signal?: AbortSignal }) {}

  /** §3.1 step 1: FindMembership, then ABFindContactsPaged. */
  async snapshot(): Promise<BookSnapshot> {
    const memberships = readMemberships(await this.call('SharingService.asmx', 'FindMembership', 'Initial', findMembershipBody()))
    const found = await this.call('abservice.asmx', 'ABFindContactsPaged', 'Initial', findContactsBody())
    const contacts = readFl(found)
    const self = readSelf(found)
    const lists = listsOf(contacts, memberships)
    return {
      contacts,
      lists,
      ...(self.name ? { selfName: self.name } : {}),
      ...(self.contactId ? { selfContactId: self.contactId } : {})
    }
  }

  /** §3.8: returns the new contact's id when the server names it. */
  async addContact(account: string, name: string): Promise<string | undefined> {
    const body = await this.call('abservice.asmx', 'ABContactAdd', 'ContactSave', contactAddBody(account, name))
    const guid = text(body, 'ABContactAddResponse', 'ABContactAddResult', 'guid')
    return guid && CONTACT_ID.test(guid) ? guid : undefined
  }

  async deleteContact(contactId: string): Promise<void> {
    await this.call('abservice.asmx', 'ABContactDelete', 'Timer', contactDeleteBody(contactId))
  }

  async member(method: 'AddMember' | 'DeleteMember', role: 'Allow' | 'Block' | 'Pending', account: string): Promise<void> {
    await this.call('SharingService.asmx', method, role === 'Block' ? 'BlockUnblock' : 'ContactMsgrAPI', memberBody(method, role, account))
  }

  private async call(service: string, method: string, scenario: string, body: string): Promise<XmlNode> {
    const base = this.o.baseUrl.endsWith('/') ? this.o.baseUrl : `${this.o.baseUrl}/`
    const res = await httpRequest(
      {
        method: 'POST',
        url: new URL(`abservice/${service}`, base).toString(),
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `${AB}/${method}` },
        body: abEnvelope18(scenario, await this.o.ticket(), body),
        timeoutMs: this.o.timeoutMs,
        maxBytes: 8 * 1024 * 1024,
        ...(this.o.signal ? { signal: this.o.signal } : {})
      },
      SERVICE
    )
    const xml = res.body.toString('utf8')
    if (res.status !== 200 && !(res.status === 500 && xml.includes('Envelope'))) throw statusError(res.status, SERVICE)
    try {
      return readEnvelope(xml, `${method} reply`).body
    } catch (error) {
      if (error instanceof JunctionError) this.o.log.warn({ method, detail: error.detail }, 'address book call failed')
      throw error
    }
  }
}
