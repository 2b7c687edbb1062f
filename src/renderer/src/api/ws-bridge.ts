// The Api over a WebSocket to the headless host. Requests made while the socket is
// (re)connecting wait for it; a lost socket is retried with back-off, and `onStatus`
// tells the app so it can say so and reload its state once back.

import type { ApiEvent, ApiReply, JunctionBridge } from '../../../shared/api'
import { REQUEST_NAMES } from '../../../shared/api'

export type LinkStatus = 'connecting' | 'open' | 'lost'

interface Pending {
  resolve: (reply: ApiReply<unknown>) => void
}

export function createWsBridge(url: string, onStatus: (status: LinkStatus) => void): JunctionBridge {
  let socket: WebSocket | null = null
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

  const connect = (): void => {
    onStatus(attempt === 0 ? 'connecting' : 'lost')
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      attempt = 0
      onStatus('open')
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
      onStatus('lost')
      const wait = Math.min(10_000, 500 * 2 ** attempt++)
      setTimeout(connect, wait)
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
        else queue.push(frame)
      })
  }
  bridge.onEvent = (listener: (event: ApiEvent) => void) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }
  return bridge as JunctionBridge
}
