// One client socket on the reference server: intro header (plain or ED-prefixed, spec §1.2),
// 3-byte framing with re-assembly (§1.3), the Noise responder (§2), then encrypted nodes.
// A second reading of the spec: only the codec and protobuf schema are shared with the client.

import type WebSocket from 'ws'
import { decodeBinaryNode, encodeBinaryNode, type BinaryNode } from '../../../src/main/networks/whatsapp/md/binary'
import type { ClientPayload } from '../../../src/main/networks/whatsapp/md/proto'
import { open, randomPair, seal, type Pair } from './keys'
import { PROLOGUE, Responder } from './noise-responder'

export interface Hello {
  clientStatic: Uint8Array
  payload: ClientPayload
}

function u24(b: Uint8Array, at: number): number {
  return (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!
}

function framed(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(3 + payload.length)
  out.writeUIntBE(payload.length, 0, 3)
  out.set(payload, 3)
  return out
}

export class ServerConnection {
  private buffer = Buffer.alloc(0)
  private introDone = false
  private responder: Responder
  private keys: { read: Uint8Array; write: Uint8Array } | null = null
  private readCounter = 0
  private writeCounter = 0
  private closed = false
  /** Set by the hub once logged in: the device JID this socket speaks for. */
  deviceJid: string | null = null
  routingInfoSeen = false

  constructor(
    private readonly ws: WebSocket,
    staticKey: Pair,
    chain: Uint8Array,
    private readonly onHello: (conn: ServerConnection, hello: Hello) => void,
    private readonly onNode: (conn: ServerConnection, node: BinaryNode) => void,
    private readonly onClose: (conn: ServerConnection) => void
  ) {
    this.responder = new Responder(randomPair(), staticKey, chain)
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      // spec §1.1: a test server should close on a text message.
      if (!isBinary) return this.close()
      try {
        this.receive(data)
      } catch {
        // A failing tag or a malformed handshake is fatal (spec §2.2).
        this.close()
      }
    })
    ws.on('close', () => {
      this.closed = true
      this.onClose(this)
    })
    ws.on('error', () => this.close())
  }

  get isOpen(): boolean {
    return !this.closed
  }

  private receive(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data])
    if (!this.introDone) {
      if (this.buffer.length < 4) return
      let at = 0
      if (this.buffer[0] === 0x45 && this.buffer[1] === 0x44) {
        if (this.buffer.length < 7) return
        const len = u24(this.buffer, 4)
        if (this.buffer.length < 7 + len + 4) return
        at = 7 + len
        this.routingInfoSeen = true
      }
      if (!this.buffer.subarray(at, at + 4).equals(Buffer.from(PROLOGUE))) throw new Error('bad intro')
      this.buffer = this.buffer.subarray(at + 4)
      this.introDone = true
    }
    while (this.buffer.length >= 3) {
      const len = u24(this.buffer, 0)
      if (this.buffer.length < 3 + len) return
      const frame = new Uint8Array(this.buffer.subarray(3, 3 + len))
      this.buffer = this.buffer.subarray(3 + len)
      this.frame(frame)
    }
  }

  private frame(frame: Uint8Array): void {
    if (this.closed) return
    if (!this.keys) {
      if (this.readCounter++ === 0) {
        this.ws.send(framed(this.responder.hello(frame)))
        return
      }
      const done = this.responder.finish(frame)
      this.keys = { read: done.read, write: done.write }
      this.readCounter = 0
      this.onHello(this, { clientStatic: done.clientStatic, payload: done.payload })
      return
    }
    const node = decodeBinaryNode(open(this.keys.read, this.readCounter++, frame))
    this.onNode(this, node)
  }

  send(node: BinaryNode): void {
    this.sendBytes(encodeBinaryNode(node))
  }

  sendBytes(plaintext: Uint8Array): void {
    if (this.closed || !this.keys) return
    this.ws.send(framed(seal(this.keys.write, this.writeCounter++, plaintext)))
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.ws.close()
    setTimeout(() => this.ws.terminate(), 500).unref()
  }

  /** Drops the socket without a close handshake (tests of "socket dropped mid-conversation"). */
  drop(): void {
    this.closed = true
    this.ws.terminate()
  }
}
