// The transport: one websocket to WhatsApp Web with the required Origin (spec §1.1), unique
// tags (§1.3), replies matched by tag with timeouts, the keep-alive and lost-link watchdog
// (§1.4), the WA Web epoch rule (§6.1), and the encryption of binary nodes once the session
// keys are known (§3/§4). It knows nothing of login or messages.

import WebSocket, { type RawData } from 'ws'
import { JunctionError, ProtocolError } from '../../../../shared/errors'
import { Emitter } from '../../../base/emitter'
import type { Logger } from '../../../base/log'
import { decodeNode, encodeNode, type WANode } from './binary'
import { decryptFrame, encryptFrame, type SessionKeys } from './crypto'
import { binaryFrame, jsonFrame, KEEP_ALIVE, parseServerFrame } from './frames'

export type Reply = { kind: 'json'; value: unknown } | { kind: 'node'; node: WANode }

export type CloseReason = 'remote' | 'lost' | 'local'

export interface SocketEvents {
  /** A JSON push (a frame whose tag no request is waiting for). */
  json: { tag: string; value: unknown }
  /** A decrypted node push. */
  node: { tag: string; node: WANode }
  close: { reason: CloseReason }
}

export interface SocketOptions {
  url: string
  origin: string
  requestTimeoutMs: number
  keepAliveIntervalMs: number
  linkLostAfterMs: number
  log: Logger
}

interface Pending {
  resolve(reply: Reply): void
  reject(error: JunctionError): void
  timer: NodeJS.Timeout
  countsEpoch: boolean
}

/** Far above any real frame (media travels over HTTP); a bound on what one frame may cost. */
const MAX_FRAME_BYTES = 32 * 1024 * 1024

export class WASocket {
  readonly events: Emitter<SocketEvents>
  private keys: SessionKeys | null = null
  private readonly pending = new Map<string, Pending>()
  private readonly connectedAt = Math.floor(Date.now() / 1000)
  private counter = 0
  private epoch = 0
  private outstanding = 0
  private lastReceived = Date.now()
  private readonly timers: NodeJS.Timeout[] = []
  private closed = false
  private readonly early: { tag: string; data: Uint8Array }[] = []
  private earlyBytes = 0

