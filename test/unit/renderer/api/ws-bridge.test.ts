// The page's WebSocket link to the headless host, run under Node 24 (which has the same
// WebSocket and fetch as the page) against a real socket server.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { createWsBridge, type LinkStatus } from '../../../../src/renderer/src/api/ws-bridge'

interface FakeHost {
  port: number
  /** What /api/session answers: 204 while the page's token is this launch's, 403 after a restart. */
  session: number
  dropAll(): void
  close(): Promise<void>
}

async function fakeHost(port = 0): Promise<FakeHost> {
  const state = { session: 204 }
  const server: Server = createServer((req, res) => res.writeHead(req.url?.startsWith('/api/session') ? state.session : 404).end())
  const wss = new WebSocketServer({ server, path: '/api' })
  wss.on('connection', (ws) =>
    ws.on('message', (data) => {
      const { id } = JSON.parse(String(data)) as { id: number }
      ws.send(JSON.stringify({ id, reply: { ok: true, value: { version: 'x' } } }))
    })
  )
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    get session() {
      return state.session
    },
    set session(v) {
      state.session = v
    },
    dropAll: () => wss.clients.forEach((c) => c.terminate()),
    close: () =>
      new Promise((resolve) => {
        wss.clients.forEach((c) => c.terminate())
        wss.close()
        server.close(() => resolve())
      })
  }
}

function statuses(): { seen: LinkStatus[]; next(s: LinkStatus): Promise<void>; on(s: LinkStatus): void } {
  const seen: LinkStatus[] = []
  const waiting: Array<[LinkStatus, () => void]> = []
  return {
    seen,
    on(s) {
      seen.push(s)
      for (const w of waiting.splice(0)) {
        if (w[0] === s) w[1]()
        else waiting.push(w)
      }
    },
    next: (s) => (seen.at(-1) === s ? Promise.resolve() : new Promise((resolve) => waiting.push([s, resolve])))
  }
}

let host: FakeHost | null = null
afterEach(async () => host?.close())

describe('the WebSocket link', () => {
  it('answers requests once open', async () => {
    host = await fakeHost()
    const s = statuses()
    const bridge = createWsBridge(`ws://127.0.0.1:${host.port}/api`, s.on, `http://127.0.0.1:${host.port}/api/session`)
    expect(await bridge.getAppInfo(undefined)).toEqual({ ok: true, value: { version: 'x' } })
    await s.next('open')
  })

  it('fails a request at once while the link is lost, so the page keeps what was typed', async () => {
    host = await fakeHost()
    const s = statuses()
    const bridge = createWsBridge(`ws://127.0.0.1:${host.port}/api`, s.on, `http://127.0.0.1:${host.port}/api/session`)
    await s.next('open')
    const port = host.port
    await host.close()
    host = null
    await s.next('lost')
    const reply = await bridge.sendMessage({ chatId: '1', clientId: 'abcdefgh', draft: { kind: 'text', text: 'hi' } })
    expect(reply).toMatchObject({ ok: false, error: { code: 'network', reason: { code: 'engine-unreachable' } } })
    host = await fakeHost(port)
    await s.next('open')
  })

  it('says Junction was restarted when the host no longer knows the page’s token, and stops reconnecting', async () => {
    host = await fakeHost()
    const s = statuses()
    createWsBridge(`ws://127.0.0.1:${host.port}/api`, s.on, `http://127.0.0.1:${host.port}/api/session`)
    await s.next('open')
    host.session = 403
    host.dropAll()
    await s.next('restarted')
    expect(s.seen.slice(-2)).toEqual(['lost', 'restarted'])
  })
})
