// A headless host on an ephemeral port with a one-page renderer folder of its own (these
// tests are about the host, not the renderer build), and the raw clients its tests speak.

import { writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect as connectTcp } from 'node:net'
import { join } from 'node:path'
import WebSocket from 'ws'
import { createLogger, type LogRecord } from '../../../../src/main/base/log'
import { startHost, type Host } from '../../../../src/main/host/host'
import { FakeNetwork } from '../../../doubles/fake-network'
import { testNetwork } from '../../../doubles/test-connector'
import { tempDir } from '../../../helpers/core-harness'

export interface TestHost {
  host: Host
  token: string
  origin: string
  logs: LogRecord[]
  close(): Promise<void>
}

export async function startBareHost(): Promise<TestHost> {
  const data = tempDir('junction-host-')
  const renderer = tempDir('junction-renderer-')
  writeFileSync(join(renderer.path, 'index.html'), '<!doctype html><div id="root"></div>')
  const logs: LogRecord[] = []
  const host = await startHost({
    dataDir: data.path,
    rendererDir: renderer.path,
    networks: [testNetwork(new FakeNetwork({ qrTtlMs: 20_000 }), 'whatsapp')],
    log: createLogger((r) => logs.push(r), 'debug'),
    version: '0.0.0-test'
  })
  return {
    host,
    token: new URL(host.url).searchParams.get('token')!,
    origin: host.origin,
    logs,
    async close() {
      await host.close()
      data.remove()
      renderer.remove()
    }
  }
}

export interface HttpAnswer {
  status: number
  body: string
}

/** A request with the path written on the wire as given: no client-side normalization. */
export function rawGet(port: number, target: string, method = 'GET'): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1', () => {
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)
    })
    let data = ''
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')))
    socket.on('error', reject)
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(data)
      if (!status) return reject(new Error(`no HTTP answer to ${target}: ${JSON.stringify(data.slice(0, 80))}`))
      resolve({ status: Number(status[1]), body: data.slice(data.indexOf('\r\n\r\n') + 4) })
    })
  })
}

export function get(port: number, path: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode!, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

export function openApi(h: TestHost, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${h.host.port}/api?token=${h.token}`, { origin: h.origin, ...options })
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

export interface Reply {
  ok: boolean
  value?: unknown
  error?: { code: string; message: string }
}

/** The reply to frame `id`; `frame` is sent as is (a string) or JSON-encoded. */
export function call(ws: WebSocket, id: number, name: string, arg?: unknown): Promise<Reply> {
  return sendFrame(ws, id, JSON.stringify({ id, name, arg }))
}

export function sendFrame(ws: WebSocket, id: number | null, frame: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const parsed = JSON.parse(data.toString()) as { id?: number | null; reply?: Reply }
      if (parsed.reply && parsed.id === id) {
        cleanup()
        resolve(parsed.reply)
      }
    }
    const onClose = (code: number, reason: Buffer): void => {
      cleanup()
      reject(new Error(`closed ${code} ${reason.toString()}`))
    }
    const cleanup = (): void => {
      ws.off('message', onMessage)
      ws.off('close', onClose)
    }
    ws.on('message', onMessage)
    ws.on('close', onClose)
    ws.send(frame)
  })
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (ws.readyState === ws.CLOSED) return resolve({ code: 1006, reason: '' })
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
}
