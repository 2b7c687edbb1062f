// The reference server on its own, driven by a raw websocket: the wire details a client
// cannot see through the Connector (Origin refusal, pong format, both comma forms, the
// empty acknowledgement before a relay's reply, 409 for a non-takeover login).

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WhatsAppServer, WA_ORIGIN } from '../../../../servers/whatsapp/server'
import { pairConnector, probe, startWorld, type Probe } from './fixture'
import type { SimulatedPhone } from '../../../../servers/whatsapp/phone'

let server: WhatsAppServer
let phone: SimulatedPhone
const sockets: WebSocket[] = []

beforeEach(async () => {
  ;({ server, phone } = await startWorld())
})

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate()
  await server.close()
})

/** A raw client that collects every frame as text. */
async function raw(origin = WA_ORIGIN): Promise<{ ws: WebSocket; frames: string[]; next(match: (f: string) => boolean): Promise<string> }> {
  const ws = new WebSocket(server.url, { origin })
  sockets.push(ws)
  const frames: string[] = []
  const waiters = new Set<() => void>()
  ws.on('message', (d) => {
    frames.push(d.toString())
    for (const w of [...waiters]) w()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const next = (match: (f: string) => boolean): Promise<string> =>
    new Promise((resolve) => {
      const check = (): void => {
        const f = frames.find(match)
        if (f === undefined) return
        waiters.delete(check)
        resolve(f)
      }
      waiters.add(check)
      check()
    })
  return { ws, frames, next }
}

describe('reference server wire', () => {
  it('refuses an upgrade without the WA Web Origin', async () => {
    await expect(raw('https://evil.example')).rejects.toThrow(/403/)
  })

  it('answers ?,, with !<epoch ms> and accepts tag,,json commands', async () => {
    const c = await raw()
    c.ws.send('?,,')
    expect(await c.next((f) => f.startsWith('!'))).toMatch(/^!\d{13}$/)
    c.ws.send('42.--1,,["admin","init",[2,2147,14],["a","b","c"],"8PHy8/T19vf4+fr7/P3+/w==",true]')
    const reply = JSON.parse((await c.next((f) => f.startsWith('42.--1,'))).slice('42.--1,'.length))
    expect(reply).toMatchObject({ status: 200, ref: expect.stringMatching(/^1@/), ttl: 5_000, update: false, curr: '2.2147.14' })
  })

  it('refuses a non-takeover login with 409 while another client holds the session', async () => {
    const a: Probe = probe(server)
    const { credentials } = await pairConnector(a, phone)
    const c = await raw()
    c.ws.send(
      `1.--1,["admin","login","${String(credentials.clientToken)}","${String(credentials.serverToken)}","${String(credentials.clientId)}","reconnect","15550100@c.us"]`
    )
    expect(await c.next((f) => f.startsWith('1.--1,'))).toBe('1.--1,{"status":409}')
    await a.connector.close()
  })
})
