// Skype figures: MSNP parse throughput on a realistic mix of what a session receives
// (incoming messages with Ack-Id, typing, presence NFYs, group messages with longer
// RichText, pings, the odd large recent-conversations reply), as one buffer and as
// TCP-sized reads, each a compare() row against a minimal framer over the same bytes
// (issue 14 point 3: >= 0.8x), and with the multi-MIME payloads decoded into messages.

import { CommandReader, parseCommands, parseMultiMime, type MsnpCommand } from '../../src/main/networks/skype/msnp/index'
import { readMessaging } from '../../src/main/networks/skype/inbound'
import { compare, measure } from './harness'
import type { Row } from './table'

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
}

const WORDS =
  'hi ok sure see you tomorrow at the station lunch meeting deadline coffee \u263a \ud83d\ude00 Gr\u00fc\u00dfe caf\u00e9 \u3053\u3093\u306b\u3061\u306f photo call later'.split(
    ' '
  )

function text(random: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ')
}

function command(line: string, payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8')
  return Buffer.concat([Buffer.from(`${line} ${body.length}\r\n`, 'latin1'), body])
}

function sdg(random: () => number, ackId: number, to: string, body: string, type = 'Text'): Buffer {
  const mime =
    `Ack-Id: ${ackId}\r\n\r\nRouting: 1.0\r\nTo: ${to}\r\nFrom: 8:bob.smith;epid={0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0}\r\n\r\nReliability: 1.0\r\n\r\n` +
    `Messaging: 2.0\r\nMessage-ID: ${1415097605123 + ackId}\r\nClient-Message-ID: ${Math.floor(random() * 1e13)}\r\nOriginal-Arrival-Time: 2014-11-04T10:40:05.123Z\r\n` +
    `Message-Type: ${type}\r\nIM-Display-Name: Bob Smith\r\nContent-Type: Text/plain; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  return command('SDG 0 MSGR', mime)
}

function nfy(status: string): Buffer {
  const doc = `<user><s n="IM"><Status>${status}</Status></s><s n="PE"><FriendlyName>Bob Smith</FriendlyName><PSM>at work</PSM></s><s n="SKP"><Mood>busy day</Mood><Skypename>bob.smith</Skypename></s><sep n="IM" epid="{0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0}"><Capabilities>0:0</Capabilities></sep></user>`
  const mime = `\r\nRouting: 1.0\r\nTo: 8:live:alice_1\r\nFrom: 8:bob.smith\r\n\r\nReliability: 1.0\r\n\r\nNotification: 1.0\r\nNotifNum: 0\r\nUri: /user\r\nNotifType: Partial\r\nContent-Type: application/user+xml\r\nContent-Length: ${doc.length}\r\n\r\n${doc}`
  return command('NFY MSGR\\PUT', mime)
}

/** About `megabytes` of server traffic in a realistic proportion. */
export function skypeTraffic(megabytes: number, seed = 24): { bytes: Buffer; commands: number; messages: number } {
  const random = rng(seed)
  const parts: Buffer[] = []
  let size = 0
  let commands = 0
  let messages = 0
  let ack = 5000
  while (size < megabytes * 1024 * 1024) {
    const r = random()
    let part: Buffer
    if (r < 0.45) {
      part = sdg(random, ack++, '8:live:alice_1', text(random, 3 + Math.floor(random() * 25)))
      messages++
    } else if (r < 0.6) {
      part = sdg(random, ack++, '19:0123456789abcdef0123456789abcdef@thread.skype', `<b>${text(random, 40 + Math.floor(random() * 300))}</b>`, 'RichText')
      messages++
    } else if (r < 0.8) part = sdg(random, ack++, '8:live:alice_1', '', random() < 0.5 ? 'Control/Typing' : 'Control/ClearTyping')
    else if (r < 0.95) part = nfy(random() < 0.5 ? 'NLN' : 'AWY')
    else if (r < 0.999) part = command('PNG 12 CON', '\r\n<ping-response><wait>50</wait></ping-response>')
    else part = command('GET 9 MSGR\\RECENTCONVERSATIONS', `\r\n<recentconversations-response>${text(random, 8000)}</recentconversations-response>`)
    parts.push(part)
    size += part.length
    commands++
  }
  return { bytes: Buffer.concat(parts), commands, messages }
}

/**
 * The reference for MSNP parsing: the least a framer can do over the same bytes and still
 * hand out every command: find each CRLF, split the line at spaces, take the last token as
 * the payload length when the command carries one, and hand out the payload as a view.
 * No validation, no limits, no TrID parsing.
 */
const MINIMAL_PAYLOAD = new Set([
  'SDG',
  'NFY',
  'PUT',
  'DEL',
  'GET',
  'PNG',
  'ADL',
  'RML',
  'FQY',
  'UUX',
  'UUN',
  'UBX',
  'UBN',
  'MSG',
  'NOT',
  'IPG',
  'QRY',
  'GCF',
  'ACK',
  'SDC',
  'VAS',
  'FSL',
  'UBM',
  'UUM'
])
interface MinimalCommand {
  name: string
  args: string[]
  payload: Uint8Array | null
}

function minimalScan(buf: Buffer, out: MinimalCommand[]): number {
  let pos = 0
  for (;;) {
    const lf = buf.indexOf(0x0a, pos)
    if (lf < 0) return pos
    const tokens = buf.toString('latin1', pos, lf - 1).split(' ')
    const name = tokens[0]!
    let payload: Uint8Array | null = null
    let next = lf + 1
    if (MINIMAL_PAYLOAD.has(name) || /^\d/.test(name)) {
      const n = Number(tokens[tokens.length - 1])
      if (n > 0 || tokens[tokens.length - 1] === '0') {
        if (next + n > buf.length) return pos
        payload = buf.subarray(next, next + n)
        next += n
      }
    }
    out.push({ name, args: tokens, payload })
    pos = next
  }
}

function minimalFrame(buf: Buffer): MinimalCommand[] {
  const out: MinimalCommand[] = []
  minimalScan(buf, out)
  return out
}

/** The minimal framer fed TCP reads: what is left of one read is prepended to the next. */
class MinimalReader {
  private pending: Buffer | null = null
  push(chunk: Buffer): MinimalCommand[] {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk
    const out: MinimalCommand[] = []
    const consumed = minimalScan(buf, out)
    this.pending = consumed < buf.length ? buf.subarray(consumed) : null
    return out
  }
}

export async function benchSkype(options: { megabytes?: number } = {}): Promise<Row[]> {
  const rows: Row[] = []
  const traffic = skypeTraffic(options.megabytes ?? 16)
  const bytes = traffic.bytes.length
  const note = `${traffic.commands.toLocaleString('en')} commands, ${(bytes / (1024 * 1024)).toFixed(1)} MB`
  const { commands } = parseCommands(traffic.bytes)
  const minimal = minimalFrame(traffic.bytes)
  if (commands.length !== traffic.commands || minimal.length !== traffic.commands)
    throw new Error(`the framers disagree: ${commands.length} and ${minimal.length} of ${traffic.commands} commands`)

  const one = await compare(
    'skype',
    { name: `MSNP parse, one buffer (${note})`, unit: 'MB', units: bytes, run: () => void parseCommands(traffic.bytes) },
    { name: 'a minimal framer, same buffer', unit: 'MB', units: bytes, run: () => void minimalFrame(traffic.bytes) },
    { goal: 0.8, rounds: 9, minMs: 300, alternateRuns: true }
  )
  rows.push({ ...one, note: `${one.note ?? ''}; ${rateOf(traffic.commands, one.value, bytes)}` })
  const reads = (push: (chunk: Buffer) => unknown): void => {
    for (let pos = 0; pos < traffic.bytes.length; pos += 1460) push(traffic.bytes.subarray(pos, pos + 1460))
  }
  rows.push(
    await compare(
      'skype',
      {
        name: 'MSNP parse, 1460-byte TCP reads (CommandReader)',
        unit: 'MB',
        units: bytes,
        run: () => {
          const reader = new CommandReader()
          reads((c) => reader.push(c))
        }
      },
      {
        name: 'a minimal framer, same reads',
        unit: 'MB',
        units: bytes,
        run: () => {
          const reader = new MinimalReader()
          reads((c) => reader.push(c))
        }
      },
      { goal: 0.8, rounds: 9, minMs: 300, alternateRuns: true }
    )
  )

  const sdgs = commands.filter((c): c is MsnpCommand & { payload: Uint8Array } => c.name === 'SDG' && c.payload !== null)
  rows.push(
    await measure('skype', {
      name: `SDG multi-MIME decode to messages (${sdgs.length.toLocaleString('en')} SDGs)`,
      unit: 'msg',
      units: sdgs.length,
      run: () => {
        for (const c of sdgs) readMessaging(parseMultiMime(c.payload, true))
      }
    })
  )
  return rows
}

/** Commands per second from a "… MB/s" figure of the same run. */
function rateOf(commands: number, value: string, bytes: number): string {
  const mbps = Number.parseFloat(value)
  return Number.isFinite(mbps) ? `${(((commands / bytes) * mbps * 1e6) / 1e3).toFixed(0)} k commands/s` : ''
}
