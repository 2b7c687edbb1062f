// LID addressing (spec §6.9, §13.1, §13.6): every PN↔LID pair the server reveals is stored;
// a contact's chat is keyed by its phone number (one chat, not two), and its Signal sessions
// by the LID address once the LID is known — an existing PN session is moved there in the same
// transaction, so the two addresses never hold two diverging ratchets ("Bad MAC").

import type { KeyWrite } from '../../connector'
import { formatJid, parseJid, userJidOf, type BinaryNode } from './binary'
import { signalAddress } from './signal/cipher'
import { NS, type SignalStore } from './signal/store'

export const LID_SERVER = 'lid'
export const PN_SERVER = 's.whatsapp.net'
const enc = new TextEncoder()
const dec = new TextDecoder()

/** The user parts of a PN↔LID pair, in either order; null when the two are not one of each. */
export function lidPair(a: string | undefined, b: string | undefined): { pn: string; lid: string } | null {
  const x = a ? parseJid(a) : null
  const y = b ? parseJid(b) : null
  if (!x || !y || x.server === y.server) return null
  const [lid, pn] = x.server === LID_SERVER ? [x, y] : [y, x]
  return lid.server === LID_SERVER && pn.server === PN_SERVER ? { pn: pn.user, lid: lid.user } : null
}

/** The KeyStore rows of a pair, both directions (read by LidMap). */
export function lidPairWrites(pair: { pn: string; lid: string }): KeyWrite[] {
  return [
    { namespace: NS.lid, key: `pn:${pair.pn}`, value: enc.encode(pair.lid) },
    { namespace: NS.lid, key: `lid:${pair.lid}`, value: enc.encode(pair.pn) }
  ]
}

/** What reading a history chunk needs of the map (spec §6.9): the phone-number form of a JID. */
export interface LidLookup {
  toPn(jid: string): string
}

export class LidMap implements LidLookup {
  constructor(private readonly store: SignalStore) {}

  /** Stages a PN↔LID pair (user or device JIDs; devices are dropped). Committed with the caller's writes. */
  learn(a: string | undefined, b: string | undefined): void {
    const pair = lidPair(a, b)
    if (!pair || this.lidOfUser(pair.pn) === pair.lid) return
    for (const w of lidPairWrites(pair)) this.store.stage(w.namespace, w.key, w.value)
  }

  /** The mappings a stanza's attributes carry: `from`, `participant`, `recipient` with their alternates (spec §6.9). */
  learnFrom(n: BinaryNode): void {
    const a = n.attrs
    this.learn(a.from, a.sender_pn ?? a.sender_lid)
    this.learn(a.participant, a.participant_pn ?? a.participant_lid)
    this.learn(a.recipient, a.peer_recipient_pn ?? a.peer_recipient_lid ?? a.recipient_pn)
  }

  private lidOfUser(pnUser: string): string | null {
    const raw = this.store.get(NS.lid, `pn:${pnUser}`)
    return raw ? dec.decode(raw) : null
  }

  private pnOfUser(lidUser: string): string | null {
    const raw = this.store.get(NS.lid, `lid:${lidUser}`)
    return raw ? dec.decode(raw) : null
  }

  /** The phone-number form of a (device) JID when its LID is mapped; otherwise the JID itself. */
  toPn(jid: string): string {
    const j = parseJid(jid)
    if (!j || j.server !== LID_SERVER) return jid
    const pn = this.pnOfUser(j.user)
    return pn ? formatJid({ user: pn, device: j.device, server: PN_SERVER }) : jid
  }

  /** The LID form of a (device) JID when its phone number is mapped; otherwise the JID itself. */
  toLid(jid: string): string {
    const j = parseJid(jid)
    if (!j || j.server !== PN_SERVER) return jid
    const lid = this.lidOfUser(j.user)
    return lid ? formatJid({ user: lid, device: j.device, server: LID_SERVER }) : jid
  }

  /** The chat a user JID belongs to: its phone number when known (spec §13.6). */
  chatOf(jid: string): string {
    return userJidOf(this.toPn(jid))
  }

  /**
   * The JID whose Signal address holds this device's session: the LID form when known. A PN
   * session with no LID twin is moved (staged) on the way, inside the caller's `store.run`.
   */
  sessionJid(deviceJid: string): string {
    const j = parseJid(deviceJid)
    if (!j || (j.server !== PN_SERVER && j.server !== LID_SERVER)) return deviceJid
    const lid = j.server === LID_SERVER ? j.user : this.lidOfUser(j.user)
    const pn = j.server === PN_SERVER ? j.user : this.pnOfUser(j.user)
    if (!lid) return deviceJid
    const lidJid = formatJid({ user: lid, device: j.device, server: LID_SERVER })
    if (pn) {
      const from = signalAddress(formatJid({ user: pn, device: j.device, server: PN_SERVER })).toString()
      const to = signalAddress(lidJid).toString()
      const pnRecord = this.store.get(NS.session, from)
      if (pnRecord && !this.store.get(NS.session, to)) {
        this.store.stage(NS.session, to, pnRecord)
        this.store.stage(NS.session, from, null)
      }
    }
    return lidJid
  }
}
