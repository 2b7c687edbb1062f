// The account's contacts, merged from the SOAP address book (Microsoft-account `1:`
// names, spec §13) and ActiveSync (Skype `8:` names, §14). The backend never translates
// between the two namespaces (§1.1), so a Skype contact whose e-mail is a `1:` contact is
// one person: the `8:` name wins and the `1:` name becomes its alias. Where ActiveSync keeps
// the Skype name is not documented (§14.4, §17): Contacts2:IMAddress is read first, then a
// Skype property-bag `SkypeName`; Email1Address links it to the `1:` name.

import { JunctionError } from '../../../shared/errors'
import type { Presence } from '../../../shared/model'
import type { Logger } from '../../base/log'
import type { ContactInfo } from '../connector'
import { AbchClient, type AddressBookSnapshot } from './abch/service'
import { fetchActiveSyncContacts, type ActiveSyncContact, type ActiveSyncFolder } from './activesync/sync'
import type { SkypeConfig } from './config'
import type { AccountAuth } from './login/account-auth'

export interface BookEntry {
  remoteId: string
  name: string
  blocked: boolean
  presence: Presence
  aliases: string[]
  /** The contact's picture URL from the contacts service (skype/avatars.ts), when it has one. */
  avatar?: string
}

const SKYPE_NAME = /^[A-Za-z0-9][\w.,:@-]{0,127}$/

function skypeAddress(raw: string | undefined): string | undefined {
  const v = raw?.trim()
  if (!v) return undefined
  if (/^\d{1,2}:/.test(v)) return v
  return SKYPE_NAME.test(v) ? `8:${v}` : undefined
}

function emailAddress(raw: string | undefined): string | undefined {
  const v = raw?.trim().toLowerCase()
  return v && /^[^\s@<>]{1,128}@[^\s@<>]{1,253}$/.test(v) ? `1:${v}` : undefined
}

function activeSyncName(c: ActiveSyncContact, fallback: string): string {
  const f = c.fields
  const full = [f['Contacts:FirstName'], f['Contacts:LastName']].filter(Boolean).join(' ')
  return f['Contacts:FileAs'] || full || f['Contacts2:NickName'] || fallback
}

/** Merges both sources; pure, so it is tested on its own. */
export function mergeContacts(
  ab: AddressBookSnapshot | null,
  activeSync: { folder: ActiveSyncFolder; contacts: ActiveSyncContact[] }[]
): { entries: BookEntry[]; aliases: Map<string, string> } {
  const entries = new Map<string, BookEntry>()
  const aliases = new Map<string, string>()
  const blocked = new Set<string>()
  const upsert = (id: string, name: string): BookEntry => {
    const existing = entries.get(id)
    if (existing) return existing
    const entry: BookEntry = { remoteId: id, name, blocked: false, presence: 'unknown', aliases: [] }
    entries.set(id, entry)
    return entry
  }
  for (const c of ab?.contacts ?? []) upsert(c.address, c.name)
  for (const m of ab?.memberships ?? []) {
    if (m.role === 'Block') blocked.add(m.address)
    else if (m.role === 'Allow' && m.displayName) upsert(m.address, m.displayName)
  }
  for (const address of ab?.blocked ?? []) blocked.add(address)

  for (const { folder, contacts } of activeSync) {
    for (const c of contacts) {
      const skype = skypeAddress(c.fields['Contacts2:IMAddress'] ?? c.fields['Skype:SkypeName'])
      const email = emailAddress(c.fields['Contacts:Email1Address'])
      const id = skype ?? email
      if (!id) continue
      if (folder.sid === 'GBL') {
        upsert(id, activeSyncName(c, id.replace(/^\d+:/, '')))
        blocked.add(id)
        if (email && email !== id) aliases.set(email, id)
        continue
      }
      const entry = upsert(id, activeSyncName(c, id.replace(/^\d+:/, '')))
      if (email && email !== id) {
        const merged = entries.get(email)
        if (merged) {
          entries.delete(email)
          if (entry.name === id.replace(/^\d+:/, '')) entry.name = merged.name
        }
        aliases.set(email, id)
        if (!entry.aliases.includes(email)) entry.aliases.push(email)
      }
    }
  }
  // A `1:` entry that turned out to be a Skype contact's alias is that contact.
  for (const [alias, id] of aliases) if (alias !== id) entries.delete(alias)
  for (const address of blocked) {
    const id = aliases.get(address) ?? address
    upsert(id, id.replace(/^\d+:/, '')).blocked = true
  }
  return { entries: [...entries.values()], aliases }
}

