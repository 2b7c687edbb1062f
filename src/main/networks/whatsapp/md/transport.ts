// The socket layer (spec §1, §2): websocket, connection header, 3-byte framing, the Noise XX
// handshake with the certificate chain check, then AES-256-GCM frames carrying binary nodes.
// It knows nothing about stanzas: it hands decoded nodes up and encodes nodes going down.

import WebSocket from 'ws'
import { JunctionError, ProtocolError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import { decodeBinaryNode, encodeBinaryNode, type BinaryNode } from './binary'
import { concat, generateKeyPair, type KeyPair } from './crypto'
import { FrameReader, frame } from './framing'
import { FrameCipher, NoiseInitiator, WA_HEADER, type CertificateTrust } from './noise'

export interface TransportOptions {
  url: string
  origin: string
  trust: CertificateTrust
  noiseKey: KeyPair
  /** The encoded ClientPayload (spec §4): login or registration. */
  clientPayload: Uint8Array
  /** From `<ib><edge_routing>` (spec §1.2): sent as the ED intro when present. */
  routingInfo?: Uint8Array
  handshakeTimeoutMs: number
  signal?: AbortSignal
  log: Logger
  /** Only tests pass this: the handshake's ephemeral key (spec §2.5 vector). */
  ephemeral?: KeyPair
}

/** `ED 00 01 || u24(len) || routing || WA 06 03` or just the WA header (spec §1.2). */
export function connectionHeader(routingInfo?: Uint8Array): Uint8Array {
  if (!routingInfo?.length) return WA_HEADER
  return concat(frame(routingInfo, ED_PREFIX), WA_HEADER)
}

const ED_PREFIX = Uint8Array.from([0x45, 0x44, 0, 1])

export class Transport {
  private nodeListener: (node: BinaryNode) => void = () => {}
  private endListener: (why: unknown) => void = () => {}
  private closedWith: { why: unknown } | null = null
  readonly ended: Promise<unknown>
  private resolveEnded!: (why: unknown) => void

  constructor(
    private readonly ws: WebSocket,
    private readonly cipher: FrameCipher,
    private readonly reader: FrameReader,
    private readonly log: Logger
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve))
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return
      this.receive(new Uint8Array(data))
    })
    ws.on('close', () => this.end(this.closedWith?.why))
    ws.on('error', (error) => this.end(new JunctionError('network', 'The WhatsApp connection failed.', { cause: error })))
  }

  onNode(listener: (node: BinaryNode) => void): void {
    this.nodeListener = listener
  }

  onEnd(listener: (why: unknown) => void): void {
    this.endListener = listener
  }

  get open(): boolean {
    return this.closedWith === null && this.ws.readyState === WebSocket.OPEN
  }

  send(node: BinaryNode): void {
    if (!this.open) throw new JunctionError('network', 'The WhatsApp connection is closed.')
    this.ws.send(frame(this.cipher.encrypt(encodeBinaryNode(node))))
  }

  private receive(chunk: Uint8Array): void {
    this.receiveFrames(this.reader.push(chunk))
  }

  /** Also used for frames that arrived in the same websocket message as the server hello. */
  receiveFrames(frames: Uint8Array[]): void {
    for (const f of frames) {
      if (this.closedWith) return
      let plaintext: Uint8Array
      try {
        plaintext = this.cipher.decrypt(f)
      } catch (error) {
        // spec §2.6: a failing tag puts the counters out of step: the connection is over.
        return this.fail(error)
      }
      let node: BinaryNode
      try {
        node = decodeBinaryNode(plaintext)
      } catch (error) {
        this.log.warn({ error }, 'dropped an undecodable WhatsApp node')
        continue
      }
      this.nodeListener(node)
    }
  }

  fail(why: unknown): void {
    if (this.closedWith) return
    this.closedWith = { why }
    this.ws.terminate()
    this.end(why)
  }

  close(): void {
    if (this.closedWith) return
    this.closedWith = { why: undefined }
    this.ws.close()
    // A peer that never answers the close must not keep `ended` pending.
    setTimeout(() => this.ws.terminate(), 1_000).unref()
  }

  private end(why: unknown): void {
    if (!this.closedWith) this.closedWith = { why }
    const settle = this.resolveEnded
    this.resolveEnded = () => {}
    settle(this.closedWith.why)
    const listener = this.endListener
    this.endListener = () => {}
    listener(this.closedWith.why)
  }
}

/** Connects, runs the handshake and resolves with a transport ready for nodes. */
export function openTransport(o: TransportOptions): Promise<Transport> {
  return new Promise<Transport>((resolve, reject) => {
    const ws = new WebSocket(o.url, { headers: { Origin: o.origin }, maxPayload: 1 << 24, handshakeTimeout: o.handshakeTimeoutMs })
    ws.binaryType = 'nodebuffer'
    const reader = new FrameReader()
    const noise = new NoiseInitiator(o.ephemeral ?? generateKeyPair(), o.noiseKey, o.trust)
    let settled = false
    const cleanup = (): void => {
      clearTimeout(timer)
      o.signal?.removeEventListener('abort', onAbort)
      ws.off('message', onMessage)
      ws.off('error', onError)
      ws.off('close', onClose)
    }
    const settle = (error: unknown, transport?: Transport): void => {
      if (settled) return
      settled = true
      cleanup()
      if (transport) return resolve(transport)
      ws.terminate()
      reject(error)
    }
    const onAbort = (): void => settle(new JunctionError('cancelled', 'The connection attempt was cancelled.'))
    const onError = (error: Error): void => settle(new JunctionError('network', 'The WhatsApp server could not be reached.', { cause: error }))
    const onClose = (): void => settle(new JunctionError('network', 'The WhatsApp server closed the connection during the handshake.'))
    const onMessage = (data: Buffer, isBinary: boolean): void => {
      if (!isBinary) return
      try {
        const frames = reader.push(new Uint8Array(data))
        if (frames.length === 0) return
        const finish = noise.clientFinish(frames[0]!, o.clientPayload)
        ws.send(frame(finish))
        const keys = noise.state.split()
        const transport = new Transport(ws, new FrameCipher(keys.send, keys.receive), reader, o.log)
        settle(undefined, transport)
        // Frames that came with the hello (none in practice) are replayed in order.
        transport.receiveFrames(frames.slice(1))
      } catch (error) {
        settle(error instanceof JunctionError ? error : new ProtocolError('The WhatsApp handshake failed.', { cause: error }))
      }
    }
    const timer = setTimeout(() => settle(new JunctionError('timeout', 'The WhatsApp handshake timed out.')), o.handshakeTimeoutMs)
    if (o.signal?.aborted) return onAbort()
    o.signal?.addEventListener('abort', onAbort)
    ws.on('message', onMessage)
    ws.on('error', onError)
    ws.on('close', onClose)
    ws.on('open', () => ws.send(frame(noise.clientHello(), connectionHeader(o.routingInfo))))
  })
}
