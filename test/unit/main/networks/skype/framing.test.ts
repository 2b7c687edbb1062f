// MSNP framing against the spec: the byte-exact examples of §9 parse to one command each
// and the client's builders write them byte for byte; the line rules of §3.1/§3.2; and
// reassembly of commands split anywhere across TCP reads.

import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../../../../../src/shared/errors'
import { CommandReader, formatCommand, parseCommands, type MsnpCommand } from '../../../../../src/main/networks/skype/msnp/index'
import {
  messagingPayload,
  publicationPayload,
  TEXT_CONTENT_TYPE,
  SKYPE_SIGNAL_CONTENT_TYPE,
  WLM_FORMAT
} from '../../../../../src/main/networks/skype/msnp/messaging'
import { formatBlocks } from '../../../../../src/main/networks/skype/msnp/mime'
import {
  adlXml,
  athXml,
  bindXml,
  challengeXml,
  connectXml,
  messengerPresenceXml,
  recentConversationsXml,
  skypeContactsXml,
  skypePresenceXml,
  subscriptionsXml
} from '../../../../../src/main/networks/skype/msnp/payloads'
import { EXAMPLES, FIXED } from './wire-examples'

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8')
const cmd = (name: string, trid: number | null, args: string[], payload: Uint8Array | null): MsnpCommand => ({
  name,
  trid,
  args,
  payload: payload && Buffer.from(payload)
})
const top = [['Registration', FIXED.COOKIE]] as [string, string][]
const alice24 = `8:live:alice_1;epid=${FIXED.ALICE_EP}`
const alice21 = `1:alice@hotmail.co.uk;epid=${FIXED.ALICE_EP}`

