// Issue 11 §9: the wrappers every host listener goes through. A handler that throws, or
// whose promise rejects, is answered 500 and logged (path only, never the query with its
// token); the server keeps answering.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect as connectTcp } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger, type LogRecord } from '../../../../src/main/base/log'
import { guardRequestListener, guardUpgradeListener, loggablePath, parseRequestUrl } from '../../../../src/main/host/guard'
import { get, rawGet } from './host-client'

let server: Server
let port: number
const logs: LogRecord[] = []

beforeAll(async () => {
  const log = createLogger((r) => logs.push(r), 'debug')
  server = createServer()
  server.on(
    'request',
    guardRequestListener(log, async (req, res) => {
      const path = req.url!.split('?')[0]
      if (path === '/sync') throw new Error('thrown in the handler')
      if (path === '/late') {
        res.writeHead(200, { 'Content-Type': 'text/plain' })
        res.write('partial')
        throw new Error('thrown after the headers')
      }
      await Promise.resolve()
      if (path === '/async') throw new Error('rejected in the handler')
      res.end('ok')
    })
  )
  server.on(
    'upgrade',
    guardUpgradeListener(log, () => {
      throw new Error('thrown in the upgrade handler')
    })
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => new Promise((resolve) => server?.close(resolve)))

describe('guarded listeners', () => {
  it('answers a handler that throws with 500 and keeps serving', async () => {
    expect(await get(port, '/sync?token=SECRET-IN-QUERY')).toEqual({ status: 500, body: 'Internal error' })
    expect(await get(port, '/async')).toEqual({ status: 500, body: 'Internal error' })
    expect(await get(port, '/ok')).toEqual({ status: 200, body: 'ok' })
    const failures = logs.filter((r) => r.message === 'request handler failed')
    expect(failures.map((r) => r.fields.path)).toEqual(['/sync', '/async'])
    expect(JSON.stringify(logs)).not.toContain('SECRET-IN-QUERY')
  })

  it('cuts a response that had already started, and keeps serving', async () => {
    // The raw answer: headers and the first chunk, then the connection ends without the
    // chunked body's terminator, so the client sees a cut response rather than a whole one.
    const late = await rawGet(port, '/late')
    expect(late.status).toBe(200)
    expect(late.body).toContain('partial')
    expect(late.body.endsWith('0\r\n\r\n')).toBe(false)
    expect((await rawGet(port, '/ok')).status).toBe(200)
  })

  it('drops the socket of an upgrade handler that throws, and keeps serving', async () => {
    const closed = await new Promise<string>((resolve) => {
      const socket = connectTcp(port, '127.0.0.1', () =>
        socket.write(`GET /api HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`)
      )
      let data = ''
      socket.on('data', (d: Buffer) => (data += d.toString()))
      socket.on('error', () => {})
      socket.on('close', () => resolve(data))
    })
    expect(closed).toBe('')
    expect(logs.some((r) => r.message === 'upgrade handler failed')).toBe(true)
    expect((await get(port, '/ok')).status).toBe(200)
  })

  it('parses request targets without throwing and logs paths without queries', () => {
    expect(parseRequestUrl('//[', 'http://127.0.0.1:1')).toBeNull()
    expect(parseRequestUrl('http://%zz/', 'http://127.0.0.1:1')).toBeNull()
    expect(parseRequestUrl('/a?b', 'http://127.0.0.1:1')?.pathname).toBe('/a')
    expect(loggablePath('/exports/x.json?token=abc#frag')).toBe('/exports/x.json')
    expect(loggablePath(`/${'a'.repeat(500)}`)).toHaveLength(128)
  })
})
