// A reference server's state on disk (issue 11 point 8), for the Skype and the MSNP18
// servers alike: a real network keeps accounts, tickets and messages across its own
// restarts, so the reference servers do too, under a state dir the sandbox or a test gives
// them. One JSON file, written atomically (a temporary file renamed over it) shortly after
// each change and on close, read back at start.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const SAVE_DELAY_MS = 50

export interface StateStore {
  /** Whether the world was read back from an earlier run. */
  restored: boolean
  /** Writes now whatever changed. */
  flush(): void
  /** Writes the last state and stops watching the world. */
  close(): void
}

/** What a server's world offers to be kept: its state out and in, and a change hook. */
export interface PersistentWorld<S> {
  exportState(): S
  importState(state: S): void
  onChange: () => void
  changed(): void
}

function readState<S>(path: string, isState: (value: Partial<S>) => boolean): S | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return null
  }
  try {
    const state = JSON.parse(text) as Partial<S>
    if (state && typeof state === 'object' && isState(state)) return state as S
  } catch {
    // fall through: kept aside below
  }
  // An unreadable file (a half-written one from another tool) is kept for a look, and the world starts afresh.
  renameSync(path, `${path}.unreadable-${Date.now()}`)
  return null
}

/** Reads the world from `dir/file` when an earlier run left it there, then saves it after every change. */
export function keepStateIn<S>(world: PersistentWorld<S>, dir: string, file: string, isState: (value: Partial<S>) => boolean): StateStore {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, file)
  const saved = readState<S>(path, isState)
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
