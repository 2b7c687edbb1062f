// Contacts' presence on MSNP18 (msnp18.md §4): `NLN <status> 1:<account> <friendly>
// <caps> <msnobj>`, `ILN <trid> …` (the same with a TrID, accepted though Escargot never
// sends it), `FLN 1:<account> 0:0` and the `UBX 1:<account> <len>` personal data. Pushes
// repeat (§4.1); every update here is idempotent.

import type { MsnpCommand } from '../msnp/framing'
import { decodeText } from '../msnp/mime'
import { presenceOf, type PresenceUpdate } from '../msnp/read'
import { children, parseXml, text } from '../xml'
import { decodeArg, passportOf } from './args'

/** §4.1: NLN or ILN; null for a line that is not about a Windows Live contact. */
export function readNln(c: MsnpCommand): PresenceUpdate | null {
  // ILN has a TrID (already taken off by the codec), NLN none: both then read `status address friendly caps msnobj`.
  const [status, address, friendly] = c.args
  const account = passportOf(address ?? '')
  if (!account || !status) return null
  const update: PresenceUpdate = { address: `1:${account}`, presence: presenceOf(status), endpointsGone: [] }
  const name = friendly ? decodeArg(friendly).trim() : ''
  if (name) update.displayName = name.slice(0, 256)
  return update
}

/** §4.1: `FLN 1:<account> 0:0`. */
export function readFln(c: MsnpCommand): PresenceUpdate | null {
  const account = passportOf(c.args[0] ?? '')
  return account ? { address: `1:${account}`, presence: 'offline', endpointsGone: [] } : null
}

export interface PersonalData {
  address: string
  mood?: string
  /** §4.2: one per signed-in endpoint of the contact. */
  endpoints: string[]
}

/** §4.2: `UBX 1:<account> <len>` + `<Data>…</Data>`; an empty payload means nothing known yet. */
export function readUbx(c: MsnpCommand): PersonalData | null {
  const account = passportOf(c.args[0] ?? '')
  if (!account) return null
  const out: PersonalData = { address: `1:${account}`, endpoints: [] }
  const xml = c.payload ? decodeText(c.payload).trim() : ''
  if (!xml) return out
  const doc = parseXml(xml, 'personal data')
  const psm = text(doc, 'Data', 'PSM')
  if (psm !== undefined) out.mood = decodeCharRefs(psm).slice(0, 512)
  for (const ep of children(doc, 'Data', 'EndpointData')) {
    const id = typeof ep === 'object' && !Array.isArray(ep) ? ep['@id'] : undefined
    if (typeof id === 'string' && /^\{?[0-9a-fA-F-]{36}\}?$/.test(id)) out.endpoints.push(id.replace(/[{}]/g, '').toLowerCase())
  }
  return out
}

/** §3.6: Escargot forwards `&` as `&#x26;` (and more for MSNP ≥ 16); a parser may leave some of them in place. */
export function decodeCharRefs(s: string): string {
  return s.replace(/&#(x[0-9a-fA-F]{1,6}|\d{1,7});/g, (whole, n: string) => {
    const code = n.startsWith('x') || n.startsWith('X') ? parseInt(n.slice(1), 16) : parseInt(n, 10)
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole
  })
}
