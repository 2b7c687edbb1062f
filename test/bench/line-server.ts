// The parent's handle on the LINE reference server running in a child process
// (line-server-child.ts), so the SSE ingest bench's process.cpuUsage() is the client's alone.

import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { TestSigner } from '../servers/line/test-signer'
import type { LineServerReady, LineServerReply, LineServerRequest } from './line-server-child'

const CHILD = join(__dirname, 'line-server-child.ts')
const TSX = require.resolve('tsx')

type Request = LineServerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never

export class RemoteLineServer {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (r: LineServerReply & { ok: true }) => void; reject: (e: Error) => void }>()

  private constructor(
    private readonly child: ChildProcess,
    /** A Connector config pointing at the child's server, with a signer of the same test key. */
    readonly config: Record<string, unknown>,
    readonly ownerMid: string
  ) {
    child.on('message', (reply: LineServerReply) => {
      const waiter = this.pending.get(reply.id)
      if (!waiter) return
      this.pending.delete(reply.id)
      if (reply.ok) waiter.resolve(reply)
      else waiter.reject(new Error(`LINE server child: ${reply.error}`))
    })
    child.on('exit', (code) => {
      for (const w of this.pending.values()) w.reject(new Error(`LINE server child exited (${code})`))
      this.pending.clear()
    })
  }

  static async start(): Promise<RemoteLineServer> {
    const child = fork(CHILD, [], { execArgv: ['--import', TSX], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const ready = await new Promise<LineServerReady>((resolve, reject) => {
      child.once('message', (m: LineServerReady) => resolve(m))
      child.once('exit', (code) => reject(new Error(`LINE server child exited before it was ready (${code})`)))
    })
    return new RemoteLineServer(child, { ...ready.config, signer: new TestSigner() }, ready.ownerMid)
  }

  private call(request: Request): Promise<LineServerReply & { ok: true }> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.child.send({ ...request, id } as LineServerRequest)
    })
  }

  async scan(payload: string): Promise<void> {
    await this.call({ kind: 'scan', payload })
  }

  async enterPin(pin: string): Promise<void> {
    await this.call({ kind: 'pin', pin })
  }

  /** Has `count` messages sent to the owner (plain from Carol, sealed from Bob); the owner's revisions around them. */
  async prepare(from: 'plain' | 'sealed', count: number): Promise<{ start: string; final: string }> {
    const r = await this.call({ kind: 'prepare', from, count })
    return { start: r.start!, final: r.final! }
  }

  /** The child's CPU time so far (user + system), in microseconds. */
  async cpuMicros(): Promise<number> {
    return (await this.call({ kind: 'cpu' })).cpuMicros!
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    await this.call({ kind: 'close' }).catch(() => {})
    this.child.disconnect()
    await exited
  }
}
