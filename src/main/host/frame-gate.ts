// Judges an Api message while it is still arriving. ws buffers a whole message (up to its
// maxPayload, ~28 MB for a picture) before it emits it, and unmasks and copies every byte;
// 16 connections sending 15 MB that will be refused anyway cost the host seconds of CPU and
// hundreds of MB. The gate reads the raw bytes beside ws: the frame headers (RFC 6455 §5.2)
// and the first bytes of each message, unmasked; a large message whose start already shows
// it will be refused (its request's cap, or nesting) is stopped there and the socket closed.
// Small messages and anything the gate cannot judge yet go on to ws and the full scan, which
// answers with a typed error: the gate refuses only what that scan would refuse.

import { MAX_FRAME_BYTES, NAME_WINDOW_BYTES, frameByteLimit, scanFrame, type FrameProblem } from '../bridge/frames'

/** Messages up to this size are left to the full scan after ws buffered them, and get a typed reply. */
export const GATE_MIN_BYTES = 1024 * 1024
/** The start of a message the gate unmasks and scans: past the name window, so a missing name shows. */
const PEEK_BYTES = 2 * NAME_WINDOW_BYTES

export interface GateVerdict {
  /** RFC 6455 §7.4.1: 1009 message too big, 1008 policy violation. */
  code: 1008 | 1009
  problem: FrameProblem
  reason: string
}

const REASONS: Record<FrameProblem, string> = {
  'too-large': 'Request too large for its kind',
  'too-deep': 'Request nests too deeply',
  'too-complex': 'Request has too many values',
  malformed: 'Malformed request'
}

type Phase = 'header' | 'payload'

/** A push-parser of client frames; `push` returns a verdict once a message must be stopped. */
export class FrameGate {
  private phase: Phase = 'header'
  private readonly header = new Uint8Array(14)
  private headerLength = 0
  private remaining = 0
  private readonly mask = new Uint8Array(4)
  private maskOffset = 0
  private control = false
  private finalFragment = false
  /** The data message being received: its declared bytes so far and its unmasked start. */
  private inMessage = false
  private messageBytes = 0
  private peek: Uint8Array = new Uint8Array(PEEK_BYTES)
  private peekLength = 0
  private judgedName: string | null | undefined = undefined
  private stopped = false

  push(chunk: Uint8Array): GateVerdict | null {
    if (this.stopped) return null
    let i = 0
    while (i < chunk.length) {
      if (this.phase === 'header') {
        this.header[this.headerLength++] = chunk[i++]!
        const needed = this.headerNeeded()
        if (needed === null || this.headerLength < needed) continue
        const verdict = this.startFrame()
        if (verdict) return this.stop(verdict)
        continue
      }
      const take = Math.min(this.remaining, chunk.length - i)
      if (!this.control && this.inMessage && this.peekLength < PEEK_BYTES) {
        const copy = Math.min(take, PEEK_BYTES - this.peekLength)
        for (let k = 0; k < copy; k++) this.peek[this.peekLength++] = chunk[i + k]! ^ this.mask[(this.maskOffset + k) & 3]!
        const verdict = this.judge()
        if (verdict) return this.stop(verdict)
      }
      this.maskOffset += take
      this.remaining -= take
      i += take
      if (this.remaining === 0) this.endFrame()
    }
    return null
  }

  /** The header's full length once its first two bytes are in; null until then. */
  private headerNeeded(): number | null {
    if (this.headerLength < 2) return null
    const len7 = this.header[1]! & 0x7f
    const masked = (this.header[1]! & 0x80) !== 0 ? 4 : 0
    return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + masked
  }

  private startFrame(): GateVerdict | null {
    const h = this.header
    const fin = (h[0]! & 0x80) !== 0
    const opcode = h[0]! & 0x0f
    const len7 = h[1]! & 0x7f
    let offset = 2
    let length = len7
    if (len7 === 126) {
      length = (h[2]! << 8) | h[3]!
      offset = 4
    } else if (len7 === 127) {
      // A length above 2^53 cannot be a number here; ws refuses it above maxPayload anyway.
      length = (h[2]! * 2 ** 24 + ((h[3]! << 16) | (h[4]! << 8) | h[5]!)) * 2 ** 32 + (((h[6]! << 24) >>> 0) + ((h[7]! << 16) | (h[8]! << 8) | h[9]!))
      offset = 10
    }
    if ((h[1]! & 0x80) !== 0) this.mask.set(h.subarray(offset, offset + 4))
    else this.mask.fill(0)
    this.headerLength = 0
    this.maskOffset = 0
    this.remaining = length
    this.control = opcode >= 0x8
    this.phase = 'payload'
    if (!this.control) {
      if (opcode !== 0x0) this.beginMessage()
      this.messageBytes += length
      this.finalFragment = fin
    } else this.finalFragment = false
    const verdict = this.judge()
    if (verdict) return verdict
    if (length === 0) this.endFrame()
    return null
  }

  private beginMessage(): void {
    this.inMessage = true
    this.messageBytes = 0
    this.peekLength = 0
    this.judgedName = undefined
  }

  private endFrame(): void {
    this.phase = 'header'
    if (!this.control && this.finalFragment) this.inMessage = false
  }

  /** Only large messages are judged here, and only on what their start shows. */
  private judge(): GateVerdict | null {
    if (!this.inMessage || this.messageBytes <= GATE_MIN_BYTES || this.messageBytes > MAX_FRAME_BYTES) return null
    if (this.judgedName !== undefined) {
      return this.messageBytes > Math.max(frameByteLimit(this.judgedName), GATE_MIN_BYTES) ? verdict('too-large') : null
    }
    if (this.peekLength < PEEK_BYTES && this.peekLength < this.messageBytes) return null
    const scan = scanFrame(this.peek.subarray(0, this.peekLength), { prefixOf: this.messageBytes })
    if (!scan.ok) return scan.problem === 'malformed' ? null : verdict(scan.problem)
    // A name read from the start is the one the full scan reads; the cap can be applied to
    // later fragments too. An unread name (cut off by the peek) stays unjudged.
    if (scan.name !== null) this.judgedName = scan.name
    return null
  }

  private stop(v: GateVerdict): GateVerdict {
    this.stopped = true
    return v
  }
}

function verdict(problem: FrameProblem): GateVerdict {
  return { code: problem === 'too-large' ? 1009 : 1008, problem, reason: REASONS[problem] }
}
