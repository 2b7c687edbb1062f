// The reference server's state on disk (issue 11 point 8): phone accounts with their
// contacts, chats, messages, web pairings (tokens and keys) and the uploaded media, as one
// JSON file under the state dir, written atomically (a temporary file, then a rename), so a
// restarted sandbox resumes every session without a new scan. Bytes are stored as base64.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PhoneAccount, type Pairing, type ServerChat, type ServerContact, type StoredMessage } from './world'

const FILE = 'whatsapp-server.json'
const VERSION = 1

interface MediaEntry {
  blob: Buffer
  message: StoredMessage
}

export interface ServerState {
  accounts: Map<string, PhoneAccount>
  media: Map<string, MediaEntry>
  expired: Map<string, MediaEntry>
}

interface SavedMedia {
  key: string
  wid: string
  chat: string
  id: string
  blob: string
}

interface SavedAccount {
  wid: string
  pushname: string
  blocklist: string[]
  seq: number
  contacts: ServerContact[]
  chats: ServerChat[]
  pairings: Pairing[]
}

/** Buffers (and Uint8Arrays) become `{ $b64 }`; everything else is plain JSON already. */
function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $b64: Buffer.from(value).toString('base64') }
  if (Array.isArray(value)) return value.map(toJson)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, toJson(v)]])))
  return value
}

function fromJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJson)
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>
    if (typeof record.$b64 === 'string' && Object.keys(record).length === 1) return Buffer.from(record.$b64, 'base64')
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fromJson(v)]))
  }
  return value
}

function whoOwns(state: ServerState, message: StoredMessage): string {
  for (const account of state.accounts.values()) if (account.chats.get(message.chat)?.messages.includes(message)) return account.wid
  return ''
}

function saveMedia(state: ServerState, map: Map<string, MediaEntry>): SavedMedia[] {
  return [...map].map(([key, e]) => ({ key, wid: whoOwns(state, e.message), chat: e.message.chat, id: e.message.id, blob: e.blob.toString('base64') }))
}

export function saveState(dir: string, state: ServerState): void {
  const accounts: SavedAccount[] = [...state.accounts.values()].map((a) => ({
    wid: a.wid,
    pushname: a.pushname,
    blocklist: a.blocklist,
    seq: a.lastTimestamp,
    contacts: [...a.contacts.values()],
    chats: [...a.chats.values()],
    pairings: [...a.pairings.values()]
  }))
  const body = JSON.stringify(toJson({ version: VERSION, accounts, media: saveMedia(state, state.media), expired: saveMedia(state, state.expired) }))
  mkdirSync(dir, { recursive: true })
  const target = join(dir, FILE)
  const temporary = `${target}.${process.pid}.tmp`
  writeFileSync(temporary, body)
  renameSync(temporary, target)
}

/** The saved state, or null when the dir holds none yet. */
export function loadState(dir: string): ServerState | null {
  const path = join(dir, FILE)
  if (!existsSync(path)) return null
  const saved = fromJson(JSON.parse(readFileSync(path, 'utf8'))) as { version: number; accounts: SavedAccount[]; media: SavedMedia[]; expired: SavedMedia[] }
  if (saved.version !== VERSION) throw new Error(`${path}: state version ${saved.version} is not ${VERSION}`)
  const accounts = new Map<string, PhoneAccount>()
  for (const a of saved.accounts) {
    const account = new PhoneAccount(a.wid, a.pushname)
    account.blocklist = a.blocklist
    account.lastTimestamp = a.seq
    for (const c of a.contacts) account.contacts.set(c.jid, c)
    for (const c of a.chats) account.chats.set(c.jid, c)
    for (const p of a.pairings) account.pairings.set(p.clientId, p)
    accounts.set(account.wid, account)
  }
  const media = (list: SavedMedia[]): Map<string, MediaEntry> => {
    const out = new Map<string, MediaEntry>()
    for (const m of list) {
      const message = accounts.get(m.wid)?.findMessage(m.chat, m.id)
      if (message) out.set(m.key, { blob: Buffer.from(m.blob, 'base64'), message })
    }
    return out
  }
  return { accounts, media: media(saved.media), expired: media(saved.expired) }
}
