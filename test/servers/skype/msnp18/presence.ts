// Who is online and what each viewer is told (msnp18.md §4, §7.1): the NLN/FLN/UBX lines
// for an account as a given viewer sees it, and the endpoints (real NS connections and the
// simulated contacts' virtual ones) that make it up.

import { msnObjectArg } from './usertile'
import { escargotArg, lineBytes, payloadBytes } from './wire'
import type { Account, World18 } from './world'
import { FL } from './world'

/** §4.3: what every verified example advertises; simulated contacts use it too. */
export const PEER_CAPS = '2688340284:2550273040'

export interface Endpoint {
  email: string
  guid: string
  /** null until the endpoint's first CHG (§3.5: presence starts there). */
  status: string | null
  caps: string
  msnobj: string
  epName: string
  send(bytes: Buffer): void
}

export function xmlText(s: string): string {
  // §3.6: Escargot re-escapes for MSNP ≥ 16 with numeric references.
  return s.replace(/&/g, '&#x26;').replace(/</g, '&#x3C;').replace(/>/g, '&#x3E;')
}

export class Presence18 {
  /** Real endpoints by account. */
  readonly endpoints = new Map<string, Set<Endpoint>>()

  constructor(private readonly world: World18) {}

  real(email: string): Endpoint[] {
    return [...(this.endpoints.get(email) ?? [])]
  }

  /** The status others see: the latest CHG of a real endpoint, or the simulated contact's own. */
  statusOf(a: Account): string | null {
    const live = this.real(a.email).filter((e) => e.status !== null)
    if (live.length > 0) return live[live.length - 1]!.status
    if (a.simulated && a.status !== 'FLN') return a.status
    return null
  }

  visibleTo(owner: Account, viewer: string): boolean {
    const s = this.statusOf(owner)
    return s !== null && s !== 'HDN' && this.world.allows(owner.email, viewer)
  }

  nln(a: Account): Buffer {
    const live = this.real(a.email).filter((e) => e.status !== null)
    const last = live[live.length - 1]
    // §4.1: a signed-in endpoint's msnobj is its CHG's; a simulated contact's describes its picture (usertile.ts).
    return lineBytes('NLN', this.statusOf(a) ?? 'NLN', `1:${a.email}`, escargotArg(a.friendly), last?.caps ?? PEER_CAPS, last?.msnobj ?? msnObjectArg(a))
  }

  ubx(a: Account, forSelf: boolean): Buffer {
    const eps = this.real(a.email).filter((e) => e.status !== null)
    const ids = eps.length > 0 ? eps.map((e) => ({ guid: e.guid, caps: e.caps })) : a.simulated ? [{ guid: a.guid, caps: PEER_CAPS }] : []
    let xml = `<Data><PSM>${xmlText(a.psm)}</PSM><CurrentMedia></CurrentMedia><DDP></DDP><SignatureSound></SignatureSound><Scene></Scene><ColorScheme></ColorScheme>`
    for (const e of ids) xml += `<EndpointData id="{${e.guid}}"><Capabilities>${e.caps}</Capabilities></EndpointData>`
    if (forSelf)
      for (const e of eps)
        xml += `<PrivateEndpointData id="{${e.guid}}"><EpName>${xmlText(e.epName)}</EpName><ClientType>1</ClientType><State>${e.status}</State></PrivateEndpointData>`
    return payloadBytes(['UBX', `1:${a.email}`], `${xml}</Data>`)
  }

  /** Tells everyone who has `a` on their FL what they may now see of it. */
  announce(a: Account): void {
    for (const [viewer, eps] of this.endpoints) {
      if (viewer === a.email || !(this.world.bits(viewer, a.email) & FL)) continue
      const visible = this.visibleTo(a, viewer)
      for (const e of eps) {
        if (e.status === null) continue
        e.send(visible ? Buffer.concat([this.nln(a), this.ubx(a, false)]) : lineBytes('FLN', `1:${a.email}`, '0:0'))
      }
    }
  }
}
