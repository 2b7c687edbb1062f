// The address-book SOAP envelope (spec §13.1, in the shape of the Skype 2014 capture in
// the seed notes): ABApplicationHeader with Skype's application id, ABAuthHeader with
// the contacts.msn.com token, and the three request bodies Skype sent.

import { escapeXml } from '../xml'

export const AB_NAMESPACE = 'http://www.msn.com/webservices/AddressBook'
/** spec §13.1: the application id Skype (and Miranda) sent. */
export const SKYPE_AB_APPLICATION_ID = 'F6D2794D-501F-443A-ADBE-8F1490FF30FD'

export interface EnvelopeInput {
  partnerScenario: string
  cacheKey: string | null
  ticket: string
  body: string
}

export function abEnvelope(e: EnvelopeInput): string {
  return (
    "<?xml version='1.0' encoding='utf-8'?>\n" +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">' +
    '<soap:Header>' +
    `<ABApplicationHeader xmlns="${AB_NAMESPACE}"><ApplicationId>${SKYPE_AB_APPLICATION_ID}</ApplicationId>` +
    `<IsMigration>false</IsMigration><PartnerScenario>${escapeXml(e.partnerScenario)}</PartnerScenario>` +
    (e.cacheKey ? `<CacheKey>${escapeXml(e.cacheKey)}</CacheKey>` : '') +
    '</ABApplicationHeader>' +
    `<ABAuthHeader xmlns="${AB_NAMESPACE}"><ManagedGroupRequest>false</ManagedGroupRequest>` +
    `<TicketToken>${escapeXml(e.ticket)}</TicketToken></ABAuthHeader>` +
    `</soap:Header><soap:Body>${e.body}</soap:Body></soap:Envelope>`
  )
}

/** spec §13.2 (the Skype variant): the allow, block, reverse and pending lists of the Messenger service. */
export function findMembershipByRoleBody(roles: readonly string[] = ['Allow', 'Block', 'Reverse', 'Pending']): string {
  return (
    `<FindMembershipByRole xmlns="${AB_NAMESPACE}"><serviceFilter><Types><ServiceType>Messenger</ServiceType></Types></serviceFilter>` +
    `<includedRoles>${roles.map((r) => `<RoleId>${r}</RoleId>`).join('')}</includedRoles>` +
    '<view>Full</view><expandMembership>true</expandMembership></FindMembershipByRole>'
  )
}

/** spec §13.3: the forward list with details, one page of up to 1500 contacts. */
export function abFindContactsPagedBody(): string {
  return (
    `<ABFindContactsPaged xmlns="${AB_NAMESPACE}"><abView>MessengerClient8</abView><extendedContent>AB AllGroups CircleResult</extendedContent>` +
    '<filterOptions><DeltasOnly>false</DeltasOnly><LastChanged>0001-01-01T00:00:00.0000000-08:00</LastChanged>' +
    '<ContactFilter><IncludeHiddenContacts>true</IncludeHiddenContacts></ContactFilter></filterOptions>' +
    '<pageContext><PageSize>1500</PageSize><Direction>Forward</Direction></pageContext></ABFindContactsPaged>'
  )
}

/** spec §13.4. */
export function findAllBlockedContactsBody(): string {
  return `<FindAllBlockedContacts xmlns="${AB_NAMESPACE}"/>`
}
