// The Skype glue services of the reference server: api.skype.com `rps/me` and `usermap`
// (spec §10.4), the ABCH SOAP address book (§13) and ActiveSync over WBXML (§14).

import type { ServerResponse } from 'node:http'
// Shared with the client only because spec §14.2–§14.4's byte vectors pin them (WBXML, the query value); see server.ts.
import { decodeActiveSyncQuery } from '../../../src/main/networks/skype/activesync/query'
import { decodeWbxml, el, encodeWbxml, type WbxmlElement } from '../../../src/main/networks/skype/activesync/wbxml'
import { tagText, xmlEscape } from './wire'
import { displayName, type SkypeUser } from './records'
import type { SkypeWorld } from './world'

export interface ServicesOptions {
  world: SkypeWorld
  /** `127.0.0.1:<port>`, handed out as PreferredHostName. */
  host: () => string
}

const AB_NS = 'http://www.msn.com/webservices/AddressBook'

/** spec §14.4: the folders Skype's FolderSync listed, with their SIDs. */
const FOLDERS = [
  { id: '1', name: 'People', type: '9', sid: 'PPL' },
  { id: '2', name: 'Internal Contacts', type: '14', sid: 'ABCH' },
  { id: '3', name: 'Block List', type: '14', sid: 'GBL' },
  { id: '4', name: 'Skype Contacts', type: '14', sid: 'SKYPE' },
  { id: '5', name: 'WindowsLive Contacts', type: '14', sid: 'WL' }
]

export class SkypeServices {
  private readonly syncStates = new Map<string, { folder: string; offset: number }>()
  private nextSyncKey = 1

  constructor(private readonly o: ServicesOptions) {}

  /** `GET /rps/me` and `/partners/999/usermap`, JSON or JSONP (spec §10.4). */
  glue(url: URL, res: ServerResponse): void {
    const user = this.o.world.checkToken(url.searchParams.get('access_token'), /skype\.com::MBI_SSL$/)
    if (!user) {
      res.writeHead(401, { 'Content-Type': 'application/json' })
      return void res.end('{"status":{"code":40101,"text":"Authentication failed"}}')
    }
    const body =
      url.pathname === '/rps/me'
        ? {
            gender: 'f',
            siteId: 287688,
            firstName: user.firstName,
            cid: user.cid,
            siteName: 'skype.com',
            lastName: user.lastName,
            country: 'UK',
            email: user.email,
            birthdate: '1990-05-04'
          }
        : { uid: user.cid, username: user.skypeName, status: 'ACTIVE', partnerUsername: user.email }
    const json = JSON.stringify(body)
    const callback = url.searchParams.get('jsoncallback')
    res.writeHead(200, { 'Content-Type': callback ? 'application/javascript' : 'application/json' })
    res.end(callback && /^[A-Za-z_$][\w$]*$/.test(callback) ? `${callback}(${json})` : json)
  }

  private abUser(xml: string): SkypeUser | undefined {
    const ticket = tagText(xml, 'TicketToken') ?? ''
    const oauth = this.o.world.checkToken(ticket, /contacts\.msn\.com/)
    if (oauth) return oauth
    const passport = this.o.world.passportTickets.get(ticket)
    return passport && passport.scope === 'contacts.msn.com' && passport.expiresAt > this.o.world.now() ? this.o.world.users.get(passport.user) : undefined
  }

  private soap(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8' })
    res.end(
      '<?xml version=\'1.0\' encoding=\'utf-8\'?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">' +
        `<soap:Header><ServiceHeader xmlns="${AB_NS}"><Version>17.3.1483.1118</Version><CacheKey>14r2;${Date.now().toString(36)}</CacheKey><CacheKeyChanged>true</CacheKeyChanged>` +
        `<PreferredHostName>${this.o.host()}</PreferredHostName><SessionId>ABCH.a19de4c1-28fa-4432-8c9e-959c5eaba9e7</SessionId></ServiceHeader></soap:Header>` +
        `<soap:Body>${body}</soap:Body></soap:Envelope>`
    )
  }

