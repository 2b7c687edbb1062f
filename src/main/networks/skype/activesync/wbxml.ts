// WBXML 1.3 as ActiveSync uses it (spec §14.3): a tree of tagged elements holding inline
// strings or opaque bytes, no attributes, one code page in force until the next
// SWITCH_PAGE. Decoding is bounded (depth, node count) and rejects what ActiveSync never
// sends with a typed error.

import { ProtocolError } from '../../../../shared/errors'
import { nameFor, tokenFor } from './codepages'

export interface WbxmlElement {
  /** `Namespace:Name`, e.g. `FolderHierarchy:FolderSync`. */
  tag: string
  children: WbxmlNode[]
}
export type WbxmlNode = WbxmlElement | string | Uint8Array

const SWITCH_PAGE = 0x00
const END = 0x01
const ENTITY = 0x02
const STR_I = 0x03
const STR_T = 0x83
const OPAQUE = 0xc3
const HAS_CONTENT = 0x40
const HAS_ATTRIBUTES = 0x80
/** WBXML 1.3, unknown public id, UTF-8 (MIBenum 106), empty string table. */
const HEADER = [0x03, 0x01, 0x6a, 0x00]

const MAX_DEPTH = 64
const MAX_NODES = 200_000

export function el(tag: string, ...children: (WbxmlNode | null | undefined | false)[]): WbxmlElement {
  return { tag, children: children.filter((c): c is WbxmlNode => c !== null && c !== undefined && c !== false) }
}

function pushMbUint(out: number[], value: number): void {
  const groups: number[] = []
  do {
    groups.unshift(value & 0x7f)
    value = Math.floor(value / 128)
  } while (value > 0)
  groups.forEach((g, i) => out.push(i < groups.length - 1 ? g | 0x80 : g))
}

export function encodeWbxml(root: WbxmlElement): Uint8Array {
  const out: number[] = [...HEADER]
  let page = 0
  const write = (node: WbxmlNode, depth: number): void => {
    if (depth > MAX_DEPTH) throw new ProtocolError('A WBXML document was nested too deeply.')
    if (typeof node === 'string') {
      if (node.includes('\0')) throw new ProtocolError('A WBXML string cannot hold a NUL character.')
      out.push(STR_I, ...Buffer.from(node, 'utf8'), 0x00)
      return
    }
    if (node instanceof Uint8Array) {
      out.push(OPAQUE)
      pushMbUint(out, node.length)
      for (const b of node) out.push(b)
      return
    }
    const token = tokenFor(node.tag)
    if (!token) throw new ProtocolError('Unknown ActiveSync tag.', { detail: node.tag })
    if (token.page !== page) {
      out.push(SWITCH_PAGE, token.page)
      page = token.page
    }
    if (node.children.length === 0) {
      out.push(token.token)
      return
    }
    out.push(token.token | HAS_CONTENT)
    for (const c of node.children) write(c, depth + 1)
    out.push(END)
  }
  write(root, 0)
  return Uint8Array.from(out)
}

class Reader {
  pos = 0
  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new ProtocolError('A WBXML document ended early.')
    return this.bytes[this.pos++]!
  }

  mbUint(): number {
    let value = 0
    for (let i = 0; i < 5; i++) {
      const b = this.byte()
      value = value * 128 + (b & 0x7f)
      if ((b & 0x80) === 0) return value
    }
    throw new ProtocolError('A WBXML integer was too long.')
  }

  cstring(): string {
    const end = this.bytes.indexOf(0, this.pos)
    if (end < 0) throw new ProtocolError('A WBXML string was not terminated.')
    const s = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.pos, end - this.pos).toString('utf8')
    this.pos = end + 1
    return s
  }

  take(n: number): Uint8Array {
    if (n > this.bytes.length - this.pos) throw new ProtocolError('A WBXML opaque value ran past the end.')
    const out = new Uint8Array(this.bytes.subarray(this.pos, this.pos + n))
    this.pos += n
    return out
  }
}

export function decodeWbxml(bytes: Uint8Array): WbxmlElement {
  const r = new Reader(bytes)
  const version = r.byte()
  if (version < 0x01 || version > 0x03) throw new ProtocolError('Not a WBXML document.')
  r.mbUint() // public id
  const charset = r.mbUint()
  if (charset !== 0x6a && charset !== 0) throw new ProtocolError('A WBXML document was not in UTF-8.')
  const tableLength = r.mbUint()
  const table = r.take(tableLength)
  let page = 0
  let nodes = 0

  const readElement = (first: number, depth: number): WbxmlElement => {
    if (depth > MAX_DEPTH) throw new ProtocolError('A WBXML document was nested too deeply.')
    if (++nodes > MAX_NODES) throw new ProtocolError('A WBXML document had too many elements.')
    if (first & HAS_ATTRIBUTES) throw new ProtocolError('A WBXML element had attributes, which ActiveSync never sends.')
    const element: WbxmlElement = { tag: nameFor(page, first & 0x3f), children: [] }
    if ((first & HAS_CONTENT) === 0) return element
    for (;;) {
      const b = r.byte()
      if (b === END) return element
      if (b === SWITCH_PAGE) page = r.byte()
      else if (b === STR_I) element.children.push(r.cstring())
      else if (b === STR_T) element.children.push(tableString(table, r.mbUint()))
      else if (b === ENTITY) element.children.push(entity(r.mbUint()))
      else if (b === OPAQUE) element.children.push(r.take(r.mbUint()))
      else if ((b & 0x3f) >= 0x05) element.children.push(readElement(b, depth + 1))
      else throw new ProtocolError('A WBXML document used a token ActiveSync never sends.', { detail: `0x${b.toString(16)}` })
    }
  }

  let b = r.byte()
  while (b === SWITCH_PAGE) {
    page = r.byte()
    b = r.byte()
  }
  if ((b & 0x3f) < 0x05) throw new ProtocolError('A WBXML document had no root element.')
  const root = readElement(b, 0)
  if (r.pos !== bytes.length) throw new ProtocolError('A WBXML document had bytes after its root element.')
  return root
}

function tableString(table: Uint8Array, offset: number): string {
  const end = table.indexOf(0, offset)
  if (offset >= table.length || end < 0) throw new ProtocolError('A WBXML string reference pointed outside the string table.')
  return Buffer.from(table.buffer, table.byteOffset + offset, end - offset).toString('utf8')
}

function entity(code: number): string {
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new ProtocolError('A WBXML entity was not a character.')
  return String.fromCodePoint(code)
}

/** The first child element with this tag. */
export function find(node: WbxmlElement | undefined, tag: string): WbxmlElement | undefined {
  return node?.children.find((c): c is WbxmlElement => typeof c === 'object' && !(c instanceof Uint8Array) && c.tag === tag)
}

export function findAll(node: WbxmlElement | undefined, tag: string): WbxmlElement[] {
  return (node?.children ?? []).filter((c): c is WbxmlElement => typeof c === 'object' && !(c instanceof Uint8Array) && c.tag === tag)
}

/** The concatenated text of an element's string children. */
export function textOf(node: WbxmlElement | undefined): string | undefined {
  if (!node) return undefined
  return node.children.filter((c): c is string => typeof c === 'string').join('')
}

/** Text of the first child with this tag. */
export function childText(node: WbxmlElement | undefined, tag: string): string | undefined {
  return textOf(find(node, tag))
}
