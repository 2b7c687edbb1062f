// Fuzzed decoders: garbage, truncations and mutations of real commands must give either
// a result or a typed error (ProtocolError), never another exception, a hang or an
// unbounded buffer. Deterministic seeds, so a failure can be replayed.

import { describe, expect, it } from 'vitest'
import { JunctionError, ProtocolError } from '../../../../../src/shared/errors'
import { CommandReader, DEFAULT_LIMITS, parseCommands, parseMultiMime } from '../../../../../src/main/networks/skype/msnp/index'
import { readMessaging, readPresence, readThreadActivity, readThreads } from '../../../../../src/main/networks/skype/inbound'
import { decodeWbxml } from '../../../../../src/main/networks/skype/activesync/wbxml'
import { decodeActiveSyncQuery } from '../../../../../src/main/networks/skype/activesync/query'
import { EXAMPLES } from './wire-examples'

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

const SEEDS = Object.values(EXAMPLES).map((e) => Buffer.from(e.bytes, 'utf8'))
const VOCAB = [
  'SDG',
  'NFY',
  'PUT',
  'ADL',
  'OUT',
  'PNG',
  'QNG',
  'CHL',
  'USR',
  '911',
  '217',
  'MSGR',
  'MSGR\\PUT',
  'CON',
  'OK',
  '0',
  '1',
  '12',
  '999',
  'OTH',
  '\r\n',
  ' ',
  '\n',
  '\r'
]

function mutate(random: () => number, input: Buffer): Buffer {
  const out = Buffer.from(input)
  const kind = Math.floor(random() * 5)
  if (kind === 0) return out.subarray(0, Math.floor(random() * out.length))
  if (kind === 1) {
    for (let i = 0; i < 1 + random() * 6; i++) out[Math.floor(random() * out.length)] = Math.floor(random() * 256)
    return out
  }
  if (kind === 2) {
    const at = Math.floor(random() * out.length)
    return Buffer.concat([out.subarray(0, at), Buffer.from(VOCAB[Math.floor(random() * VOCAB.length)]!), out.subarray(at)])
  }
  if (kind === 3) return Buffer.from(out.toString('latin1').replace(/\d+/, String(Math.floor(random() * 2_000_000_000))), 'latin1')
  return Buffer.concat([out, out.subarray(0, Math.floor(random() * out.length))])
}

function randomInput(random: () => number, i: number): Buffer {
  switch (i % 4) {
    case 0:
      return Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256)))
    case 1:
      return mutate(random, SEEDS[i % SEEDS.length]!)
    case 2:
      return Buffer.from(
        Array.from({ length: 1 + Math.floor(random() * 12) }, () => VOCAB[Math.floor(random() * VOCAB.length)]).join(random() < 0.5 ? ' ' : ''),
        'latin1'
      )
    default:
      return mutate(random, mutate(random, SEEDS[(i * 7) % SEEDS.length]!))
  }
}

/** Runs `fn` and fails the test on anything but success or a typed error. */
function typedOnly(fn: () => unknown): 'ok' | 'rejected' {
  try {
    fn()
    return 'ok'
  } catch (error) {
    if (!(error instanceof JunctionError)) throw error
    return 'rejected'
  }
}

describe('MSNP framing under fuzzing', () => {
  it('parses or rejects 120,000 inputs with typed errors only, keeping what it holds bounded', () => {
    const random = rng(0x5ca1ab1e)
    const outcomes = { ok: 0, rejected: 0 }
    const bound = DEFAULT_LIMITS.maxLineBytes + DEFAULT_LIMITS.maxPayloadBytes + 1024
    for (let i = 0; i < 120_000; i++) {
      const input = randomInput(random, i)
      outcomes[
        typedOnly(() => {
          const { rest } = parseCommands(input)
          expect(rest.length).toBeLessThanOrEqual(input.length)
        })
      ]++
      if (i % 10 === 0) {
        // The same bytes through the stream reader, in random chunks.
        const reader = new CommandReader()
        typedOnly(() => {
          for (let pos = 0; pos < input.length;) {
            const n = 1 + Math.floor(random() * 64)
            reader.push(input.subarray(pos, pos + n))
            expect(reader.pending).toBeLessThan(bound)
            pos += n
          }
        })
      }
    }
    // Both paths were exercised: the fuzzer is not only producing garbage or only valid input.
    expect(outcomes.ok).toBeGreaterThan(10_000)
    expect(outcomes.rejected).toBeGreaterThan(10_000)
  })

  it('rejects a command that announces a huge payload at once, without waiting for it', () => {
    const reader = new CommandReader()
    expect(() => reader.push(Buffer.from('SDG 0 MSGR 2000000000\r\n'))).toThrow(ProtocolError)
    expect(() => new CommandReader().push(Buffer.alloc(DEFAULT_LIMITS.maxLineBytes + 10, 0x41))).toThrow(ProtocolError)
  })
})

