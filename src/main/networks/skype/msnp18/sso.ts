// The MSNP18 SSO tickets (msnp18.md §2.4–§2.6): one RequestMultipleSecurityTokens to
// RST2.srf (SOAP 1.2, what WLM 2009 and MSNPSharp 3.1 use) or RST.srf (SOAP 1.1, the
// fallback), asking for MSNPSharp 3.1's seven services. The MBI key is the BinarySecret
// of the messengerclear.live.com response, selected by address: the Passport.NET/tb
// response before it carries a constant one (§2.5).

import { JunctionError } from '../../../../shared/errors'
import { httpRequest, statusError } from '../http'
import { escapeXml, parseXml, type XmlNode, type XmlValue } from '../xml'

export type SsoEndpoint = 'RST2' | 'RST'

/** §2.4: the services MSNPSharp 3.1 requests, in order, with their policies. */
export const SSO_SERVICES: readonly [address: string, policy: string | null][] = [
  ['http://Passport.NET/tb', null],
  ['messengerclear.live.com', 'MBI_KEY_OLD'],
  ['messenger.msn.com', '?id=507'],
  ['messengersecure.live.com', 'MBI_SSL'],
  ['contacts.msn.com', 'MBI'],
  ['storage.msn.com', 'MBI'],
  ['sup.live.com', 'MBI']
]

export interface SsoTicket {
  /** `t=…&p=`, un-escaped. */
  ticket: string
  expiresAt: number
}

export interface SsoTickets {
  /** messengerclear.live.com: the `USR … SSO S` ticket and, as `secret`, the MBI key. */
  messenger: SsoTicket & { secret: string }
  /** contacts.msn.com (ABCH, §3.2). */
  contacts: SsoTicket
  /** messenger.msn.com (RSI, §5.9). */
  web: SsoTicket
  /** messengersecure.live.com (OIM Store2, §5.9). */
  secure: SsoTicket
}

const HOSTING_APP = '{7108E71A-9926-4FCB-BCC9-9A9D3F32E423}'
/** §2.4: `01000000 02000000 "lc" 04000000 "1033"`. */
const REQUEST_PARAMS = 'AQAAAAIAAABsYwQAAAAxMDMz'

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** §2.4: the RST2.srf request, as verified (no whitespace between tags). */
export function rst2Request(account: string, password: string, now: number): string {
  const tokens = SSO_SERVICES.map(
    ([address, policy], i) =>
      `<wst:RequestSecurityToken Id="RST${i}"><wst:RequestType>http://schemas.xmlsoap.org/ws/2005/02/trust/Issue</wst:RequestType>` +
      `<wsp:AppliesTo><wsa:EndpointReference><wsa:Address>${address}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>` +
      (policy ? `<wsp:PolicyReference URI="${escapeXml(policy)}"></wsp:PolicyReference>` : '') +
      '</wst:RequestSecurityToken>'
  ).join('')
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsse="http://schemas.xmlsoap.org/ws/2003/06/secext"' +
    ' xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion" xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"' +
    ' xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" xmlns:wsa="http://www.w3.org/2005/08/addressing"' +
    ' xmlns:wssc="http://schemas.xmlsoap.org/ws/2005/02/sc" xmlns:wst="http://schemas.xmlsoap.org/ws/2005/02/trust">' +
    '<s:Header><wsa:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue</wsa:Action>' +
    '<wsa:To s:mustUnderstand="1">HTTPS://login.live.com:443//RST2.srf</wsa:To>' +
    '<ps:AuthInfo xmlns:ps="http://schemas.microsoft.com/Passport/SoapServices/PPCRL" Id="PPAuthInfo">' +
    `<ps:HostingApp>${HOSTING_APP}</ps:HostingApp><ps:BinaryVersion>5</ps:BinaryVersion><ps:UIVersion>1</ps:UIVersion>` +
    `<ps:Cookies></ps:Cookies><ps:RequestParams>${REQUEST_PARAMS}</ps:RequestParams></ps:AuthInfo>` +
    `<wsse:Security><wsse:UsernameToken wsu:Id="user"><wsse:Username>${escapeXml(account)}</wsse:Username>` +
    `<wsse:Password>${escapeXml(password)}</wsse:Password></wsse:UsernameToken>` +
    `<wsu:Timestamp Id="Timestamp"><wsu:Created>${stamp(now)}</wsu:Created><wsu:Expires>${stamp(now + 300_000)}</wsu:Expires></wsu:Timestamp>` +
    '</wsse:Security></s:Header><s:Body>' +
    `<ps:RequestMultipleSecurityTokens xmlns:ps="http://schemas.microsoft.com/Passport/SoapServices/PPCRL" Id="RSTS">${tokens}` +
    '</ps:RequestMultipleSecurityTokens></s:Body></s:Envelope>'
  )
}

