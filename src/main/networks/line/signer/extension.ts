// Finds the LINE Chrome extension the person already has installed, for its signing
// module (spec §2.2: `ltsm.wasm`, loaded by `static/js/ltsmSandbox.js`). Junction ships
// neither; it looks in the usual Chrome and Chromium profile folders on Linux, macOS
// and Windows, or where the `signerPath` setting points. Before anything of a folder is
// loaded, the folder is identified: its manifest's `key` must be the LINE extension's
// (Chrome derives the id from it), and its version one whose signatures Junction knows.

import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, win32, posix } from 'node:path'

/** The extension's id, from its origin `chrome-extension://ophjlpahpchlmihnnnihgmmeilfjmjjc` (spec §2.1). */
export const LINE_EXTENSION_ID = 'ophjlpahpchlmihnnnihgmmeilfjmjjc'
/** spec §2.1 Origin, and §2.2: the origin selects the static token inside the signing module. */
export const EXTENSION_ORIGIN = `chrome-extension://${LINE_EXTENSION_ID}`

/**
 * spec §2.1–§2.3: the gateway versions whose X-Line-Chrome-Version and X-Hmac are known
 * (the signing key hashes the version in; older ones get 10006 REQUEST_MUST_UPGRADE).
 */
export const SUPPORTED_EXTENSION_VERSIONS: readonly string[] = ['3.7.1', '3.7.2']

/** A manifest larger than this is not an extension's. */
const MAX_MANIFEST_BYTES = 256 * 1024

export interface ExtensionModule {
  /** The folder of one installed version of the extension. */
  dir: string
  wasmPath: string
  sandboxPath: string
  /** The extension's version from manifest.json (e.g. "3.7.2"), one of SUPPORTED_EXTENSION_VERSIONS. */
  version: string
}

/** Why a folder is not the LINE extension Junction can use. */
export type ExtensionRefusal = 'line-signer' | 'line-signer-version'

export type ExtensionSearch = { found: ExtensionModule } | { found: null; searched: string[]; refusal: ExtensionRefusal; version?: string }

/**
 * Chrome's extension id: the first 128 bits of SHA-256 over the DER public key of the
 * manifest's `key`, each hex digit 0–f written as a letter a–p.
 */
export function extensionIdOf(keyBase64: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyBase64) || keyBase64.length > 8192) return null
  const hex = createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('hex').slice(0, 32)
  return [...hex].map((d) => String.fromCharCode(97 + parseInt(d, 16))).join('')
}

export type Identity = { ok: true; version: string } | { ok: false; refusal: ExtensionRefusal; version?: string }

/** Reads a folder's manifest.json and says whether it is a supported version of the LINE extension. */
export function identifyExtension(dir: string): Identity {
  let manifest: { key?: unknown; version?: unknown }
  try {
    const path = join(dir, 'manifest.json')
    if (statSync(path).size > MAX_MANIFEST_BYTES) return { ok: false, refusal: 'line-signer' }
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'))
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, refusal: 'line-signer' }
    manifest = parsed as { key?: unknown; version?: unknown }
  } catch {
    return { ok: false, refusal: 'line-signer' }
  }
  if (typeof manifest.key !== 'string' || extensionIdOf(manifest.key) !== LINE_EXTENSION_ID) return { ok: false, refusal: 'line-signer' }
  const version = typeof manifest.version === 'string' ? manifest.version.slice(0, 32) : ''
  if (!SUPPORTED_EXTENSION_VERSIONS.includes(version)) return { ok: false, refusal: 'line-signer-version', version }
  return { ok: true, version }
}

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

type Candidate = { found: ExtensionModule } | { found: null; refusal: ExtensionRefusal; version?: string }

/** The manifest first: a folder that is not the LINE extension is not searched for files at all. */
function moduleIn(dir: string): Candidate {
  const identity = identifyExtension(dir)
  if (!identity.ok) return { found: null, refusal: identity.refusal, ...(identity.version !== undefined ? { version: identity.version } : {}) }
  const { wasm, sandbox } = findFiles(dir)
  return wasm && sandbox ? { found: { dir, wasmPath: wasm, sandboxPath: sandbox, version: identity.version } } : { found: null, refusal: 'line-signer' }
}

/** Of several refusals, the more telling: "the LINE extension, but another version" over "not it". */
function better(a: Candidate | null, b: Candidate): Candidate {
  if (!a || a.found) return a ?? b
  if (b.found) return b
  return a.refusal === 'line-signer-version' ? a : b
}

/** A folder named after the extension id holds one folder per installed version: the newest supported one. */
function newestVersionIn(idDir: string): Candidate | null {
  const versions = list(idDir)
    .filter((v) => isDir(join(idDir, v)))
    .sort(compareVersions)
    .reverse()
  let best: Candidate | null = null
  for (const v of versions) {
    const candidate = moduleIn(join(idDir, v))
    if (candidate.found) return candidate
    best = better(best, candidate)
  }
  return best
}

/** `signerPath` may name a version folder, the extension-id folder, or any folder holding the manifest and the two files. */
export function extensionAt(path: string): Candidate {
  if (!existsSync(path) || !isDir(path)) return { found: null, refusal: 'line-signer' }
  const holdsVersions = list(path).some((name) => /^\d+(\.\d+)*(_\d+)?$/.test(name) && isDir(join(path, name)))
  const inVersions = holdsVersions ? newestVersionIn(path) : null
  return inVersions?.found ? inVersions : better(inVersions, moduleIn(path))
}

export function findLineExtension(signerPath: string | null, e: SearchEnvironment = defaultEnvironment()): ExtensionSearch {
  if (signerPath) {
    const candidate = extensionAt(signerPath)
    return candidate.found ? { found: candidate.found } : { ...candidate, searched: [signerPath] }
  }
  const searched: string[] = []
  let best: Candidate | null = null
  for (const data of browserDataDirs(e)) {
    searched.push(data)
    for (const profile of list(data)) {
      const idDir = join(data, profile, 'Extensions', LINE_EXTENSION_ID)
      if (!isDir(idDir)) continue
      const candidate = newestVersionIn(idDir)
      if (candidate?.found) return { found: candidate.found }
      if (candidate) best = better(best, candidate)
    }
  }
  return best && !best.found ? { ...best, searched } : { found: null, refusal: 'line-signer', searched }
}

/** What the add-account dialog says when the module is missing: what, and how to provide it. */
export function missingSignerMessage(signerPath: string | null, searched: string[], refusal: ExtensionRefusal = 'line-signer', version?: string): string {
  if (refusal === 'line-signer-version') {
    return `The LINE extension found is version ${version || 'unknown'}; Junction can sign requests only with versions ${SUPPORTED_EXTENSION_VERSIONS.join(', ')}.`
  }
  const where = signerPath
    ? `The folder set in Settings (${signerPath}) does not contain the LINE extension's signing module (ltsm.wasm and ltsmSandbox.js).`
    : `It was not found in the Chrome, Chromium, Edge or Brave profiles on this computer (looked in ${searched.length} places, e.g. ${searched[0] ?? 'none'}).`
  return (
    `LINE needs the signing module of the LINE Chrome extension, which Junction does not ship. ${where} ` +
    `Install the LINE extension (id ${LINE_EXTENSION_ID}) in Google Chrome or Chromium and open it once, ` +
    `or set "LINE signing module" in Settings to its folder (…/Extensions/${LINE_EXTENSION_ID}/<version>).`
  )
}