describe('the §9 wire examples', () => {
  for (const [id, example] of Object.entries(EXAMPLES)) {
    it(`${id} (${example.name}) parses to one command with its whole payload, and formats back to the same bytes`, () => {
      const { commands, rest } = parseCommands(bytes(example.bytes))
      expect(rest.length).toBe(0)
      expect(commands).toHaveLength(1)
      expect(commands[0]!.payload?.length).toBe(example.payload)
      expect(Buffer.from(formatCommand(commands[0]!)).toString('utf8')).toBe(example.bytes)
    })
  }

  const built: Record<string, () => MsnpCommand> = {
    E1: () =>
      cmd(
        'SDG',
        12,
        [],
        messagingPayload({
          to: '1:bob@hotmail.com',
          from: alice21,
          serviceChannel: 'IM/Online',
          messageType: 'Text',
          contentType: TEXT_CONTENT_TYPE,
          body: 'Hello',
          format: WLM_FORMAT
        })
      ),
    E2: () =>
      cmd('SDG', 13, [], messagingPayload({ to: '1:bob@hotmail.com', from: alice21, messageType: 'Control/Typing', contentType: TEXT_CONTENT_TYPE, body: '' })),
    E2b: () =>
      cmd('SDG', 14, [], messagingPayload({ to: '1:bob@hotmail.com', from: alice21, messageType: 'Nudge', contentType: TEXT_CONTENT_TYPE, body: '\r\n' })),
    E4: () =>
      cmd(
        'SDG',
        21,
        ['MSGR'],
        messagingPayload({
          top,
          to: '8:bob.smith',
          from: alice24,
          clientMessageId: '1415097600000',
          messageType: 'Text',
          displayName: 'Alice',
          contentType: TEXT_CONTENT_TYPE,
          body: 'Hello'
        })
      ),
    E5: () =>
      cmd(
        'SDG',
        22,
        ['MSGR'],
        messagingPayload({
          top,
          to: '8:bob.smith',
          from: alice24,
          clientMessageId: '1415097600001',
          messageType: 'Text',
          displayName: 'Alice',
          emoteOffset: 'Alice'.length + 1,
          contentType: TEXT_CONTENT_TYPE,
          body: 'Alice waves'
        })
      ),
    E6: () =>
      cmd(
        'SDG',
        23,
        ['MSGR'],
        messagingPayload({ top, to: '8:bob.smith', from: alice24, messageType: 'Control/Typing', contentType: SKYPE_SIGNAL_CONTENT_TYPE, body: '' })
      ),
    E7b: () =>
      cmd(
        'ACK',
        24,
        ['MSGR'],
        formatBlocks([
          [
            ['Ack-Id', '5001'],
            ['Registration', FIXED.COOKIE]
          ]
        ])
      ),
    E8: () => cmd('ADL', 9, [], bytes(adlXml(['bob@hotmail.com'], true, []))),
    E9: () =>
      cmd(
        'PUT',
        10,
        [],
        publicationPayload({
          to: '1:alice@hotmail.co.uk',
          from: alice21,
          reliability: [
            ['Stream', '1'],
            ['Flags', 'ACK']
          ],
          uri: '/user',
          contentType: 'application/user+xml',
          body: messengerPresenceXml({ status: 'NLN', epid: FIXED.ALICE_EP, displayName: 'Alice', skypeName: '', mood: '', machineName: 'LAPTOP' })
        })
      ),
    E11: () =>
      cmd(
        'SDG',
        15,
        [],
        messagingPayload({
          to: '9:00000000-0000-0000-0009-0123456789ab@live.com;path=IM',
          from: alice21,
          messageType: 'Text',
          contentType: TEXT_CONTENT_TYPE,
          body: 'hi all'
        })
      ),
    E12: () =>
      cmd(
        'DEL',
        16,
        [],
        publicationPayload({
          to: '1:alice@hotmail.co.uk',
          from: alice21,
          uri: '/user',
          contentType: 'application/user+xml',
          body: `<user><sep n="IM" epid="${FIXED.BOB_EP}"/></user>`
        })
      ),
    E14: () =>
      cmd(
        'SDG',
        25,
        ['MSGR'],
        messagingPayload({
          top,
          to: '8:bob.smith',
          from: alice24,
          clientMessageId: '1415097600002',
          editedId: '1415097600000',
          messageType: 'Text',
          displayName: 'Alice',
          contentType: TEXT_CONTENT_TYPE,
          body: 'Hello (edited)'
        })
      ),
    E15: () =>
      cmd(
        'SDG',
        26,
        ['MSGR'],
        messagingPayload({
          top,
          to: '19:0123456789abcdef0123456789abcdef@thread.skype',
          from: alice24,
          clientMessageId: '1415097600003',
          messageType: 'Text',
          displayName: 'Alice',
          contentType: TEXT_CONTENT_TYPE,
          body: 'hello group'
        })
      ),
    P1: () =>
      cmd(
        'PUT',
        6,
        ['MSGR\\PRESENCE'],
        publicationPayload({
          top,
          to: '8:live:alice_1',
          from: alice24,
          uri: '/user',
          contentType: 'application/user+xml',
          body: skypePresenceXml({ status: 'NLN', epid: FIXED.ALICE_EP, displayName: 'Alice', skypeName: 'live:alice_1', mood: '', machineName: 'LAPTOP' })
        })
      ),
    P2: () => cmd('PUT', 7, ['MSGR\\CONTACTS'], formatBlocks([top], skypeContactsXml(['bob.smith'], true))),
    P3: () => cmd('PUT', 8, ['MSGR\\SUBSCRIPTIONS'], formatBlocks([top], subscriptionsXml(['ABCH']))),
    P4: () => cmd('GET', 9, ['MSGR\\RECENTCONVERSATIONS'], formatBlocks([top], recentConversationsXml(0, 100))),
    P5: () => cmd('PNG', 10, ['CON'], formatBlocks([top]))
  }
  for (const [id, build] of Object.entries(built)) {
    it(`the client writes ${id} byte for byte`, () => {
      expect(Buffer.from(formatCommand(build())).toString('utf8')).toBe(EXAMPLES[id]!.bytes)
    })
  }
})

