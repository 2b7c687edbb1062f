// The HTTP side of the MSNP18 reference server: RST2.srf / RST.srf (msnp18.md §2.4–§2.6)
// and the address book (§3.2, §3.8–§3.10): FindMembership, ABFindContactsPaged,
// ABContactAdd/Delete, AddMember/DeleteMember, with 403 for a ticket without a signed-in NS
// session and FullSyncRequired for any delta request. FindMembershipByRole faults, as on
// Escargot (issue 16).

import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Presence18 } from './presence'
import { payloadBytes } from './wire'
import { AL, BL, FL, PL, RL, type Account, type World18 } from './world'

/** §2.5: the constant Passport.NET/tb BinarySecret, which is NOT the MBI key. */
export const TB_SECRET = 'tgoPVK67sU36fQKlGLMgWgTXp7oiaQgE'
const TAIL = 'Z'.repeat(1030)

export interface HttpContext {
  world: World18
  presence: Presence18
  now(): number
  /** Test switch: serve RST.srf only (RST2 → 404), like an older server. */
  rstOnly: boolean
}

function xmlEsc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function unesc(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
}

/** The text of every element with this local name, any namespace. */
function all(xml: string, local: string): string[] {
  return [...xml.matchAll(new RegExp(`<(?:[\\w-]+:)?${local}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w-]+:)?${local}>`, 'g'))].map((m) => unesc(m[1]!.trim()))
}

