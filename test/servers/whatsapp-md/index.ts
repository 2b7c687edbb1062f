// The WhatsApp multi-device reference server and simulated phones (spec §12), driven by
// tests and tools through this module: an ephemeral loopback websocket with its own Noise
// certificate chain, QR pairing by a simulated phone, pre-keys, routing, offline queues.

import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { ServerConnection } from './connection'
import { Hub } from './hub'
import { labelledPair } from './keys'
import type { WAMessage } from '../../../src/main/networks/whatsapp/md/proto'
import type { HistoryChat } from './history'
import { sealMedia } from './media'
import { certChain } from './noise-responder'
import { changeGroup, createGroup } from './groups'
import { simSendDirect, simSendGroup } from './sim-send'
import { announceDevices } from './router'
import { scanQr } from './pairing'
import { node, SERVER, unixNow } from './stanzas'
import { World } from './world'

export interface WhatsAppMdServer {
  url: string
  rootPublicKey: Uint8Array
  scan(qr: string, phoneNumber?: string): Promise<{ jid: string }>
  /** `toJid` may be a group (`…@g.us`); `received()` entries of group messages carry their `chat` (a superset of the shape). */
  contact(number: string): {
    sendText(toJid: string, text: string): Promise<string>
    received(): Array<{ from: string; id: string; text: string; chat?: string }>
  }
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
  /** `http://host:port` of the media routes (spec §8.3–§8.4): the client's `mediaHost`. */
  mediaUrl: string
  /** A contact's phone uploads a file and sends the media message for it (spec §8.2–§8.3); `corrupt` flips a byte of the blob after hashing. */
  sendMedia(
    from: string,
    toJid: string,
    file: {
      kind: 'image' | 'document' | 'video' | 'audio' | 'sticker'
      bytes: Uint8Array
      mime: string
      fileName?: string
      caption?: string
      jpegThumbnail?: Uint8Array
      corrupt?: boolean
    }
  ): Promise<string>
  /** The person types the code Junction shows (spec §5.6) on the phone of `phoneNumber`; resolves once linked (then the key share, as after a scan). */
  enterPairingCode(phoneNumber: string, code: string): Promise<{ jid: string }>
  /**
   * The phone changes its app state (spec §9.6 table: index, collection, SyncActionData.version, value) and every
   * companion hears `server_sync`; resolves to the collection's new version. Writes from companions are in `hub.appState.writes`.
   */
  appStateWrite(number: string, collection: string, mutation: { index: string[]; value: Record<string, unknown>; version: number; operation?: number }): number
  /**
   * `jid` (a number's `…@s.whatsapp.net`, or a group) sets a profile picture (bytes), hides it by privacy, or removes
   * it (null); every companion of `notify` hears the `picture` notification (spec §7.5). Resolves to the picture id.
   */
  setPicture(jid: string, bytes: Uint8Array | null, options?: { hidden?: boolean; notify?: string[] }): string | null
  /** The server forgets the file of a message `sendMedia` sent (old media, spec §8.4): the phone re-uploads it on request. */
  expireMedia(id: string): void
  /** The chats a phone holds (and sends each device it links, spec §10); replaces earlier ones. */
  seedHistory(number: string, chats: HistoryChat[]): void
  /** A phone creates a group (spec §11.2) with these numbers; `lid` makes it LID-addressed. Resolves to its JID. `contact(n).sendText(groupJid, …)` writes to it. */
  createGroup(owner: string, subject: string, members: string[], options?: { lid?: boolean }): string
  /** A member changes the subject or adds/removes members; every member device gets a `w:gp2` notification (spec §11.3). */
  changeGroup(groupJid: string, actor: string, change: { subject?: string; add?: string[]; remove?: string[] }): void
  /** A contact writes from its LID with `sender_pn` (spec §6.9). */
  sendTextAsLid(from: string, toJid: string, text: string): Promise<string>
  /** A phone loses its Signal session with a device (the next message from it fails and is retried, spec §7.4). */
  forgetSession(number: string, deviceJid: string): void
  /** Every online companion hears that this number's device list changed (spec §6.8 `devices` notification). */
  announceDevices(number: string): void
}

