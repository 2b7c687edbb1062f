// The accounts of the MSNP18 reference server and what it keeps about them (msnp18.md
// §3, §5.9, §7.1): friendly names, PSMs, privacy, the five lists per account with their
// bits (FL 1, AL 2, BL 4, RL 8, PL 16), issued SSO tickets, stored offline messages and what
// the simulated contacts received. This is the state that survives a restart (state.ts);
// live connections are not.

import { randomBytes, randomUUID } from 'node:crypto'

export const FL = 1
export const AL = 2
export const BL = 4
export const RL = 8
export const PL = 16

export interface Account {
  email: string
  password: string
  uuid: string
  /** Signed 64-bit decimal (§3.2). */
  cid: string
  friendly: string
  psm: string
  blp: 'AL' | 'BL'
  /** other account → bits. */
  lists: Record<string, number>
  /** A contact the server plays itself (always signed in on a virtual endpoint). */
  simulated: boolean
  /** The simulated contact's status word; FLN = signed out. */
  status: string
  guid: string
  /** The display picture, when the account has one (usertile.ts); a new seed is a new picture. */
  picture?: { seed: string; sha1d: string; size: number }
  /** Test switch: the raw msnobj advertised instead of the picture's own (a hostile one). */
  msnobj?: string
}

export interface Oim {
  id: string
  from: string
  fromName: string
  to: string
  text: string
  at: number
}

export interface Received {
  from: string
  to: string
  kind: 'text' | 'typing' | 'nudge' | 'other'
  text: string
  at: number
}

export interface Ticket {
  /** The 20 hex characters after `t=` that identify the login (§2.5). */
  id: string
  email: string
  secret: string
  expires: number
}

export interface World18State {
  v: 1
  accounts: Account[]
  tickets: Ticket[]
  oims: Oim[]
  received: Received[]
}

export class World18 {
  readonly accounts = new Map<string, Account>()
  readonly tickets = new Map<string, Ticket>()
  oims: Oim[] = []
  received: Received[] = []
  onChange: () => void = () => {}
  /** Something reached a simulated contact (the sandbox answers as them). */
  onReceived: (r: Received) => void = () => {}

  add(a: { email: string; password: string; friendly: string; psm?: string; simulated?: boolean; status?: string }): Account {
    const account: Account = {
      email: a.email.toLowerCase(),
      password: a.password,
      uuid: randomUUID(),
      cid: BigInt.asIntN(64, randomBytes(8).readBigUInt64BE(0)).toString(10),
      friendly: a.friendly,
      psm: a.psm ?? '',
      blp: 'AL',
      lists: {},
      simulated: a.simulated ?? false,
      status: a.status ?? 'NLN',
      guid: randomUUID()
    }
    this.accounts.set(account.email, account)
    this.changed()
    return account
  }

  get(email: string): Account | undefined {
    return this.accounts.get(email.toLowerCase())
  }

  bits(owner: string, other: string): number {
    return this.get(owner)?.lists[other.toLowerCase()] ?? 0
  }

  setBits(owner: string, other: string, add: number, remove = 0): void {
    const a = this.get(owner)
    if (!a) return
    const key = other.toLowerCase()
    const next = ((a.lists[key] ?? 0) & ~remove) | add
    if (next === 0) delete a.lists[key]
    else a.lists[key] = next
    this.changed()
  }

  /** Makes two accounts mutual contacts, as the sandbox starts. */
  befriend(x: string, y: string): void {
    this.setBits(x, y, FL | AL | RL)
    this.setBits(y, x, FL | AL | RL)
  }

  /** §7.1: `viewer` may see and reach `owner` unless owner blocks them (BL, or BLP BL without AL). */
  allows(owner: string, viewer: string): boolean {
    const o = this.get(owner)
    if (!o) return false
    const bits = o.lists[viewer.toLowerCase()] ?? 0
    if (bits & BL) return false
    return o.blp === 'AL' || (bits & AL) !== 0
  }

  issueTicket(email: string, secret: string, now: number): Ticket {
    const ticket: Ticket = { id: randomBytes(10).toString('hex'), email: email.toLowerCase(), secret, expires: now + 86_400_000 }
    this.tickets.set(ticket.id, ticket)
    this.changed()
    return ticket
  }

  /** §2.5: the login is the 20 characters after `t=`; the rest of the ticket is ignored. */
  ticketOf(raw: string, now: number): Ticket | undefined {
    const m = /^t=([0-9a-f]{20})/.exec(raw.replace(/&amp;/g, '&'))
    const t = m ? this.tickets.get(m[1]!) : undefined
    return t && t.expires > now ? t : undefined
  }

  storeOim(oim: Omit<Oim, 'id'>): Oim {
    const stored = { ...oim, id: randomUUID().toUpperCase() }
    this.oims.push(stored)
    this.changed()
    return stored
  }

  note(r: Received): void {
    this.received.push(r)
    if (this.received.length > 5_000) this.received.splice(0, this.received.length - 5_000)
    this.changed()
    this.onReceived(r)
  }

  changed(): void {
    this.onChange()
  }

  exportState(): World18State {
    return { v: 1, accounts: [...this.accounts.values()], tickets: [...this.tickets.values()], oims: this.oims, received: this.received }
  }

  importState(s: World18State): void {
    this.accounts.clear()
    for (const a of s.accounts) this.accounts.set(a.email, a)
    this.tickets.clear()
    for (const t of s.tickets) this.tickets.set(t.id, t)
    this.oims = s.oims
    this.received = s.received
  }
}

/** The sandbox's people (msnp18.md §9 uses the same names): alice signs in; bob, carol and dave are played by the server. */
export const ALICE18 = { email: 'alice@example.com', password: 'alice-pw-1' } as const

export function addSandboxAccounts(world: World18): void {
  world.add({ email: ALICE18.email, password: ALICE18.password, friendly: 'alice' })
  world.add({ email: 'bob@example.com', password: 'bob-pw-1', friendly: 'Bob B.', psm: 'at work', simulated: true })
  world.add({ email: 'carol@example.com', password: 'carol-pw-1', friendly: 'Carol C.', simulated: true, status: 'AWY' })
  world.add({ email: 'dave@example.com', password: 'dave-pw-1', friendly: 'dave', simulated: true })
  world.add({ email: 'erin@example.com', password: 'erin-pw-1', friendly: 'Erin', simulated: true, status: 'FLN' })
  world.befriend(ALICE18.email, 'bob@example.com')
  world.befriend(ALICE18.email, 'carol@example.com')
  world.befriend(ALICE18.email, 'erin@example.com')
  world.befriend('bob@example.com', 'carol@example.com')
}