function send(res: ServerResponse, status: number, body: string, type = 'text/xml; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) })
  res.end(body)
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** §2.6: the two fault shapes (RST2 inside S:Body, RST directly under S:Envelope). */
function authFault(rst2: boolean): string {
  return rst2
    ? '<?xml version="1.0" encoding="utf-8" ?><S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope" xmlns:wst="http://schemas.xmlsoap.org/ws/2005/02/trust" xmlns:psf="http://schemas.microsoft.com/Passport/SoapServices/SOAPFault"><S:Header><psf:pp><psf:serverVersion>1</psf:serverVersion><psf:authstate>0x80048800</psf:authstate><psf:reqstatus>0x80048821</psf:reqstatus></psf:pp></S:Header><S:Body><S:Fault><S:Code><S:Value>S:Sender</S:Value><S:Subcode><S:Value>wst:FailedAuthentication</S:Value></S:Subcode></S:Code><S:Reason><S:Text xml:lang="en-US">Authentication Failure</S:Text></S:Reason><S:Detail><psf:error><psf:value>0x80048821</psf:value><psf:internalerror><psf:code>0x80041012</psf:code><psf:text>The entered and stored passwords do not match.</psf:text></psf:internalerror></psf:error></S:Detail></S:Fault></S:Body></S:Envelope>'
    : '<?xml version="1.0" encoding="utf-8" ?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsse="http://schemas.xmlsoap.org/ws/2003/06/secext" xmlns:psf="http://schemas.microsoft.com/Passport/SoapServices/SOAPFault"><S:Header><psf:pp><psf:authstate>0x80048800</psf:authstate><psf:reqstatus>0x80048823</psf:reqstatus></psf:pp></S:Header><S:Fault><faultcode>wsse:FailedAuthentication</faultcode><faultstring>Authentication Failure</faultstring></S:Fault></S:Envelope>'
}

/** §2.5: Passport.NET/tb first (always), then one response per requested address, Compact<n> in request order. */
function tokens(ctx: HttpContext, account: Account, addresses: string[], rst2: boolean): string {
  const now = ctx.now()
  const secret = randomBytes(24).toString('base64')
  const ticket = ctx.world.issueTicket(account.email, secret, now)
  const value = `t=${ticket.id}${TAIL}&p=`
  const life = rst2 ? 'Lifetime' : 'LifeTime'
  const wst = rst2 ? 'http://schemas.xmlsoap.org/ws/2005/02/trust' : 'http://schemas.xmlsoap.org/ws/2004/04/trust'
  const wsa = rst2 ? 'http://www.w3.org/2005/08/addressing' : 'http://schemas.xmlsoap.org/ws/2004/03/addressing'
  const soap = rst2 ? 'http://www.w3.org/2003/05/soap-envelope' : 'http://schemas.xmlsoap.org/soap/envelope/'
  const lifetime = `<wst:${life}><wsu:Created>${stamp(now)}</wsu:Created><wsu:Expires>${stamp(now + 86_400_000)}</wsu:Expires></wst:${life}>`
  const applies = (a: string): string =>
    `<wsp:AppliesTo xmlns:wsa="${wsa}"><wsa:EndpointReference><wsa:Address>${xmlEsc(a)}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>`
  const list = addresses.filter((a) => a.toLowerCase() !== 'http://passport.net/tb')
  let out =
    `<wst:RequestSecurityTokenResponse><wst:TokenType>urn:passport:legacy</wst:TokenType>${applies('http://Passport.NET/tb')}${lifetime}` +
    '<wst:RequestedSecurityToken><EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#" Id="BinaryDAToken0"><CipherData><CipherValue>AAAA</CipherValue></CipherData></EncryptedData></wst:RequestedSecurityToken>' +
    `<wst:RequestedProofToken><wst:BinarySecret>${TB_SECRET}</wst:BinarySecret></wst:RequestedProofToken></wst:RequestSecurityTokenResponse>`
  const offset = addresses.length > 0 && addresses[0]!.toLowerCase() === 'http://passport.net/tb' ? 2 : 1
  list.forEach((a, i) => {
    const proof =
      a.toLowerCase() === 'messengerclear.live.com' ? `<wst:RequestedProofToken><wst:BinarySecret>${secret}</wst:BinarySecret></wst:RequestedProofToken>` : ''
    out +=
      `<wst:RequestSecurityTokenResponse><wst:TokenType>urn:passport:compact</wst:TokenType>${applies(a)}${lifetime}` +
      `<wst:RequestedSecurityToken><wsse:BinarySecurityToken Id="Compact${i + offset}">${xmlEsc(value)}</wsse:BinarySecurityToken></wst:RequestedSecurityToken>${proof}</wst:RequestSecurityTokenResponse>`
  })
  return (
    `<?xml version="1.0" encoding="utf-8" ?><S:Envelope xmlns:S="${soap}" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">` +
    `<S:Header><psf:pp xmlns:psf="http://schemas.microsoft.com/Passport/SoapServices/SOAPFault"><psf:authstate>0x48803</psf:authstate><psf:reqstatus>0x0</psf:reqstatus></psf:pp></S:Header>` +
    `<S:Body><wst:RequestSecurityTokenResponseCollection xmlns:wst="${wst}" xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy">${out}</wst:RequestSecurityTokenResponseCollection></S:Body></S:Envelope>`
  )
}

export function handleRst(ctx: HttpContext, path: string, body: string, res: ServerResponse): void {
  const rst2 = path === '/RST2.srf'
  if (rst2 && ctx.rstOnly) return send(res, 404, 'not here', 'text/plain')
  if (!/<(?:[\w-]+:)?Envelope[\s>]/.test(body)) {
    return send(
      res,
      200,
      '<?xml version="1.0" encoding="utf-8" ?><S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body><S:Fault><S:Code><S:Value>S:Sender</S:Value><S:Subcode><S:Value>wst:InvalidRequest</S:Value></S:Subcode></S:Code><S:Reason><S:Text>Invalid Request</S:Text></S:Reason></S:Fault></S:Body></S:Envelope>'
    )
  }
  const account = ctx.world.get(all(body, 'Username')[0] ?? '')
  const password = all(body, 'Password')[0] ?? ''
  if (!account || account.simulated || account.password !== password) return send(res, 200, authFault(rst2))
  send(res, 200, tokens(ctx, account, all(body, 'Address'), rst2))
}

// ---- address book ----

const AB = 'http://www.msn.com/webservices/AddressBook'

function soapFault(code: string, text: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>${xmlEsc(text)}</faultstring><detail><errorcode xmlns="${AB}">${code}</errorcode></detail></soap:Fault></soap:Body></soap:Envelope>`
}

function envelope(inner: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><ServiceHeader xmlns="${AB}"><Version>15.01.1408.0000</Version><CacheKeyChanged>false</CacheKeyChanged></ServiceHeader></soap:Header><soap:Body>${inner}</soap:Body></soap:Envelope>`
}

function member(ctx: HttpContext, role: string, email: string): string {
  const a = ctx.world.get(email)
  return `<Member xsi:type="PassportMember" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><MembershipId>${role}/${a?.uuid ?? ''}</MembershipId><Type>Passport</Type><State>Accepted</State><Deleted>false</Deleted><PassportName>${xmlEsc(email)}</PassportName><CID>${a?.cid ?? 0}</CID></Member>`
}

function findMembership(ctx: HttpContext, me: Account): string {
  const roles: [string, number][] = [
    ['Allow', AL],
    ['Block', BL],
    ['Reverse', RL],
    ['Pending', PL]
  ]
  const memberships = roles
    .map(([role, bit]) => {
      // §3.2: Allow/Block/Reverse only once not pending; Pending only while not on FL.
      const members = Object.entries(me.lists).filter(([, b]) => (role === 'Pending' ? b & PL && !(b & FL) : b & bit && !(b & PL)) && b & bit)
      return `<Membership><MemberRole>${role}</MemberRole><Members>${members.map(([e]) => member(ctx, role, e)).join('')}</Members><MembershipIsComplete>true</MembershipIsComplete></Membership>`
    })
    .join('')
  return envelope(
    `<FindMembershipResponse xmlns="${AB}"><FindMembershipResult><Services><Service><Memberships>${memberships}</Memberships><Info><Handle><Id>1</Id><Type>Messenger</Type><ForeignId></ForeignId></Handle></Info></Service></Services>` +
      `<OwnerNamespace><CreatorPassportName>${xmlEsc(me.email)}</CreatorPassportName></OwnerNamespace></FindMembershipResult></FindMembershipResponse>`
  )
}

function findContacts(ctx: HttpContext, me: Account): string {
  const contacts = Object.entries(me.lists)
    .filter(([, b]) => b & FL)
    .map(([email]) => {
      const a = ctx.world.get(email)
      return `<Contact><contactId>${a?.uuid ?? ''}</contactId><contactInfo><contactType>Regular</contactType><passportName>${xmlEsc(email)}</passportName><displayName>${xmlEsc(a?.friendly ?? email)}</displayName><isMessengerUser>true</isMessengerUser><CID>${a?.cid ?? 0}</CID></contactInfo><fDeleted>false</fDeleted></Contact>`
    })
    .join('')
  const meEntry = `<Contact><contactId>${me.uuid}</contactId><contactInfo><contactType>Me</contactType><passportName>${xmlEsc(me.email)}</passportName><displayName>${xmlEsc(me.friendly)}</displayName><annotations><Annotation><Name>MSN.IM.BLP</Name><Value>${me.blp === 'AL' ? 1 : 2}</Value></Annotation></annotations></contactInfo></Contact>`
  return envelope(
    `<ABFindContactsPagedResponse xmlns="${AB}"><ABFindContactsPagedResult><Groups></Groups><Contacts>${contacts}${meEntry}</Contacts><Ab><abId>00000000-0000-0000-0000-000000000000</abId></Ab></ABFindContactsPagedResult></ABFindContactsPagedResponse>`
  )
}

/** §3.8: the other side hears `ADL 0 … l="8" f="…"` and a NOT when online. */
export function pushList(ctx: HttpContext, to: string, from: Account, verb: 'ADL' | 'RML'): void {
  const [local, domain] = from.email.split('@') as [string, string]
  const c = verb === 'ADL' ? `<c n="${local}" t="1" l="8" f="${encodeURIComponent(from.friendly)}" />` : `<c n="${local}" t="1" l="8" />`
  const not = `<NOTIFICATION id="0" siteid="45705" siteurl="http://contacts.msn.com"><TO pid="0x0:0x0" name="${to}"><VIA agent="messenger" /></TO><MSG id="0"><SUBSCR url="s.htm" /><ACTION url="a.htm" /><BODY>&lt;NotificationData&gt;&lt;Service&gt;ABCHInternal&lt;/Service&gt;&lt;/NotificationData&gt;</BODY></MSG></NOTIFICATION>`
  for (const e of ctx.presence.real(to)) e.send(Buffer.concat([payloadBytes([verb, 0], `<ml><d n="${domain}">${c}</d></ml>`), payloadBytes(['NOT'], not)]))
}

/** §3.8: ABContactAdd's work: `me` gets `other` on FL; `other` gets `me` on RL, and PL until answered. */
export function addToList(ctx: HttpContext, me: Account, other: Account): void {
  ctx.world.setBits(me.email, other.email, FL)
  const theirs = ctx.world.bits(other.email, me.email)
  ctx.world.setBits(other.email, me.email, theirs & FL ? RL : RL | PL)
  pushList(ctx, other.email, me, 'ADL')
}

export function handleAbch(ctx: HttpContext, body: string, res: ServerResponse): void {
  const ticket = ctx.world.ticketOf(all(body, 'TicketToken')[0] ?? '', ctx.now())
  const me = ticket ? ctx.world.get(ticket.email) : undefined
  // §3.1: ABCH needs a signed-in NS session whose ticket it carries.
  if (!me || ctx.presence.real(me.email).length === 0) return send(res, 403, 'Forbidden', 'text/plain')
  if (/<(deltasOnly|DeltasOnly)>\s*true\s*</.test(body))
    return send(res, 200, soapFault('FullSyncRequired', 'Full sync required. Details: Delta syncs disabled.'))
  const method = /<soap:Body>\s*<(\w+)/.exec(body)?.[1] ?? /<(?:\w+:)?Body[^>]*>\s*<(?:\w+:)?(\w+)/.exec(body)?.[1] ?? ''
  switch (method) {
    case 'FindMembership':
      return send(res, 200, findMembership(ctx, me))
    case 'ABFindContactsPaged':
      return send(res, 200, findContacts(ctx, me))
    case 'ABContactAdd': {
      const email = (all(body, 'passportName')[0] ?? '').toLowerCase()
      if (!email.includes('@') || !email.includes('.')) return send(res, 500, soapFault('BadEmailArgument', 'bad e-mail'))
      const other = ctx.world.get(email)
      if (!other) return send(res, 500, soapFault('InvalidPassportUser', 'no such user'))
      addToList(ctx, me, other)
      return send(
        res,
        200,
        envelope(`<ABContactAddResponse xmlns="${AB}"><ABContactAddResult><guid>${other.uuid}</guid></ABContactAddResult></ABContactAddResponse>`)
      )
    }
    case 'ABContactDelete': {
      const id = all(body, 'contactId')[0] ?? ''
      const other = [...ctx.world.accounts.values()].find((a) => a.uuid === id)
      if (other) {
        ctx.world.setBits(me.email, other.email, 0, FL)
        ctx.world.setBits(other.email, me.email, 0, RL | PL)
        pushList(ctx, other.email, me, 'RML')
      }
      return send(res, 200, envelope(`<ABContactDeleteResponse xmlns="${AB}"/>`))
    }
    case 'AddMember':
    case 'DeleteMember': {
      const role = all(body, 'MemberRole')[0] ?? ''
      const bit = { Allow: AL, Block: BL, Pending: PL, Reverse: RL }[role] ?? 0
      for (const email of all(body, 'PassportName').map((e) => e.toLowerCase())) {
        if (!ctx.world.get(email)) continue
        if (method === 'AddMember') ctx.world.setBits(me.email, email, bit)
        else ctx.world.setBits(me.email, email, 0, bit)
      }
      return send(res, 200, envelope(`<${method}Response xmlns="${AB}"/>`))
    }
    case 'ABContactUpdate':
      return send(res, 200, envelope(`<ABContactUpdateResponse xmlns="${AB}"/>`))
    default:
      return send(res, 500, soapFault('InvalidArgument', `${method} is not served here`))
  }
}

export function readRequest(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) {
        req.destroy()
        reject(new Error('request too large'))
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
