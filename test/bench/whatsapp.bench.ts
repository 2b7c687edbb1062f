// WhatsApp figures: the binary node codec on a realistic mix of nodes (login lists, relays,
// history pages, receipts, presence), and encrypted-frame decrypt+verify, each next to the
// raw node:crypto AES-256-CBC figure measured in the same run on the same machine.

import { createDecipheriv, createSecretKey, randomBytes } from 'node:crypto'
import { decodeNode, encodeNode, type WANode } from '../../src/main/networks/whatsapp/binary'
import { decryptFrame, encryptFrame } from '../../src/main/networks/whatsapp/crypto'
import { encodeOutgoingText } from '../../src/main/networks/whatsapp/messages'
import { rate, timeIt, type Row } from './table'

const jid = (i: number): string => `4915${String(10_000_000 + i)}@c.us`

/** One of each kind a session sees, in proportions a busy account might produce. */
function nodeMix(): WANode[] {
  const wmi = (i: number, text: string): Uint8Array =>
    encodeOutgoingText({ chatJid: jid(i), selfJid: jid(0), id: `3EB0${String(i).padStart(16, '0')}`, text, timestampSeconds: 1_700_000_000 + i })
  const chats: WANode = ['response', { type: 'chat' }, Array.from({ length: 200 }, (_, i): WANode => ['chat', { jid: jid(i), count: String(i % 7), t: String(1_700_000_000 + i), spam: 'false', modify_tag: String(900_000 + i) }, null])]
  const contacts: WANode = ['response', { type: 'contacts' }, Array.from({ length: 500 }, (_, i): WANode => ['user', { jid: jid(i), notify: `Person ${i}`, name: `Person Number ${i}`, short: 'Person' }, null])]
  const history: WANode = ['action', { add: 'before', last: 'true' }, Array.from({ length: 50 }, (_, i): WANode => ['message', null, wmi(i, `history message number ${i} with a few words in it`)])]
  const mix: WANode[] = [chats, contacts, history]
  for (let i = 0; i < 200; i++) {
    mix.push(['action', { add: 'relay' }, [['message', null, wmi(i, i % 10 === 0 ? 'x'.repeat(2000) : `live message ${i}: see you at the usual place?`)]]])
    mix.push(['action', { add: 'relay' }, [['received', { jid: jid(i), index: `3EB0${String(i).padStart(16, '0')}`, owner: 'true', type: i % 2 ? 'read' : 'message' }, null]]])
    mix.push(['action', { type: 'set', epoch: String(i) }, [['presence', { type: 'composing', to: jid(i) }, null]]])
    mix.push(['action', { type: 'set', epoch: String(i) }, [['read', { jid: jid(i), index: `3EB0${String(i).padStart(16, '0')}`, owner: 'false', count: '1' }, null]]])
  }
  return mix
}

function countNodes(node: WANode): number {
  return 1 + (Array.isArray(node[2]) ? node[2].reduce((n, c) => n + countNodes(c), 0) : 0)
}

const mbps = (bytes: number, ms: number): string => `${(bytes / 1e6 / (ms / 1e3)).toFixed(1)} MB/s`

export async function benchWhatsApp(): Promise<Row[]> {
  const rows: Row[] = []
  const nodes = nodeMix()
  const encoded = nodes.map(encodeNode)
  const bytes = encoded.reduce((n, b) => n + b.length, 0)
  const count = nodes.reduce((n, node) => n + countNodes(node), 0)
  const note = `${nodes.length} top-level nodes, ${count} nodes in all, ${(bytes / 1024).toFixed(0)} KiB per pass`

  const dec = timeIt(() => {
    for (const b of encoded) decodeNode(b)
  }, 30)
  rows.push({ area: 'whatsapp', measurement: 'decodeNode throughput', value: `${mbps(bytes, dec.median)}, ${rate(count / (dec.median / 1e3), 'nodes/s')}`, note })
  const enc = timeIt(() => {
    for (const n of nodes) encodeNode(n)
  }, 30)
  rows.push({ area: 'whatsapp', measurement: 'encodeNode throughput', value: `${mbps(bytes, enc.median)}, ${rate(count / (enc.median / 1e3), 'nodes/s')}`, note })

  // Frames: decrypt + HMAC verify, against bare AES-256-CBC decryption of the same bytes.
  const keys = { encKey: randomBytes(32), macKey: randomBytes(32) }
  // The baseline gets the same advantage the Connector has: a key imported once.
  const rawKey = createSecretKey(keys.encKey)
  for (const size of [1024, 64 * 1024]) {
    const frames = Array.from({ length: 64 }, () => encryptFrame(keys, randomBytes(size)))
    const total = frames.reduce((n, f) => n + f.length, 0)
    const frame = timeIt(() => {
      for (const f of frames) decryptFrame(keys, f)
    }, 20)
    const raw = timeIt(() => {
      for (const f of frames) {
        const d = createDecipheriv('aes-256-cbc', rawKey, f.subarray(32, 48))
        d.update(f.subarray(48))
        d.final()
      }
    }, 20)
    rows.push({
      area: 'whatsapp',
      measurement: `frame decrypt+verify, ${size / 1024} KiB frames`,
      value: mbps(total, frame.median),
      note: `raw node:crypto AES-256-CBC decrypt (no MAC) of the same bytes: ${mbps(total, raw.median)}`
    })
  }
  return rows
}
