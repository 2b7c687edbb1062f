// WhatsApp figures (issue 14 point 3), each a compare() row against its reference in the
// same run: the binary node codec on a realistic mix of nodes (login lists, relays, history
// pages, receipts, presence) against a frozen copy of the codec as it was before the
// zero-copy rewrite (test/bench/baseline/whatsapp-binary.ts), and encrypted-frame decrypt +
// HMAC verify against raw node:crypto AES-256-CBC + HMAC-SHA256 over the same bytes.

import { createDecipheriv, createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto'
import { decodeNode, encodeNode, type WANode } from '../../src/main/networks/whatsapp/legacy/binary'
import { decryptFrame, encryptFrame } from '../../src/main/networks/whatsapp/legacy/crypto'
import { decodeNode as baselineDecode, encodeNode as baselineEncode } from './baseline/whatsapp-binary'
import { compare } from './harness'
import type { Row } from './table'

const jid = (i: number): string => `4915${String(10_000_000 + i)}@c.us`

/** One of each kind a session sees, in proportions a busy account might produce. */
export function nodeMix(): WANode[] {
  // A WebMessageInfo is opaque bytes to the codec: stand-ins of a real one's size (the text
  // plus about 70 bytes of key, id and timestamp), so the bench does not depend on the proto layer.
  const wmi = (i: number, text: string): Uint8Array => {
    const b = new Uint8Array(Buffer.byteLength(text) + 70)
    for (let k = 0; k < b.length; k++) b[k] = (i * 31 + k * 7) & 0xff
    return b
  }
  const chats: WANode = [
    'response',
    { type: 'chat' },
    Array.from({ length: 200 }, (_, i): WANode => [
      'chat',
      { jid: jid(i), count: String(i % 7), t: String(1_700_000_000 + i), spam: 'false', modify_tag: String(900_000 + i) },
      null
    ])
  ]
  const contacts: WANode = [
    'response',
    { type: 'contacts' },
    Array.from({ length: 500 }, (_, i): WANode => ['user', { jid: jid(i), notify: `Person ${i}`, name: `Person Number ${i}`, short: 'Person' }, null])
  ]
  const history: WANode = [
    'action',
    { add: 'before', last: 'true' },
    Array.from({ length: 50 }, (_, i): WANode => ['message', null, wmi(i, `history message number ${i} with a few words in it`)])
  ]
  const mix: WANode[] = [chats, contacts, history]
  for (let i = 0; i < 200; i++) {
    mix.push(['action', { add: 'relay' }, [['message', null, wmi(i, i % 10 === 0 ? 'x'.repeat(2000) : `live message ${i}: see you at the usual place?`)]]])
    mix.push([
      'action',
      { add: 'relay' },
      [['received', { jid: jid(i), index: `3EB0${String(i).padStart(16, '0')}`, owner: 'true', type: i % 2 ? 'read' : 'message' }, null]]
    ])
    mix.push(['action', { type: 'set', epoch: String(i) }, [['presence', { type: 'composing', to: jid(i) }, null]]])
    mix.push([
      'action',
      { type: 'set', epoch: String(i) },
      [['read', { jid: jid(i), index: `3EB0${String(i).padStart(16, '0')}`, owner: 'false', count: '1' }, null]]
    ])
  }
  return mix
}

/** What a session does with a frame: decrypt + verify, as raw node:crypto calls with no codec around them. */
function rawDecryptVerify(encKey: ReturnType<typeof createSecretKey>, macKey: ReturnType<typeof createSecretKey>, frame: Uint8Array): void {
  const body = frame.subarray(32)
  const mac = createHmac('sha256', macKey).update(body).digest()
  if (!timingSafeEqual(mac, frame.subarray(0, 32))) throw new Error('bench frame did not verify')
  const d = createDecipheriv('aes-256-cbc', encKey, body.subarray(0, 16))
  d.update(body.subarray(16))
  d.final()
}

export async function benchWhatsApp(): Promise<Row[]> {
  const rows: Row[] = []
  const nodes = nodeMix()
  const encoded = nodes.map(encodeNode)
  const bytes = encoded.reduce((n, b) => n + b.length, 0)
  for (const [i, b] of encoded.entries()) {
    if (!Buffer.from(baselineEncode(nodes[i]!)).equals(Buffer.from(b))) throw new Error('the codec and its baseline disagree on the bench corpus')
  }

  rows.push(
    await compare(
      'whatsapp',
      {
        name: `decodeNode (${nodes.length} nodes, ${(bytes / 1024).toFixed(0)} KiB a pass)`,
        unit: 'MB',
        units: bytes,
        run: () => void encoded.forEach((b) => decodeNode(b))
      },
      { name: 'decodeNode before the rewrite', unit: 'MB', units: bytes, run: () => void encoded.forEach((b) => baselineDecode(b)) },
      { goal: 3 }
    )
  )
  rows.push(
    await compare(
      'whatsapp',
      { name: 'encodeNode, same corpus', unit: 'MB', units: bytes, run: () => void nodes.forEach((n) => encodeNode(n)) },
      { name: 'encodeNode before the rewrite', unit: 'MB', units: bytes, run: () => void nodes.forEach((n) => baselineEncode(n)) },
      { goal: 2 }
    )
  )

  // Frames: the reference gets the advantage the Connector has too: keys imported once.
  const keys = { encKey: new Uint8Array(randomBytes(32)), macKey: new Uint8Array(randomBytes(32)) }
  const encKey = createSecretKey(keys.encKey)
  const macKey = createSecretKey(keys.macKey)
  for (const size of [1024, 16 * 1024, 64 * 1024]) {
    const frames = Array.from({ length: size >= 16 * 1024 ? 16 : 64 }, () => encryptFrame(keys, randomBytes(size)))
    const total = frames.reduce((n, f) => n + f.length, 0)
    rows.push(
      await compare(
        'whatsapp',
        { name: `frame decrypt+verify, ${size / 1024} KiB frames`, unit: 'MB', units: total, run: () => void frames.forEach((f) => decryptFrame(keys, f)) },
        {
          name: 'raw node:crypto HMAC-SHA256 + AES-256-CBC',
          unit: 'MB',
          units: total,
          run: () => void frames.forEach((f) => rawDecryptVerify(encKey, macKey, f))
        },
        // The two sides do the same native work, so the ratio sits near 1 and machine noise decided a
        // whole round (0.78–1.19× between runs on a busy 2-core machine); single runs taking turns,
        // each timed alone, put the same noise on both sides.
        { goal: 0.95, rounds: 21, minMs: 100, alternateRuns: true }
      )
    )
  }
  return rows
}