describe('payload decoders under fuzzing', () => {
  const payloads = SEEDS.map((s) => parseCommands(s).commands[0]!.payload!).filter((p) => p.length > 0)

  it('multi-MIME, messages and presence documents: 20,000 mutated payloads, typed errors only', () => {
    const random = rng(24)
    for (let i = 0; i < 20_000; i++) {
      const p = mutate(random, Buffer.from(payloads[i % payloads.length]!))
      typedOnly(() => {
        const mime = parseMultiMime(p, i % 2 === 0)
        readMessaging(mime)
        readPresence(mime, i % 3 === 0)
      })
    }
  })

  it('thread XML: 5,000 mutated documents, typed errors only', () => {
    const random = rng(19)
    const seeds = [
      '<thread><id>19:abc@thread.skype</id><properties><topic>T</topic></properties><members><member><mri>8:bob</mri></member></members></thread>',
      '<addmember><eventtime>1</eventtime><initiator>8:bob</initiator><target>8:alice</target></addmember>'
    ]
    for (let i = 0; i < 5_000; i++) {
      const text = mutate(random, Buffer.from(seeds[i % 2]!)).toString('utf8')
      typedOnly(() => readThreads(text))
      typedOnly(() => readThreadActivity(text))
    }
  })

  it('WBXML and the ActiveSync query value: 20,000 inputs, typed errors only', () => {
    const random = rng(14)
    const wbxml = Buffer.from('03016a00000756520330000100fe454647035349440001010101', 'hex')
    const query = Buffer.from('jAkJBBBTa3lwZS0zMDI2NTQ3Nzk0AAxDbGFzc2ljU2t5cGU=', 'base64')
    for (let i = 0; i < 10_000; i++) {
      typedOnly(() =>
        decodeWbxml(i % 3 === 0 ? Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256))) : mutate(random, wbxml))
      )
      typedOnly(() => decodeActiveSyncQuery(mutate(random, query).toString('base64')))
    }
  })

  it('rejects a deeply nested WBXML document instead of recursing without end', () => {
    const deep = Buffer.concat([Buffer.from([3, 1, 0x6a, 0]), Buffer.alloc(100_000, 0x45)])
    expect(() => decodeWbxml(deep)).toThrow(ProtocolError)
  })
})

// Issue 11 §11: command names, TrIDs, arguments and type ids all come off the wire; names
// of Object.prototype members in any of those places are just tokens (or not a command
// name, a ProtocolError), never a lookup on a plain object.
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__']

describe('MSNP framing: prototype-member names on the wire (issue 11 §11)', () => {
  it('takes them as arguments and type ids, and refuses them as command names, with ProtocolErrors only', () => {
    for (const name of PROTOTYPE_NAMES) {
      const { commands } = parseCommands(Buffer.from(`SDG 12 ${name} MSGR\\${name} 5\r\nhello`))
      expect(commands).toHaveLength(1)
      expect(commands[0]!.args).toEqual([name, `MSGR\\${name}`])
      expect(Buffer.from(commands[0]!.payload!).toString()).toBe('hello')
      // In the TrID's place it is not a TrID; the command still carries its (empty) payload.
      const nfy = parseCommands(Buffer.from(`NFY ${name} 0\r\n`)).commands[0]!
      expect([nfy.name, nfy.trid, nfy.args, nfy.payload?.length]).toEqual(['NFY', null, [name], 0])
      for (const line of [`${name} 1 2\r\n`, `${name}\r\n`, `S${name} 1\r\n`]) {
        expect(typedOnly(() => parseCommands(Buffer.from(line)))).toBe('rejected')
      }
    }
  })

  it('parses or rejects 20,000 mutations of prototype-named commands, in one buffer and in random reads', () => {
    const random = rng(0x11b)
    const seeds = PROTOTYPE_NAMES.flatMap((name) => [
      Buffer.from(`SDG 0 MSGR ${name.length}\r\n${name}`),
      Buffer.from(`PUT 3 ${name} MSGR\\${name} 2\r\nok`),
      Buffer.from(`OUT ${name}\r\n`),
      Buffer.from(`${name} 0 CON 4\r\nxxxx`)
    ])
    const outcomes = { ok: 0, rejected: 0 }
    for (let i = 0; i < 20_000; i++) {
      const input = mutate(random, seeds[i % seeds.length]!)
      outcomes[typedOnly(() => parseCommands(input))]++
      const reader = new CommandReader()
      typedOnly(() => {
        for (let pos = 0; pos < input.length; pos += 7) reader.push(input.subarray(pos, pos + 7))
      })
    }
    expect(outcomes.ok).toBeGreaterThan(2_000)
    expect(outcomes.rejected).toBeGreaterThan(2_000)
  })
})
