// The LINE reference server for the SSE ingest bench, in a process of its own (issue 14
// point 1): its encoding, sealing and SSE framing must not count against the client's CPU
// time. Started by line-server.ts (child_process.fork with tsx's loader); it speaks only
// the small IPC protocol of LineServerRequest / LineServerReply below.

import { startLineServer } from '../servers/line/server'
import { LinePhone } from '../servers/line/phone'

export type LineServerRequest =
  | { id: number; kind: 'scan'; payload: string }
  | { id: number; kind: 'pin'; pin: string }
  | { id: number; kind: 'prepare'; from: 'plain' | 'sealed'; count: number }
  | { id: number; kind: 'cpu' }
  | { id: number; kind: 'close' }

export interface LineServerReady {
  kind: 'ready'
  /** Connector config without the signer (the parent makes its own TestSigner, same test key). */
  config: Record<string, unknown>
  ownerMid: string
}

export type LineServerReply = { id: number; ok: true; start?: string; final?: string; cpuMicros?: number } | { id: number; ok: false; error: string }

async function main(): Promise<void> {
  const send = (message: LineServerReady | LineServerReply): void => {
    process.send?.(message)
  }
  const server = await startLineServer({ ssePingMs: 5_000, sseWindowMs: 600_000 })
  const { world } = server
  const alice = world.addUser({ displayName: 'Alice', sealing: true })
  const bob = world.addUser({ displayName: 'Bob', sealing: true })
  const carol = world.addUser({ displayName: 'Carol', sealing: false })
  world.befriend(alice.mid, bob.mid)
  world.befriend(alice.mid, carol.mid)
  const phone = new LinePhone(server, alice.mid)
  const { signer: _signer, ...config } = server.config()

  // A parent that crashed or exited must not leave the server running.
  process.on('disconnect', () => void server.close().finally(() => process.exit(0)))
  process.on('message', (raw: LineServerRequest) => {
    void (async (): Promise<LineServerReply> => {
      switch (raw.kind) {
        case 'scan':
          await phone.scan(raw.payload)
          return { id: raw.id, ok: true }
        case 'pin':
          await phone.enterPin(raw.pin)
          return { id: raw.id, ok: true }
        case 'prepare': {
          const from = raw.from === 'plain' ? carol.mid : bob.mid
          const start = world.user(alice.mid).revision.toString()
          for (let i = 0; i < raw.count; i++) await phone.sendAs(from, `bench message ${i} with some words in it`)
          return { id: raw.id, ok: true, start, final: world.user(alice.mid).revision.toString() }
        }
        case 'cpu': {
          const cpu = process.cpuUsage()
          return { id: raw.id, ok: true, cpuMicros: cpu.user + cpu.system }
        }
        case 'close':
          // The reply goes out first; the parent's disconnect then closes the server (above).
          return { id: raw.id, ok: true }
      }
    })().then(send, (error: unknown) => send({ id: raw.id, ok: false, error: String(error instanceof Error ? error.stack : error) }))
  })
  send({ kind: 'ready', config, ownerMid: alice.mid })
}

main().catch((error: unknown) => {
  process.stderr.write(`line-server-child failed: ${String(error instanceof Error ? error.stack : error)}\n`)
  process.exit(1)
})
