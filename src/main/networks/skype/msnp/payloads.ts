// The XML payloads of the handshake, the contact list, subscriptions and presence,
// written byte for byte as in the spec's examples (§5.1, §5.3, §7.4, §8.1, §9 P1–P4, E8, E9).

import { escapeXml } from '../xml'

/** spec §5.1: CNT. After an XFR the redirect state goes first inside `<connect>`. */
export function connectXml(xfrState: string | null): string {
  const xfr = xfrState === null ? '' : `<xfr><state>${escapeXml(xfrState)}</state></xfr>`
  return `<connect>${xfr}<ver>2</ver><agent><os>winnt</os><osVer>5.2</osVer><proc>x86</proc><lcid>en-us</lcid></agent></connect>\r\n`
}

/** spec §5.1 ATH variant 1: a Microsoft account with the ssl.live.com token as the compact ticket. */
export function athXml(input: { ticket: string; uic: string; email: string; skypeName: string }): string {
  return (
    `<user><ssl-compact-ticket>${escapeXml(`t=${input.ticket}`)}</ssl-compact-ticket><uic>${escapeXml(input.uic)}</uic>` +
    `<id>${escapeXml(input.email)}</id><alias>${escapeXml(input.skypeName)}</alias></user>\r\n`
  )
}

export const SKYPE_CLIENT = { name: 'Skype', version: '0/6.16.0.105/259/' } as const

/** spec §5.1: BND. Miranda strips the braces from the epid here. */
export function bindXml(epid: string): string {
  return (
    `<msgr><ver>2</ver><altVersions><ver>1</ver></altVersions><client><name>${SKYPE_CLIENT.name}</name>` +
    `<ver>${SKYPE_CLIENT.version}</ver></client><epid>${escapeXml(bareGuid(epid))}</epid></msgr>\r\n`
  )
}

/** spec §5.1: the answer to the BND nonce, computed with the MSNP11 QRY algorithm. */
export function challengeXml(productId: string, response: string): string {
  return `<challenge><appId>${escapeXml(productId)}</appId><response>${response}</response></challenge>\r\n`
}

export function subscriptionsXml(partners: readonly string[]): string {
  const list = partners.map((p) => `<partner>${escapeXml(p)}</partner>`).join('')
  return (
    '<subscribe><presence><buddies><all /></buddies></presence><messaging><im /><conversations /></messaging>' +
    `<notifications><partners>${list}</partners></notifications></subscribe>`
  )
}

export function recentConversationsXml(startMs: number, pageSize: number): string {
  return `<recentconversations><start>${Math.max(0, Math.floor(startMs))}</start><pagesize>${pageSize}</pagesize></recentconversations>`
}

export function threadsXml(ids: readonly string[]): string {
  return `<threads>${ids.map((id) => `<thread><id>${escapeXml(id)}</id></thread>`).join('')}</threads>`
}

export function pingResponseWait(xml: string): number | null {
  const m = /<wait>\s*(\d{1,6})\s*<\/wait>/.exec(xml)
  return m ? Number(m[1]) : null
}

/** spec §5.3 / P2: Skype names go under `<skp>` with the services PE, IM, SKP and PUB, always `l="3"`. */
export function skypeContactsXml(skypeNames: readonly string[], initial: boolean): string {
  const contacts = skypeNames.map((n) => `<c n="${escapeXml(n)}" t="8"><s l="3" n="PE"/><s l="3" n="IM"/><s l="3" n="SKP"/><s l="3" n="PUB"/></c>`).join('')
  return `<ml${initial ? ' l="1"' : ''}><skp>${contacts}</skp></ml>`
}

/** spec §7.4: ADL. With services it is the MSNP21 form, without them the MSNP18 one (E8). */
export function adlXml(addresses: readonly string[], initial: boolean, services: readonly string[] = ['IM', 'PE']): string {
  const byDomain = new Map<string, string[]>()
  for (const address of addresses) {
    const at = address.lastIndexOf('@')
    if (at <= 0) continue
    const domain = address.slice(at + 1)
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), address.slice(0, at)])
  }
  const domains = [...byDomain].map(([domain, locals]) => {
    const cs = locals.map((local) =>
      services.length === 0
        ? `<c n="${escapeXml(local)}" l="3" t="1"/>`
        : `<c n="${escapeXml(local)}" t="1">${services.map((s) => `<s l="3" n="${s}"/>`).join('')}</c>`
    )
    return `<d n="${escapeXml(domain)}">${cs.join('')}</d>`
  })
  return `<ml${initial ? ' l="1"' : ''}>${domains.join('')}</ml>`
}

/** Splits an ADL so each payload stays under MSNPSharp's 7300-byte limit (error 241 above it). */
export function adlChunks(addresses: readonly string[], initial: boolean, limit = 7300): string[] {
  const out: string[] = []
  let batch: string[] = []
  for (const address of addresses) {
    const next = [...batch, address]
    if (batch.length > 0 && Buffer.byteLength(adlXml(next, initial)) > limit) {
      out.push(adlXml(batch, initial))
      batch = [address]
    } else batch = next
  }
  if (batch.length > 0) out.push(adlXml(batch, initial))
  return out
}

export interface PresenceDocument {
  status: string
  epid: string
  displayName: string
  skypeName: string
  mood: string
  machineName: string
}

/** spec §8.1 / P1: the Skype (MSNP24) presence document, TYP/ClientType 11. */
export function skypePresenceXml(p: PresenceDocument): string {
  const epid = braceGuid(p.epid)
  return (
    `<user><sep n="PE" epid="${epid}"><VER>${SKYPE_CLIENT.version}</VER><TYP>11</TYP><Capabilities>0:0</Capabilities></sep>` +
    `<s n="IM"><Status>${p.status}</Status></s>` +
    `<sep n="IM" epid="${epid}"><Capabilities>2952790016:557056:0</Capabilities></sep>` +
    `<sep n="PD" epid="${epid}"><EpName>${escapeXml(p.machineName)}</EpName><ClientType>11</ClientType></sep>` +
    `<s n="SKP"><Mood>${escapeXml(p.mood)}</Mood><Skypename>${escapeXml(p.skypeName)}</Skypename></s>` +
    `<sep n="SKP" epid="${epid}"><NodeInfo></NodeInfo><Version>24</Version><Seamless>true</Seamless></sep></user>`
  )
}

/** spec §8.1 / E9: the WLM 2011 (MSNP21) presence document; the server adds the epid itself. */
export function messengerPresenceXml(p: PresenceDocument): string {
  return (
    `<user><s n="IM"><Status>${p.status}</Status><CurrentMedia></CurrentMedia></s>` +
    `<s n="PE"><UserTileLocation></UserTileLocation><FriendlyName>${escapeXml(p.displayName)}</FriendlyName><PSM>${escapeXml(p.mood)}</PSM></s>` +
    '<sep n="IM"><Capabilities>2955186480:2609258384</Capabilities></sep>' +
    `<sep n="PD"><ClientType>1</ClientType><EpName>${escapeXml(p.machineName)}</EpName><Idle>false</Idle><State>${p.status}</State></sep></user>`
  )
}

export function braceGuid(guid: string): string {
  return `{${bareGuid(guid)}}`
}

export function bareGuid(guid: string): string {
  return guid.replace(/^\{|\}$/g, '').toLowerCase()
}
