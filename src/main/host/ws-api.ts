// The Api over a WebSocket, for the page the headless host serves. Frames are JSON:
//   page → host  {"id": 7, "name": "listInbox", "arg": {...}}
//   host → page  {"id": 7, "reply": {"ok": true, "value": ...}}   or   {"event": {"type": "chat", "payload": ...}}
// The same dispatcher as Electron's ipc validates every argument.

import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ApiEvent, ApiEvents } from '../../shared/api'
import { EVENT_NAMES } from '../../shared/api'
import type { Emitter } from '../base/emitter'
import type { Logger } from '../base/log'
import type { Dispatcher } from '../bridge/dispatch'
import { LIMITS } from '../bridge/schemas'

export interface WsApi {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void
  close(): void
}

export function createWsApi(dispatch: Dispatcher, events: Emitter<ApiEvents>, log: Logger): WsApi {
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.requestBytes + 1024 })
  const sockets = new Set<WebSocket>()

  const broadcast = (event: ApiEvent): void => {
    const frame = JSON.stringify({ event })
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(frame)
  }
  const unsubscribes = EVENT_NAMES.map((type) => events.on(type, (payload) => broadcast({ type, payload } as ApiEvent)))

  wss.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', (error) => log.warn({ error }, 'api socket error'))
    socket.on('message', (data, isBinary) => {
      let frame: unknown
      try {
        frame = isBinary ? undefined : JSON.parse(data.toString())
      } catch {
        frame = undefined
      }
      const id = typeof frame === 'object' && frame !== null ? (frame as { id?: unknown }).id : undefined
      if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
        socket.send(JSON.stringify({ id: null, reply: { ok: false, error: { code: 'invalid-argument', message: 'Malformed request frame.', retryable: false } } }))
        return
      }
      const { name, arg } = frame as { name?: unknown; arg?: unknown }
      void dispatch(name, arg).then((reply) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ id, reply }))
      })
    })
  })

  return {
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
    },
    close() {
      for (const u of unsubscribes) u()
      for (const s of sockets) s.terminate()
      wss.close()
    }
  }
}
