// Imports point down the layers of ARCHITECTURE.md: shared ← base ← networks ← core ←
// bridge/host ← shell, and shared ← renderer. Only the shell files and the preload
// import electron; the renderer reaches nothing of main but the Api types.

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../..')
const SRC = join(ROOT, 'src')
const SHELL_FILES = ['src/main/index.ts', 'src/main/ipc.ts', 'src/main/vault.ts', 'src/main/auth-window.ts']

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'gen' ? [] : files(path)
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

interface Import {
  file: string
  spec: string
  /** Project-relative target for relative imports, else null. */
  target: string | null
}

function imports(file: string): Import[] {
  const text = readFileSync(file, 'utf8')
  const out: Import[] = []
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = (m[1] ?? m[2] ?? m[3])!
    out.push({ file: relative(ROOT, file), spec, target: spec.startsWith('.') ? relative(ROOT, resolve(dirname(file), spec)) : null })
  }
  return out
}

const all = files(SRC).flatMap(imports)
const from = (prefix: string): Import[] => all.filter((i) => i.file.startsWith(prefix))
const list = (xs: Import[]): string[] => xs.map((i) => `${i.file} → ${i.spec}`)

describe('layering', () => {
  it('finds the source files it checks', () => {
    expect(all.length).toBeGreaterThan(50)
  })

  it('only the shell files and the preload import electron', () => {
    const offenders = all.filter((i) => (i.spec === 'electron' || i.spec.startsWith('electron/')) && !SHELL_FILES.includes(i.file) && !i.file.startsWith('src/preload/'))
    expect(list(offenders)).toEqual([])
  })

  it('src/shared has no dependencies outside itself', () => {
    const offenders = from('src/shared/').filter((i) => i.target === null || !i.target.startsWith('src/shared'))
    expect(list(offenders)).toEqual([])
  })

  it('the renderer imports neither node, electron nor main-side code', () => {
    const offenders = from('src/renderer/').filter(
      (i) => i.spec.startsWith('node:') || i.spec === 'electron' || (i.target !== null && !i.target.startsWith('src/renderer') && !i.target.startsWith('src/shared'))
    )
    expect(list(offenders)).toEqual([])
  })

  it('networks never touch core, the bridge, the host or the shell', () => {
    const offenders = from('src/main/networks/').filter((i) => i.target !== null && !/^src\/(shared|main\/base|main\/networks)/.test(i.target))
    expect(list(offenders)).toEqual([])
  })

  it('core reaches only down: shared, base, networks and itself', () => {
    const offenders = from('src/main/core/').filter((i) => i.target !== null && !/^src\/(shared|main\/base|main\/networks|main\/core)/.test(i.target))
    expect(list(offenders)).toEqual([])
  })

  it('base is the bottom of main: shared and node only', () => {
    const offenders = from('src/main/base/').filter((i) => i.target !== null && !/^src\/(shared|main\/base)/.test(i.target))
    expect(list(offenders)).toEqual([])
  })

  it('the headless host runs the same core without electron', () => {
    const offenders = [...from('src/main/host/'), ...from('src/main/bridge/'), ...from('src/main/headless.ts')].filter(
      (i) => i.spec === 'electron' || (i.target !== null && SHELL_FILES.some((s) => s.startsWith(i.target!)))
    )
    expect(list(offenders)).toEqual([])
  })
})