describe('the §5.1 handshake payloads', () => {
  const size = (blocks: [string, string][][], xml: string): number => formatBlocks(blocks, xml).length
  it('CNT is 116 bytes (an empty top block, the XML and its CRLF)', () => {
    expect(size([[]], connectXml(null))).toBe(116)
    expect(formatCommand(cmd('CNT', 1, ['CON'], formatBlocks([[]], connectXml(null)))).length).toBe(131)
  })
  it('ATH is 151 bytes with the placeholder ticket and UIC', () => {
    expect(size([[]], athXml({ ticket: 'EwBAAq...&p=', uic: 'AAAAAQ...', email: 'alice@hotmail.co.uk', skypeName: 'live:alice_1' }))).toBe(151)
  })
  it('BND is 180 bytes', () => {
    expect(size([[]], bindXml('{f8b0a7c2-1d2e-4f3a-9b4c-5d6e7f8a9b0c}'))).toBe(180)
  })
  it('the challenge answer is 159 bytes with a 32-hex response', () => {
    const payload = formatBlocks([top], challengeXml('PROD0090YUAUV{2B', '0123456789abcdef0123456789abcdef'))
    expect(payload.length).toBe(159)
    expect(formatCommand(cmd('PUT', 4, ['MSGR\\CHALLENGE'], payload)).length).toBe(185)
  })
  it('a redirect puts the XFR state first inside <connect>', () => {
    expect(connectXml('ab&c')).toMatch(/^<connect><xfr><state>ab&amp;c<\/state><\/xfr><ver>2<\/ver>/)
  })
})

describe('line rules (spec §3.1, §3.2)', () => {
  const parse1 = (s: string): MsnpCommand => {
    const { commands, rest } = parseCommands(bytes(s))
    expect(rest.length).toBe(0)
    expect(commands).toHaveLength(1)
    return commands[0]!
  }
  it('reads line commands with and without a TrID', () => {
    expect(parse1('VER 1 MSNP21\r\n')).toEqual(cmd('VER', 1, ['MSNP21'], null))
    expect(parse1('CHL 0 1663122458434562624782678054\r\n')).toEqual(cmd('CHL', 0, ['1663122458434562624782678054'], null))
    expect(parse1('QNG 60\r\n')).toEqual(cmd('QNG', null, ['60'], null))
    expect(parse1('OUT OTH\r\n')).toEqual(cmd('OUT', null, ['OTH'], null))
    expect(parse1('PNG\r\n')).toEqual(cmd('PNG', null, [], null))
    expect(parse1('ADL 5 OK\r\n')).toEqual(cmd('ADL', 5, ['OK'], null))
    expect(parse1('QRY 7\r\n')).toEqual(cmd('QRY', 7, [], null))
    expect(parse1('217 12\r\n')).toEqual(cmd('217', 12, [], null))
    expect(parse1('USR 3 SSO S MBI_KEY_OLD tsjcVJHZ5E1H9NhCfe4l7dk5dGUkubiJQyrIQR2fG1t41yEwqJwYpuNcvHXb0Zk+\r\n').args).toEqual([
      'SSO',
      'S',
      'MBI_KEY_OLD',
      'tsjcVJHZ5E1H9NhCfe4l7dk5dGUkubiJQyrIQR2fG1t41yEwqJwYpuNcvHXb0Zk+'
    ])
  })
  it('takes a length after OK, after an MSNP24 type id, and on payload-carrying error codes', () => {
    expect(parse1('PUT 35 OK 3\r\nabc')).toEqual(cmd('PUT', 35, ['OK'], bytes('abc')))
    expect(parse1('911 2 CON 23\r\n\r\nAuthentication failed')).toEqual(cmd('911', 2, ['CON'], bytes('\r\nAuthentication failed')))
    expect(parse1('241 9 5\r\n<ml/>')).toEqual(cmd('241', 9, [], bytes('<ml/>')))
    expect(parse1('NFY MSGR\\PUT 2\r\n\r\n')).toEqual(cmd('NFY', null, ['MSGR\\PUT'], bytes('\r\n')))
    expect(parse1('OUT 5 CON 0\r\n')).toEqual(cmd('OUT', 5, ['CON'], new Uint8Array(0)))
    expect(parse1('NOT 4\r\n<x/>')).toEqual(cmd('NOT', null, [], bytes('<x/>')))
    expect(parse1('MSG Hotmail Hotmail 2\r\nok')).toEqual(cmd('MSG', null, ['Hotmail', 'Hotmail'], bytes('ok')))
  })
  it('reads a GCF payload and the USR line that shares its TCP segment (spec §4.1)', () => {
    const { commands } = parseCommands(bytes('GCF 0 11\r\n<Policies/>USR 3 SSO S MBI_KEY_OLD abc\r\n'))
    expect(commands.map((c) => c.name)).toEqual(['GCF', 'USR'])
    expect(Buffer.from(commands[0]!.payload!).toString()).toBe('<Policies/>')
  })
  it('never reads an all-digit RNG session id as a TrID (msnp18.md §5.5; issue 16)', () => {
    // A historical session id is digits; read as a TrID it would answer whichever request had that number.
    const { commands } = parseCommands(bytes('RNG 11752013 127.0.0.1:1864 CKI 1532036373.83227130 bob@example.com Bob U messenger.msn.com 1\r\n'))
    expect(commands[0]).toMatchObject({
      name: 'RNG',
      trid: null,
      args: ['11752013', '127.0.0.1:1864', 'CKI', '1532036373.83227130', 'bob@example.com', 'Bob', 'U', 'messenger.msn.com', '1']
    })
  })
  it('counts payload bytes, not characters', () => {
    const { commands } = parseCommands(bytes(EXAMPLES.E3!.bytes + 'QNG 60\r\n'))
    expect(Buffer.from(commands[0]!.payload!).toString('utf8').endsWith('Hi Alice \u263a')).toBe(true)
    expect(commands[1]).toEqual(cmd('QNG', null, ['60'], null))
  })
  it('keeps an incomplete command as rest', () => {
    const whole = bytes(EXAMPLES.E4!.bytes)
    const { commands, rest } = parseCommands(whole.subarray(0, 100))
    expect(commands).toEqual([])
    expect(Buffer.from(rest).equals(whole.subarray(0, 100))).toBe(true)
  })
  it('rejects what cannot be MSNP with a ProtocolError', () => {
    for (const bad of ['hello\r\n', 'VER 1\n', 'V\u00c9R 1\r\n', '\r\n', 'SDG 1 99999999999\r\n', 'ver 1 MSNP21\r\n']) {
      expect(() => parseCommands(Buffer.from(bad, 'latin1')), bad).toThrow(ProtocolError)
    }
    expect(() => parseCommands(bytes(`VER ${'A'.repeat(40_000)}`))).toThrow(ProtocolError)
    expect(() => parseCommands(bytes('SDG 0 MSGR 9000000\r\n'))).toThrow(ProtocolError)
  })
  it('refuses to write an argument with a space or line break', () => {
    expect(() => formatCommand(cmd('USR', 1, ['a b'], null))).toThrow(ProtocolError)
    expect(() => formatCommand(cmd('USR', 1, ['a\r\nOUT'], null))).toThrow(ProtocolError)
    expect(() => formatCommand(cmd('usr', 1, [], null))).toThrow(ProtocolError)
  })
})

