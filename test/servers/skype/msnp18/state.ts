// The MSNP18 reference server's state on disk (issue 11 point 8): one JSON file under
// the state dir, written atomically (a temporary file renamed over it) shortly after each
// change and on close, read back at start.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { World18, World18State } from './world'

const FILE = 'msnp18.json'
const SAVE_DELAY_MS = 50

export interface Store18 {
  restored: boolean
  flush(): void
  close(): void
}

function read(path: string): World18State | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return null
  }
  try {
    const s = JSON.parse(text) as Partial<World18State>
    if (s.v === 1 && [s.accounts, s.tickets, s.oims, s.received].every(Array.isArray)) return s as World18State
  } catch {
    // kept aside below
  }
  renameSync(path, `${path}.unreadable-${Date.now()}`)
  return null
}

export function keepWorld18In(world: World18, dir: string): Store18 {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, FILE)
  const saved = read(path)
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