  /** spec §13.2–§13.4 on SharingService.asmx and abservice.asmx. */
  addressBook(xml: string, res: ServerResponse): void {
    if (!xml.includes('<ABApplicationHeader') || !xml.includes('<ABAuthHeader')) return this.fault(res, 'BadRequest', 'Missing headers')
    const user = this.abUser(xml)
    if (!user) return this.fault(res, 'BadAuthenticationToken', 'The ticket is not valid')
    const w = this.o.world
    const member = (u: SkypeUser, role: string): string =>
      `<Member xsi:type="PassportMember"><MembershipId>${role}/${u.cid}</MembershipId><Type>Passport</Type><State>Accepted</State><Deleted>false</Deleted>` +
      `<PassportName>${xmlEscape(u.email)}</PassportName><IsPassportNameHidden>false</IsPassportNameHidden><PassportId>0</PassportId><CID>${BigInt.asIntN(64, BigInt(`0x${u.cid}`))}</CID><DisplayName>${xmlEscape(displayName(u))}</DisplayName></Member>`
    if (xml.includes('<FindMembershipByRole')) {
      const roles = [
        ['Allow', user.abContacts],
        ['Block', user.blocked]
      ] as const
      const memberships = roles
        .map(
          ([role, keys]) =>
            `<Membership><MemberRole>${role}</MemberRole><Members>${keys.map((k) => member(w.user(k), role)).join('')}</Members><MembershipIsComplete>true</MembershipIsComplete></Membership>`
        )
        .join('')
      return this.soap(
        res,
        200,
        `<FindMembershipByRoleResponse xmlns="${AB_NS}"><FindMembershipByRoleResult><Services><Service><Memberships>${memberships}</Memberships>` +
          '<Info><Handle><Id>1</Id><Type>Messenger</Type><ForeignId/></Handle><InverseRequired>false</InverseRequired></Info><Changes/><LastChange>2014-01-05T14:12:34.827-08:00</LastChange><Deleted>false</Deleted></Service></Services>' +
          `<OwnerNamespace><Info><Handle><Id>00000000-0000-0000-0000-000000000000</Id><IsPassportNameHidden>false</IsPassportNameHidden><CID>0</CID></Handle><CreatorPuid>0</CreatorPuid><CreatorCID>${BigInt.asIntN(64, BigInt(`0x${user.cid}`))}</CreatorCID><CreatorPassportName>${xmlEscape(user.email)}</CreatorPassportName></Info></OwnerNamespace>` +
          '</FindMembershipByRoleResult></FindMembershipByRoleResponse>'
      )
    }
    const contact = (u: SkypeUser, type: string): string =>
      `<Contact><contactId>${u.cid}-0000-0000-0000-000000000000</contactId><contactInfo><contactType>${type}</contactType><quickName>${xmlEscape(u.firstName)}</quickName>` +
      `<firstName>${xmlEscape(u.firstName)}</firstName><lastName>${xmlEscape(u.lastName)}</lastName><passportName>${xmlEscape(u.email)}</passportName><IsPassportNameHidden>false</IsPassportNameHidden>` +
      `<displayName>${xmlEscape(displayName(u))}</displayName><puid>0</puid><CID>${BigInt.asIntN(64, BigInt(`0x${u.cid}`))}</CID><isMessengerUser>true</isMessengerUser></contactInfo>` +
      '<propertiesChanged/><fDeleted>false</fDeleted><lastChange>2014-01-05T14:12:34.827-08:00</lastChange></Contact>'
    if (xml.includes('<ABFindContactsPaged')) {
      const contacts = [contact(user, 'Me'), ...user.abContacts.map((k) => contact(w.user(k), 'Live'))].join('')
      return this.soap(
        res,
        200,
        `<ABFindContactsPagedResponse xmlns="${AB_NS}"><ABFindContactsPagedResult><Groups/><Contacts>${contacts}</Contacts><CircleResult><CircleTicket>x</CircleTicket></CircleResult></ABFindContactsPagedResult></ABFindContactsPagedResponse>`
      )
    }
    if (xml.includes('<FindAllBlockedContacts')) {
      // spec §13.4: only an empty reply was captured; contacts in the §13.3 shape are the mock's guess.
      const blocked = user.blocked.map((k) => contact(w.user(k), 'Live')).join('')
      return this.soap(
        res,
        200,
        `<FindAllBlockedContactsResponse xmlns="${AB_NS}"><FindAllBlockedContactsResult>${blocked ? `<Contacts>${blocked}</Contacts>` : ''}</FindAllBlockedContactsResult></FindAllBlockedContactsResponse>`
      )
    }
    this.fault(res, 'NotImplemented', 'Unknown method')
  }

  private fault(res: ServerResponse, code: string, text: string): void {
    this.soap(
      res,
      500,
      `<soap:Fault><faultcode>soap:Client</faultcode><faultstring>${text}</faultstring><detail><errorcode xmlns="${AB_NS}">${code}</errorcode></detail></soap:Fault>`
    )
  }

