// A loopback TCP peer that plays a fixed script: it waits for the exact bytes (or a
// pattern) the client must send, then answers with the spec's bytes. Mismatches are
// recorded, not thrown, so the test reports them.

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'

export type Step = { expect: string | RegExp; reply?: string | ((match: RegExpExecArray | null) => string) } | { send: string }

export interface Scripted {
  port: number
  /** Resolves when every step ran (or rejects with what differed). */
  done: Promise<void>
  /** Lines the client sent, in order (for failures). */
  received: string[]
  socket(): Socket | null
  close(): Promise<void>
}

export async function scriptServer(steps: Step[], timeoutMs = 5_000): Promise<Scripted> {
  let sock: Socket | null = null
  const received: string[] = []
  let resolve!: () => void
  let reject!: (e: Error) => void
  const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)))
  done.catch(() => {})
  const server: Server = createServer((s) => {
    sock = s
    let buf = ''
    let i = 0
    const timer = setTimeout(() => reject(new Error(`script stalled at step ${i}; got ${JSON.stringify(buf.slice(0, 300))}`)), timeoutMs)
    const advance = (): void => {
      for (;;) {
        const step = steps[i]
        if (!step) {
          clearTimeout(timer)
          return resolve()
        }
        if ('send' in step) {
          s.write(step.send)
          i++
          continue
        }
        let match: RegExpExecArray | null = null
        let used = 0
        if (typeof step.expect === 'string') {
          if (buf.length < step.expect.length) return
          const got = buf.slice(0, step.expect.length)
          if (got !== step.expect) return reject(new Error(`step ${i}: expected ${JSON.stringify(step.expect)}, got ${JSON.stringify(got)}`))
          used = step.expect.length
        } else {
          match = step.expect.exec(buf)
          if (!match || match.index !== 0) {
            if (buf.includes('\r\n') && !step.expect.test(buf)) {
              // wait for more unless a full line is there and can never match
              if (buf.length > 4096) return reject(new Error(`step ${i}: ${JSON.stringify(buf.slice(0, 200))} does not match ${step.expect}`))
            }
            return
          }
          used = match[0].length
        }
        received.push(buf.slice(0, used))
        buf = buf.slice(used)
        if (step.reply) s.write(typeof step.reply === 'string' ? step.reply : step.reply(match))
        i++
      }
    }
    s.setEncoding('utf8')
    s.on('data', (d: string) => {
      buf += d
      advance()
    })
    s.on('error', () => {})
    advance()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    port: (server.address() as AddressInfo).port,
    done,
    received,
    socket: () => sock,
    close: () =>
      new Promise<void>((r) => {
        ;(sock as Socket | null)?.destroy()
        server.close(() => r())
      })
  }
}