/** §2.4: the RST.srf (SOAP 1.1, WS-Trust 2004/04) variant of the same request. */
export function rstRequest(account: string, password: string): string {
  const tokens = SSO_SERVICES.map(
    ([address, policy], i) =>
      `<wst:RequestSecurityToken Id="RST${i}"><wst:RequestType>http://schemas.xmlsoap.org/ws/2004/04/security/trust/Issue</wst:RequestType>` +
      `<wsp:AppliesTo><wsa:EndpointReference><wsa:Address>${address}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>` +
      (policy ? `<wsse:PolicyReference URI="${escapeXml(policy)}"/>` : '') +
      '</wst:RequestSecurityToken>'
  ).join('')
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsse="http://schemas.xmlsoap.org/ws/2003/06/secext"' +
    ' xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion" xmlns:wsp="http://schemas.xmlsoap.org/ws/2002/12/policy"' +
    ' xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/03/addressing"' +
    ' xmlns:wssc="http://schemas.xmlsoap.org/ws/2004/04/sc" xmlns:wst="http://schemas.xmlsoap.org/ws/2004/04/trust"><Header>' +
    '<ps:AuthInfo xmlns:ps="http://schemas.microsoft.com/Passport/SoapServices/PPCRL" Id="PPAuthInfo">' +
    `<ps:HostingApp>${HOSTING_APP}</ps:HostingApp><ps:BinaryVersion>4</ps:BinaryVersion><ps:UIVersion>1</ps:UIVersion>` +
    `<ps:Cookies></ps:Cookies><ps:RequestParams>${REQUEST_PARAMS}</ps:RequestParams></ps:AuthInfo>` +
    `<wsse:Security><wsse:UsernameToken Id="user"><wsse:Username>${escapeXml(account)}</wsse:Username>` +
    `<wsse:Password>${escapeXml(password)}</wsse:Password></wsse:UsernameToken></wsse:Security></Header><Body>` +
    `<ps:RequestMultipleSecurityTokens xmlns:ps="http://schemas.microsoft.com/Passport/SoapServices/PPCRL" Id="RSTS">${tokens}` +
    '</ps:RequestMultipleSecurityTokens></Body></Envelope>'
  )
}

/** Every element named `name` (any namespace, any case) anywhere under `node`, bounded in depth. */
function findAll(node: XmlValue, name: string, out: XmlNode[] = [], depth = 0): XmlNode[] {
  if (depth > 40) return out
  if (Array.isArray(node)) {
    for (const n of node) findAll(n, name, out, depth + 1)
    return out
  }
  if (typeof node !== 'object') return out
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@')) continue
    if (key.toLowerCase() === name) for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'object' && !Array.isArray(v)) out.push(v)
    findAll(value, name, out, depth + 1)
  }
  return out
}

function textOf(node: XmlValue | undefined): string | undefined {
  if (typeof node === 'string') return node
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    const t = node['#text']
    return typeof t === 'string' ? t : undefined
  }
  return undefined
}

function firstText(node: XmlNode, name: string): string | undefined {
  const lower = name.toLowerCase()
  const stack: XmlValue[] = [node]
  for (let steps = 0; stack.length > 0 && steps < 10_000; steps++) {
    const cur = stack.shift()!
    if (Array.isArray(cur)) {
      stack.push(...cur)
      continue
    }
    if (typeof cur !== 'object') continue
    for (const [key, value] of Object.entries(cur)) {
      if (key.startsWith('@')) continue
      if (key.toLowerCase() === lower) {
        const t = textOf(Array.isArray(value) ? value[0] : value)
        if (t !== undefined) return t
      }
      stack.push(value)
    }
  }
  return undefined
}

