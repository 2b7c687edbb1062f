// The WhatsApp multi-device reference server and simulated phones (spec §12), driven by
// tests and tools through this module: an ephemeral loopback websocket with its own Noise
// certificate chain, QR pairing by a simulated phone, pre-keys, routing, offline queues.

import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { ServerConnection } from './connection'
import { Hub } from './hub'
import { labelledPair } from './keys'
import type { WAMessage } from '../../../src/main/networks/whatsapp/md/proto'
import type { HistoryChat } from './history'
import { certChain } from './noise-responder'
import { scanQr } from './pairing'
import { node, SERVER, unixNow } from './stanzas'
import { World } from './world'

export interface WhatsAppMdServer {
  url: string
  rootPublicKey: Uint8Array
  scan(qr: string, phoneNumber?: string): Promise<{ jid: string }>
  contact(number: string): { sendText(toJid: string, text: string): Promise<string>; received(): Array<{ from: string; id: string; text: string }> }
  close(): Promise<void>
}

/** Test-only controls beyond the interface (drop a socket, send stream errors). */
export interface WhatsAppMdServerControls extends WhatsAppMdServer {
  hub: Hub
  dropDevice(jid: string): boolean
  streamError(jid: string, error: { code?: string; conflict?: string }): boolean
  /** The next login is answered with `<failure reason=…/>` (spec §4.4). */
  failNextLogin(reason: string): void
  /** A contact types (or stops) in its chat with `toJid` (spec §7.6). */
  typing(from: string, toJid: string, typing: boolean): void
  /** A contact reads messages it received (spec §7.4 read receipt). */
  read(from: string, toJid: string, ids: string[]): void
  /** A contact sends any Message content (a quote, a reaction, an edit, a revoke); `attrs` go on the stanza (spec §7.9 `edit`, `type`). */
  sendMessage(from: string, toJid: string, message: WAMessage, attrs?: Record<string, string>): Promise<string>
  /** The chats a phone holds (and sends each device it links, spec §10); replaces earlier ones. */
  seedHistory(number: string, chats: HistoryChat[]): void
}

export async function startWhatsAppMdServer(options: { port?: number; stateDir?: string } = {}): Promise<WhatsAppMdServerControls> {
  const root = labelledPair('junction wa-md test server: TEST noise root (not WhatsApp)')
  const intermediate = labelledPair('junction wa-md test server: intermediate')
  const serverStatic = labelledPair('junction wa-md test server: static')
  const chain = certChain(root, intermediate, serverStatic)
  const world = new World(options.stateDir)
  const hub = new Hub(world)
  const wss = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0, maxPayload: 1 << 24 })
  wss.on('connection', (ws, request) => {
    // spec §1.3: accept the upgrade when Origin is https://web.whatsapp.com.
    if (request.headers.origin !== 'https://web.whatsapp.com') return ws.close(1008, 'origin')
    new ServerConnection(
      ws,
      serverStatic,
      chain,
      (conn, hello) => hub.hello(conn, hello),
      (conn, n) => hub.stanza(conn, n),
      (conn) => hub.closed(conn)
    )
  })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const { port } = wss.address() as AddressInfo

  const sendMessage = async (from: string, toJid: string, message: WAMessage, attrs: Record<string, string> = {}): Promise<string> => {
    const sender = world.account(from)
    const phone = world.phones.get(from)!
    const target = toJid.split('@')[0]!.split(':')[0]!
    world.account(target)
    const id = `3EB0${randomBytes(9).toString('hex').toUpperCase()}`
    for (const device of world.devices(target).filter((d) => d > 0)) {
      const enc = await phone.encrypt(`${target}.${device}`, message, () => hub.bundleFor(target, device))
      const stanza = node('message', { from: `${from}@${SERVER}`, id, t: unixNow(), type: 'text', notify: sender.name, ...attrs }, [
        node('enc', { v: '2', type: enc.type }, enc.body)
      ])
      hub.deliver(`${target}:${device}@${SERVER}`, `message:${from}@${SERVER}:${id}`, stanza)
    }
    world.save()
    return id
  }

  return {
    url: `ws://127.0.0.1:${port}/ws/chat`,
    rootPublicKey: root.pub,
    hub,
    scan: (qr, phoneNumber = '15551234567') => scanQr(hub, qr, phoneNumber),
    contact: (number) => {
      world.account(number)
      return { sendText: (toJid, text) => sendMessage(number, toJid, { conversation: text }), received: () => [...(world.received.get(number) ?? [])] }
    },
    dropDevice: (jid) => {
      const conn = hub.online.get(jid)
      conn?.drop()
      return conn !== undefined
    },
    streamError: (jid, error) => {
      const conn = hub.online.get(jid)
      if (!conn) return false
      conn.send(node('stream:error', error.code ? { code: error.code } : {}, error.conflict ? [node('conflict', { type: error.conflict })] : undefined))
      conn.close()
      return true
    },
    failNextLogin: (reason) => {
      hub.nextLoginFailure = reason
    },
    typing: (from, toJid, typing) => {
      const target = toJid.split('@')[0]!.split(':')[0]!
      for (const d of world.devices(target).filter((x) => x > 0))
        hub.online.get(`${target}:${d}@${SERVER}`)?.send(node('chatstate', { from: `${from}@${SERVER}` }, [node(typing ? 'composing' : 'paused')]))
    },
    read: (from, toJid, ids) => {
      const target = toJid.split('@')[0]!.split(':')[0]!
      const [first, ...rest] = ids
      if (!first) return
      const list = rest.length
        ? [
            node(
              'list',
              {},
              rest.map((id) => node('item', { id }))
            )
          ]
        : undefined
      for (const d of world.devices(target).filter((x) => x > 0))
        hub.deliver(`${target}:${d}@${SERVER}`, `receipt:${first}`, node('receipt', { from: `${from}@${SERVER}`, id: first, type: 'read', t: unixNow() }, list))
    },
    sendMessage,
    seedHistory: (number, chats) => {
      world.account(number).history = chats
      world.save()
    },
    close: async () => {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    }
  }
}