export async function startWhatsAppMdServer(options: { port?: number; stateDir?: string } = {}): Promise<WhatsAppMdServerControls> {
  const root = labelledPair('junction wa-md test server: TEST noise root (not WhatsApp)')
  const intermediate = labelledPair('junction wa-md test server: intermediate')
  const serverStatic = labelledPair('junction wa-md test server: static')
  const chain = certChain(root, intermediate, serverStatic)
  const world = new World(options.stateDir)
  const hub = new Hub(world)
  // One port for the websocket and the media routes (spec §8.3 uploads, §8.4 downloads).
  const http = createServer((req, res) => {
    if (!hub.media.handle(req, res) && !hub.pictures.handle(req, res)) res.writeHead(404).end()
  })
  const wss = new WebSocketServer({ server: http, maxPayload: 1 << 24 })
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
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', () => resolve()))
  const { port } = http.address() as AddressInfo

  // Kept (sim-send.ts) so a device's retry receipt can be answered; groups go under the phone's sender key.
  const sendMessage = (from: string, toJid: string, message: WAMessage, attrs: Record<string, string> = {}): Promise<string> =>
    toJid.endsWith('@g.us') ? simSendGroup(hub, from, toJid, message) : simSendDirect(hub, from, toJid, message, attrs)

  /** spec §9.1: right after linking, the phone (device 0) sends the new companion its app-state key. */
  const shareAppStateKey = async (number: string, device: number): Promise<void> => {
    const phone = world.phones.get(number)
    if (!phone || device === 0) return
    const enc = await phone.encrypt(`${number}.${device}`, hub.appState.keyShare(world.account(number)) as WAMessage, () => world.bundle(number, device))
    const id = `3EB0${randomBytes(9).toString('hex').toUpperCase()}`
    const from = `${number}@${SERVER}`
    hub.deliver(
      `${number}:${device}@${SERVER}`,
      `message:${from}:${id}`,
      node('message', { from, id, t: unixNow(), type: 'text', category: 'peer' }, [node('enc', { v: '2', type: enc.type }, enc.body)])
    )
    world.save()
  }

  return {
    url: `ws://127.0.0.1:${port}/ws/chat`,
    rootPublicKey: root.pub,
    hub,
    scan: async (qr, phoneNumber = '15551234567') => {
      const linked = await scanQr(hub, qr, phoneNumber)
      await shareAppStateKey(phoneNumber, Number(linked.jid.split('@')[0]!.split(':')[1] ?? 0))
      return linked
    },
    enterPairingCode: async (phoneNumber, code) => {
      const linked = await hub.pairingCode.enter(phoneNumber, code)
      await shareAppStateKey(phoneNumber, Number(linked.jid.split('@')[0]!.split(':')[1] ?? 0))
      return linked
    },
    setPicture: (jid, bytes, options = {}) => {
      const id = hub.pictures.set(jid, bytes ? Buffer.from(bytes) : null, options.hidden ? { hidden: true } : {})
      const change = id ? node('set', { jid, id, author: jid }) : node('delete', { jid, author: jid })
      for (const number of options.notify ?? [])
        for (const d of world.devices(number).filter((x) => x > 0)) {
          const nid = hub.nextId()
          hub.deliver(`${number}:${d}@${SERVER}`, `notification:${nid}`, node('notification', { from: jid, type: 'picture', id: nid, t: unixNow() }, [change]))
        }
      return id
    },
    appStateWrite: (number, collection, mutation) => {
      const version = hub.appState.phoneWrite(world.account(number), collection, mutation)
      for (const d of world.devices(number).filter((x) => x > 0)) {
        const id = hub.nextId()
        hub.deliver(
          `${number}:${d}@${SERVER}`,
          `notification:${id}`,
          node('notification', { from: SERVER, type: 'server_sync', id, t: unixNow() }, [node('collection', { name: collection, version: String(version) })])
        )
      }
      return version
    },
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
    mediaUrl: `http://127.0.0.1:${port}`,
    sendMedia: async (from, toJid, file) => {
      const type = file.kind === 'sticker' ? 'image' : file.kind
      const sealed = sealMedia(file.bytes, file.kind)
      const blob = file.corrupt ? Buffer.from(sealed.blob.map((b, i) => (i === 0 ? b ^ 1 : b))) : sealed.blob
      const directPath = hub.media.put(blob, type)
      const fields = {
        url: `https://mmg.whatsapp.net${directPath}`,
        mimetype: file.mime,
        fileSha256: sealed.fileSha256,
        fileLength: file.bytes.length,
        mediaKey: sealed.mediaKey,
        fileEncSha256: file.corrupt ? undefined : sealed.fileEncSha256,
        directPath,
        mediaKeyTimestamp: Number(unixNow())
      }
      const thumb = file.jpegThumbnail ? { jpegThumbnail: file.jpegThumbnail } : {}
      const caption = file.caption ? { caption: file.caption } : {}
      const message: WAMessage =
        file.kind === 'image'
          ? { imageMessage: { ...fields, ...caption, ...thumb, width: 1, height: 1 } }
          : file.kind === 'document'
            ? { documentMessage: { ...fields, ...caption, ...thumb, fileName: file.fileName ?? 'file', title: file.fileName ?? 'file' } }
            : file.kind === 'video'
              ? { videoMessage: { ...fields, ...caption, ...thumb, seconds: 1 } }
              : file.kind === 'audio'
                ? { audioMessage: { ...fields, seconds: 1, ptt: true } }
                : { stickerMessage: { ...fields, width: 64, height: 64 } }
      const id = await sendMessage(from, toJid, message, { type: 'media' })
      hub.media.sent.set(id, { mediaKey: sealed.mediaKey, blob, kind: type, directPath })
      return id
    },
    createGroup: (owner, subject, members, options = {}) => createGroup(hub, owner, subject, members, options.lid ? 'lid' : 'pn'),
    changeGroup: (groupJid, actor, change) => changeGroup(hub, groupJid, actor, change),
    sendTextAsLid: (from, toJid, text) => simSendDirect(hub, from, toJid, { conversation: text }, {}, true),
    announceDevices: (number) => announceDevices(hub, number),
    forgetSession: (number, jid) => {
      const d = jid.split('@')[0]!.split(':')
      world.account(number)
      world.phones.get(number)!.forgetSession(`${d[0]}.${d[1] ?? 0}`)
      world.save()
    },
    expireMedia: (id) => hub.media.expire(id),
    seedHistory: (number, chats) => {
      world.account(number).history = chats
      world.save()
    },
    close: async () => {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      http.closeAllConnections()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    }
  }
}
