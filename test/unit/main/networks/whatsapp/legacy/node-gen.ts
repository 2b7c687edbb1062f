// A seeded generator of random nodes and a model of how each one reads back (spec §5.8:
// raw text content reads as bytes, token 80 reads as `c.us`), shared by the property and
// fuzz tests. Not a test file itself.

import { SINGLE_BYTE_TOKENS, type WANode } from '../../../../../../src/main/networks/whatsapp/legacy/binary'

export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const TOKENS = SINGLE_BYTE_TOKENS.filter((t): t is string => t !== null)

export class NodeGen {
  constructor(readonly random: () => number) {}

  int(n: number): number {
    return Math.floor(this.random() * n)
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!
  }

  chars(alphabet: string, min: number, max: number): string {
    // By code point, so that no lone surrogate (which UTF-8 cannot carry) is produced.
    const points = Array.from(alphabet)
    let s = ''
    const n = min + this.int(max - min + 1)
    for (let i = 0; i < n; i++) s += points[this.int(points.length)]
    return s
  }

  /** Any string the protocol may carry: tokens, numbers, hex ids, JIDs, free and unicode text. */
  string(allowUserServer = true): string {
    switch (this.int(9)) {
      case 0:
      case 1: {
        const t = this.pick(TOKENS)
        return !allowUserServer && t === 's.whatsapp.net' ? 'chat' : t
      }
      case 2:
        return this.chars('0123456789', 1, 20)
      case 3:
        return this.chars('0123456789ABCDEF', 1, 32)
      case 4:
        return `${this.chars('0123456789', 6, 15)}@${this.pick(['c.us', 's.whatsapp.net', 'g.us', 'broadcast'])}`
      case 5:
        return `${this.chars('0123456789', 6, 12)}-${this.chars('0123456789', 10, 10)}@g.us`
      case 6:
        return this.chars('abcdefghijklmnopqrstuvwxyz ._-', 0, 40)
      case 7:
        return this.chars('héllo wörld ✓ 😀 日本語', 1, 30)
      default:
        return this.chars('0123456789.-', 1, 300)
    }
  }

  node(depth = 0, allowUserServerContent = true): WANode {
    const description = this.int(3) === 0 ? this.chars('abcdefghij_', 1, 12) : this.pick(TOKENS)
    let attributes: Record<string, string> | null = null
    const n = this.int(5)
    if (n > 0 || this.int(2) === 0) {
      attributes = {}
      const seen = new Set<string>()
      for (let i = 0; i < n; i++) {
        const key = this.int(2) === 0 ? this.pick(TOKENS) : this.chars('abcdefghijklmnop_', 1, 10)
        const norm = key === 's.whatsapp.net' ? 'c.us' : key
        if (seen.has(norm) || norm === 'c.us') continue
        seen.add(norm)
        attributes[key] = this.int(8) === 0 ? '' : this.string()
      }
    }
    let content: WANode[] | Uint8Array | string | null
    switch (depth > 4 ? this.int(3) : this.int(5)) {
      case 0:
        content = null
        break
      case 1: {
        const bytes = new Uint8Array(this.int(6) === 0 ? 256 + this.int(2000) : this.int(40))
        for (let i = 0; i < bytes.length; i++) bytes[i] = this.int(256)
        content = bytes
        break
      }
      case 2:
        content = this.string(allowUserServerContent)
        break
      default: {
        const count = this.int(4) === 0 ? 0 : 1 + this.int(4)
        content = Array.from({ length: count }, () => this.node(depth + 1, allowUserServerContent))
      }
    }
    return [description, attributes, content]
  }
}

const TOKEN_SET = new Set(TOKENS)
const utf8 = new TextEncoder()

/** How a string written outside content reads back. */
function readBack(s: string): string {
  if (s === 's.whatsapp.net') return 'c.us'
  const at = s.indexOf('@')
  if (TOKEN_SET.has(s) || at < 1) return s
  return `${readBack(s.slice(0, at))}@${readBack(s.slice(at + 1))}`
}

/** The node `decodeNode(encodeNode(node))` must return. */
export function expectedReadBack(node: WANode): WANode {
  const [description, attributes, content] = node
  let attrs: Record<string, string> | null = null
  for (const [k, v] of Object.entries(attributes ?? {})) {
    if (!v) continue
    attrs ??= {}
    attrs[readBack(k)] = readBack(v)
  }
  let out: WANode[] | Uint8Array | string | null
  if (content === null || content === '') out = null
  else if (content instanceof Uint8Array) out = content
  else if (Array.isArray(content)) out = content.map(expectedReadBack)
  else if (content !== 'c.us' && (TOKEN_SET.has(content) || content.indexOf('@') >= 1)) out = readBack(content)
  else out = utf8.encode(content)
  return [readBack(description), attrs, out]
}