/** §2.5–§2.6: reads an RST/RST2 reply, whatever its SOAP version, and whether or not a fault sits in a Body. */
export function parseSsoResponse(xml: string, now: number): SsoTickets {
  // §2.6: an unknown account and a wrong password give the same fault; the HTTP status says nothing.
  if (/FailedAuthentication|0x80048821|0x80048823/.test(xml)) {
    throw new JunctionError('auth-failed', 'That e-mail address or password is not right.', { reason: { code: 'credentials-refused' } })
  }
  let doc: XmlNode
  try {
    doc = parseXml(xml, 'Passport reply')
  } catch (error) {
    throw new JunctionError('unavailable', 'The Messenger sign-in service sent an unreadable answer.', { cause: error, reason: { code: 'server-unavailable' } })
  }
  const found = new Map<string, SsoTicket & { secret?: string }>()
  for (const r of findAll(doc, 'requestsecuritytokenresponse')) {
    const address = firstText(r, 'Address')?.trim().toLowerCase()
    const token = findAll(r, 'requestedsecuritytoken')[0]
    const ticket = token ? firstText(token, 'BinarySecurityToken') : undefined
    if (!address || !ticket || found.has(address)) continue
    const lifetime = findAll(r, 'lifetime')[0]
    const expires = Date.parse((lifetime && firstText(lifetime, 'Expires')) ?? '')
    const entry: SsoTicket & { secret?: string } = { ticket: ticket.trim(), expiresAt: Number.isFinite(expires) ? expires : now + 86_400_000 }
    const proof = findAll(r, 'requestedprooftoken')[0]
    const secret = proof ? firstText(proof, 'BinarySecret') : undefined
    if (secret) entry.secret = secret.trim()
    found.set(address, entry)
  }
  const messenger = found.get('messengerclear.live.com')
  if (!messenger?.secret || !/^[A-Za-z0-9+/=]{16,88}$/.test(messenger.secret)) {
    throw new JunctionError('unavailable', 'The Messenger sign-in service did not hand out a Messenger ticket.', { reason: { code: 'server-unavailable' } })
  }
  const strip = (t: SsoTicket & { secret?: string }): SsoTicket => ({ ticket: t.ticket, expiresAt: t.expiresAt })
  // §7.2 row 4: keep the services apart; a server that issued fewer falls back to the Messenger ticket.
  const pick = (address: string): SsoTicket => strip(found.get(address) ?? messenger)
  return {
    messenger: { ...strip(messenger), secret: messenger.secret },
    contacts: pick('contacts.msn.com'),
    web: pick('messenger.msn.com'),
    secure: pick('messengersecure.live.com')
  }
}

const SERVICE = 'the Messenger sign-in service'

export interface SsoOptions {
  /** The service root, e.g. `https://msnmsgr.escargot.chat` (§8); `/RST2.srf` and `/RST.srf` are under it. */
  baseUrl: string
  account: string
  password: string
  timeoutMs: number
  now: () => number
  signal?: AbortSignal
}

/** §2.4 recommendation: RST2.srf first; RST.srf when the server has no RST2. */
export async function requestSsoTickets(o: SsoOptions): Promise<SsoTickets> {
  try {
    return await post(o, 'RST2')
  } catch (error) {
    if (!(error instanceof JunctionError) || error.detail !== 'no RST2') throw error
    return post(o, 'RST')
  }
}

async function post(o: SsoOptions, endpoint: SsoEndpoint): Promise<SsoTickets> {
  const rst2 = endpoint === 'RST2'
  const res = await httpRequest(
    {
      method: 'POST',
      url: new URL(`${endpoint}.srf`, o.baseUrl.endsWith('/') ? o.baseUrl : `${o.baseUrl}/`).toString(),
      headers: { 'Content-Type': rst2 ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8' },
      body: rst2 ? rst2Request(o.account, o.password, o.now()) : rstRequest(o.account, o.password),
      timeoutMs: o.timeoutMs,
      maxBytes: 1024 * 1024,
      ...(o.signal ? { signal: o.signal } : {})
    },
    SERVICE
  )
  if (rst2 && (res.status === 404 || res.status === 405)) throw new JunctionError('unavailable', 'No RST2.srf here.', { detail: 'no RST2' })
  const xml = res.body.toString('utf8')
  if (res.status !== 200 && !xml.includes('Envelope')) throw statusError(res.status, SERVICE)
  return parseSsoResponse(xml, o.now())
}

/** The account's SSO tickets, fetched once and renewed with the saved password shortly before they expire (§2.5: 24 h). */
export class SsoTicketCache {
  private current: SsoTickets | null = null
  private inflight: Promise<SsoTickets> | null = null

  constructor(private readonly o: Omit<SsoOptions, 'signal'>) {}

  tickets(): Promise<SsoTickets> {
    if (this.current && this.o.now() < this.current.messenger.expiresAt - 60_000) return Promise.resolve(this.current)
    this.inflight ??= requestSsoTickets(this.o)
      .then((t) => (this.current = t))
      .finally(() => (this.inflight = null))
    return this.inflight
  }

  /** The server refused the ticket (911): the next use asks again. */
  invalidate(): void {
    this.current = null
  }
}
