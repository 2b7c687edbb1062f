// The production RequestSigner: LINE's own signing module, taken from the LINE Chrome
// extension installed on this computer and run under Node (spec §2.2). The extension's
// sandbox script is a webpack bundle; its Emscripten factory module is found by content,
// evaluated in a separate VM context with the few browser globals it expects, and given
// the wasm bytes. Then, as every open implementation does (kongesque, OkLine, 2manslkh):
//   dk = SecureKey.loadToken(STATIC_TOKEN).deriveKey(SHA-256(version), SHA-256(accessToken))
//   X-Hmac = base64(new Hmac(dk).digest(utf8(path + body)))

import { createHash, webcrypto } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createContext, Script } from 'node:vm'
import { JunctionError } from '../../../shared/errors'
import type { ExtensionModule } from './extension'
import { serialSigner, type RequestSigner } from './signer'

/** spec §2.2: the public token of origin chrome-extension://ophjlpahpchlmihnnnihgmmeilfjmjjc. */
export const LTSM_STATIC_TOKEN = 'wODdrvWqmdP4Zliay-iF3cz3KZcK0ekrial868apg06TXeCo7A1hIQO0ESElHg6D'
const ORIGIN = 'chrome-extension://ophjlpahpchlmihnnnihgmmeilfjmjjc'

interface EmbindObject {
  delete?: () => void
}
interface LtsmModule {
  SecureKey: { loadToken(token: string): EmbindObject & { deriveKey(a: Uint8Array, b: Uint8Array): EmbindObject } }
  Hmac: new (key: EmbindObject) => EmbindObject & { digest(data: Uint8Array): Uint8Array | ArrayBuffer | string }
}

interface ModuleSource {
  params: string[]
  body: string
}

const MODULE_START = /[{,]\s*(\d+)\s*:\s*(?:\(([\w$,\s]*)\)\s*=>|([\w$]+)\s*=>|function\s*\(([\w$,\s]*)\))\s*\{/g

/** Reads a template literal's text from `i` up to its closing backtick, or up to the `{` of its next `${`. */
function scanTemplateText(src: string, i: number): { end: number; opensExpression: boolean } {
  for (; i < src.length; i++) {
    if (src[i] === '\\') i++
    else if (src[i] === '`') return { end: i, opensExpression: false }
    else if (src[i] === '$' && src[i + 1] === '{') return { end: i + 1, opensExpression: true }
  }
  return { end: i, opensExpression: false }
}

/** Finds the closing brace of a block, skipping strings, template literals, comments and regex literals. */
export function matchBrace(src: string, open: number): number {
  let depth = 0
  const templates: number[] = []
  let prevSignificant = '{'
  for (let i = open; i < src.length; i++) {
    const c = src[i]!
    if (c === '"' || c === "'") {
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === '\\') i++
      prevSignificant = c
      continue
    }
    if (c === '`') {
      const text = scanTemplateText(src, i + 1)
      i = text.end
      if (text.opensExpression) templates.push(depth++)
      prevSignificant = '`'
      continue
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++
      continue
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2)
      i = end === -1 ? src.length : end + 1
      continue
    }
    if (c === '/' && '(,=:[!&|?{};+-*%<>~^'.includes(prevSignificant)) {
      let inClass = false
      for (i++; i < src.length; i++) {
        if (src[i] === '\\') i++
        else if (src[i] === '[') inClass = true
        else if (src[i] === ']') inClass = false
        else if (src[i] === '/' && !inClass) break
      }
      prevSignificant = 'a'
      continue
    }
    if (c === '{') depth++
    else if (c === '}') {
      depth--
      if (templates.length > 0 && templates[templates.length - 1] === depth) {
        // The end of a `${…}` inside a template literal: continue the literal.
        templates.pop()
        const text = scanTemplateText(src, i + 1)
        i = text.end
        if (text.opensExpression) templates.push(depth++)
        prevSignificant = '`'
        continue
      }
      if (depth === 0) return i
    }
    if (!/\s/.test(c)) prevSignificant = c
  }
  return -1
}

/** The webpack module table of a bundle: id → parameters and body. */
export function indexModules(bundle: string): Map<string, ModuleSource> {
  const modules = new Map<string, ModuleSource>()
  for (const m of bundle.matchAll(MODULE_START)) {
    const id = m[1]!
    if (modules.has(id)) continue
    const open = m.index! + m[0].length - 1
    const close = matchBrace(bundle, open)
    if (close === -1) continue
    const params = (m[2] ?? m[3] ?? m[4] ?? '').split(',').map((p) => p.trim()).filter(Boolean)
    modules.set(id, { params, body: bundle.slice(open + 1, close) })
  }
  return modules
}

function failure(message: string, cause?: unknown): JunctionError {
  return new JunctionError('signer-missing', message, cause === undefined ? {} : { cause })
}

