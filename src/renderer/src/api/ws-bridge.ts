// The Api over a WebSocket to the headless host. Requests made while the socket first
// connects wait for it; once the link was lost, requests fail at once (so a composer keeps
// its text instead of waiting on a send that may never go out). A lost socket is retried
// with back-off, and `onStatus` tells the app so it can say so and reload its state once
// back. When the host answers that the page's token is not its own, Junction was restarted
// (every launch has a new token): the page says so instead of reconnecting forever.

import type { ApiEvent, ApiReply, JunctionBridge } from '../../../shared/api'
import { REQUEST_NAMES } from '../../../shared/api'

export type LinkStatus = 'connecting' | 'open' | 'lost' | 'restarted'

const LINK_DOWN: ApiReply<never> = {
  ok: false,
  error: { code: 'network', message: 'Junction’s engine cannot be reached.', retryable: true, reason: { code: 'engine-unreachable' } }
}

interface Pending {
  resolve: (reply: ApiReply<unknown>) => void
}

/**
 * `sessionUrl` answers 204 while the page's token is the host's, 403 once it is not.
 */
export function createWsBridge(url: string, onStatus: (status: LinkStatus) => void, sessionUrl: string | null = null): JunctionBridge {
  let socket: WebSocket | null = null
  let status: LinkStatus = 'connecting'
  const setStatus = (next: LinkStatus): void => {
    status = next
    onStatus(next)
  }
  let nextId = 1
  let attempt = 0
  const pending = new Map<number, Pending>()
  const queue: string[] = []
  const listeners = new Set<(event: ApiEvent) => void>()

  const failAll = (): void => {
    for (const [id, p] of pending) {
      p.resolve({ ok: false, error: { code: 'network', message: 'Lost the connection to Junction.', retryable: true } })
      pending.delete(id)
    }
  }

  const failQueued = (): void => {
    for (const frame of queue.splice(0)) {
      const id = (JSON.parse(frame) as { id: number }).id
      pending.get(id)?.resolve(LINK_DOWN)
      pending.delete(id)
    }
  }

  /** The host is up but refuses this page's token: it is a new launch. */
  const restarted = async (): Promise<boolean> => {
    if (!sessionUrl) return false
    try {
      const response = await fetch(sessionUrl, { cache: 'no-store' })
      return response.status === 401 || response.status === 403
    } catch {
      return false
    }
  }

  const connect = (): void => {
    setStatus(attempt === 0 && status === 'connecting' ? 'connecting' : 'lost')
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      attempt = 0
      setStatus('open')
      for (const frame of queue.splice(0)) ws.send(frame)
    }
    ws.onmessage = (message) => {
      let frame: { id?: number | null; reply?: ApiReply<unknown>; event?: ApiEvent }
      try {
        frame = JSON.parse(String(message.data)) as typeof frame
      } catch {
        return
      }
      if (frame.event) for (const l of listeners) l(frame.event)
      else if (typeof frame.id === 'number' && frame.reply) {
        pending.get(frame.id)?.resolve(frame.reply)
        pending.delete(frame.id)
      }
    }
    ws.onclose = () => {
      socket = null
      failAll()
      failQueued()
      setStatus('lost')
      const wait = Math.min(10_000, 500 * 2 ** attempt++)
      void restarted().then((yes) => (yes ? setStatus('restarted') : void setTimeout(connect, wait)))
    }
  }
  connect()

  const bridge: Record<string, unknown> = {}
  for (const name of REQUEST_NAMES) {
    bridge[name] = (arg: unknown) =>
      new Promise<ApiReply<unknown>>((resolve) => {
        const id = nextId++
        pending.set(id, { resolve })
        const frame = JSON.stringify({ id, name, arg })
        if (socket?.readyState === WebSocket.OPEN) socket.send(frame)
        else if (status === 'connecting') queue.push(frame)
        else {
          pending.delete(id)
          resolve(LINK_DOWN)
        }
      })
  }
  bridge.onEvent = (listener: (event: ApiEvent) => void) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }
  return bridge as JunctionBridge
}