export class AddressBook {
  private entries = new Map<string, BookEntry>()
  private aliases = new Map<string, string>()

  replace(merged: { entries: BookEntry[]; aliases: Map<string, string> }): BookEntry[] {
    const changed: BookEntry[] = []
    const next = new Map<string, BookEntry>()
    for (const e of merged.entries) {
      const old = this.entries.get(e.remoteId)
      const entry = { ...e, presence: old?.presence ?? e.presence }
      if (!old || old.name !== entry.name || old.blocked !== entry.blocked || old.avatar !== entry.avatar) changed.push(entry)
      next.set(e.remoteId, entry)
    }
    this.entries = next
    this.aliases = merged.aliases
    return changed
  }

  canonical(address: string): string {
    return this.aliases.get(address.toLowerCase()) ?? this.aliases.get(address) ?? address
  }

  get(address: string): BookEntry | undefined {
    return this.entries.get(this.canonical(address))
  }

  nameOf(address: string): string | undefined {
    return this.get(address)?.name
  }

  /** A presence change; returns the entry when something a person sees changed. */
  notePresence(address: string, presence: Presence | undefined, name: string | undefined): BookEntry | undefined {
    const id = this.canonical(address)
    // Someone who is not in the address book (a group member) is not made a contact by a presence push.
    const entry = this.entries.get(id)
    if (!entry) return undefined
    const before = `${entry.presence}|${entry.name}`
    if (presence) entry.presence = presence
    // A contact with no name of their own in the address book takes the one they publish.
    if (name && entry.name === id.replace(/^\d+:/, '')) entry.name = name
    return `${entry.presence}|${entry.name}` !== before ? entry : undefined
  }

  /** What the MSNP session subscribes to: every contact not blocked, in this namespace. */
  subscriptions(prefix: '8:' | '1:'): string[] {
    const out = new Set<string>()
    for (const e of this.entries.values()) {
      if (e.blocked) continue
      for (const a of [e.remoteId, ...e.aliases]) if (a.startsWith(prefix)) out.add(a)
    }
    return [...out]
  }

  contacts(): ContactInfo[] {
    return [...this.entries.values()].map(toContactInfo)
  }
}

export function toContactInfo(e: BookEntry): ContactInfo {
  // '' says "no picture" (a removed one), so Core drops the old picture's token.
  return { remoteId: e.remoteId, name: e.name, blocked: e.blocked, presence: e.presence, avatar: e.avatar ?? '' }
}

/**
 * Lays the contacts service's picture URLs over the merged entries (by address or alias).
 * `urls` null: the service could not be read this time, so each contact keeps the picture it had.
 */
export function withAvatars(
  merged: { entries: BookEntry[]; aliases: Map<string, string> },
  urls: ReadonlyMap<string, string> | null,
  previous: (remoteId: string) => string | undefined
): typeof merged {
  for (const e of merged.entries) {
    const url = urls ? (urls.get(e.remoteId) ?? e.aliases.map((a) => urls.get(a)).find(Boolean)) : previous(e.remoteId)
    if (url) e.avatar = url
  }
  return merged
}

/**
 * Loads the account's contacts from both sources and merges them. Only a refused sign-in
 * fails the load: the address book and ActiveSync are partly guessed (spec §17), and
 * chatting must not depend on them.
 */
export async function loadContacts(
  config: SkypeConfig,
  auth: AccountAuth,
  log: Logger,
  signal?: AbortSignal
): Promise<{ entries: BookEntry[]; aliases: Map<string, string> }> {
  let ab: AddressBookSnapshot | null = null
  try {
    ab = await new AbchClient(config, await auth.contactsTicket(), log, signal).snapshot()
  } catch (error) {
    if (error instanceof JunctionError && (error.code === 'auth-failed' || error.code === 'cancelled')) throw error
    log.warn({ error }, 'address book unavailable')
  }
  let activeSync: { folder: ActiveSyncFolder; contacts: ActiveSyncContact[] }[] = []
  const creds = auth.credentials
  if (config.activeSync && creds.method === 'browser') {
    try {
      activeSync = await fetchActiveSyncContacts({
        config,
        token: await auth.token('hotmail'),
        deviceId: creds.deviceId,
        deviceType: 'ClassicSkype',
        ...(signal ? { signal } : {})
      })
    } catch (error) {
      if (error instanceof JunctionError && error.code === 'cancelled') throw error
      log.warn({ error }, 'ActiveSync contacts unavailable')
    }
  }
  return mergeContacts(ab, activeSync)
}
