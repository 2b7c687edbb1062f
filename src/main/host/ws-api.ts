// The Api over a WebSocket, for the page the headless host serves. Frames are JSON:
//   page → host  {"id": 7, "name": "listInbox", "arg": {...}}
//   host → page  {"id": 7, "reply": {"ok": true, "value": ...}}   or   {"event": {"type": "chat", "payload": ...}}
// The same dispatcher as Electron's ipc validates every argument. Before that, every frame is
// bounded (bridge/frames.ts): ws refuses anything above the largest request's cap from the
// frame header; the frame gate (frame-gate.ts) stops a large message whose first bytes show
// it will be refused and closes the socket with the reason; and a scan refuses any other
// frame above its request's cap, or nested too deep, before JSON.parse runs, with a typed
// reply. A failure in handling one socket closes that socket only (1011).

import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { ApiEvent, ApiEvents, ApiReply } from '../../shared/api'
import { EVENT_NAMES } from '../../shared/api'
import { JunctionError, serializeError } from '../../shared/errors'
import type { Emitter } from '../base/emitter'
import type { Logger } from '../base/log'
import type { Dispatcher } from '../bridge/dispatch'
import { MAX_FRAME_BYTES, scanFrame, type FrameProblem } from '../bridge/frames'
import { FrameGate } from './frame-gate'

export interface WsApi {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void
  close(): void
}

/** RFC 6455 §7.4.1: 1011, the server met a condition that kept it from fulfilling the request. */
export const CLOSE_INTERNAL_ERROR = 1011

/** How long a socket stopped by the gate has to read its close frame before it is cut. */
const CLOSE_GRACE_MS = 500
/** Requests of one socket being worked on at once; above it the socket is not read until some finish. */
const MAX_IN_FLIGHT = 64
/** Replies and events queued for a page that does not read them; a media reply is up to ~28 MB. */
const MAX_BUFFERED_BYTES = 96 * 1024 * 1024

const PROBLEM_MESSAGES: Record<FrameProblem, string> = {
  'too-large': 'The request frame is too large for its kind.',
  'too-deep': 'The request frame nests too deeply.',
  'too-complex': 'The request frame has too many values.',
  malformed: 'Malformed request frame.'
}

function errorFrame(id: number | null, message: string): string {
  const reply: ApiReply<never> = { ok: false, error: serializeError(new JunctionError('invalid-argument', message)) }
  return JSON.stringify({ id, reply })
}

function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}

export function createWsApi(dispatch: Dispatcher, events: Emitter<ApiEvents>, log: Logger): WsApi {
  // perMessageDeflate stays off: a compressed frame would defeat every size cap below.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false })
  const sockets = new Set<WebSocket>()

  const send = (socket: WebSocket, frame: string): void => {
    if (socket.readyState !== socket.OPEN) return
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      log.warn({ buffered: socket.bufferedAmount }, 'api socket does not read its replies: closing it')
      socket.terminate()
      return
    }
    socket.send(frame, (error) => {
      if (error) log.debug({ error }, 'api frame not sent')
    })
  }

  const fail = (socket: WebSocket, error: unknown, where: string): void => {
    log.error({ where, error }, 'api socket handler failed: closing that socket')
    try {
      socket.close(CLOSE_INTERNAL_ERROR, 'Internal error')
    } catch {
      socket.terminate()
    }
  }

  const broadcast = (event: ApiEvent): void => {
    let frame: string
    try {
      frame = JSON.stringify({ event })
    } catch (error) {
      log.error({ type: event.type, error }, 'event not serializable: not sent')
      return
    }
    for (const socket of sockets) {
      try {
        send(socket, frame)
      } catch (error) {
        fail(socket, error, 'event')
      }
    }
  }
  const unsubscribes = EVENT_NAMES.map((type) => events.on(type, (payload) => broadcast({ type, payload } as ApiEvent)))

  // The raw bytes pass the gate before ws buffers them: a large message whose start shows it
  // will be refused is stopped at once, and its socket closed with the reason.
  const gate = (ws: WebSocket, raw: Duplex): void => {
    const frames = new FrameGate()
    let state: 'gating' | 'stopped' | 'off' = 'gating'
    raw.prependListener('data', (chunk: Buffer) => {
      // ws may resume a socket it paused itself; a stopped one must stay unread.
      if (state === 'stopped') return void raw.pause()
      if (state === 'off') return
      let verdict
      try {
        verdict = frames.push(chunk)
      } catch (error) {
        // A gate bug must not cost the socket: ws and the full scan still judge every message.
        log.error({ error }, 'frame gate failed: no longer gating that socket')
        state = 'off'
        return
      }
      if (!verdict) return
      state = 'stopped'
      log.warn({ problem: verdict.problem }, 'stopped an api message while it arrived: closing that socket')
      raw.pause()
      ws.close(verdict.code, verdict.reason)
      // The page is still sending the rest; it has the close frame, so the socket can go.
      setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref()
    })
  }

  const serve = (socket: WebSocket): void => {
    let inFlight = 0
    const settle = (id: number, reply: ApiReply<unknown>): void => {
      inFlight--
      if (inFlight < MAX_IN_FLIGHT && socket.isPaused) socket.resume()
      let frame: string
      try {
        frame = JSON.stringify({ id, reply })
      } catch (error) {
        log.error({ error }, 'reply not serializable')
        frame = JSON.stringify({ id, reply: { ok: false, error: serializeError(error) } })
      }
      send(socket, frame)
    }

    const onFrame = (data: RawData, isBinary: boolean): void => {
      if (isBinary) return send(socket, errorFrame(null, PROBLEM_MESSAGES.malformed))
      const bytes = asBuffer(data)
      const scan = scanFrame(bytes)
      if (!scan.ok) {
        log.debug({ problem: scan.problem, bytes: bytes.length, request: scan.name }, 'refused an api frame')
        return send(socket, errorFrame(scan.id, PROBLEM_MESSAGES[scan.problem]))
      }
      let frame: unknown
      try {
        frame = JSON.parse(bytes.toString('utf8'))
      } catch {
        frame = undefined
      }
      const id = typeof frame === 'object' && frame !== null ? (frame as { id?: unknown }).id : undefined
      if (typeof id !== 'number' || !Number.isSafeInteger(id)) return send(socket, errorFrame(null, PROBLEM_MESSAGES.malformed))
      const { name, arg } = frame as { name?: unknown; arg?: unknown }
      if (++inFlight >= MAX_IN_FLIGHT) socket.pause()
      dispatch(name, arg).then(
        (reply) => settle(id, reply),
        (error: unknown) => {
          log.error({ error }, 'dispatch failed')
          settle(id, { ok: false, error: serializeError(error) })
        }
      )
    }

    socket.on('close', () => sockets.delete(socket))
    socket.on('error', (error) => log.warn({ error }, 'api socket error'))
    socket.on('message', (data, isBinary) => {
      try {
        onFrame(data, isBinary)
      } catch (error) {
        fail(socket, error, 'message')
      }
    })
  }

  wss.on('connection', (socket) => {
    sockets.add(socket)
    try {
      serve(socket)
    } catch (error) {
      fail(socket, error, 'connection')
    }
  })

  return {
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        // Attached before ws reads anything from the socket (its reads start on a later tick).
        gate(ws, socket)
        wss.emit('connection', ws, req)
      })
    },
    close() {
      for (const u of unsubscribes) u()
      for (const s of sockets) s.terminate()
      wss.close()
    }
  }
}
