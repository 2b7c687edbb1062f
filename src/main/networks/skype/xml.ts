// XML in and out: SOAP envelopes, MSNP XML payloads. Parsing goes through
// fast-xml-parser after a well-formedness check, with namespace prefixes removed
// (SOAP replies mix `soap:`, `S:`, `wsse:` and default namespaces).

import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { ProtocolError } from '../../../shared/errors'

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
}

export type XmlNode = { [name: string]: XmlValue }
export type XmlValue = string | XmlNode | XmlValue[]

const MAX_XML_BYTES = 8 * 1024 * 1024

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  processEntities: true,
  maxNestedTags: 64
})

/** Parses XML or throws ProtocolError; `what` names the document in the error. */
export function parseXml(text: string, what: string): XmlNode {
  if (text.length > MAX_XML_BYTES) throw new ProtocolError(`The ${what} was larger than allowed.`)
  const valid = XMLValidator.validate(text)
  if (valid !== true) throw new ProtocolError(`The ${what} was not well-formed XML.`, { detail: valid.err.msg.slice(0, 120) })
  try {
    return parser.parse(text) as XmlNode
  } catch (error) {
    throw new ProtocolError(`The ${what} could not be read.`, { cause: error })
  }
}

function asNode(value: XmlValue | undefined): XmlNode | undefined {
  const v = Array.isArray(value) ? value[0] : value
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined
}

/** The child at a path of element names, ignoring namespaces; arrays take their first element. */
export function child(node: XmlValue | undefined, ...path: string[]): XmlValue | undefined {
  let cur: XmlValue | undefined = node
  for (const name of path) {
    const n = asNode(cur)
    if (!n) return undefined
    cur = n[name]
  }
  return cur
}

/** Every element at a path; one element and a list of them read the same. */
export function children(node: XmlValue | undefined, ...path: string[]): XmlValue[] {
  if (path.length === 0) return node === undefined ? [] : Array.isArray(node) ? node : [node]
  const parent = path.length > 1 ? children(node, ...path.slice(0, -1)) : children(node)
  const last = path[path.length - 1]!
  return parent.flatMap((p) => {
    const n = asNode(p)
    return n && n[last] !== undefined ? children(n[last]) : []
  })
}

/** The text of an element (or of an element with attributes, under `#text`); '' for an element with only children. */
export function text(node: XmlValue | undefined, ...path: string[]): string | undefined {
  const value = child(node, ...path)
  const v = Array.isArray(value) ? value[0] : value
  if (typeof v === 'string') return v
  const n = asNode(v)
  if (!n) return undefined
  const t = n['#text']
  return typeof t === 'string' ? t : ''
}

export function attr(node: XmlValue | undefined, name: string): string | undefined {
  const a = asNode(node)?.[`@${name}`]
  return typeof a === 'string' ? a : undefined
}
