// Issue 11 §9 for the WebSocket side: a handler that throws closes that socket only, and
// nothing a handler or an event does escapes as an uncaught exception or rejection.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { ApiEvents } from '../../../../src/shared/api'
import { Emitter } from '../../../../src/main/base/emitter'
import { createLogger, type LogRecord } from '../../../../src/main/base/log'
import type { Dispatcher } from '../../../../src/main/bridge/dispatch'
import { CLOSE_INTERNAL_ERROR, createWsApi, type WsApi } from '../../../../src/main/host/ws-api'
import { call, closed } from './host-client'

let server: Server
let api: WsApi
let url: string
const events = new Emitter<ApiEvents>()
const logs: LogRecord[] = []

/** `held` requests are answered only in batches of 64, the most one socket has in flight. */
const HELD_BATCH = 64
let held: (() => void)[] = []

/** A dispatcher with the failures a bug in Core or the bridge could cause. */
const dispatch: Dispatcher = (name) => {
  if (name === 'held') {
    return new Promise((resolve) => {
      held.push(() => resolve({ ok: true, value: 'held' }))
      if (held.length === HELD_BATCH) for (const release of held.splice(0)) release()
    })
  }
  if (name === 'throwNow') throw new Error('thrown synchronously')
  if (name === 'rejectLater') return Promise.reject(new Error('rejected'))
  if (name === 'unserializable') return Promise.resolve({ ok: true, value: { n: 1n } })
  return Promise.resolve({ ok: true, value: name })
}

beforeAll(async () => {
  api = createWsApi(
    dispatch,
    events,
    createLogger((r) => logs.push(r), 'debug')
  )
  server = createServer()
  server.on('upgrade', (req, socket, head) => api.handleUpgrade(req, socket, head))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`
})
afterAll(async () => {
  api?.close()
  await new Promise((resolve) => server?.close(resolve))
})

function open(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

function nextEvent(ws: WebSocket): Promise<{ type: string; payload: unknown }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(data.toString()) as { event?: { type: string; payload: unknown } }
      if (frame.event) {
        ws.off('message', onMessage)
        resolve(frame.event)
      }
    }
    ws.on('message', onMessage)
  })
}

describe('the Api WebSocket when a handler fails', () => {
  it('closes only the socket whose message handler threw, with 1011', async () => {
    const victim = await open()
    const bystander = await open()
    const victimClosed = closed(victim)
    victim.send(JSON.stringify({ id: 1, name: 'throwNow' }))
    expect(await victimClosed).toEqual({ code: CLOSE_INTERNAL_ERROR, reason: 'Internal error' })
    expect(await call(bystander, 2, 'listAccounts')).toEqual({ ok: true, value: 'listAccounts' })
    const fresh = await open()
    expect(await call(fresh, 3, 'getAppInfo')).toEqual({ ok: true, value: 'getAppInfo' })
    expect(logs.some((r) => r.level === 'error' && r.message.includes('closing that socket'))).toBe(true)
    bystander.close()
    fresh.close()
  })

  it('answers a rejected dispatch and an unserializable value with a typed internal error', async () => {
    const ws = await open()
    expect(await call(ws, 1, 'rejectLater')).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(await call(ws, 2, 'unserializable')).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(await call(ws, 3, 'listAccounts')).toEqual({ ok: true, value: 'listAccounts' })
    ws.close()
  })

  it('drops an event it cannot serialize and delivers the next one', async () => {
    const ws = await open()
    const received = nextEvent(ws)
    events.emit('accountRemoved', { accountId: 1n } as never)
    events.emit('accountRemoved', { accountId: 'acc_1' })
    expect(await received).toEqual({ type: 'accountRemoved', payload: { accountId: 'acc_1' } })
    ws.close()
  })

  it('answers every request of a burst larger than the in-flight bound', async () => {
    held = []
    const ws = await open()
    const replies = Array.from({ length: 3 * HELD_BATCH }, (_, i) => call(ws, i + 1, 'held'))
    expect(await Promise.all(replies)).toEqual(replies.map(() => ({ ok: true, value: 'held' })))
    ws.close()
  })

  it('answers a binary frame as malformed and keeps the socket', async () => {
    const ws = await open()
    const reply = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))))
    ws.send(Buffer.from([1, 2, 3]), { binary: true })
    expect(await reply).toMatchObject({ id: null, reply: { ok: false, error: { code: 'invalid-argument' } } })
    expect(await call(ws, 1, 'listAccounts')).toEqual({ ok: true, value: 'listAccounts' })
    ws.close()
  })
})
