// The reference server's state: accounts, their devices (simulated phones and contacts, and
// real companions such as the client under test), the pre-key directory and the per-device
// offline queues (spec §12.1). Persisted as JSON under stateDir so a restart resumes sessions.

import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SimDevice, type PublicBundle, type SimDeviceState } from './sim-device'
import type { AccountAppState } from './app-state'
import type { HistoryChat } from './history'
import { b64, unb64 } from './keys'
import { deviceJid, LID_SERVER, SERVER, splitJid } from './stanzas'

export interface CompanionRecord {
  id: number
  noiseKey: string
  identity: string
  registrationId: number
  signedPreKey?: { id: number; pub: string; signature: string }
  preKeys: Array<{ id: number; pub: string }>
  keyIndex: number
}

export interface AccountRecord {
  number: string
  lid: string
  name: string
  phone: SimDeviceState
  companions: CompanionRecord[]
  nextDeviceId: number
  /** The chats the phone holds, sent to every newly linked device (spec §10). */
  history?: HistoryChat[]
  /** The account's app-state key and collections (spec §9), kept by its phone and the server. */
  appState?: AccountAppState
  /** What the phone shares of its presence (spec §7.6): online, or offline since `last` (unix s). */
  presence?: { available: boolean; last?: number }
}

/** A group (spec §11.1): owned (created) by a phone, members are phone numbers. */
export interface GroupRecord {
  /** The user part of `…@g.us`. */
  id: string
  subject: string
  owner: string
  members: string[]
  addressingMode: 'pn' | 'lid'
  creation: number
}

/** A stanza waiting for its device: removed only when the device acknowledges it (spec §12.1). */
export interface QueuedStanza {
  key: string
  bytes: string
}

interface Persisted {
  accounts: AccountRecord[]
  queues: Record<string, QueuedStanza[]>
  received: Record<string, ReceivedEntry[]>
  groups?: GroupRecord[]
}

/** What a simulated phone received; `chat` is set for group messages. */
export interface ReceivedEntry {
  from: string
  id: string
  text: string
  chat?: string
}

export class World {
  readonly accounts = new Map<string, AccountRecord>()
  readonly phones = new Map<string, SimDevice>()
  readonly queues = new Map<string, QueuedStanza[]>()
  readonly received = new Map<string, ReceivedEntry[]>()
  readonly groups = new Map<string, GroupRecord>()

  constructor(private readonly stateDir?: string) {
    const file = this.file()
    if (file && existsSync(file)) {
      const data = JSON.parse(readFileSync(file, 'utf8')) as Persisted
      for (const a of data.accounts) this.addAccount(a)
      for (const [k, v] of Object.entries(data.queues)) this.queues.set(k, v)
      for (const [k, v] of Object.entries(data.received)) this.received.set(k, v)
      for (const g of data.groups ?? []) this.groups.set(g.id, g)
    }
  }

  private file(): string | null {
    return this.stateDir ? join(this.stateDir, 'whatsapp-md-world.json') : null
  }

  save(): void {
    const file = this.file()
    if (!file) return
    mkdirSync(this.stateDir!, { recursive: true })
    const accounts = [...this.accounts.values()].map((a) => ({ ...a, phone: this.phones.get(a.number)!.toJSON() }))
    const data: Persisted = {
      accounts,
      queues: Object.fromEntries(this.queues),
      received: Object.fromEntries(this.received),
      groups: [...this.groups.values()]
    }
    writeFileSync(`${file}.tmp`, JSON.stringify(data))
    renameSync(`${file}.tmp`, file)
  }

  private addAccount(a: AccountRecord): AccountRecord {
    this.accounts.set(a.number, a)
    this.phones.set(a.number, new SimDevice(a.phone))
    return a
  }

