// JIDs (spec §3.5): the four wire forms and their string renderings. The binary node model
// carries JIDs as strings, so the encoder only JID-encodes a string whose rendering of the
// parsed form is exactly that string: decode(encode(s)) is then always s.

export type WireJid =
  | { kind: 'pair'; user: string | null; server: string }
  | { kind: 'ad'; user: string; domain: number; device: number }
  | { kind: 'fb'; user: string; device: number; server: string }
  | { kind: 'interop'; user: string; device: number; integrator: number; server: string }

/** AD_JID domain byte ↔ server (spec §3.5). Other domains are whatsmeow's legacy "agent" numbers. */
export const AD_DOMAINS: ReadonlyMap<number, string> = new Map([
  [0, 's.whatsapp.net'],
  [1, 'lid'],
  [128, 'hosted'],
  [129, 'hosted.lid']
])
const DOMAIN_OF_SERVER: ReadonlyMap<string, number> = new Map([...AD_DOMAINS].map(([d, s]) => [s, d]))

/** Servers that appear on the wire (spec §3.5); strings naming any other server stay strings. */
const PAIR_SERVERS: ReadonlySet<string> = new Set(['s.whatsapp.net', 'lid', 'g.us', 'broadcast', 'newsletter', 'call', 'bot', 'hosted', 'hosted.lid'])

export function renderWireJid(jid: WireJid): string {
  switch (jid.kind) {
    case 'pair':
      return `${jid.user ?? ''}@${jid.server}`
    case 'ad': {
      const server = AD_DOMAINS.get(jid.domain)
      if (server === undefined) return `${jid.user}.${jid.domain}:${jid.device}@s.whatsapp.net`
      return jid.device > 0 ? `${jid.user}:${jid.device}@${server}` : `${jid.user}@${server}`
    }
    case 'fb':
      return jid.device > 0 ? `${jid.user}:${jid.device}@${jid.server}` : `${jid.user}@${jid.server}`
    case 'interop':
      // Baileys's string form (spec §3.5, B15): integrator-user:device@interop.
      return `${jid.integrator}-${jid.user}:${jid.device}@${jid.server}`
  }
}

const DECIMAL = /^(0|[1-9][0-9]{0,5})$/

function smallInt(text: string, max: number): number | null {
  if (!DECIMAL.test(text)) return null
  const n = Number(text)
  return n <= max ? n : null
}

/** The wire form the encoder should use for `s`, or null when `s` is not (canonically) a JID. */
export function wireJidOf(s: string): WireJid | null {
  const at = s.indexOf('@')
  if (at < 0 || s.indexOf('@', at + 1) >= 0) return null
  const local = s.slice(0, at)
  const server = s.slice(at + 1)
  const candidate = parseLocal(local, server)
  // Only a canonical rendering is JID-encoded, so "1:0@s.whatsapp.net" stays a plain string.
  return candidate && renderWireJid(candidate) === s ? candidate : null
}

function parseLocal(local: string, server: string): WireJid | null {
  if (server === 'interop') {
    const m = /^([0-9]+)-([^:]+):([0-9]+)$/.exec(local)
    if (!m) return null
    const integrator = smallInt(m[1]!, 0xffff)
    const device = smallInt(m[3]!, 0xffff)
    return integrator === null || device === null ? null : { kind: 'interop', user: m[2]!, device, integrator, server }
  }
  const colon = local.indexOf(':')
  const user = colon < 0 ? local : local.slice(0, colon)
  const device = colon < 0 ? 0 : smallInt(local.slice(colon + 1), server === 'msgr' ? 0xffff : 0xff)
  if (device === null || user.includes(':')) return null
  if (server === 'msgr') return user ? { kind: 'fb', user, device, server } : null
  const domain = DOMAIN_OF_SERVER.get(server)
  // whatsmeow's rule (spec §14.2): AD_JID for a device on s.whatsapp.net/lid, always for hosted.
  if (domain !== undefined && user && (device > 0 || domain >= 128)) return { kind: 'ad', user, domain, device }
  if (colon >= 0 || !PAIR_SERVERS.has(server)) return null
  return { kind: 'pair', user: user === '' ? null : user, server }
}

/** A parsed user/device JID string, for addressing (spec §3.5, §6.9). */
export interface Jid {
  user: string
  device: number
  server: string
}

export function parseJid(s: string): Jid | null {
  const at = s.indexOf('@')
  if (at <= 0) return null
  const local = s.slice(0, at)
  const server = s.slice(at + 1)
  const colon = local.indexOf(':')
  const userAgent = colon < 0 ? local : local.slice(0, colon)
  const device = colon < 0 ? 0 : Number(local.slice(colon + 1))
  if (!Number.isInteger(device) || device < 0) return null
  const user = userAgent.split('.')[0] ?? ''
  return user ? { user, device, server } : null
}

export function formatJid(jid: Jid): string {
  return jid.device > 0 ? `${jid.user}:${jid.device}@${jid.server}` : `${jid.user}@${jid.server}`
}

/** The user JID (device dropped) of a device JID. */
export function userJidOf(s: string): string {
  const jid = parseJid(s)
  return jid ? `${jid.user}@${jid.server}` : s
}

/** Signal protocol address name (spec §3.5): `user` on s.whatsapp.net, `user_<domain>` otherwise. */
export function signalAddressName(jid: Jid): string {
  const domain = DOMAIN_OF_SERVER.get(jid.server) ?? 0
  return domain === 0 ? jid.user : `${jid.user}_${domain}`
}