  private constructor(
    private readonly ws: WebSocket,
    private readonly o: SocketOptions
  ) {
    this.events = new Emitter<SocketEvents>((error) => o.log.error({ error }, 'socket listener failed'))
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary))
    ws.on('close', () => this.shutdown('remote'))
    ws.on('error', (error) => o.log.warn({ error }, 'websocket error'))
    this.timers.push(
      setInterval(() => {
        // A socket already closing gets no keep-alive; the close handler tidies up.
        if (this.isOpen) this.sendRaw(KEEP_ALIVE)
      }, o.keepAliveIntervalMs)
    )
    // spec §1.4: declare the link lost after a stretch of silence (a pong answers each keep-alive).
    this.timers.push(
      setInterval(
        () => {
          if (Date.now() - this.lastReceived > o.linkLostAfterMs) {
            o.log.warn({ silentMs: Date.now() - this.lastReceived }, 'no answer to keep-alive; link lost')
            this.shutdown('lost')
          }
        },
        Math.max(10, Math.floor(o.linkLostAfterMs / 4))
      )
    )
  }

  static connect(o: SocketOptions, signal?: AbortSignal): Promise<WASocket> {
    return new Promise((resolve, reject) => {
      // spec §1.1: the Origin header is required; no subprotocol.
      const ws = new WebSocket(o.url, { origin: o.origin, handshakeTimeout: o.requestTimeoutMs, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false })
      const cleanup = (): void => {
        ws.off('open', onOpen)
        ws.off('error', onError)
        ws.off('unexpected-response', onRefused)
        signal?.removeEventListener('abort', onAbort)
      }
      const onOpen = (): void => {
        cleanup()
        resolve(new WASocket(ws, o))
      }
      const fail = (error: JunctionError): void => {
        cleanup()
        ws.on('error', () => {})
        ws.terminate()
        reject(error)
      }
      const onError = (cause: Error): void => fail(new JunctionError('network', 'Could not connect to WhatsApp.', { cause }))
      const onRefused = (_req: unknown, res: { statusCode?: number }): void =>
        fail(new JunctionError('network', `WhatsApp refused the connection (HTTP ${res.statusCode ?? '?'}).`))
      const onAbort = (): void => fail(new JunctionError('cancelled', 'The login was cancelled.'))
      ws.on('open', onOpen)
      ws.on('error', onError)
      ws.on('unexpected-response', onRefused)
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort)
    })
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN
  }

  /**
   * The keys arrive in `Conn`, and the server's first encrypted pushes may come in the same
   * read, before the login code has derived them: those wait here and are read now.
   */
  setKeys(keys: SessionKeys): void {
    this.keys = keys
    const early = this.early.splice(0)
    this.earlyBytes = 0
    for (const f of early) this.onEncrypted(f.tag, f.data)
  }

  /** spec §1.3: WA Web tags; the long form (full connect second) for init and login. */
  nextTag(long = false): string {
    return `${long ? this.connectedAt : this.connectedAt % 1000}.--${this.counter++}`
  }

  /** Sends JSON and waits for the reply with the same tag. Empty acknowledgements are skipped. */
  request(value: unknown, options: { tag?: string; long?: boolean; doubleComma?: boolean; timeoutMs?: number } = {}): Promise<Reply> {
    const tag = options.tag ?? this.nextTag(options.long)
    return this.await(tag, false, options.timeoutMs, () => this.sendRaw(jsonFrame(tag, value, options.doubleComma)))
  }

  /** Sends JSON without waiting for anything (logout, presence subscriptions whose answer does not matter). */
  sendJson(value: unknown, options: { tag?: string; doubleComma?: boolean } = {}): void {
    this.sendRaw(jsonFrame(options.tag ?? this.nextTag(), value, options.doubleComma))
  }

  /**
   * Encrypts a node (built with this batch's epoch, spec §6.1) and waits for the reply, which
   * may be an encrypted node or a plain JSON status (§1.2). A relay's tag is its message id.
   */
  requestNode(build: (epoch: string) => WANode, options: { tag?: string; metric: number; flag: number; timeoutMs?: number }): Promise<Reply> {
    const keys = this.keys
    if (!keys) return Promise.reject(new JunctionError('unavailable', 'Not logged in to WhatsApp yet.'))
    const tag = options.tag ?? this.nextTag()
    const existing = this.pending.get(tag)
    if (existing) return this.join(tag)
    // spec §6.1 (WA Web): a request sent with nothing outstanding opens a new epoch.
    if (this.outstanding === 0) this.epoch++
    this.outstanding++
    const frame = binaryFrame(tag, options.metric, options.flag, encryptFrame(keys, encodeNode(build(String(this.epoch)))))
    return this.await(tag, true, options.timeoutMs, () => this.sendRaw(frame))
  }

  /** An encrypted node that expects no reply (an answer to a server query); it does not open an epoch. */
  sendNode(build: (epoch: string) => WANode, options: { tag: string; metric: number; flag: number }): void {
    if (!this.keys) throw new JunctionError('unavailable', 'Not logged in to WhatsApp yet.')
    this.sendRaw(binaryFrame(options.tag, options.metric, options.flag, encryptFrame(this.keys, encodeNode(build(String(this.epoch))))))
  }

  /** A second wait on a tag already in flight (a retried relay): the same reply settles both. */
  private join(tag: string): Promise<Reply> {
    const first = this.pending.get(tag)!
    return new Promise((resolve, reject) => {
      const { resolve: r1, reject: j1 } = first
      first.resolve = (reply) => {
        r1(reply)
        resolve(reply)
      }
      first.reject = (error) => {
        j1(error)
        reject(error)
      }
    })
  }

  private await(tag: string, countsEpoch: boolean, timeoutMs: number | undefined, send: () => void): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const ms = timeoutMs ?? this.o.requestTimeoutMs
      const timer = setTimeout(() => this.settle(tag, new JunctionError('timeout', `WhatsApp did not answer in ${ms} ms.`)), ms)
      this.pending.set(tag, { resolve, reject, timer, countsEpoch })
      try {
        send()
      } catch (error) {
        this.settle(tag, error instanceof JunctionError ? error : new JunctionError('network', 'Could not send to WhatsApp.', { cause: error }))
      }
    })
  }

  /** Bracket cleanup: every pending request ends here, on reply, timeout or close alike. */
  private settle(tag: string, outcome: Reply | JunctionError): boolean {
    const p = this.pending.get(tag)
    if (!p) return false
    this.pending.delete(tag)
    clearTimeout(p.timer)
    if (p.countsEpoch && this.outstanding > 0) this.outstanding--
    if (outcome instanceof JunctionError) p.reject(outcome)
    else p.resolve(outcome)
    return true
  }

  sendRaw(frame: string | Uint8Array): void {
    if (!this.isOpen) throw new JunctionError('network', 'Not connected to WhatsApp.')
    this.ws.send(frame, { binary: typeof frame !== 'string' })
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    this.lastReceived = Date.now()
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
    let frame
    try {
      frame = parseServerFrame(bytes, isBinary)
    } catch (error) {
      this.o.log.warn({ error }, 'dropped an unreadable frame')
      return
    }
    switch (frame.kind) {
      case 'pong':
      case 'empty': // spec §1.2: an empty acknowledgement; the real reply follows
        return
      case 'json':
        if (!this.settle(frame.tag, { kind: 'json', value: frame.value })) this.events.emit('json', { tag: frame.tag, value: frame.value })
        return
      case 'encrypted':
        return this.onEncrypted(frame.tag, frame.data)
    }
  }

  private onEncrypted(tag: string, data: Uint8Array): void {
    if (!this.keys) {
      if (this.earlyBytes + data.length > MAX_FRAME_BYTES) {
        this.o.log.warn({ tag }, 'dropped an encrypted frame before login')
        return
      }
      this.earlyBytes += data.length
      this.early.push({ tag, data })
      return
    }
    let node: WANode
    try {
      node = decodeNode(decryptFrame(this.keys, data))
    } catch (error) {
      // spec §3: a frame that fails its MAC is dropped; a request waiting for it fails now rather than at its timeout.
      const e = error instanceof JunctionError ? error : new ProtocolError('An encrypted frame could not be read.', { cause: error })
      this.o.log.warn({ tag, code: e.code }, 'dropped an encrypted frame')
      this.settle(tag, e)
      return
    }
    if (!this.settle(tag, { kind: 'node', node })) this.events.emit('node', { tag, node })
  }

  close(): void {
    this.shutdown('local')
  }

  private shutdown(reason: CloseReason): void {
    if (this.closed) return
    this.closed = true
    for (const t of this.timers) clearInterval(t)
    const error = new JunctionError('network', reason === 'lost' ? 'The connection to WhatsApp was lost.' : 'The connection to WhatsApp closed.')
    for (const tag of [...this.pending.keys()]) this.settle(tag, error)
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      if (reason === 'local') {
        // A clean close lets a frame just sent (the logout) go out first; a silent peer is cut off.
        this.ws.close(1000)
        setTimeout(() => this.ws.terminate(), 1_000).unref()
      } else this.ws.terminate()
    }
    this.events.emit('close', { reason })
  }
}
