// Helpers for reading and building binary-node stanzas (spec §3.1 model).

import type { BinaryNode } from './binary'

export const S_WHATSAPP_NET = 's.whatsapp.net'

export function node(tag: string, attrs: Record<string, string> = {}, content?: BinaryNode['content']): BinaryNode {
  return content === undefined ? { tag, attrs } : { tag, attrs, content }
}

export function childrenOf(n: BinaryNode | undefined): BinaryNode[] {
  return Array.isArray(n?.content) ? n.content : []
}

export function childOf(n: BinaryNode | undefined, tag: string): BinaryNode | undefined {
  return childrenOf(n).find((c) => c.tag === tag)
}

/** Content as bytes: raw text content decodes as bytes (spec §3.7), tokens as strings. */
export function bytesOf(n: BinaryNode | undefined): Uint8Array | undefined {
  if (!n) return undefined
  if (n.content instanceof Uint8Array) return n.content
  if (typeof n.content === 'string') return new TextEncoder().encode(n.content)
  return undefined
}

export function textOf(n: BinaryNode | undefined): string | undefined {
  if (!n) return undefined
  if (typeof n.content === 'string') return n.content
  if (n.content instanceof Uint8Array) return new TextDecoder().decode(n.content)
  return undefined
}

export function uintBytes(value: number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = length - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff
  return out
}

export function readUint(b: Uint8Array | undefined): number {
  let v = 0
  for (const x of b ?? []) v = v * 256 + x
  return v
}
