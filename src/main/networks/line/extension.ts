// Finds the LINE Chrome extension the person already has installed, for its signing
// module (spec §2.2: `ltsm.wasm`, loaded by `static/js/ltsmSandbox.js`). Junction ships
// neither; it looks in the usual Chrome and Chromium profile folders on Linux, macOS
// and Windows, or where the `signerPath` setting points.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, win32, posix } from 'node:path'

/** The extension's id, from its origin `chrome-extension://ophjlpahpchlmihnnnihgmmeilfjmjjc` (spec §2.1). */
export const LINE_EXTENSION_ID = 'ophjlpahpchlmihnnnihgmmeilfjmjjc'

export interface ExtensionModule {
  /** The folder of one installed version of the extension. */
  dir: string
  wasmPath: string
  sandboxPath: string
  /** The extension's version from manifest.json (e.g. "3.7.2"), when readable. */
  version: string | null
}

export type ExtensionSearch = { found: ExtensionModule } | { found: null; searched: string[] }

export interface SearchEnvironment {
  platform: NodeJS.Platform
  home: string
  env: Record<string, string | undefined>
}

const WASM_NAME = /^l(ts|st)m\.wasm$/i
const SANDBOX_NAME = /^l(ts|st)mSandbox\.js$/i

function defaultEnvironment(): SearchEnvironment {
  return { platform: process.platform, home: homedir(), env: process.env }
}

/** The user-data folders of Chrome-family browsers, where extensions are unpacked per profile. */
export function browserDataDirs(e: SearchEnvironment = defaultEnvironment()): string[] {
  if (e.platform === 'win32') {
    const local = e.env.LOCALAPPDATA ?? win32.join(e.home, 'AppData', 'Local')
    return [
      ['Google', 'Chrome', 'User Data'],
      ['Google', 'Chrome Beta', 'User Data'],
      ['Chromium', 'User Data'],
      ['Microsoft', 'Edge', 'User Data'],
      ['BraveSoftware', 'Brave-Browser', 'User Data']
    ].map((parts) => win32.join(local, ...parts))
  }
  if (e.platform === 'darwin') {
    const support = posix.join(e.home, 'Library', 'Application Support')
    return ['Google/Chrome', 'Google/Chrome Beta', 'Chromium', 'Microsoft Edge', 'BraveSoftware/Brave-Browser'].map((p) => posix.join(support, p))
  }
  const config = e.env.XDG_CONFIG_HOME ?? posix.join(e.home, '.config')
  return [
    posix.join(config, 'google-chrome'),
    posix.join(config, 'google-chrome-beta'),
    posix.join(config, 'google-chrome-unstable'),
    posix.join(config, 'chromium'),
    posix.join(e.home, 'snap', 'chromium', 'common', 'chromium'),
    posix.join(e.home, '.var', 'app', 'com.google.Chrome', 'config', 'google-chrome'),
    posix.join(e.home, '.var', 'app', 'org.chromium.Chromium', 'config', 'chromium'),
    posix.join(config, 'microsoft-edge'),
    posix.join(config, 'BraveSoftware', 'Brave-Browser')
  ]
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

/** "3.7.2_0" > "3.7.1_0" > "3.10.0" sorts numerically, part by part. */
function compareVersions(a: string, b: string): number {
  const pa = a.split(/[._]/).map((p) => Number(p) || 0)
  const pb = b.split(/[._]/).map((p) => Number(p) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/** Looks for the module files in a folder and a few levels below it (the extension keeps them under static/). */
function findFiles(dir: string, depth = 0): { wasm: string | null; sandbox: string | null } {
  let wasm: string | null = null
  let sandbox: string | null = null
  for (const name of list(dir)) {
    const path = join(dir, name)
    if (WASM_NAME.test(name)) wasm ??= path
    else if (SANDBOX_NAME.test(name)) sandbox ??= path
  }
  if ((wasm && sandbox) || depth >= 3) return { wasm, sandbox }
  for (const name of list(dir)) {
    const path = join(dir, name)
    if (name === 'node_modules' || name.startsWith('.') || !isDir(path)) continue
    const below = findFiles(path, depth + 1)
    wasm ??= below.wasm
    sandbox ??= below.sandbox
    if (wasm && sandbox) break
  }
  return { wasm, sandbox }
}

function readManifestVersion(dir: string): string | null {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { version?: unknown }
    return typeof manifest.version === 'string' ? manifest.version : null
  } catch {
    return null
  }
}

function moduleIn(dir: string): ExtensionModule | null {
  const { wasm, sandbox } = findFiles(dir)
  return wasm && sandbox ? { dir, wasmPath: wasm, sandboxPath: sandbox, version: readManifestVersion(dir) } : null
}

/** A folder named after the extension id holds one folder per installed version: newest first. */
function newestVersionIn(idDir: string): ExtensionModule | null {
  const versions = list(idDir)
    .filter((v) => isDir(join(idDir, v)))
    .sort(compareVersions)
    .reverse()
  for (const v of versions) {
    const found = moduleIn(join(idDir, v))
    if (found) return found
  }
  return null
}

/** `signerPath` may name a version folder, the extension-id folder, or any folder holding the two files. */
export function extensionAt(path: string): ExtensionModule | null {
  if (!existsSync(path) || !isDir(path)) return null
  const holdsVersions = list(path).some((name) => /^\d+(\.\d+)*(_\d+)?$/.test(name) && isDir(join(path, name)))
  return (holdsVersions ? newestVersionIn(path) : null) ?? moduleIn(path)
}

export function findLineExtension(signerPath: string | null, e: SearchEnvironment = defaultEnvironment()): ExtensionSearch {
  if (signerPath) {
    const found = extensionAt(signerPath)
    return found ? { found } : { found: null, searched: [signerPath] }
  }
  const searched: string[] = []
  for (const data of browserDataDirs(e)) {
    searched.push(data)
    for (const profile of list(data)) {
      const idDir = join(data, profile, 'Extensions', LINE_EXTENSION_ID)
      if (!isDir(idDir)) continue
      const found = newestVersionIn(idDir)
      if (found) return { found }
    }
  }
  return { found: null, searched }
}

/** What the add-account dialog says when the module is missing: what, and how to provide it. */
export function missingSignerMessage(signerPath: string | null, searched: string[]): string {
  const where = signerPath
    ? `The folder set in Settings (${signerPath}) does not contain the LINE extension's signing module (ltsm.wasm and ltsmSandbox.js).`
    : `It was not found in the Chrome, Chromium, Edge or Brave profiles on this computer (looked in ${searched.length} places, e.g. ${searched[0] ?? 'none'}).`
  return (
    `LINE needs the signing module of the LINE Chrome extension, which Junction does not ship. ${where} ` +
    `Install the LINE extension (id ${LINE_EXTENSION_ID}) in Google Chrome or Chromium and open it once, ` +
    `or set "LINE signing module" in Settings to its folder (…/Extensions/${LINE_EXTENSION_ID}/<version>).`
  )
}