  /** The account of a phone number, created (with its simulated phone, device 0) on first use. */
  account(number: string, name = `User ${number.slice(-4)}`): AccountRecord {
    const existing = this.accounts.get(number)
    if (existing) return existing
    const phone = SimDevice.create(`junction wa-md test phone ${number}`)
    const lid = `${(BigInt(number) * 7919n + 100000000000000n).toString().slice(0, 15)}`
    return this.addAccount({ number, lid, name, phone: phone.toJSON(), companions: [], nextDeviceId: 1 })
  }

  companion(number: string, device: number): CompanionRecord | undefined {
    return this.accounts.get(number)?.companions.find((c) => c.id === device)
  }

  /** The phone number a JID's user part names: itself, or the account holding that LID (spec §6.9); '' when none does. */
  numberOf(user: string, server: string): string {
    if (server !== 'lid') return user
    for (const a of this.accounts.values()) if (a.lid === user) return a.number
    return ''
  }

  /**
   * A member device as the group addresses it: by LID in a LID-addressed group (spec §11.4 "use
   * our LID … when the group is LID-addressed"), else by phone number.
   */
  memberDevice(g: GroupRecord, member: string, device: number): string {
    return g.addressingMode === 'lid' ? deviceJid(this.account(member).lid, device, LID_SERVER) : deviceJid(member, device)
  }

  /** A member (its phone) as a group's stanzas name it. */
  memberOf(groupJid: string, member: string): string {
    const g = this.groups.get(splitJid(groupJid).user)
    return g ? this.memberDevice(g, member, 0) : `${member}@${SERVER}`
  }

  /** Every device id of a user: the phone (0) and its companions. */
  devices(number: string): number[] {
    const a = this.accounts.get(number)
    return a ? [0, ...a.companions.map((c) => c.id)] : []
  }

  bundle(number: string, device: number): PublicBundle | null {
    if (device === 0) return this.phones.get(number)?.bundle() ?? null
    const c = this.companion(number, device)
    if (!c?.signedPreKey) return null
    const preKey = c.preKeys.shift()
    this.save()
    return {
      registrationId: c.registrationId,
      identity: unb64(c.identity),
      signedPreKey: { id: c.signedPreKey.id, pub: unb64(c.signedPreKey.pub), signature: unb64(c.signedPreKey.signature) },
      ...(preKey ? { preKey: { id: preKey.id, pub: unb64(preKey.pub) } } : {})
    }
  }

  enqueue(deviceJid: string, key: string, bytes: Uint8Array): void {
    // A resend under the same key (a retry answered, spec §7.4) replaces the queued copy.
    const q = (this.queues.get(deviceJid) ?? []).filter((s) => s.key !== key)
    q.push({ key, bytes: b64(bytes) })
    this.queues.set(deviceJid, q)
    this.save()
  }

  /** Removes the stanza `key` from a device's queue; true when it was there. */
  acknowledge(deviceJid: string, key: string): boolean {
    const q = this.queues.get(deviceJid)
    const i = q?.findIndex((s) => s.key === key) ?? -1
    if (!q || i < 0) return false
    q.splice(i, 1)
    this.save()
    return true
  }

  record(number: string, entry: ReceivedEntry): void {
    const list = this.received.get(number) ?? []
    if (!list.some((e) => e.id === entry.id && e.from === entry.from)) list.push(entry)
    this.received.set(number, list)
    this.save()
  }

  /** A contact reinstalls WhatsApp (spec §6.10): its phone gets a new identity key and registration id, and no sessions. */
  reinstall(number: string): SimDevice {
    const a = this.accounts.get(number)
    if (!a) throw new Error(`no account ${number}`)
    const phone = SimDevice.create(`${a.phone.label} reinstalled ${randomBytes(4).toString('hex')}`)
    a.phone = phone.toJSON()
    this.phones.set(number, phone)
    this.save()
    return phone
  }

  removeCompanion(number: string, device: number): void {
    const a = this.accounts.get(number)
    if (!a) return
    a.companions = a.companions.filter((c) => c.id !== device)
    this.queues.delete(`${number}:${device}@s.whatsapp.net`)
    this.save()
  }
}
