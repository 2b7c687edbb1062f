// The SOAP address book (spec §13): the request envelope has the headers of the seed's
// capture, and replies are read with the XML parser, faults as typed errors.

import { describe, expect, it } from 'vitest'
import { JunctionError, ProtocolError } from '../../../../../src/shared/errors'
import { abEnvelope, abFindContactsPagedBody, findAllBlockedContactsBody, findMembershipByRoleBody } from '../../../../../src/main/networks/skype/abch/envelope'
import { readBlocked, readContacts, readEnvelope, readMemberships } from '../../../../../src/main/networks/skype/abch/parse'
import { parseXml, text } from '../../../../../src/main/networks/skype/xml'

/** The FindMembershipByRole reply of the seed notes (OwnerNamespace only). */
const SEED_REPLY = `<?xml version='1.0' encoding='utf-8'?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <soap:Header>
    <ServiceHeader xmlns="http://www.msn.com/webservices/AddressBook">
      <Version>17.3.1483.1118</Version>
      <CacheKeyChanged>false</CacheKeyChanged>
      <PreferredHostName>proxy-blu-people.directory.live.com</PreferredHostName>
      <SessionId>ABCH.a19de4c1-28fa-4432-8c9e-959c5eaba9e7</SessionId>
    </ServiceHeader>
  </soap:Header>
  <soap:Body>
    <FindMembershipByRoleResponse xmlns="http://www.msn.com/webservices/AddressBook">
      <FindMembershipByRoleResult>
        <OwnerNamespace>
          <Info>
            <Handle>
              <Id>00000000-0000-0000-0000-000000000000</Id>
              <IsPassportNameHidden>false</IsPassportNameHidden>
              <CID>0</CID>
            </Handle>
            <CreatorPuid>0</CreatorPuid>
            <CreatorCID>-123</CreatorCID>
            <CreatorPassportName>REDACTED@hotmail.co.uk</CreatorPassportName>
            <CircleAttributes>
              <IsPresenceEnabled>false</IsPresenceEnabled>
              <Domain>None</Domain>
            </CircleAttributes>
            <MessengerApplicationServiceCreated>false</MessengerApplicationServiceCreated>
          </Info>
          <Changes/>
          <CreateDate>2005-09-23T05:56:24.933-07:00</CreateDate>
          <LastChange>2014-01-05T14:12:34.827-08:00</LastChange>
        </OwnerNamespace>
      </FindMembershipByRoleResult>
    </FindMembershipByRoleResponse>
  </soap:Body>
</soap:Envelope>`

const wrap = (body: string): string =>
  `<?xml version='1.0' encoding='utf-8'?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Header><ServiceHeader xmlns="http://www.msn.com/webservices/AddressBook"><CacheKey>ck1</CacheKey></ServiceHeader></soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`

describe('the request envelope', () => {
  it('carries ABApplicationHeader and ABAuthHeader as in the Skype capture', () => {
    const xml = abEnvelope({ partnerScenario: 'Initial', cacheKey: null, ticket: 't=a&b', body: findMembershipByRoleBody(['Pending']) })
    const doc = parseXml(xml, 'request')
    const header = (doc.Envelope as never as Record<string, unknown>).Header
    expect(text(header as never, 'ABApplicationHeader', 'ApplicationId')).toBe('F6D2794D-501F-443A-ADBE-8F1490FF30FD')
    expect(text(header as never, 'ABApplicationHeader', 'IsMigration')).toBe('false')
    expect(text(header as never, 'ABApplicationHeader', 'PartnerScenario')).toBe('Initial')
    expect(text(header as never, 'ABAuthHeader', 'ManagedGroupRequest')).toBe('false')
    expect(text(header as never, 'ABAuthHeader', 'TicketToken')).toBe('t=a&b')
    expect(xml).toContain('<includedRoles><RoleId>Pending</RoleId></includedRoles><view>Full</view><expandMembership>true</expandMembership>')
    expect(xml).toContain('xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"')
  })

  it('has the three bodies Skype sent', () => {
    expect(findMembershipByRoleBody()).toContain('<ServiceType>Messenger</ServiceType>')
    expect(abFindContactsPagedBody()).toContain('<abView>MessengerClient8</abView>')
    expect(findAllBlockedContactsBody()).toBe('<FindAllBlockedContacts xmlns="http://www.msn.com/webservices/AddressBook"/>')
  })
})