  /** spec §14: FolderSync with SIDs, then Sync pages of the Skype, block-list and Windows Live folders. */
  activeSync(url: URL, auth: string | undefined, body: Buffer, res: ServerResponse): void {
    const user = auth?.startsWith('RPSToken ') ? this.o.world.checkToken(auth.slice(9), /m\.hotmail\.com/) : undefined
    if (!user) return void res.writeHead(401).end()
    let request: WbxmlElement
    let command: string
    try {
      const query = decodeActiveSyncQuery(url.search.slice(1))
      if (query.protocolVersion !== 140 || query.deviceType !== 'ClassicSkype') return void res.writeHead(400).end()
      command = query.command
      request = decodeWbxml(body)
    } catch {
      return void res.writeHead(400).end()
    }
    const send = (reply: WbxmlElement): void => {
      res.writeHead(200, { 'Content-Type': 'application/vnd.ms-sync.wbxml' })
      res.end(Buffer.from(encodeWbxml(reply)))
    }
    if (command === 'FolderSync' && request.tag === 'FolderHierarchy:FolderSync') {
      const adds = FOLDERS.map((f) =>
        el(
          'FolderHierarchy:Add',
          el('FolderHierarchy:ServerId', f.id),
          el('FolderHierarchy:ParentId', '0'),
          el('FolderHierarchy:DisplayName', f.name),
          el('FolderHierarchy:Type', f.type),
          el('Skype:PropertyBag', el('Skype:Property', el('Skype:Name', 'SID'), el('Skype:Value', f.sid)))
        )
      )
      return send(
        el(
          'FolderHierarchy:FolderSync',
          el('FolderHierarchy:Status', '1'),
          el('FolderHierarchy:SyncKey', '1'),
          el('FolderHierarchy:Changes', el('FolderHierarchy:Count', String(adds.length)), ...adds)
        )
      )
    }
    if (command === 'Sync' && request.tag === 'AirSync:Sync') return send(this.sync(user, request))
    res.writeHead(400).end()
  }

  private sync(user: SkypeUser, request: WbxmlElement): WbxmlElement {
    const collection = child(child(request, 'AirSync:Collections'), 'AirSync:Collection')
    const folder = text(child(collection, 'AirSync:CollectionId'))
    const key = text(child(collection, 'AirSync:SyncKey'))
    const window = Number(text(child(collection, 'AirSync:WindowSize')) || 100)
    const reply = (syncKey: string, status: string, ...rest: WbxmlElement[]): WbxmlElement =>
      el(
        'AirSync:Sync',
        el(
          'AirSync:Collections',
          el('AirSync:Collection', el('AirSync:SyncKey', syncKey), el('AirSync:CollectionId', folder), el('AirSync:Status', status), ...rest)
        )
      )
    if (key === '0') {
      const next = String(this.nextSyncKey++)
      this.syncStates.set(`${user.key}:${next}`, { folder, offset: 0 })
      return reply(next, '1')
    }
    const state = this.syncStates.get(`${user.key}:${key}`)
    if (!state || state.folder !== folder) return reply('0', '3')
    const sid = FOLDERS.find((f) => f.id === folder)?.sid
    const people = sid === 'SKYPE' ? user.skypeContacts : sid === 'GBL' ? user.blocked : []
    const page = people.slice(state.offset, state.offset + window)
    const next = String(this.nextSyncKey++)
    this.syncStates.set(`${user.key}:${next}`, { folder, offset: state.offset + page.length })
    const adds = page.map((k, i) => {
      const u = this.o.world.user(k)
      return el(
        'AirSync:Add',
        el('AirSync:ServerId', `${folder}:${state.offset + i + 1}`),
        el(
          'AirSync:ApplicationData',
          el('Contacts:FileAs', displayName(u)),
          el('Contacts:FirstName', u.firstName),
          u.lastName ? el('Contacts:LastName', u.lastName) : null,
          el('Contacts:Email1Address', u.email),
          el('Contacts2:IMAddress', u.skypeName)
        )
      )
    })
    const more = state.offset + page.length < people.length
    return reply(next, '1', ...(more ? [el('AirSync:MoreAvailable')] : []), ...(adds.length > 0 ? [el('AirSync:Commands', ...adds)] : []))
  }
}

function child(node: WbxmlElement | undefined, tag: string): WbxmlElement | undefined {
  return node?.children.find((c): c is WbxmlElement => typeof c === 'object' && !(c instanceof Uint8Array) && c.tag === tag)
}

function text(node: WbxmlElement | undefined): string {
  return (node?.children ?? []).filter((c): c is string => typeof c === 'string').join('')
}
