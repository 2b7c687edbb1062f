// Every listener the host hangs on its server goes through these wrappers: whatever a page
// sends, a bug in handling it answers 500 (or drops that one socket) and is logged; it never
// becomes an uncaught exception that ends the process and every session with it.

import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Logger } from '../base/log'

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>
export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>
/** What the server is given: never a promise, since nothing on the server's side would hear its rejection. */
export type GuardedRequestListener = (req: IncomingMessage, res: ServerResponse) => void
export type GuardedUpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void

/** The path alone, shortened: a query may carry the launch token, so it never reaches a log line. */
export function loggablePath(rawUrl: string | undefined): string {
  const url = rawUrl ?? ''
  const q = url.search(/[?#]/)
  return (q < 0 ? url : url.slice(0, q)).slice(0, 128)
}

/** `new URL` throws on request targets such as `//[` or `http://%zz/`: those are a 400, not a crash. */
export function parseRequestUrl(rawUrl: string | undefined, origin: string): URL | null {
  try {
    return new URL(rawUrl ?? '/', origin)
  } catch {
    return null
  }
}

function answerFailure(res: ServerResponse): void {
  try {
    if (res.headersSent) res.destroy()
    else res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end('Internal error')
  } catch {
    res.destroy()
  }
}

export function guardRequestListener(log: Logger, listener: RequestListener): GuardedRequestListener {
  return (req, res) => {
    const fail = (error: unknown): void => {
      log.error({ method: req.method?.slice(0, 16), path: loggablePath(req.url), error }, 'request handler failed')
      answerFailure(res)
    }
    // A response stream can fail after the handler returned (the page went away mid-file).
    res.on('error', (error) => log.debug({ path: loggablePath(req.url), error }, 'response failed'))
    try {
      const result = listener(req, res)
      if (result instanceof Promise) result.catch(fail)
    } catch (error) {
      fail(error)
    }
  }
}

export function guardUpgradeListener(log: Logger, listener: UpgradeListener): GuardedUpgradeListener {
  return (req, socket, head) => {
    // Node takes its own error listener off a socket it hands to 'upgrade': until the
    // WebSocket library adds one, a reset by the page would be an uncaught 'error'.
    socket.on('error', (error) => log.debug({ error }, 'upgrade socket failed'))
    const fail = (error: unknown): void => {
      log.error({ path: loggablePath(req.url), error }, 'upgrade handler failed')
      socket.destroy()
    }
    try {
      const result = listener(req, socket, head)
      if (result instanceof Promise) result.catch(fail)
    } catch (error) {
      fail(error)
    }
  }
}
