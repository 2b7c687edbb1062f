// MSNP18 command arguments (msnp18.md §1.2): what goes into a token and how to read one
// back. Escargot percent-decodes every token it receives, and when it sends it encodes
// only `%`, space, CR and LF, leaving other bytes raw; the msnobj of CHG/NLN is fully
// encoded. So a client encodes generously and decodes tolerantly.

import { ProtocolError } from '../../../../shared/errors'

/**
 * An argument as it goes on the wire: `%`, space, CR, LF (what Escargot itself escapes),
 * plus every other byte outside printable ASCII, which the shared framing never writes raw.
 */
export function encodeArg(value: string): string {
  let out = ''
  for (const byte of Buffer.from(value, 'utf8')) {
    out += byte === 0x25 || byte <= 0x20 || byte >= 0x7f ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte)
  }
  return out
}

/** §1.2 client rule: `%XX` sequences become bytes, a malformed `%` stays as it is, and the result is read as UTF-8. */
export function decodeArg(token: string): string {
  const bytes: number[] = []
  const raw = Buffer.from(token, 'utf8')
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!
    if (b === 0x25 && i + 2 < raw.length && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
      bytes.push(parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16))
      i += 2
    } else bytes.push(b)
  }
  return Buffer.from(bytes).toString('utf8')
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66))
}

/** §4.1: `1:bob@example.com` (optionally `;via=…`) → `bob@example.com`; null for other networks. */
export function passportOf(networkAddress: string): string | null {
  const bare = networkAddress.split(';')[0]!.trim()
  const m = /^1:([^\s@]{1,128}@[^\s@]{1,253})$/.exec(bare)
  return m ? m[1]!.toLowerCase() : null
}

/** §5.4: `bob@example.com;{guid}` → account and endpoint. */
export function splitEndpoint(token: string): { account: string; guid?: string } {
  const semi = token.indexOf(';')
  const account = (semi < 0 ? token : token.slice(0, semi)).trim().toLowerCase()
  if (semi < 0) return { account }
  const guid = /^\{?([0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})\}?$/.exec(token.slice(semi + 1).trim())?.[1]
  return guid ? { account, guid: guid.toLowerCase() } : { account }
}

/** `host:port` from XFR/RNG (§1.1: never assume 1863 or 1864). */
export function readHostPort(token: string | undefined): { host: string; port: number } {
  const m = /^([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\]):(\d{1,5})$/.exec(token ?? '')
  const port = Number(m?.[2])
  if (!m || port < 1 || port > 65535) throw new ProtocolError('The Messenger server named a switchboard address Junction cannot read.')
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port }
}

/** §4.3: two decimal 32-bit words, `caps:capsEx`. */
export function readCapabilities(token: string | undefined): { caps: number; capsEx: number } | null {
  const m = /^(\d{1,10}):(\d{1,10})$/.exec(token ?? '')
  if (!m) return null
  const caps = Number(m[1])
  const capsEx = Number(m[2])
  return caps <= 0xffffffff && capsEx <= 0xffffffff ? { caps, capsEx } : null
}
