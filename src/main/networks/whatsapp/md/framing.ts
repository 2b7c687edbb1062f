// spec §1.3: every frame is u24(len) || payload, both directions; a websocket message may carry
// several frames and a frame (even its length) may be split across messages.

import { ProtocolError } from '../../../../shared/errors'

export const MAX_FRAME = (1 << 24) - 1

export function frame(payload: Uint8Array, header?: Uint8Array): Uint8Array {
  if (payload.length > MAX_FRAME) throw new ProtocolError('A WhatsApp frame is too large to send.')
  const prefix = header?.length ?? 0
  const out = new Uint8Array(prefix + 3 + payload.length)
  if (header) out.set(header, 0)
  out[prefix] = (payload.length >> 16) & 0xff
  out[prefix + 1] = (payload.length >> 8) & 0xff
  out[prefix + 2] = payload.length & 0xff
  out.set(payload, prefix + 3)
  return out
}

/** Re-assembles frames; holds at most one partial frame (< 16 MiB) between chunks. */
export class FrameReader {
  private pending: Uint8Array[] = []
  private pendingBytes = 0

  push(chunk: Uint8Array): Uint8Array[] {
    this.pending.push(chunk)
    this.pendingBytes += chunk.length
    const frames: Uint8Array[] = []
    for (;;) {
      if (this.pendingBytes < 3) break
      const head = this.peek(3)
      const length = (head[0]! << 16) | (head[1]! << 8) | head[2]!
      if (this.pendingBytes < 3 + length) break
      const all = this.flatten()
      frames.push(all.slice(3, 3 + length))
      const rest = all.subarray(3 + length)
      this.pending = rest.length ? [rest] : []
      this.pendingBytes = rest.length
    }
    return frames
  }

  private flatten(): Uint8Array {
    if (this.pending.length === 1) return this.pending[0]!
    const all = new Uint8Array(this.pendingBytes)
    let at = 0
    for (const p of this.pending) {
      all.set(p, at)
      at += p.length
    }
    this.pending = [all]
    return all
  }

  private peek(n: number): Uint8Array {
    const first = this.pending[0]!
    return first.length >= n ? first : this.flatten()
  }
}