describe('reading replies', () => {
  it('reads the seed\u2019s reply: no memberships, and the preferred host', () => {
    const { header, body } = readEnvelope(SEED_REPLY, 'reply')
    expect(header.preferredHostName).toBe('proxy-blu-people.directory.live.com')
    expect(readMemberships(body)).toEqual([])
  })

  it('reads memberships by role', () => {
    const { header, body } = readEnvelope(
      wrap(
        '<FindMembershipByRoleResponse><FindMembershipByRoleResult><Services><Service><Memberships>' +
          '<Membership><MemberRole>Allow</MemberRole><Members><Member><PassportName>Bob@Hotmail.com</PassportName><DisplayName>Bob</DisplayName></Member>' +
          '<Member><PassportName>gone@hotmail.com</PassportName><Deleted>true</Deleted></Member></Members></Membership>' +
          '<Membership><MemberRole>Block</MemberRole><Members><Member><PassportName>spam@hotmail.com</PassportName></Member></Members></Membership>' +
          '</Memberships></Service></Services></FindMembershipByRoleResult></FindMembershipByRoleResponse>'
      ),
      'reply'
    )
    expect(header.cacheKey).toBe('ck1')
    expect(readMemberships(body)).toEqual([
      { role: 'Allow', address: '1:bob@hotmail.com', displayName: 'Bob' },
      { role: 'Block', address: '1:spam@hotmail.com' }
    ])
  })

  it('reads contacts, skipping Me, deleted and non-Messenger contacts', () => {
    const contact = (type: string, passport: string, extra = ''): string =>
      `<Contact><contactInfo><contactType>${type}</contactType><passportName>${passport}</passportName><displayName>${passport.split('@')[0]}</displayName>${extra}</contactInfo>${type === 'Gone' ? '<fDeleted>true</fDeleted>' : ''}</Contact>`
    const { body } = readEnvelope(
      wrap(
        `<ABFindContactsPagedResponse><ABFindContactsPagedResult><Contacts>${contact('Me', 'alice@hotmail.co.uk')}${contact('Live', 'bob@hotmail.com')}${contact('Gone', 'x@hotmail.com')}${contact('Live', 'y@hotmail.com', '<isMessengerUser>false</isMessengerUser>')}</Contacts></ABFindContactsPagedResult></ABFindContactsPagedResponse>`
      ),
      'reply'
    )
    expect(readContacts(body)).toEqual([{ address: '1:bob@hotmail.com', name: 'bob' }])
  })

  it('reads blocked contacts from the captured empty shape and from a populated one', () => {
    expect(
      readBlocked(readEnvelope(wrap('<FindAllBlockedContactsResponse><FindAllBlockedContactsResult/></FindAllBlockedContactsResponse>'), 'reply').body)
    ).toEqual([])
    const populated =
      '<FindAllBlockedContactsResponse><FindAllBlockedContactsResult><Contacts><Contact><contactInfo><passportName>spam@hotmail.com</passportName></contactInfo></Contact></Contacts></FindAllBlockedContactsResult></FindAllBlockedContactsResponse>'
    expect(readBlocked(readEnvelope(wrap(populated), 'reply').body)).toEqual(['1:spam@hotmail.com'])
  })

  it('turns faults into typed errors and bad XML into a ProtocolError', () => {
    const fault = (code: string): string =>
      wrap(`<soap:Fault><faultcode>soap:Client</faultcode><faultstring>x</faultstring><detail><errorcode>${code}</errorcode></detail></soap:Fault>`)
    expect(() => readEnvelope(fault('BadAuthenticationToken'), 'reply')).toThrow(expect.objectContaining({ code: 'auth-failed' }))
    expect(() => readEnvelope(fault('FullSyncRequired'), 'reply')).toThrow(expect.objectContaining({ code: 'rejected', detail: 'FullSyncRequired' }))
    expect(() => readEnvelope('<soap:Envelope><soap:Body>', 'reply')).toThrow(ProtocolError)
    expect(() => readEnvelope('<x/>', 'reply')).toThrow(JunctionError)
  })
})
