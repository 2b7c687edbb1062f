// The switchboard MSG parser fuzzed (issue 16 point 6): 120,000 inputs — random bytes,
// mutations of the spec's payloads (§9 E4–E7) and of chunked texts — through the codec and
// the parser must give a result or a typed error (ProtocolError), never another exception,
// and stay bounded: every result is small, every input is handled in well under a
// millisecond on average. Deterministic seeds, so a failure can be replayed.

import { describe, expect, it } from 'vitest'
import { JunctionError, ProtocolError } from '../../../../../../src/shared/errors'
import { parseCommands } from '../../../../../../src/main/networks/skype/msnp/framing'
import { readListPush } from '../../../../../../src/main/networks/skype/msnp18/lists'
import { readFln, readNln, readUbx } from '../../../../../../src/main/networks/skype/msnp18/presence'
import { readRing } from '../../../../../../src/main/networks/skype/msnp18/conversations'
import { ChunkAssembler, parseSbMessage, textPayloads } from '../../../../../../src/main/networks/skype/msnp18/sb-message'
import { E10, E3, E4, E5, E6, E7 } from './examples'

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const payloadOf = (s: string): Buffer => Buffer.from(s.slice(s.indexOf('\r\n') + 2), 'utf8')
const SEEDS = [
  payloadOf(E4.msg),
  payloadOf(E5.msgIn),
  payloadOf(E6.in),
  payloadOf(E7.in),
  ...textPayloads('x'.repeat(3000), '3a1f0b5e-7c2d-4e8a-9b61-0d2c4f6e8a10')
]
const VOCAB = [
  'Content-Type: ',
  'text/plain',
  'text/x-msmsgscontrol',
  'text/x-msnmsgr-datacast',
  'ID: ',
  'Chunks: ',
  'Chunk: ',
  'Message-ID: {',
  '}',
  'TypingUser: ',
  'X-MMS-IM-Format: ',
  'FN=',
  '; EF=',
  'CO=',
  '%',
  '\r\n',
  '\r\n\r\n',
  '\n',
  ':',
  '99999999999',
  '-1',
  '\u0000',
  'ö'
]

function mutate(random: () => number, input: Buffer): Buffer {
  const out = Buffer.from(input)
  switch (Math.floor(random() * 5)) {
    case 0:
      return out.subarray(0, Math.floor(random() * out.length))
    case 1:
      for (let i = 0; i < 1 + random() * 8; i++) out[Math.floor(random() * out.length)] = Math.floor(random() * 256)
      return out
    case 2: {
      const at = Math.floor(random() * out.length)
      return Buffer.concat([out.subarray(0, at), Buffer.from(VOCAB[Math.floor(random() * VOCAB.length)]!, 'utf8'), out.subarray(at)])
    }
    case 3:
      return Buffer.from(out.toString('latin1').replace(/\d+/, String(Math.floor(random() * 2 ** 31))), 'latin1')
    default:
      return Buffer.concat([out, out.subarray(0, Math.floor(random() * out.length))])
  }
}

function input(random: () => number, i: number): Buffer {
  switch (i % 4) {
    case 0:
      return Buffer.from(Array.from({ length: Math.floor(random() * 400) }, () => Math.floor(random() * 256)))
    case 1:
      return mutate(random, SEEDS[i % SEEDS.length]!)
    case 2:
      return Buffer.from(Array.from({ length: 1 + Math.floor(random() * 16) }, () => VOCAB[Math.floor(random() * VOCAB.length)]).join(''), 'utf8')
    default:
      return mutate(random, mutate(random, SEEDS[(i * 7) % SEEDS.length]!))
  }
}

function typedOnly(fn: () => unknown): 'ok' | 'rejected' {
  try {
    fn()
    return 'ok'
  } catch (error) {
    if (error instanceof ProtocolError || error instanceof JunctionError) return 'rejected'
    throw error
  }
}

describe('switchboard MSG parser under fuzzing', () => {
  it('gives a message or a typed error for 120,000 inputs, bounded in size and time', () => {
    const random = rng(18)
    const joiner = new ChunkAssembler(() => 0)
    let ok = 0
    let rejected = 0
    const started = performance.now()
    for (let i = 0; i < 120_000; i++) {
      const bytes = input(random, i)
      const outcome = typedOnly(() => {
        const m = parseSbMessage(bytes)
        if (m.kind === 'text') {
          if (m.text.length > bytes.length) throw new Error(`input ${i}: text longer than its payload`)
          const whole = joiner.add(`s${i % 3}`, m)
          if (whole && whole.text.length > 64 * 65_536) throw new Error(`input ${i}: reassembled text unbounded`)
        }
      })
      if (outcome === 'ok') ok++
      else rejected++
    }
    const elapsed = performance.now() - started
    expect(ok + rejected).toBe(120_000)
    // Both outcomes occur: the corpus exercises acceptance as well as rejection.
    expect(ok).toBeGreaterThan(10_000)
    expect(rejected).toBeGreaterThan(1_000)
    expect(elapsed / 120_000).toBeLessThan(0.5)
  })

  it('gives commands or a typed error when whole MSG lines (line + payload) are fuzzed through the codec', () => {
    const random = rng(1864)
    const lines = [E4.msg, E5.msgIn, E6.in, E7.in].map((s) => Buffer.from(s, 'utf8'))
    for (let i = 0; i < 30_000; i++) {
      const bytes = mutate(random, lines[i % lines.length]!)
      typedOnly(() => {
        for (const c of parseCommands(bytes).commands) if (c.name === 'MSG' && c.payload) parseSbMessage(c.payload)
      })
    }
  })

  it('gives a value or a typed error for fuzzed NS pushes (NLN, FLN, UBX, ADL 0, RNG)', () => {
    const random = rng(1863)
    const lines = [E3.nlnBob, E3.ubxBob, E3.fln, E10.adl0, E5.rng].map((s) => Buffer.from(s, 'utf8'))
    for (let i = 0; i < 30_000; i++) {
      const bytes = mutate(random, lines[i % lines.length]!)
      typedOnly(() => {
        for (const c of parseCommands(bytes).commands) {
          readNln(c)
          readFln(c)
          readUbx(c)
          if (c.payload) readListPush(c.payload.toString())
          readRing(c)
        }
      })
    }
  })
})
