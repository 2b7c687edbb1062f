// The production RequestSigner: LINE's own signing module, from the LINE Chrome extension
// installed on this computer (spec §2.2), run outside Junction's process (issue 11 point 12).
// This side reads and identifies the files, writes the sandbox program (bundle.ts), starts
// the isolated runner (runner.ts) and asks it for signatures. Then, as every open
// implementation does (kongesque, OkLine, 2manslkh):
//   dk = SecureKey.loadToken(STATIC_TOKEN).deriveKey(SHA-256(version), SHA-256(accessToken))
//   X-Hmac = base64(new Hmac(dk).digest(utf8(path + body)))

import { fork } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { JunctionError } from '../../../../shared/errors'
import { SIGNER_MISSING } from '../errors'
import { findFactory, indexModules, sandboxProgram } from './bundle'
import type { ExtensionModule } from './extension'
import { identifyExtension } from './extension'
import { serialSigner, type RequestSigner } from './index'

/** spec §2.2: the public token of origin chrome-extension://ophjlpahpchlmihnnnihgmmeilfjmjjc. */
export const LTSM_STATIC_TOKEN = 'wODdrvWqmdP4Zliay-iF3cz3KZcK0ekrial868apg06TXeCo7A1hIQO0ESElHg6D'

/** What Junction needs of an isolated process (the contract's): Node's forked child, or Electron's utilityProcess. */
export type { IsolatedProcess, SpawnIsolated } from '../../connector'
import type { SpawnIsolated } from '../../connector'

/**
 * The runner: this folder's runner.ts when running from source (tests, tsx), else the bundled
 * `line-signer-runner.js` beside the built main (an electron-vite entry of its own);
 * config.signerRunner overrides both.
 */
export function defaultRunner(): string {
  const source = join(__dirname, 'runner.ts')
  return existsSync(source) ? source : join(__dirname, 'line-signer-runner.js')
}

const MAX_BUNDLE_BYTES = 32 * 1024 * 1024
const MAX_WASM_BYTES = 32 * 1024 * 1024
const START_TIMEOUT_MS = 20_000
const SIGN_TIMEOUT_MS = 10_000

/** Under Node (the headless host, tests): a forked child with an empty environment and no inherited stdio. */
export const forkIsolated: SpawnIsolated = (modulePath) => {
  const child = fork(modulePath, [], {
    env: {},
    execArgv: ['--max-old-space-size=256'],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    serialization: 'advanced'
  })
  return {
    postMessage: (message) => {
      if (child.connected) child.send(message as object)
    },
    on: (event: 'message' | 'exit', listener: ((message: unknown) => void) | ((code: number | null) => void)) => {
      if (event === 'message') child.on('message', listener as (message: unknown) => void)
      else {
        const exit = listener as (code: number | null) => void
        child.on('exit', (code) => exit(code))
        child.on('error', () => exit(null))
      }
      return child
    },
    kill: () => child.kill()
  }
}

function failure(message: string, cause?: unknown): JunctionError {
  return new JunctionError('setup-required', message, { reason: SIGNER_MISSING, ...(cause === undefined ? {} : { cause }) })
}

const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex')

function readBounded(path: string, limit: number): Buffer {
  if (statSync(path).size > limit) throw failure('The LINE extension’s signing module is larger than any known version.')
  return readFileSync(path)
}

export interface IsolatedSignerOptions {
  spawn?: SpawnIsolated
  runner?: string
  token?: string
}

/** Loads the module of an installed, identified extension in an isolated process; calls are serialised (spec §2.2). */
export async function loadLtsmSigner(location: ExtensionModule, options: IsolatedSignerOptions = {}): Promise<RequestSigner & { close(): void }> {
  // Identified again here, right before reading code: the folder may have changed since the search.
  const identity = identifyExtension(location.dir)
  if (!identity.ok) {
    const reason =
      identity.refusal === 'line-signer-version'
        ? { code: 'setup-required' as const, params: { what: 'line-signer-version', component: 'the LINE Chrome extension', version: identity.version ?? '' } }
        : SIGNER_MISSING
    throw new JunctionError('setup-required', 'That folder is not a supported version of the LINE Chrome extension.', { reason })
  }
  let bundle: string
  let wasm: Buffer
  try {
    bundle = readBounded(location.sandboxPath, MAX_BUNDLE_BYTES).toString('utf8')
    wasm = readBounded(location.wasmPath, MAX_WASM_BYTES)
  } catch (cause) {
    if (cause instanceof JunctionError) throw cause
    throw failure('The LINE extension’s signing module could not be read.', cause)
  }
  const modules = indexModules(bundle)
  const factoryId = findFactory(modules)
  if (!factoryId) throw failure('The LINE extension’s sandbox script has no signing module in it (unknown extension version?).')

  const child = (options.spawn ?? forkIsolated)(options.runner ?? defaultRunner())
  const pending = new Map<number, { resolve: (digest: string) => void; reject: (error: JunctionError) => void; timer: NodeJS.Timeout }>()
  let nextId = 1
  let exited = false
  let started: { resolve: () => void; reject: (error: JunctionError) => void } | null = null
  const failAll = (error: JunctionError): void => {
    for (const p of pending.values()) {
      clearTimeout(p.timer)
      p.reject(error)
    }
    pending.clear()
    started?.reject(error)
    started = null
  }
  child.on('exit', () => {
    exited = true
    failAll(failure('The LINE signing process ended.'))
  })
  child.on('message', (raw) => {
    if (typeof raw !== 'object' || raw === null) return
    const m = raw as { type?: unknown; id?: unknown; digest?: unknown; message?: unknown }
    if (m.type === 'ready') {
      started?.resolve()
      started = null
    } else if (m.type === 'failed') {
      started?.reject(failure(`The LINE extension’s signing module could not be started (${String(m.message).slice(0, 200)}).`))
      started = null
    } else if ((m.type === 'signed' || m.type === 'error') && typeof m.id === 'number') {
      const p = pending.get(m.id)
      if (!p) return
      pending.delete(m.id)
      clearTimeout(p.timer)
      const digest = typeof m.digest === 'string' ? Buffer.from(m.digest, 'base64') : null
      if (m.type === 'signed' && digest?.length === 32) p.resolve(digest.toString('base64'))
      else p.reject(failure('The LINE signing module returned no usable signature.'))
    }
  })
  const close = (): void => {
    if (!exited) child.kill()
    exited = true
    failAll(failure('The LINE signing process was closed.'))
  }

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(failure('The LINE extension’s signing module did not start in time.')), START_TIMEOUT_MS)
      started = {
        resolve: () => {
          clearTimeout(timer)
          resolve()
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        }
      }
      child.postMessage({
        type: 'load',
        program: sandboxProgram(modules, factoryId),
        wasmBase64: wasm.toString('base64'),
        token: options.token ?? LTSM_STATIC_TOKEN
      })
    })
  } catch (error) {
    close()
    throw error
  }

  const signer = serialSigner({
    name: `LINE extension ${location.version}`,
    sign({ version, accessToken, path, body }) {
      if (exited) return Promise.reject(failure('The LINE signing process ended.'))
      const id = nextId++
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id)
          reject(failure('The LINE signing module did not answer in time.'))
        }, SIGN_TIMEOUT_MS)
        pending.set(id, { resolve, reject, timer })
        child.postMessage({
          type: 'sign',
          id,
          kdf1: sha256Hex(version),
          kdf2: sha256Hex(accessToken),
          data: Buffer.from(path + body, 'utf8').toString('base64')
        })
      })
    }
  })
  return { name: signer.name, sign: (input) => signer.sign(input), close }
}
