import { connect } from 'node:net'

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'ws:': 80, 'https:': 443, 'wss:': 443 }

/** Resolves true when a TCP connection to the URL's host and port opens within `timeoutMs`; never rejects. */
export function probeUrl(url: string, timeoutMs = 2_000): Promise<boolean> {
  let host: string
  let port: number
  try {
    const u = new URL(url)
    host = u.hostname.replace(/^\[|\]$/g, '')
    port = u.port ? Number(u.port) : (DEFAULT_PORTS[u.protocol] ?? 443)
  } catch {
    return Promise.resolve(false)
  }
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (ok: boolean): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve(ok)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}
