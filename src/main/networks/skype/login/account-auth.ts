// The tickets a live account needs, kept fresh: OAuth service tokens refreshed before they
// expire (spec §10.3, §10.6), or Passport RST2 tickets renewed with the saved password
// (§4.3). Each rotation is reported so the vault keeps the latest refresh token.

import { JunctionError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import type { SkypeConfig, ServiceName } from '../config'
import type { BrowserCredentials, SkypeCredentials, StoredToken } from '../credentials'
import { refreshGrant, type TokenGrant } from './oauth'
import { requestPassportTickets, type PassportTickets } from './passport'

export type TokenName = 'skype' | ServiceName

export function storedToken(grant: TokenGrant, now: number): StoredToken {
  return { accessToken: grant.accessToken, expiresAt: grant.expiresAt, obtainedAt: now }
}

export class AccountAuth {
  private creds: SkypeCredentials
  private readonly inflight = new Map<string, Promise<string>>()
  private passport: PassportTickets | null = null
  private passportInflight: Promise<PassportTickets> | null = null

  constructor(
    private readonly config: SkypeConfig,
    credentials: SkypeCredentials,
    private readonly now: () => number,
    private readonly onRotate: (credentials: SkypeCredentials) => void,
    private readonly log: Logger
  ) {
    this.creds = credentials
  }

  get credentials(): SkypeCredentials {
    return this.creds
  }

  scopeOf(name: TokenName): string {
    return name === 'skype' ? this.config.scope : this.config.serviceScopes[name]
  }

  /** When a token is due: a margin before expiry, at most half its life. */
  private dueAt(t: StoredToken): number {
    return t.expiresAt - Math.min(this.config.refreshMarginMs, Math.max(0, (t.expiresAt - t.obtainedAt) / 2))
  }

  private browser(): BrowserCredentials {
    if (this.creds.method !== 'browser') throw new JunctionError('unsupported', 'This account signed in with a Messenger password.')
    return this.creds
  }

  async token(name: TokenName): Promise<string> {
    const stored = this.browser().tokens[name]
    if (stored && this.now() < this.dueAt(stored)) return stored.accessToken
    return this.refresh(name)
  }

  /** One refresh per scope at a time; concurrent callers share it. */
  refresh(name: TokenName): Promise<string> {
    let p = this.inflight.get(name)
    if (!p) {
      p = this.doRefresh(name).finally(() => this.inflight.delete(name))
      this.inflight.set(name, p)
    }
    return p
  }

  private async doRefresh(name: TokenName): Promise<string> {
    const creds = this.browser()
    const grant = await refreshGrant(this.config, creds.refreshToken, this.scopeOf(name), this.now)
    const latest = this.browser()
    this.creds = {
      ...latest,
      refreshToken: grant.refreshToken ?? latest.refreshToken,
      tokens: { ...latest.tokens, [name]: storedToken(grant, this.now()) }
    }
    this.log.debug({ service: name }, 'token refreshed')
    this.onRotate(this.creds)
    return grant.accessToken
  }

  /** Refreshes every token that is due; returns the names refreshed. */
  async refreshDue(): Promise<TokenName[]> {
    if (this.creds.method !== 'browser') return []
    const due = (Object.entries(this.creds.tokens) as [TokenName, StoredToken][]).filter(([, t]) => this.now() >= this.dueAt(t)).map(([n]) => n)
    for (const name of due) await this.refresh(name)
    return due
  }

  nextRefreshAt(): number | null {
    if (this.creds.method !== 'browser') return null
    const times = Object.values(this.creds.tokens).map((t) => this.dueAt(t))
    return times.length > 0 ? Math.min(...times) : null
  }

  /** Forgets a token the server refused, so the next use fetches a new one. */
  invalidate(name: TokenName): void {
    if (this.creds.method === 'browser') {
      const tokens = { ...this.creds.tokens }
      delete tokens[name]
      this.creds = { ...this.creds, tokens }
    } else this.passport = null
  }

  /** spec §4.3: RST2 tickets, renewed with the saved password once they expire. */
  async passportTickets(): Promise<PassportTickets> {
    if (this.creds.method !== 'passport') throw new JunctionError('unsupported', 'This account signed in with a Microsoft account.')
    if (this.passport && this.now() < this.passport.messenger.expiresAt - 60_000) return this.passport
    if (!this.passportInflight) {
      const creds = this.creds
      this.passportInflight = requestPassportTickets(this.config, creds.email, creds.password, this.now)
        .then((t) => (this.passport = t))
        .finally(() => (this.passportInflight = null))
    }
    return this.passportInflight
  }

  /** The address book's TicketToken (spec §13.1). */
  async contactsTicket(): Promise<string> {
    return this.creds.method === 'browser' ? this.token('contacts') : (await this.passportTickets()).contacts.ticket
  }
}
