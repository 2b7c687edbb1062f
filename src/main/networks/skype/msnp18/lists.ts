// The MSNP18 contact lists (msnp18.md §3.2–§3.4, base spec §7.4): FL/AL/BL as the client
// reports them in ADL/RML with `l` bits on each `<c>`, RL/PL as only the server sets them,
// and the `ADL 0`/`RML 0` pushes that tell us someone added or removed us.

import { escapeXml, parseXml, children, attr } from '../xml'

/** §3.4: the bits a client may send; RL 8 and PL 16 are the server's (241 and close). */
export const FL = 1
export const AL = 2
export const BL = 4
export const RL = 8
export const PL = 16
const CLIENT_BITS = FL | AL | BL

/** §3.4: MSNPSharp's per-ADL limit (the real service answered 241 above it). */
const MAX_ADL_BYTES = 7300

function split(account: string): [local: string, domain: string] | null {
  const at = account.lastIndexOf('@')
  return at > 0 && at < account.length - 1 ? [account.slice(0, at), account.slice(at + 1)] : null
}

function contactXml(local: string, bits: number): string {
  return `<c n="${escapeXml(local)}" l="${bits & CLIENT_BITS}" t="1" />`
}

/** §3.4 / §9 E2: the initial ADL(s), `<ml l="1">`, every contact with its bits, kept under 7300 bytes each. */
export function initialAdl(lists: ReadonlyMap<string, number>): string[] {
  const byDomain = new Map<string, string[]>()
  for (const [account, bits] of lists) {
    const parts = split(account)
    if (!parts || (bits & CLIENT_BITS) === 0) continue
    byDomain.set(parts[1], [...(byDomain.get(parts[1]) ?? []), contactXml(parts[0], bits)])
  }
  if (byDomain.size === 0) return ['<ml l="1"></ml>']
  const out: string[] = []
  let body = ''
  const flush = (): void => {
    if (body) out.push(`<ml l="1">${body}</ml>`)
    body = ''
  }
  for (const [domain, contacts] of byDomain) {
    let group = ''
    for (const c of contacts) {
      const open = `<d n="${escapeXml(domain)}">`
      if (Buffer.byteLength(`<ml l="1">${body}${open}${group}${c}</d></ml>`) > MAX_ADL_BYTES && (group || body)) {
        if (group) body += `${open}${group}</d>`
        flush()
        group = ''
      }
      group += c
    }
    body += `<d n="${escapeXml(domain)}">${group}</d>`
  }
  flush()
  return out
}

/** §3.8–§3.12: an incremental ADL/RML for one contact and the bits it changes, one `<d>` per command. */
export function listChange(account: string, bits: number): string {
  const parts = split(account)
  if (!parts) throw new RangeError('not an account')
  return `<ml><d n="${escapeXml(parts[1])}">${contactXml(parts[0], bits)}</d></ml>`
}

export interface ListPush {
  account: string
  bits: number
  friendly?: string
}

/** §3.8 / §9 E10: `ADL 0` / `RML 0` from the server, e.g. `<c n="alice" t="1" l="8" f="alice" />`. */
export function readListPush(xml: string): ListPush[] {
  const doc = parseXml(xml, 'contact list change')
  const out: ListPush[] = []
  for (const d of children(doc, 'ml', 'd')) {
    const domain = attr(d, 'n')
    if (!domain) continue
    for (const c of children(d, 'c')) {
      const local = attr(c, 'n')
      const bits = Number(attr(c, 'l'))
      if (!local || !Number.isInteger(bits) || bits < 0 || bits > 31) continue
      const t = attr(c, 't')
      if (t !== undefined && t !== '1') continue
      const push: ListPush = { account: `${local}@${domain}`.toLowerCase(), bits }
      const f = attr(c, 'f')
      if (f) push.friendly = safeDecode(f)
      out.push(push)
    }
  }
  return out
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v)
  } catch {
    return v
  }
}
