// Calls to the address-book services (spec §13): SharingService.asmx for memberships,
// abservice.asmx for contacts and blocked contacts. The CacheKey and PreferredHostName
// each reply hands out are used for the next call.

import { JunctionError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import type { SkypeConfig } from '../config'
import { httpRequest, statusError } from '../http'
import { abEnvelope, abFindContactsPagedBody, AB_NAMESPACE, findAllBlockedContactsBody, findMembershipByRoleBody } from './envelope'
import { findMembershipBody } from '../msnp18/address-book'
import { readBlocked, readContacts, readEnvelope, readMemberships, type AbContact, type Membership } from './parse'

const SERVICE = 'the Skype address book'

export interface AddressBookSnapshot {
  contacts: AbContact[]
  memberships: Membership[]
  blocked: string[]
}

export class AbchClient {
  private base: URL
  private cacheKey: string | null = null

  constructor(
    private readonly config: SkypeConfig,
    private readonly ticket: string,
    private readonly log: Logger,
    private readonly signal?: AbortSignal
  ) {
    this.base = new URL(config.abchUrl.endsWith('/') ? config.abchUrl : `${config.abchUrl}/`)
  }

  async snapshot(): Promise<AddressBookSnapshot> {
    const memberships = readMemberships(await this.memberships())
    const contacts = readContacts(await this.call('abservice.asmx', 'ABFindContactsPaged', 'Initial', abFindContactsPagedBody()))
    let blocked: string[] = []
    try {
      blocked = readBlocked(await this.call('abservice.asmx', 'FindAllBlockedContacts', 'Initial', findAllBlockedContactsBody()))
    } catch (error) {
      // WLM 2009's address book (msnp18.md §3.2) has no FindAllBlockedContacts; the Block role of the memberships says the same.
      if (!isRefusedRequest(error)) throw error
      this.log.debug({ error }, 'FindAllBlockedContacts refused; using the Block memberships')
    }
    return { contacts, memberships, blocked }
  }

  /**
   * Issue 16: a server that serves WLM 2009's address book faults on Skype's
   * FindMembershipByRole; WLM 2009's own FindMembership (msnp18.md §3.2) reads the same lists.
   */
  private async memberships(): Promise<ReturnType<typeof readEnvelope>['body']> {
    try {
      return await this.call('SharingService.asmx', 'FindMembershipByRole', 'Initial', findMembershipByRoleBody())
    } catch (error) {
      if (!isRefusedRequest(error)) throw error
      this.log.info({ detail: (error as JunctionError).detail }, 'FindMembershipByRole faulted; trying FindMembership')
      return this.call('SharingService.asmx', 'FindMembership', 'Initial', findMembershipBody())
    }
  }

  private async call(service: string, method: string, scenario: string, body: string): Promise<ReturnType<typeof readEnvelope>['body']> {
    const res = await httpRequest(
      {
        method: 'POST',
        url: new URL(service, this.base).toString(),
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `${AB_NAMESPACE}/${method}` },
        body: abEnvelope({ partnerScenario: scenario, cacheKey: this.cacheKey, ticket: this.ticket, body }),
        timeoutMs: this.config.requestTimeoutMs,
        maxBytes: 8 * 1024 * 1024,
        ...(this.signal ? { signal: this.signal } : {})
      },
      SERVICE
    )
    // SOAP faults come back as 500 with an envelope; anything else without one is an HTTP failure.
    const xml = res.body.toString('utf8')
    if (res.status !== 200 && !(res.status === 500 && xml.includes('Envelope'))) throw statusError(res.status, SERVICE)
    const { header, body: parsed } = readEnvelope(xml, `${method} reply`)
    if (header.cacheKey) this.cacheKey = header.cacheKey
    if (header.preferredHostName && header.preferredHostName !== this.base.host) {
      // spec §13.1: follow PreferredHostName for the next calls, keeping scheme and path.
      this.log.debug({ host: header.preferredHostName }, 'address book moved')
      this.base = new URL(`${this.base.protocol}//${header.preferredHostName}${this.base.pathname}`)
    }
    return parsed
  }
}

/** A SOAP fault that refuses the request itself (not the sign-in): another method may be served. */
function isRefusedRequest(error: unknown): boolean {
  return error instanceof JunctionError && error.code === 'rejected'
}