/** A small deterministic PRNG so a failing split can be replayed. */
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

describe('reassembly across TCP reads (property)', () => {
  const stream = Buffer.concat(Object.values(EXAMPLES).map((e) => bytes(e.bytes)))
  const expected = Object.values(EXAMPLES).map((e) => parseCommands(bytes(e.bytes)).commands[0]!)

  it('gives the same commands however the stream is cut, including inside UTF-8 characters', () => {
    const random = rng(1863)
    for (let run = 0; run < 300; run++) {
      const reader = new CommandReader()
      const got: MsnpCommand[] = []
      let pos = 0
      while (pos < stream.length) {
        const n = 1 + Math.floor(random() * (run % 3 === 0 ? 4 : 400))
        got.push(...reader.push(stream.subarray(pos, pos + n)))
        pos += n
      }
      expect(reader.pending).toBe(0)
      expect(got).toEqual(expected)
    }
  })

  it('formats and re-parses random well-formed commands to themselves', () => {
    const random = rng(443)
    const names = ['SDG', 'PUT', 'NFY', 'GET', 'ACK', 'PNG', 'ADL']
    for (let i = 0; i < 2_000; i++) {
      const text = Array.from({ length: Math.floor(random() * 40) }, () =>
        String.fromCodePoint(random() < 0.2 ? 0x1f600 + Math.floor(random() * 50) : 0x20 + Math.floor(random() * 0x5e))
      ).join('')
      const c = cmd(names[i % names.length]!, Math.floor(random() * 1000), ['MSGR'], bytes(`\r\n${text}`))
      const { commands, rest } = parseCommands(formatCommand(c))
      expect(rest.length).toBe(0)
      expect(commands).toEqual([c])
    }
  })
})
