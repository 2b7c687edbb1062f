// The isolated LINE signer (issue 11 point 12): a process of its own that holds only the
// extension's code and answers sign requests over its message channel. It is started by
// isolated.ts (child_process.fork with an empty environment and no inherited stdio under
// Node; Electron's utilityProcess in the app) and evaluates the program of bundle.ts in a
// fresh V8 context that is not "contextified" from one of this realm's objects: its global
// and everything on it belong to the context, so no object of this process (and through
// its constructor, no `Function` that could reach `process`) is reachable from the bundle.
// String code generation is off there; WebAssembly stays on, as the module needs it.
// Only strings cross into the context: code, hex and base64.
//
// This file imports nothing but node:vm and node:crypto, so that Node runs it as it is.

import { randomBytes } from 'node:crypto'
import { constants, createContext, Script, type Context } from 'node:vm'

type Inbound = { type: 'load'; program: string; wasmBase64: string; token: string } | { type: 'sign'; id: number; kdf1: string; kdf2: string; data: string }

type Outbound =
  { type: 'ready' } | { type: 'failed'; message: string } | { type: 'signed'; id: number; digest: string } | { type: 'error'; id: number; message: string }

/** Electron's utilityProcess hands the channel over as `process.parentPort`. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort
const send = (message: Outbound): void => {
  if (parentPort) parentPort.postMessage(message)
  else process.send?.(message)
}

const LOAD_TIMEOUT_MS = 15_000
const CALL_TIMEOUT_MS = 2_000
const HEX = /^[0-9a-f]*$/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

let context: Context | null = null

/** Runs a call of the sandbox's `__junction` with string arguments, written as literals: nothing else goes in. */
function call(expression: string, args: string[]): unknown {
  if (!context) throw new Error('not loaded')
  const source = `__junction.${expression}(${args.map((a) => JSON.stringify(a)).join(',')})`
  return new Script(source, { filename: 'line-signer-call.js' }).runInContext(context, { timeout: CALL_TIMEOUT_MS })
}

function status(): string {
  const s = call('status', [])
  return typeof s === 'string' ? s : 'failed'
}

async function load(message: Extract<Inbound, { type: 'load' }>): Promise<void> {
  if (typeof message.program !== 'string' || typeof message.wasmBase64 !== 'string' || !BASE64.test(message.wasmBase64) || typeof message.token !== 'string') {
    send({ type: 'failed', message: 'bad load request' })
    return
  }
  context = createContext(constants.DONT_CONTEXTIFY, { name: 'line-ltsm', codeGeneration: { strings: false, wasm: true } })
  try {
    new Script(message.program, { filename: 'ltsmSandbox.js' }).runInContext(context, { timeout: LOAD_TIMEOUT_MS })
    call('addEntropy', [randomBytes(4096).toString('hex')])
    call('load', [message.wasmBase64, message.token])
  } catch (error) {
    send({ type: 'failed', message: describe(error) })
    return
  }
  // The module instantiates asynchronously (WebAssembly); its state is asked for, never awaited,
  // so that no function of this realm is ever handed to the sandbox's promises.
  const deadline = Date.now() + LOAD_TIMEOUT_MS
  for (;;) {
    const s = status()
    if (s === 'ready') return send({ type: 'ready' })
    if (s === 'failed' || Date.now() > deadline) {
      const detail = s === 'failed' ? call('error', []) : 'timed out'
      return send({ type: 'failed', message: typeof detail === 'string' ? detail.slice(0, 200) : 'failed' })
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

function sign(message: Extract<Inbound, { type: 'sign' }>): void {
  const { id } = message
  if (!Number.isSafeInteger(id)) return
  if (
    ![message.kdf1, message.kdf2].every((h) => typeof h === 'string' && h.length === 64 && HEX.test(h)) ||
    typeof message.data !== 'string' ||
    !BASE64.test(message.data)
  ) {
    send({ type: 'error', id, message: 'bad sign request' })
    return
  }
  try {
    call('addEntropy', [randomBytes(64).toString('hex')])
    const digest = call('sign', [message.kdf1, message.kdf2, message.data])
    if (typeof digest !== 'string' || !BASE64.test(digest) || digest.length > 128) throw new Error('the module returned something that is not a digest')
    send({ type: 'signed', id, digest })
  } catch (error) {
    send({ type: 'error', id, message: describe(error) })
  }
}

function describe(error: unknown): string {
  // An error thrown in the sandbox is the sandbox's object: read only its message, as a string.
  try {
    const text =
      error instanceof Error ? error.message : typeof error === 'object' && error !== null ? String((error as { message?: unknown }).message) : String(error)
    return text.slice(0, 200)
  } catch {
    return 'failed'
  }
}

let queue: Promise<void> = Promise.resolve()
function receive(raw: unknown): void {
  if (typeof raw !== 'object' || raw === null) return
  const message = raw as Inbound
  // One request at a time: the module signs wrongly when asked concurrently (spec §2.2).
  queue = queue.then(() => (message.type === 'load' ? load(message) : message.type === 'sign' ? sign(message) : undefined)).catch(() => undefined)
}

if (parentPort) parentPort.on('message', (event) => receive(event.data))
else process.on('message', receive)
// The parent going away ends this process too.
process.on('disconnect', () => process.exit(0))
