// Passport RST2 (spec §4.3): the WS-Trust password login that MSNP21 servers still use
// (Escargot). One request asks for the messengerclear.live.com ticket with its proof key
// (for the MBI blob, §4.4) and the contacts.msn.com ticket (for the address book).

import { JunctionError } from '../../../../shared/errors'
import type { SkypeConfig } from '../config'
import { httpRequest, statusError } from '../http'
import { children, escapeXml, parseXml, text } from '../xml'

export interface PassportTicket {
  /** `t=…&p=`, un-escaped. */
  ticket: string
  expiresAt: number
  /** base64 proof key (messengerclear only). */
  secret?: string
}

export interface PassportTickets {
  messenger: PassportTicket & { secret: string }
  contacts: PassportTicket
}

const PASSPORT = 'the Passport sign-in service'
/** spec §4.3: WLM 2011's hosting app id. */
const HOSTING_APP = '{7108E71A-9926-4FCB-BCC9-9A9D3F32E423}'
/** spec §4.3: a property bag holding the LCID ("lc" = "1033"). */
const REQUEST_PARAMS = Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, 0x6c, 0x63, 4, 0, 0, 0, 0x31, 0x30, 0x33, 0x33]).toString('base64')

const SERVICES: [address: string, policy: string | null][] = [
  ['http://Passport.NET/tb', null],
  ['messengerclear.live.com', 'MBI_KEY_OLD'],
  ['contacts.msn.com', 'MBI']
]

export function rst2Request(email: string, password: string): string {
  const tokens = SERVICES.map(
    ([address, policy], i) =>
      `<wst:RequestSecurityToken Id="RST${i}"><wst:RequestType>http://schemas.xmlsoap.org/ws/2005/02/trust/Issue</wst:RequestType>` +
      `<wsp:AppliesTo><wsa:EndpointReference><wsa:Address>${address}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>` +
      (policy ? `<wsp:PolicyReference URI="${policy}"></wsp:PolicyReference>` : '') +
      '</wst:RequestSecurityToken>'
  )
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsse="http://schemas.xmlsoap.org/ws/2003/06/secext"' +
    ' xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion" xmlns:wsp="http://schemas.xmlsoap.org/ws/2002/12/policy"' +
    ' xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"' +
    ' xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:wssc="http://schemas.xmlsoap.org/ws/2005/02/sc"' +
    ' xmlns:wst="http://schemas.xmlsoap.org/ws/2005/02/trust"><s:Header>' +
    '<ps:AuthInfo xmlns:ps="http://schemas.microsoft.com/Passport/SoapServices/PPCRL" Id="PPAuthInfo">' +
    `<ps:HostingApp>${HOSTING_APP}</ps:HostingApp><ps:BinaryVersion>5</ps:BinaryVersion><ps:UIVersion>1</ps:UIVersion>` +
    `<ps:Cookies></ps:Cookies><ps:RequestParams>${REQUEST_PARAMS}</ps:RequestParams></ps:AuthInfo>` +
    `<wsse:Security><wsse:UsernameToken wsu:Id="user"><wsse:Username>${escapeXml(email)}</wsse:Username>` +
    `<wsse:Password>${escapeXml(password)}</wsse:Password></wsse:UsernameToken></wsse:Security></s:Header><s:Body>` +
    `<ps:RequestMultipleSecurityTokens xmlns:ps="http://schemas.microsoft.com/Passport/SoapServices/PPCRL" Id="RSTS">${tokens.join('')}` +
    '</ps:RequestMultipleSecurityTokens></s:Body></s:Envelope>'
  )
}

/** Reads an RST2 reply; a SOAP fault means the e-mail or password was wrong (psf:value 0x80048821). */
export function parseRst2Response(xml: string, now: number): PassportTickets {
  const doc = parseXml(xml, 'Passport reply')
  const body = children(doc, 'Envelope', 'Body')[0]
  if (!body) throw new JunctionError('protocol', 'The Passport reply had no SOAP body.')
  if (children(body, 'Fault').length > 0) {
    const value = text(body, 'Fault', 'Detail', 'error', 'value') ?? text(body, 'Fault', 'detail', 'error', 'value') ?? ''
    throw new JunctionError('auth-failed', 'That e-mail address or password is not right.', { detail: /^0x[0-9a-f]{8}$/i.test(value) ? value : 'SOAP fault' })
  }
  const found = new Map<string, PassportTicket>()
  for (const r of children(body, 'RequestSecurityTokenResponseCollection', 'RequestSecurityTokenResponse')) {
    const address = text(r, 'AppliesTo', 'EndpointReference', 'Address')
    const ticket = text(r, 'RequestedSecurityToken', 'BinarySecurityToken')
    if (!address || !ticket) continue
    const expires = Date.parse(text(r, 'Lifetime', 'Expires') ?? '')
    const t: PassportTicket = { ticket, expiresAt: Number.isFinite(expires) ? expires : now + 86_400_000 }
    const secret = text(r, 'RequestedProofToken', 'BinarySecret')
    if (secret) t.secret = secret
    found.set(address, t)
  }
  const messenger = found.get('messengerclear.live.com')
  const contacts = found.get('contacts.msn.com')
  if (!messenger?.secret || !contacts) throw new JunctionError('protocol', 'The Passport reply did not hold the Messenger tickets.')
  return { messenger: { ...messenger, secret: messenger.secret }, contacts }
}

export async function requestPassportTickets(
  config: SkypeConfig,
  email: string,
  password: string,
  now: () => number,
  signal?: AbortSignal
): Promise<PassportTickets> {
  const res = await httpRequest(
    {
      method: 'POST',
      url: config.passportUrl,
      headers: { 'Content-Type': 'application/soap+xml; charset=utf-8' },
      body: rst2Request(email, password),
      timeoutMs: config.requestTimeoutMs,
      maxBytes: 1024 * 1024,
      ...(signal ? { signal } : {})
    },
    PASSPORT
  )
  // A wrong password comes back as a SOAP fault, with 200 or 500 depending on the server.
  if (res.status !== 200 && res.status !== 500) throw statusError(res.status, PASSPORT)
  return parseRst2Response(res.body.toString('utf8'), now())
}
