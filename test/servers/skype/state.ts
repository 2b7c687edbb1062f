// The reference server's state on disk (issue 11 point 8): a real network keeps accounts,
// tokens, messages and offline queues across its own restarts, so the reference server
// does too, under a state dir the sandbox or a test gives it. One JSON file, written
// atomically (a temporary file renamed over it), shortly after each change and on close.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SkypeWorld, WorldState } from './world'

const FILE = 'world.json'
const SAVE_DELAY_MS = 50

export interface WorldStore {
  /** Whether the world was read back from an earlier run. */
  restored: boolean
  /** Writes now whatever changed. */
  flush(): void
  /** Writes the last state and stops watching the world. */
  close(): void
}

function readState(path: string): WorldState | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return null
  }
  try {
    const state = JSON.parse(text) as Partial<WorldState>
    const lists = [state.users, state.threads, state.log, state.oauthTokens, state.refreshTokens, state.passportTickets, state.offline, state.seen]
    if (state.v === 1 && lists.every(Array.isArray) && typeof state.nextId === 'number') return state as WorldState
  } catch {
    // fall through: kept aside below
  }
  // An unreadable file (a half-written one from another tool) is kept for a look, and the world starts afresh.
  renameSync(path, `${path}.unreadable-${Date.now()}`)
  return null
}

/** Reads the world from `dir` when an earlier run left it there, then saves it after every change. */
export function keepWorldIn(world: SkypeWorld, dir: string): WorldStore {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, FILE)
  const saved = readState(path)
  if (saved) world.importState(saved)
  let timer: NodeJS.Timeout | null = null
  let dirty = false
  const write = (): void => {
    if (timer) clearTimeout(timer)
    timer = null
    if (!dirty) return
    dirty = false
    const tmp = `${path}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(world.exportState()))
    renameSync(tmp, path)
  }
  world.onChange = () => {
    dirty = true
    if (!timer) timer = setTimeout(write, SAVE_DELAY_MS).unref()
  }
  if (!saved) world.changed()
  return {
    restored: saved !== null,
    flush: write,
    close() {
      write()
      world.onChange = () => {}
    }
  }
}
