// Issue 11 §9: no request can end the headless host. Before the fix, `GET /%ZZ` threw from
// decodeURIComponent inside the request listener and the process exited with every session.

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { connect as connectTcp } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, get, openApi, rawGet, startBareHost, type TestHost } from './host-client'

let h: TestHost
beforeAll(async () => {
  h = await startBareHost()
})
afterAll(async () => h?.close())

const MALFORMED_PATHS = [
  '/%ZZ',
  '/%',
  '/%E0%A4%A',
  '/%c0%ae%c0%ae/x',
  '/%ff',
  '/assets/%e0%80',
  '/%ed%a0%80', // a UTF-16 surrogate written as UTF-8
  '/%00',
  '/index.html%00.js',
  '//[',
  'http://[',
  'http://%zz/',
  'http://x:99999/'
]

function rawUpgrade(port: number, target: string, extra = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1', () =>
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`
      )
    )
    let data = ''
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')))
    socket.on('error', reject)
    socket.on('close', () => resolve(data.split('\r\n')[0] ?? ''))
  })
}

describe('malformed requests to the headless host', () => {
  it.each(MALFORMED_PATHS)('answers %s with a 4xx and keeps serving', async (path) => {
    const answer = await rawGet(h.host.port, path)
    expect(answer.status).toBeGreaterThanOrEqual(400)
    expect(answer.status).toBeLessThan(500)
    const head = await rawGet(h.host.port, path, 'HEAD')
    expect(head.status).toBeGreaterThanOrEqual(400)
    expect(head.status).toBeLessThan(500)
    expect((await get(h.host.port, '/')).status).toBe(200)
  })

  it('answers a path that does not decode with 400, one outside the build with 404', async () => {
    expect((await rawGet(h.host.port, '/%ZZ')).status).toBe(400)
    expect((await rawGet(h.host.port, '/..%2f..%2fpackage.json')).status).toBe(404)
    expect((await rawGet(h.host.port, '/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404)
  })

  it('still answers the Api after every malformed path', async () => {
    for (const path of MALFORMED_PATHS) await rawGet(h.host.port, path)
    const ws = await openApi(h)
    expect(await call(ws, 1, 'getAppInfo')).toMatchObject({ ok: true, value: { shell: 'headless' } })
    ws.close()
  })

  it('refuses an Api upgrade to a target that does not parse, instead of crashing', async () => {
    for (const target of ['//[', 'http://[', '/%ZZ', '/api?token=%ZZ']) {
      expect(await rawUpgrade(h.host.port, target, `Origin: ${h.origin}\r\n`)).toMatch(/^HTTP\/1\.1 (403|400)/)
    }
    expect((await get(h.host.port, '/')).status).toBe(200)
  })

  it('survives pages that reset the connection in the middle of an upgrade', async () => {
    for (let i = 0; i < 30; i++) {
      await new Promise<void>((resolve) => {
        const socket = connectTcp(h.host.port, '127.0.0.1', () => {
          socket.write(`GET /api HTTP/1.1\r\nHost: 127.0.0.1:${h.host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`)
          socket.resetAndDestroy()
        })
        socket.on('error', () => {})
        socket.on('close', () => resolve())
      })
    }
    expect((await get(h.host.port, '/')).status).toBe(200)
  })

  it('answers an export that cannot be read with a 404, not a dead process', async () => {
    // A directory where an export file should be: the check passes, the read fails (EISDIR).
    const info = (await h.host.core.handlers.getAppInfo(undefined)) as { dataDir: string }
    mkdirSync(join(info.dataDir, 'exports', 'junction-export-broken.json'), { recursive: true })
    const answer = await get(h.host.port, `/exports/junction-export-broken.json?token=${h.token}`)
    expect(answer.status).toBe(404)
    expect((await get(h.host.port, '/')).status).toBe(200)
  })

  it('never writes the launch token into its log', () => {
    expect(JSON.stringify(h.logs)).not.toContain(h.token)
  })
})

describe('the session check a page left open from an earlier launch makes', () => {
  it('answers 204 to this launch token and 403 to any other', async () => {
    expect((await get(h.host.port, `/api/session?token=${h.token}`)).status).toBe(204)
    expect((await get(h.host.port, `/api/session?token=${'x'.repeat(h.token.length)}`)).status).toBe(403)
    expect((await get(h.host.port, '/api/session')).status).toBe(403)
    expect((await rawGet(h.host.port, '/api/session?token=%ZZ')).status).toBe(403)
  })
})
