// Address-book replies (spec §13.2–13.4), read with the XML parser. Every field is
// optional: the Skype capture returned only `OwnerNamespace` for an empty pending list,
// and the populated FindAllBlockedContacts shape was never captured.

import { JunctionError } from '../../../../shared/errors'
import { children, parseXml, text, type XmlNode, type XmlValue } from '../xml'

export interface ServiceHeader {
  cacheKey?: string
  preferredHostName?: string
}

export interface Membership {
  role: string
  address: string
  displayName?: string
}

export interface AbContact {
  address: string
  name: string
}

export function readEnvelope(xml: string, what: string): { header: ServiceHeader; body: XmlNode } {
  const doc = parseXml(xml, what)
  const envelope = children(doc, 'Envelope')[0]
  const body = children(envelope, 'Body')[0]
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new JunctionError('protocol', `The ${what} had no SOAP body.`)
  const fault = children(body, 'Fault')[0]
  if (fault) {
    const code = text(fault, 'detail', 'errorcode') ?? text(fault, 'faultcode') ?? 'Fault'
    const safe = /^[\w:.-]{1,60}$/.test(code) ? code : 'Fault'
    if (/auth|ticket|token|passport/i.test(code))
      throw new JunctionError('auth-failed', 'The address book refused the sign-in. Sign in again.', { detail: safe })
    throw new JunctionError('rejected', 'The address book refused the request.', { detail: safe })
  }
  const sh = children(envelope, 'Header', 'ServiceHeader')[0]
  const header: ServiceHeader = {}
  const cacheKey = text(sh, 'CacheKey')
  if (cacheKey) header.cacheKey = cacheKey
  const host = text(sh, 'PreferredHostName')
  if (host && /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/.test(host)) header.preferredHostName = host
  return { header, body }
}

function passportAddress(node: XmlValue | undefined, ...paths: string[][]): string | undefined {
  for (const path of paths) {
    const v = text(node, ...path)
      ?.trim()
      .toLowerCase()
    if (v && /^[^\s@<>]{1,128}@[^\s@<>]{1,253}$/.test(v)) return `1:${v}`
  }
  return undefined
}

export function readMemberships(body: XmlNode): Membership[] {
  const result =
    children(body, 'FindMembershipByRoleResponse', 'FindMembershipByRoleResult')[0] ?? children(body, 'FindMembershipResponse', 'FindMembershipResult')[0]
  const out: Membership[] = []
  for (const m of children(result, 'Services', 'Service', 'Memberships', 'Membership')) {
    const role = text(m, 'MemberRole') ?? ''
    for (const member of children(m, 'Members', 'Member')) {
      if (text(member, 'Deleted') === 'true') continue
      const address = passportAddress(member, ['PassportName'], ['Email'])
      if (!address) continue
      const entry: Membership = { role, address }
      const name = text(member, 'DisplayName')
      if (name) entry.displayName = name
      out.push(entry)
    }
  }
  return out
}

export function readContacts(body: XmlNode): AbContact[] {
  const result = children(body, 'ABFindContactsPagedResponse', 'ABFindContactsPagedResult')[0]
  const out: AbContact[] = []
  for (const c of children(result, 'Contacts', 'Contact')) {
    if (text(c, 'fDeleted') === 'true') continue
    const info = children(c, 'contactInfo')[0]
    if (text(info, 'contactType') === 'Me' || text(info, 'isMessengerUser') === 'false') continue
    const address = passportAddress(info, ['passportName'])
    if (!address) continue
    const full = [text(info, 'firstName'), text(info, 'lastName')].filter(Boolean).join(' ')
    const name = text(info, 'displayName') || full || text(info, 'quickName') || address.slice(2)
    out.push({ address, name })
  }
  return out
}

/** spec §13.4: the shape is unknown, so any Contact or Member under the result counts. */
export function readBlocked(body: XmlNode): string[] {
  const result = children(body, 'FindAllBlockedContactsResponse', 'FindAllBlockedContactsResult')[0]
  const out = new Set<string>()
  const visit = (node: XmlValue | undefined, depth: number): void => {
    if (!node || typeof node === 'string' || depth > 12) return
    if (Array.isArray(node)) return node.forEach((n) => visit(n, depth + 1))
    for (const [name, value] of Object.entries(node)) {
      if (name === 'Contact' || name === 'Member') {
        for (const entry of children(value)) {
          const address = passportAddress(entry, ['contactInfo', 'passportName'], ['PassportName'], ['passportName'], ['Email'])
          if (address) out.add(address)
        }
      } else visit(value, depth + 1)
    }
  }
  visit(result, 0)
  return [...out]
}
