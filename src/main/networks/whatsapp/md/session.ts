// The request layer (spec §4.5, §4.6, §4.9) over one transport: iqs with unique ids and
// timeouts, stream errors turned into the session's end reason, keep-alive pings with jitter.
// Everything else that arrives is handed to the stanza handler.

import { randomBytes } from 'node:crypto'
import { JunctionError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import type { BinaryNode } from './binary'
import { streamError } from './errors'
import { childOf, node, S_WHATSAPP_NET } from './stanza'
import type { Transport } from './transport'

export interface SessionOptions {
  requestTimeoutMs: number
  keepAliveMinMs: number
  keepAliveMaxMs: number
  log: Logger
}

interface Pending {
  resolve(node: BinaryNode): void
  reject(error: unknown): void
  timer: NodeJS.Timeout
}

export class MdSession {
  private readonly prefix = `${randomBytes(1)[0]}.${randomBytes(1)[0]}-`
  private counter = 0
  private readonly pending = new Map<string, Pending>()
  private handler: (node: BinaryNode) => void = () => {}
  private endReason: unknown
  private keepAlive: NodeJS.Timeout | null = null
  private missedPings = 0
  /** Settles with why the connection ended (a stream error, a timeout, or undefined for a close). */
  readonly ended: Promise<unknown>

  constructor(
    readonly transport: Transport,
    private readonly o: SessionOptions
  ) {
    transport.onNode((n) => this.receive(n))
    this.ended = transport.ended.then((why) => {
      this.stopKeepAlive()
      const reason = this.endReason ?? why
      for (const p of this.pending.values()) {
        clearTimeout(p.timer)
        p.reject(reason ?? new JunctionError('network', 'The WhatsApp connection closed.'))
      }
      this.pending.clear()
      return reason
    })
  }

  onStanza(handler: (node: BinaryNode) => void): void {
    this.handler = handler
  }

  nextId(): string {
    return `${this.prefix}${++this.counter}`
  }

  send(n: BinaryNode): void {
    this.transport.send(n)
  }

  /** Sends an iq and resolves with the `result`; an `error` reply rejects with its code. */
  query(iq: BinaryNode, timeoutMs = this.o.requestTimeoutMs): Promise<BinaryNode> {
    const id = iq.attrs.id ?? this.nextId()
    return new Promise<BinaryNode>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new JunctionError('timeout', 'WhatsApp did not answer in time.'))
      }, timeoutMs)
      this.pending.set(id, { resolve, reject, timer })
      try {
        this.transport.send({ ...iq, attrs: { ...iq.attrs, id } })
      } catch (error) {
        clearTimeout(timer)
        this.pending.delete(id)
        reject(error)
      }
    })
  }

  private receive(n: BinaryNode): void {
    this.missedPings = 0
    if (n.tag === 'iq' && (n.attrs.type === 'result' || n.attrs.type === 'error')) {
      const waiting = this.pending.get(n.attrs.id ?? '')
      if (waiting) {
        this.pending.delete(n.attrs.id ?? '')
        clearTimeout(waiting.timer)
        if (n.attrs.type === 'result') waiting.resolve(n)
        else {
          const code = childOf(n, 'error')?.attrs.code ?? ''
          waiting.reject(
            new JunctionError('rejected', `WhatsApp refused the request (${code}).`, { detail: code, reason: { code: 'refused', params: { detail: code } } })
          )
        }
        return
      }
    }
    if (n.tag === 'stream:error') {
      this.end(streamError(n))
      return
    }
    if (n.tag === 'xmlstreamend') return this.end(undefined)
    this.handler(n)
  }

  /** spec §4.9: 20–30 s with jitter; two unanswered pings end the link. */
  startKeepAlive(): void {
    const arm = (): void => {
      const wait = this.o.keepAliveMinMs + Math.random() * (this.o.keepAliveMaxMs - this.o.keepAliveMinMs)
      this.keepAlive = setTimeout(() => {
        if (++this.missedPings > 2) return this.end(new JunctionError('timeout', 'The WhatsApp link stopped answering.'))
        this.query(node('iq', { to: S_WHATSAPP_NET, type: 'get', xmlns: 'w:p' }, [node('ping')]), 10_000).then(
          () => (this.missedPings = 0),
          () => {}
        )
        arm()
      }, wait)
      this.keepAlive.unref?.()
    }
    arm()
  }

  private stopKeepAlive(): void {
    if (this.keepAlive) clearTimeout(this.keepAlive)
    this.keepAlive = null
  }

  end(why: unknown): void {
    if (this.endReason === undefined) this.endReason = why
    if (why === undefined) this.transport.close()
    else this.transport.fail(why)
  }
}
