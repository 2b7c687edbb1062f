// Server-Sent Events framing (the WHATWG event-stream format) for LINE's operation stream
// (spec §7.1). Chunks may split anywhere, even inside a UTF-8 sequence or between the CR
// and LF of a line ending; comments are skipped; a line or an event that grows past its
// bound is a typed error instead of unbounded memory.

import { ProtocolError } from '../../../shared/errors'

export interface SseEvent {
  /** `message` when the stream named none (spec §7.1: operations come as default events). */
  event: string
  data: string
  id?: string
  retry?: number
}

export interface SseLimits {
  maxLineBytes: number
  maxEventBytes: number
}

export const DEFAULT_SSE_LIMITS: SseLimits = { maxLineBytes: 1 << 20, maxEventBytes: 4 << 20 }

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8')
  private line = ''
  private afterCr = false
  private started = false
  private eventType = ''
  private data: string[] = []
  private dataSize = 0
  private id: string | undefined
  private retry: number | undefined
  /** The last event id seen, kept across events as the spec says. */
  lastEventId: string | undefined

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly limits: SseLimits = DEFAULT_SSE_LIMITS
  ) {}

  push(chunk: Uint8Array | string): void {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true })
    if (!this.started && text.length > 0) {
      this.started = true
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    let start = 0
    // Line ends found with indexOf rather than a loop over every character: sealed operations
    // are long base64 lines, and this was a visible part of their ingest (issue 14).
    let lf = text.indexOf('\n')
    let cr = text.indexOf('\r')
    while (lf !== -1 || cr !== -1) {
      const i = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr
      const isLf = i === lf
      let next = i + 1
      if (isLf && this.afterCr && i === start && this.line === '') {
        // The LF of a CRLF whose CR ended the previous piece.
        this.afterCr = false
      } else {
        this.appendToLine(text, start, i)
        this.processLine(this.line)
        this.line = ''
        this.afterCr = !isLf
        if (!isLf && text.charCodeAt(i + 1) === 10) {
          next = i + 2
          this.afterCr = false
        }
      }
      start = next
      if (lf !== -1 && lf < next) lf = text.indexOf('\n', next)
      if (cr !== -1 && cr < next) cr = text.indexOf('\r', next)
    }
    if (start < text.length) {
      this.afterCr = false
      this.appendToLine(text, start, text.length)
    }
  }

  /** The stream ended: an event without its closing blank line is dropped, as the spec says. */
  end(): void {
    this.decoder.decode()
    this.line = ''
    this.resetEvent()
  }

  private appendToLine(text: string, from: number, to: number): void {
    if (to <= from) return
    if (this.line.length + (to - from) > this.limits.maxLineBytes) {
      this.line = ''
      throw new ProtocolError('An event-stream line is too long.', { detail: `over ${this.limits.maxLineBytes}` })
    }
    this.line += text.slice(from, to)
  }

  private processLine(line: string): void {
    if (line === '') return this.dispatch()
    if (line.charCodeAt(0) === 58) return // ':' comment
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.charCodeAt(0) === 32) value = value.slice(1)
    switch (field) {
      case 'event':
        this.eventType = value
        return
      case 'data':
        this.dataSize += value.length + 1
        if (this.dataSize > this.limits.maxEventBytes) {
          this.resetEvent()
          throw new ProtocolError('An event-stream event is too large.', { detail: `over ${this.limits.maxEventBytes}` })
        }
        this.data.push(value)
        return
      case 'id':
        if (!value.includes('\u0000')) this.id = value
        return
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value)
        return
      default:
        return
    }
  }

  private dispatch(): void {
    if (this.id !== undefined) this.lastEventId = this.id
    if (this.data.length === 0) {
      this.resetEvent()
      return
    }
    const event: SseEvent = { event: this.eventType || 'message', data: this.data.join('\n') }
    if (this.lastEventId !== undefined) event.id = this.lastEventId
    if (this.retry !== undefined) event.retry = this.retry
    this.resetEvent()
    this.onEvent(event)
  }

  private resetEvent(): void {
    this.eventType = ''
    this.data = []
    this.dataSize = 0
    this.id = undefined
    this.retry = undefined
  }
}
