// The layer rules of docs/architecture.md as a function over a source tree, so that the
// layering test can run it on the real tree and on copies with planted violations.
// Imports are read by TypeScript's own pre-processor: static, side-effect, `export … from`,
// dynamic `import()` and `require()` alike, so no import form slips past a regex.

import { builtinModules } from 'node:module'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import ts from 'typescript'

export const SHELL_FILES = [
  'src/main/index.ts',
  'src/main/ipc.ts',
  'src/main/vault.ts',
  'src/main/auth-window.ts',
  'src/main/tray.ts',
  'src/main/notifications.ts',
  'src/main/log-file.ts',
  'src/main/updater.ts',
  'src/main/app-protocol.ts',
  'src/main/connectivity.ts',
  'src/main/dialogs.ts',
  'src/main/media-protocol.ts',
  'src/main/isolation.ts'
]

/** Files of src/main/networks/ that every network may use (the networks-level contract). */
const NETWORK_CONTRACT = ['connector', 'events', 'supervisor', 'registry'].map((n) => `src/main/networks/${n}`)
/** What core may take from networks. */
const CORE_FROM_NETWORKS = ['connector', 'registry'].map((n) => `src/main/networks/${n}`)
/** Packages that belong to a page's world and never to main's networks or core. */
const PAGE_PACKAGES = ['react', 'react-dom', 'zustand']

export type Rule =
  | 'electron-only-in-shell'
  | 'shared-imports-nothing'
  | 'renderer-no-node'
  | 'preload-only-shared'
  | 'base-at-the-bottom'
  | 'network-folder-self-contained'
  | 'network-contract-below-networks'
  | 'core-reaches-networks-only-through-contract'
  | 'core-reaches-only-down'
  | 'host-without-electron'

export interface Import {
  file: string
  spec: string
  /** Project-relative target (without extension) for relative imports, else null. */
  target: string | null
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'gen' || name === 'node_modules' ? [] : files(path)
    return /\.(ts|tsx|mts|cts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

const posix = (p: string): string => p.split(sep).join('/')
const stripExt = (p: string): string => p.replace(/\.(tsx?|mts|cts|m?js)$/, '').replace(/\/index$/, '')

export function readImports(root: string, file: string): Import[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
  const rel = posix(relative(root, file))
  return info.importedFiles.map(({ fileName: spec }) => ({
    file: rel,
    spec,
    target: spec.startsWith('.') ? stripExt(posix(relative(root, resolve(dirname(file), spec)))) : null
  }))
}

const isBuiltin = (spec: string): boolean => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!)
const packageOf = (spec: string): string => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!)
const isElectron = (spec: string): boolean => packageOf(spec) === 'electron'
const under = (target: string | null, ...prefixes: string[]): boolean => target !== null && prefixes.some((p) => target === p || target.startsWith(`${p}/`))

/** Every broken rule, with the imports that break it. */
export function checkLayers(root: string): { imports: Import[]; violations: Record<Rule, string[]> } {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
  // Runtime dependencies are main's (the renderer's packages are bundled, so they are devDependencies).
  const mainOnly = new Set(Object.keys(pkg.dependencies ?? {}))
  const all = files(join(root, 'src')).flatMap((f) => readImports(root, f))
  const v: Record<Rule, string[]> = {
    'electron-only-in-shell': [],
    'shared-imports-nothing': [],
    'renderer-no-node': [],
    'preload-only-shared': [],
    'base-at-the-bottom': [],
    'network-folder-self-contained': [],
    'network-contract-below-networks': [],
    'core-reaches-networks-only-through-contract': [],
    'core-reaches-only-down': [],
    'host-without-electron': []
  }
  const flag = (rule: Rule, i: Import): void => void v[rule].push(`${i.file} → ${i.spec}`)
  const shell = new Set(SHELL_FILES)
  for (const i of all) {
    const f = i.file
    if (isElectron(i.spec) && !shell.has(f) && !f.startsWith('src/preload/')) flag('electron-only-in-shell', i)
    if (f.startsWith('src/shared/') && !under(i.target, 'src/shared')) flag('shared-imports-nothing', i)
    if (f.startsWith('src/renderer/')) {
      const bad =
        i.target === null ? isBuiltin(i.spec) || isElectron(i.spec) || mainOnly.has(packageOf(i.spec)) : !under(i.target, 'src/renderer', 'src/shared')
      if (bad) flag('renderer-no-node', i)
    }
    if (f.startsWith('src/preload/') && !(isElectron(i.spec) || under(i.target, 'src/shared', 'src/preload'))) flag('preload-only-shared', i)
    if (f.startsWith('src/main/base/') && i.target !== null && !under(i.target, 'src/shared', 'src/main/base')) flag('base-at-the-bottom', i)
    const net = /^src\/main\/networks\/([^/]+)\//.exec(f)?.[1]
    if (net) {
      const ok =
        i.target === null
          ? !PAGE_PACKAGES.includes(packageOf(i.spec))
          : under(i.target, `src/main/networks/${net}`, 'src/shared', 'src/main/base', ...NETWORK_CONTRACT)
      if (!ok) flag('network-folder-self-contained', i)
    } else if (NETWORK_CONTRACT.some((c) => stripExt(f) === c) && i.target !== null && !under(i.target, 'src/shared', 'src/main/base', ...NETWORK_CONTRACT)) {
      flag('network-contract-below-networks', i)
    }
    if (f.startsWith('src/main/core/')) {
      if (under(i.target, 'src/main/networks') && !under(i.target, ...CORE_FROM_NETWORKS)) flag('core-reaches-networks-only-through-contract', i)
      if (i.target !== null && !under(i.target, 'src/shared', 'src/main/base', 'src/main/networks', 'src/main/core')) flag('core-reaches-only-down', i)
      if (i.target === null && (isElectron(i.spec) || PAGE_PACKAGES.includes(packageOf(i.spec)))) flag('core-reaches-only-down', i)
    }
    if (
      (f.startsWith('src/main/host/') || f.startsWith('src/main/bridge/') || f === 'src/main/headless.ts') &&
      (isElectron(i.spec) || (i.target !== null && shell.has(`${i.target}.ts`)))
    ) {
      flag('host-without-electron', i)
    }
  }
  return { imports: all, violations: v }
}

/** Network id literals outside src/main/networks: core and the renderer never name a network. */
export function networkLiterals(root: string, ids: readonly string[]): string[] {
  const pattern = new RegExp(`(['"\`])(${ids.join('|')})\\1`)
  const out: string[] = []
  for (const file of files(join(root, 'src'))) {
    const rel = posix(relative(root, file))
    if (rel.startsWith('src/main/networks/')) continue
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, n) => {
        // The one list of ids lives in shared/model.ts.
        if (pattern.test(line) && !/NETWORK_IDS\s*=/.test(line)) out.push(`${rel}:${n + 1}: ${line.trim()}`)
      })
  }
  return out
}
