// The legacy Thrift transport (spec §9, seeds 000/001): TalkService calls POSTed as
// Thrift bytes to /S3 (TBinaryProtocol) or /S4 (TCompactProtocol), identified by
// X-Line-Application and X-Line-Access; fetchOperations long-polls on /P4 (spec §7.2),
// where HTTP 410 just means the window elapsed.

import { JunctionError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import { GW, LineError, SESSION_EXPIRED } from './errors'
import { fetchTyped, lineApplication, MAX_JSON_BYTES, readBounded } from './http'
import { decodeReply, encodeFetchOperations, encodeSendMessage, type ThriftProtocol } from './thrift'
import { MessageWire, parseOperationOrPassOver, parseWire, type Message, type Operation } from './wire'

export interface LegacyOptions {
  baseUrl: string
  protocol: ThriftProtocol
  chromeVersion: string
  locale: string
  userAgent: string
  requestTimeoutMs: number
  longPollGraceMs: number
  /** The current V3 access token (the token refresh replaces it). */
  accessToken(): string | null
  log: Logger
}

/** spec §7.2: how long the server holds a fetchOperations poll (~110 s observed). */
const LEGACY_POLL_WAIT_MS = 110_000

export class LegacyClient {
  private seqid = 0
  /** spec §4.3: legy responses may rotate the token through `x-line-next-access`. */
  onNextAccess: ((token: string) => void) | null = null

  constructor(readonly o: LegacyOptions) {}

  /** spec §9.1: 3 = binary, 4 = compact; polls on the compact twin /P4. */
  get talkPath(): string {
    return this.o.protocol === 'binary' ? '/S3' : '/S4'
  }

  get pollPath(): string {
    return this.o.protocol === 'binary' ? '/S3' : '/P4'
  }

  private headers(): Record<string, string> {
    const token = this.o.accessToken()
    if (!token) throw new JunctionError('auth-failed', 'LINE needs you to log in again.', { reason: SESSION_EXPIRED })
    return {
      'x-line-application': lineApplication(this.o.chromeVersion),
      'x-line-access': token,
      'content-type': 'application/x-thrift',
      accept: 'application/x-thrift',
      'x-lal': this.o.locale,
      'user-agent': this.o.userAgent,
      'cache-control': 'no-cache'
    }
  }

  private async post(path: string, body: Uint8Array, timeoutMs: number, signal?: AbortSignal): Promise<{ status: number; bytes: Uint8Array }> {
    const res = await fetchTyped(`${this.o.baseUrl}${path}`, { method: 'POST', headers: this.headers(), body, timeoutMs, ...(signal ? { signal } : {}) })
    const next = res.headers.get('x-line-next-access')
    if (next) this.onNextAccess?.(next)
    const bytes = await readBounded(res, MAX_JSON_BYTES, signal)
    return { status: res.status, bytes }
  }

  private decode(method: string, status: number, bytes: Uint8Array): unknown {
    if (status === 401 || status === 403) throw new LineError({ outer: null, httpStatus: status })
    if (status !== 200) throw new LineError({ outer: null, httpStatus: status })
    const reply = decodeReply(bytes, this.o.protocol)
    if (reply.method !== method)
      throw new JunctionError('protocol', 'LINE answered a different Thrift method.', { detail: reply.method, reason: { code: 'protocol-error' } })
    if (reply.exception?.name === 'TalkException') {
      throw new LineError({
        outer: GW.RESPONSE_ERROR,
        exception: 'TalkException',
        talkCode: reply.exception.code,
        reason: reply.exception.reason.slice(0, 200)
      })
    }
    if (reply.exception)
      throw new JunctionError('unsupported', 'LINE did not accept this legacy request.', {
        detail: reply.exception.name,
        reason: { code: 'refused', params: { detail: reply.exception.name } }
      })
    return reply.result
  }

  async sendMessage(reqSeq: number, message: Record<string, unknown>): Promise<Message> {
    const body = encodeSendMessage({ seqid: ++this.seqid, reqSeq, message }, this.o.protocol)
    const { status, bytes } = await this.post(this.talkPath, body, this.o.requestTimeoutMs)
    return parseWire(MessageWire, this.decode('sendMessage', status, bytes), 'a sent message')
  }

  /** Resolves with the operations after `localRev`, or [] when the poll window elapsed (HTTP 410). */
  async fetchOperations(localRev: string, count: number, signal: AbortSignal): Promise<Operation[]> {
    const body = encodeFetchOperations({ seqid: ++this.seqid, localRev, count }, this.o.protocol)
    const { status, bytes } = await this.post(this.pollPath, body, LEGACY_POLL_WAIT_MS + this.o.longPollGraceMs, signal)
    if (status === 410) return []
    const result = this.decode('fetchOperations', status, bytes)
    if (!Array.isArray(result)) throw new JunctionError('protocol', 'LINE sent operations in an unexpected shape.', { reason: { code: 'protocol-error' } })
    // One operation we cannot read is passed over (wire.ts): the same batch would come back from
    // localRev, failing every poll — a reconnect and a whole bootstrap again, over and over.
    return result.map((op) => parseOperationOrPassOver(op, 'an operation'))
  }
}
