// Seeded random binary nodes and byte mutations for the property and fuzz tests of the
// multi-device codec, so a failure reproduces from its seed.

import type { BinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import { DOUBLE_BYTE_TOKENS, SINGLE_BYTE_TOKENS } from '../../../../../../src/main/networks/whatsapp/md/binary/tokens'

/** mulberry32: small, fast, good enough for test inputs. */
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

export const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'prototype']

export class Gen {
  constructor(readonly next: () => number) {}

  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }

  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n)
    for (let i = 0; i < n; i++) b[i] = this.int(256)
    return b
  }

  digits(n: number): string {
    let s = ''
    for (let i = 0; i < n; i++) s += String(this.int(10))
    return s
  }

  /** A string of one of the shapes the encoder treats differently. */
  string(): string {
    switch (this.int(12)) {
      case 0:
        return this.pick(SINGLE_BYTE_TOKENS.slice(1))
      case 1:
        return this.pick(this.pick(DOUBLE_BYTE_TOKENS))
      case 2:
        return this.digits(1 + this.int(20)) + (this.int(2) ? '.' : '-') + this.digits(this.int(5))
      case 3:
        return Array.from({ length: 1 + this.int(30) }, () => '0123456789ABCDEF'[this.int(16)]).join('')
      case 4:
        return this.jid()
      case 5:
        return this.pick(PROTOTYPE_NAMES)
      case 6:
        return 'x'.repeat(120 + this.int(20)) // around PACKED_MAX and the BINARY_8 limit
      case 7:
        return String.fromCodePoint(...Array.from({ length: 1 + this.int(8) }, () => 0x20 + this.int(0x2000)))
      case 8:
        return this.digits(126 + this.int(4))
      default:
        return Array.from({ length: 1 + this.int(12) }, () => String.fromCharCode(0x21 + this.int(94))).join('')
    }
  }

  jid(): string {
    const user = this.int(2) ? this.digits(11 + this.int(5)) : this.digits(15)
    switch (this.int(9)) {
      case 0:
        return `${user}@s.whatsapp.net`
      case 1:
        return `${user}:${1 + this.int(98)}@s.whatsapp.net`
      case 2:
        return `${user}:${1 + this.int(98)}@lid`
      case 3:
        return `${user}@lid`
      case 4:
        return `${user}:${this.int(100)}@${this.pick(['hosted', 'hosted.lid'])}`
      case 5:
        return `${this.int(2) ? '' : '1203630' + this.digits(11)}@g.us`
      case 6:
        return `${user}:${this.int(70000)}@msgr`
      case 7:
        return `${this.int(70000)}-${user}:${this.int(70000)}@interop`
      default:
        return `${this.pick(['status', user, ''])}@${this.pick(['broadcast', 'newsletter', 'call', 'bot', 'c.us', 'example.org'])}`
    }
  }

  /** `small` keeps bytes and child lists short (fuzz seeds, where every input is copied). */
  node(depth = 0, small = false): BinaryNode {
    const attrs: Record<string, string> = {}
    const count = this.int(6)
    for (let i = 0; i < count; i++) Object.defineProperty(attrs, this.string(), { value: this.string(), enumerable: true, writable: true, configurable: true })
    const node: BinaryNode = { tag: this.string(), attrs }
    switch (this.int(depth > 3 ? 3 : 5)) {
      case 0:
        break
      case 1:
        node.content = this.bytes(this.int(3) || small ? this.int(40) : this.int(70000))
        break
      case 2:
        node.content = this.string()
        break
      default:
        // One LIST_16 list (300 leaves) now and then, but never nested in another big one.
        node.content =
          this.int(10) || small || depth > 0
            ? Array.from({ length: this.int(5) }, () => this.node(depth + 1, small))
            : Array.from({ length: 256 + this.int(50) }, () => ({ tag: this.string(), attrs: {} }))
    }
    return node
  }

  /** Small edits of a valid input: bit flips, replaced bytes, cuts, inserts, boundary values. */
  mutate(src: Uint8Array): Uint8Array {
    let b = src.slice()
    const edits = 1 + this.int(4)
    for (let e = 0; e < edits; e++) {
      const i = b.length === 0 ? 0 : this.int(b.length)
      switch (this.int(6)) {
        case 0:
          if (b.length) b[i]! ^= 1 << this.int(8)
          break
        case 1:
          if (b.length) b[i] = this.int(256)
          break
        case 2:
          b = b.slice(0, i)
          break
        case 3: {
          const ins = this.bytes(1 + this.int(4))
          const next = new Uint8Array(b.length + ins.length)
          next.set(b.subarray(0, i), 0)
          next.set(ins, i)
          next.set(b.subarray(i), i + ins.length)
          b = next
          break
        }
        case 4:
          if (b.length) b[i] = this.pick([0x00, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff, 0xf5, 0xf6, 0xf7, 0xec, 0xef, 0xf0, 0x02])
          break
        default:
          if (b.length > 1) b[0] = this.pick([0, 2, 0xff])
      }
    }
    return b
  }
}
