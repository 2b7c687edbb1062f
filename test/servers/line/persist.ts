// The reference server's state on disk (issue 11 point 8): a real LINE keeps sessions, so
// the sandbox's server does too. The world (users and their keys, chats, messages, the
// operation logs, tokens and certificates, OBS objects) is written as one JSON file under
// the state folder, atomically (a temporary file renamed over the old one), after every
// change; a server started on the same folder resumes it. Login sessions in progress (QR,
// PIN) are not kept: a restart mid-login starts that login again, as on LINE.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ServerKey } from './server-crypto'
import { LineWorld, reserveKeyIds, type GroupKeyRecord, type StoredMessage, type TokenRecord, type WireOp, type WorldChat } from './world'

const FILE = 'line-world.json'
const FORMAT = 1

interface SavedUser {
  mid: string
  displayName: string
  email: string | null
  password: string | null
  sealing: boolean
  keys: Array<{ keyId: number; priv: string; pub: string }>
  activeKeyId: number
  contacts: string[]
  certificates: string[]
  revision: string
  ops: WireOp[]
}

interface SavedWorld {
  format: number
  users: SavedUser[]
  chats: WorldChat[]
  messages: StoredMessage[]
  groupKeys: Array<[string, Array<Omit<GroupKeyRecord, 'entries'> & { entries: Array<[string, { keyId: number; encryptedSharedKey: string }]> }>]>
  tokens: TokenRecord[]
  /** Live refresh tokens, each with the access token of its record. */
  refreshTokens: Array<[string, string]>
  obsTokens: Array<[string, string]>
  objects: Array<[string, { bytes: string; owner: string }]>
  lastRead: Array<[string, string]>
  /** `sender:reqSeq` → message id. */
  sends: Array<[string, string]>
  messageSeq: string
  groupKeySeq: number
  tokenRefreshSec: number
  tokenLifetimeSec: number
}

function savedKey(k: ServerKey): SavedUser['keys'][number] {
  return { keyId: k.keyId, priv: k.priv.toString('base64'), pub: k.pub.toString('base64') }
}

export function snapshot(world: LineWorld): SavedWorld {
  return {
    format: FORMAT,
    users: [...world.users.values()].map((u) => ({ ...u, keys: u.keys.map(savedKey), certificates: [...u.certificates], revision: u.revision.toString() })),
    chats: [...world.chats.values()],
    messages: world.messages,
    groupKeys: [...world.groupKeys].map(([chat, records]) => [chat, records.map((r) => ({ ...r, entries: [...r.entries] }))]),
    tokens: [...world.tokens.values()],
    refreshTokens: [...world.refreshTokens].map(([refresh, record]) => [refresh, record.accessToken]),
    obsTokens: [...world.obsTokens],
    objects: [...world.objects].map(([k, o]) => [k, { bytes: o.bytes.toString('base64'), owner: o.owner }]),
    lastRead: [...world.lastRead],
    sends: [...world.sends].map(([k, m]) => [k, m.id]),
    messageSeq: world.messageSeq.toString(),
    groupKeySeq: world.groupKeySeq,
    tokenRefreshSec: world.tokenRefreshSec,
    tokenLifetimeSec: world.tokenLifetimeSec
  }
}

export function restore(saved: SavedWorld): LineWorld {
  if (saved.format !== FORMAT) throw new Error(`unknown LINE server state format ${saved.format}`)
  const world = new LineWorld()
  let highestKey = 0
  for (const u of saved.users) {
    const keys = u.keys.map((k) => ({ keyId: k.keyId, priv: Buffer.from(k.priv, 'base64'), pub: Buffer.from(k.pub, 'base64') }))
    for (const k of keys) highestKey = Math.max(highestKey, k.keyId)
    world.users.set(u.mid, { ...u, keys, certificates: new Set(u.certificates), revision: BigInt(u.revision) })
  }
  reserveKeyIds(highestKey)
  for (const c of saved.chats) world.chats.set(c.mid, c)
  world.messages.push(...saved.messages)
  const byId = new Map(world.messages.map((m) => [m.id, m]))
  for (const [chat, records] of saved.groupKeys)
    world.groupKeys.set(
      chat,
      records.map((r) => ({ ...r, entries: new Map(r.entries) }))
    )
  for (const t of saved.tokens) world.tokens.set(t.accessToken, t)
  for (const [refresh, access] of saved.refreshTokens) {
    const record = world.tokens.get(access)
    if (record) world.refreshTokens.set(refresh, record)
  }
  for (const [k, v] of saved.obsTokens) world.obsTokens.set(k, v)
  for (const [k, o] of saved.objects) world.objects.set(k, { bytes: Buffer.from(o.bytes, 'base64'), owner: o.owner })
  for (const [k, v] of saved.lastRead) world.lastRead.set(k, v)
  for (const [k, id] of saved.sends) {
    const m = byId.get(id)
    if (m) world.sends.set(k, m)
  }
  world.messageSeq = BigInt(saved.messageSeq)
  world.groupKeySeq = saved.groupKeySeq
  world.tokenRefreshSec = saved.tokenRefreshSec
  world.tokenLifetimeSec = saved.tokenLifetimeSec
  return world
}

/** The world saved under `dir`, or null when there is none yet. */
export function loadWorld(dir: string): LineWorld | null {
  const path = join(dir, FILE)
  if (!existsSync(path)) return null
  return restore(JSON.parse(readFileSync(path, 'utf8')) as SavedWorld)
}

/** Writes the world atomically: a reader (or a crash) sees the old file or the new one, never half of one. */
export function saveWorld(world: LineWorld, dir: string): void {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, FILE)
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(snapshot(world)), { mode: 0o600 })
  renameSync(tmp, path)
}

/** Saves after changes, at most once per turn of the event loop; `flush` writes what is pending now. */
export function autosave(world: LineWorld, dir: string): { changed(): void; flush(): void } {
  let pending = false
  const write = (): void => {
    if (!pending) return
    pending = false
    saveWorld(world, dir)
  }
  return {
    changed() {
      if (pending) return
      pending = true
      setImmediate(write)
    },
    flush: write
  }
}
