// The contacts' presence as the reference server keeps it (spec §6.3, §6.5): online or not,
// when each was last online (unix seconds), and who hides that. `["query","Presence","lastseen",JID]`
// is answered from it (`{"t":…}`, or `{"status":404}` for someone who hides it or was never
// seen), and a change is pushed as `["Presence",{id,type,t?|deny?}]` to every web connection
// that subscribed to the contact (`["action","presence","subscribe",JID]`). Kept in memory only.

export interface ContactPresence {
  online: boolean
  /** Unix seconds of the last time the contact was online; null when never seen. */
  lastSeen: number | null
  hidesLastSeen: boolean
}

/** Where a push goes: the open connections that subscribed to the JID. */
export interface PresenceSubscriber {
  readonly isOpen: boolean
  readonly subscriptions: ReadonlySet<string>
  pushJson(value: unknown): void
}

export class PresenceBook {
  private readonly byJid = new Map<string, ContactPresence>()
  /** Every lastseen query, in order (for tests). */
  readonly queries: string[] = []

  get(jid: string): ContactPresence {
    let p = this.byJid.get(jid)
    if (!p) {
      p = { online: false, lastSeen: null, hidesLastSeen: false }
      this.byJid.set(jid, p)
    }
    return p
  }

  /** spec §6.3: `{"t":<unix s>}`, or `{"status":404}` when the contact hides it or was never seen. */
  answerLastSeen(jid: string): Record<string, unknown> {
    this.queries.push(jid)
    const p = this.byJid.get(jid)
    if (!p || p.hidesLastSeen || p.lastSeen === null) return { status: 404 }
    return { t: p.lastSeen }
  }

  /** The contact opens the app (`online`) or leaves it at `atSeconds` (default now); pushed to the subscribers. */
  set(jid: string, online: boolean, subscribers: Iterable<PresenceSubscriber>, atSeconds = Math.floor(Date.now() / 1000)): void {
    const p = this.get(jid)
    p.online = online
    if (!online) p.lastSeen = atSeconds
    this.push(jid, subscribers)
  }

  hideLastSeen(jid: string, hide: boolean): void {
    this.get(jid).hidesLastSeen = hide
  }

  /** spec §6.5: available, or unavailable with `t` (a string, as the spec's table writes it), or `deny` instead of `t`. */
  pushFor(jid: string): Record<string, unknown> {
    const p = this.get(jid)
    if (p.online) return { id: jid, type: 'available' }
    if (p.hidesLastSeen) return { id: jid, type: 'unavailable', deny: true }
    return p.lastSeen === null ? { id: jid, type: 'unavailable' } : { id: jid, type: 'unavailable', t: String(p.lastSeen) }
  }

  private push(jid: string, subscribers: Iterable<PresenceSubscriber>): void {
    const body = this.pushFor(jid)
    for (const c of subscribers) if (c.isOpen && c.subscriptions.has(jid)) c.pushJson(['Presence', body])
  }
}