/** Evaluates the bundle's Emscripten factory in its own context and instantiates the module. */
export async function loadLtsmModule(bundle: string, wasm: Uint8Array): Promise<LtsmModule> {
  const modules = indexModules(bundle)
  const candidates = [...modules.entries()].filter(([, m]) => m.body.includes('wasmBinary'))
  candidates.sort((a, b) => Number(b[1].body.includes('SecureKey')) - Number(a[1].body.includes('SecureKey')) || b[1].body.length - a[1].body.length)
  const factoryId = candidates[0]?.[0]
  if (!factoryId) throw failure('The LINE extension’s sandbox script has no signing module in it (unknown extension version?).')

  const noop = (): void => {}
  const sandbox: Record<string, unknown> = {
    console: { log: noop, warn: noop, error: noop, info: noop, debug: noop },
    crypto: { getRandomValues: (a: Uint8Array) => webcrypto.getRandomValues(a), subtle: webcrypto.subtle },
    location: { origin: ORIGIN, href: `${ORIGIN}/static/sandbox.html`, protocol: 'chrome-extension:' },
    origin: ORIGIN,
    document: { currentScript: { src: `${ORIGIN}/static/js/ltsmSandbox.js` } },
    navigator: { userAgent: 'Mozilla/5.0' },
    TextEncoder,
    TextDecoder,
    URL,
    performance,
    setTimeout,
    clearTimeout
  }
  sandbox.window = sandbox
  sandbox.self = sandbox
  sandbox.globalThis = sandbox
  const context = createContext(sandbox, { name: 'line-ltsm' })

  const cache = new Map<string, { exports: unknown }>()
  const require = Object.assign(
    (id: string | number): unknown => {
      const key = String(id)
      const hit = cache.get(key)
      if (hit) return hit.exports
      const source = modules.get(key)
      const module = { exports: {} as unknown }
      cache.set(key, module)
      if (source) {
        const fn = new Script(`(function(${source.params.join(',')}){${source.body}\n})`, { filename: `ltsm-module-${key}.js` }).runInContext(context) as (...args: unknown[]) => void
        fn(module, module.exports, require)
      }
      return module.exports
    },
    {
      // The handful of webpack runtime helpers bundled modules call.
      d: (exports: object, getters: Record<string, () => unknown>) => {
        for (const [k, get] of Object.entries(getters)) if (!Object.hasOwn(exports, k)) Object.defineProperty(exports, k, { enumerable: true, get })
      },
      o: (o: object, k: string) => Object.hasOwn(o, k),
      r: (exports: object) => Object.defineProperty(exports, '__esModule', { value: true }),
      n: (m: { __esModule?: boolean; default?: unknown }) => (m && m.__esModule ? () => m.default : () => m),
      g: sandbox
    }
  )
  const exported = require(factoryId) as unknown
  const factory = (typeof exported === 'function' ? exported : (exported as { default?: unknown }).default) as ((m: object) => Promise<LtsmModule>) | undefined
  if (typeof factory !== 'function') throw failure('The LINE extension’s signing module has an unexpected shape.')
  const mod = await factory({ wasmBinary: wasm, locateFile: (p: string) => p, print: noop, printErr: noop })
  if (!mod?.SecureKey?.loadToken || typeof mod.Hmac !== 'function') throw failure('The LINE extension’s signing module lacks SecureKey or Hmac.')
  return mod
}

function toBytes(digest: Uint8Array | ArrayBuffer | string): Buffer {
  if (typeof digest === 'string') return Buffer.from(digest, 'base64')
  return Buffer.from(digest instanceof ArrayBuffer ? new Uint8Array(digest) : digest)
}

const sha256 = (s: string): Uint8Array => new Uint8Array(createHash('sha256').update(s, 'utf8').digest())

/** Loads the module of an installed extension; calls are serialised (spec §2.2). */
export async function loadLtsmSigner(location: ExtensionModule, token: string = LTSM_STATIC_TOKEN): Promise<RequestSigner> {
  let bundle: string
  let wasm: Uint8Array
  try {
    bundle = readFileSync(location.sandboxPath, 'utf8')
    wasm = new Uint8Array(readFileSync(location.wasmPath))
  } catch (cause) {
    throw failure('The LINE extension’s signing module could not be read.', cause)
  }
  let mod: LtsmModule
  try {
    mod = await loadLtsmModule(bundle, wasm)
  } catch (cause) {
    if (cause instanceof JunctionError) throw cause
    throw failure('The LINE extension’s signing module could not be started.', cause)
  }
  const secureKey = mod.SecureKey.loadToken(token)
  return serialSigner({
    name: `LINE extension ${location.version ?? ''}`.trim(),
    async sign({ version, accessToken, path, body }) {
      const derived = secureKey.deriveKey(sha256(version), sha256(accessToken))
      const hmac = new mod.Hmac(derived)
      try {
        const digest = toBytes(hmac.digest(new TextEncoder().encode(path + body)))
        if (digest.length !== 32) throw failure('The LINE signing module returned a digest of the wrong size.')
        return digest.toString('base64')
      } finally {
        hmac.delete?.()
        derived.delete?.()
      }
    }
  })
}
