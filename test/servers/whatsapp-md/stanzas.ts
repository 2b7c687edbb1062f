// Small builders and readers for the reference server's stanzas (spec §4–§7).

import type { BinaryNode } from '../../../src/main/networks/whatsapp/md/binary'

export const SERVER = 's.whatsapp.net'

export function node(tag: string, attrs: Record<string, string> = {}, content?: BinaryNode['content']): BinaryNode {
  return content === undefined ? { tag, attrs } : { tag, attrs, content }
}

export function children(n: BinaryNode | undefined): BinaryNode[] {
  return Array.isArray(n?.content) ? n.content : []
}

export function child(n: BinaryNode | undefined, tag: string): BinaryNode | undefined {
  return children(n).find((c) => c.tag === tag)
}

export function bytesOf(n: BinaryNode | undefined): Uint8Array | undefined {
  if (!n) return undefined
  if (n.content instanceof Uint8Array) return n.content
  if (typeof n.content === 'string') return new TextEncoder().encode(n.content)
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

/** `user[:device]@server` → parts; the server uses phone-number JIDs throughout. */
export function splitJid(jid: string): { user: string; device: number; server: string } {
  const [local = '', server = ''] = jid.split('@')
  const [user = '', device = '0'] = local.split(':')
  return { user, device: Number(device), server }
}

export const deviceJid = (user: string, device: number, server = SERVER): string => (device > 0 ? `${user}:${device}@${server}` : `${user}@${server}`)

export const LID_SERVER = 'lid'

export function unixNow(): string {
  return String(Math.floor(Date.now() / 1000))
}
