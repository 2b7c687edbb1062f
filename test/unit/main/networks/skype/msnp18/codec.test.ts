// The MSNP18 pieces that are pure functions, checked against msnp18.md's own bytes:
// payloads and list XML byte for byte (§9), presence lines (§4.1), argument encoding
// (§1.2), the request sizes of §2.4/§3.2, the RST2 response's two secrets (§2.5) and the
// MSNP18 QRY vectors (§6.2).

import { describe, expect, it } from 'vitest'
import { challengeResponse } from '../../../../../../src/main/networks/skype/crypto'
import { parseCommands } from '../../../../../../src/main/networks/skype/msnp/framing'
import { decodeText } from '../../../../../../src/main/networks/skype/msnp/mime'
import { abEnvelope18, findMembershipBody } from '../../../../../../src/main/networks/skype/msnp18/address-book'
import { decodeArg, encodeArg } from '../../../../../../src/main/networks/skype/msnp18/args'
import { readRing } from '../../../../../../src/main/networks/skype/msnp18/conversations'
import { initialAdl, listChange, readListPush } from '../../../../../../src/main/networks/skype/msnp18/lists'
import { readFln, readNln, readUbx } from '../../../../../../src/main/networks/skype/msnp18/presence'
import {
  nudgePayload,
  parseSbMessage,
  textPayload,
  textPayloads,
  typingPayload,
  ChunkAssembler
} from '../../../../../../src/main/networks/skype/msnp18/sb-message'
import { MSNP18_PRODUCT } from '../../../../../../src/main/networks/skype/msnp18/session'
import { parseSsoResponse, rst2Request } from '../../../../../../src/main/networks/skype/msnp18/sso'
import { BLOCK, E10, E2, E3, E4, E5, E6, E7, ENCODING, LENGTHS, QRY_VECTORS, SECRETS } from './examples'

const one = (s: string) => {
  const { commands, rest } = parseCommands(Buffer.from(s, 'utf8'))
  expect(rest.length).toBe(0)
  expect(commands).toHaveLength(1)
  return commands[0]!
}
const payloadOf = (s: string): string => s.slice(s.indexOf('\r\n') + 2)

describe('switchboard payloads (§9 E4–E7)', () => {
  it('writes a text, a typing notice and a nudge byte for byte', () => {
    expect(textPayload('Hello Bob').toString('utf8')).toBe(payloadOf(E4.msg))
    expect(textPayload('Hi Alice').toString('utf8')).toBe(payloadOf(E5.msgOut))
    expect(typingPayload('bob@example.com').toString('utf8')).toBe(payloadOf(E6.out))
    expect(nudgePayload().toString('utf8')).toBe(payloadOf(E7.out))
  })

  it('reads what the switchboard relays', () => {
    const text = one(E5.msgIn)
    expect(text.args).toEqual(['alice@example.com', 'alice'])
    expect(parseSbMessage(text.payload!)).toEqual({ kind: 'text', text: 'Hello Bob', format: { font: 'Segoe UI', color: '0' } })
    expect(parseSbMessage(one(E6.in).payload!)).toEqual({ kind: 'typing', user: 'bob@example.com' })
    expect(parseSbMessage(one(E7.in).payload!)).toEqual({ kind: 'nudge' })
  })

  it('chunks a long text at UTF-8 boundaries and puts it back together', () => {
    const long = 'ö'.repeat(1500)
    const parts = textPayloads(long, '3a1f0b5e-7c2d-4e8a-9b61-0d2c4f6e8a10')
    expect(parts.length).toBe(3)
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(1664)
    const joiner = new ChunkAssembler()
    const results = parts.map((p) => {
      const m = parseSbMessage(p)
      if (m.kind !== 'text') throw new Error('not text')
      return joiner.add('bob@example.com', m)
    })
    expect(results.slice(0, 2)).toEqual([null, null])
    expect(results[2]?.text).toBe(long)
  })
})

describe('contact lists (§3.4, §3.8–§3.10)', () => {
  it('writes the initial and incremental ADL/RML byte for byte', () => {
    expect(
      initialAdl(
        new Map([
          ['alice@example.com', 3],
          ['carol@example.com', 3]
        ])
      )
    ).toEqual([payloadOf(E2.adl)])
    expect(initialAdl(new Map())).toEqual(['<ml l="1"></ml>'])
    expect(listChange('dave@example.com', 1)).toBe(payloadOf(E10.adl))
    expect(listChange('dave@example.com', 1)).toBe(payloadOf(E10.rml))
    expect(listChange('bob@example.com', 2)).toBe(payloadOf(BLOCK.rml))
    expect(listChange('bob@example.com', 4)).toBe(payloadOf(BLOCK.adl))
  })

  it('never sends the server-only RL/PL bits', () => {
    expect(listChange('bob@example.com', 8 | 16 | 1)).toContain('l="1"')
  })

  it('reads ADL 0 / RML 0 pushes', () => {
    expect(readListPush(decodeText(one(E10.adl0).payload!))).toEqual([{ account: 'alice@example.com', bits: 8, friendly: 'alice' }])
    expect(readListPush(decodeText(one(E10.rml0).payload!))).toEqual([{ account: 'alice@example.com', bits: 8 }])
  })

  it('keeps each initial ADL under 7300 bytes', () => {
    const many = new Map(Array.from({ length: 600 }, (_, i) => [`contact${i}@example.com`, 3]))
    const chunks = initialAdl(many)
    expect(chunks.length).toBeGreaterThan(1)
    for (const c of chunks) {
      expect(Buffer.byteLength(c)).toBeLessThanOrEqual(7300)
      expect(c.startsWith('<ml l="1">')).toBe(true)
    }
    expect(chunks.join('').match(/<c /g)).toHaveLength(600)
  })
})

describe('presence (§4.1, §9 E3)', () => {
  it('reads NLN, FLN and UBX as sent', () => {
    expect(readNln(one(E3.nlnBob))).toEqual({ address: '1:bob@example.com', presence: 'online', displayName: 'Bob B.', endpointsGone: [] })
    expect(readNln(one(E3.nlnAwy))?.presence).toBe('away')
    expect(readFln(one(E3.fln))).toEqual({ address: '1:alice@example.com', presence: 'offline', endpointsGone: [] })
    expect(readUbx(one(E3.ubxBob))).toEqual({ address: '1:bob@example.com', mood: 'at work', endpoints: ['0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0'] })
  })
})

describe('arguments (§1.2)', () => {
  it('decodes both the encoded and the raw-UTF-8 forms of a friendly name', () => {
    expect(decodeArg(ENCODING.sent)).toBe(ENCODING.name)
    expect(decodeArg(ENCODING.echoed)).toBe(ENCODING.name)
    expect(decodeArg('100%')).toBe('100%')
    expect(decodeArg(encodeArg(ENCODING.name))).toBe(ENCODING.name)
    expect(encodeArg('Bob B.')).toBe('Bob%20B.')
  })

  it('reads an RNG (§9 E5)', () => {
    expect(readRing(one(E5.rng))).toEqual({
      sessionId: '0bb459df7215f2aa8538dd217b24ce2',
      target: { host: '127.0.0.1', port: 1864 },
      cookie: '87585d6b3a3e83775830',
      inviter: 'alice@example.com',
      friendly: 'alice'
    })
  })
})

describe('SSO and the address book (§2.4–§2.6, §3.2)', () => {
  it('builds requests of the verified sizes', () => {
    expect(Buffer.byteLength(rst2Request('bob@example.com', 'bob-pw-1', Date.parse('2026-12-02T05:38:33Z')))).toBe(LENGTHS.rst2)
    const ticket = `t=${'x'.repeat(LENGTHS.ticket - 5)}&p=`
    expect(Buffer.byteLength(abEnvelope18('Initial', ticket, findMembershipBody()))).toBe(LENGTHS.findMembership)
  })

  it('takes the MBI key from the messengerclear.live.com response, not the first BinarySecret', () => {
    const rstr = (address: string, id: string, secret?: string): string =>
      `<wst:RequestSecurityTokenResponse><wst:TokenType>urn:passport:compact</wst:TokenType><wsp:AppliesTo xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:EndpointReference><wsa:Address>${address}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>` +
      '<wst:Lifetime><wsu:Created>2026-12-02T05:38:33Z</wsu:Created><wsu:Expires>2026-12-03T05:38:33Z</wsu:Expires></wst:Lifetime>' +
      `<wst:RequestedSecurityToken><wsse:BinarySecurityToken Id="${id}">t=a10f509d3849fd83553e&amp;p=</wsse:BinarySecurityToken></wst:RequestedSecurityToken>` +
      (secret ? `<wst:RequestedProofToken><wst:BinarySecret>${secret}</wst:BinarySecret></wst:RequestedProofToken>` : '') +
      '</wst:RequestSecurityTokenResponse>'
    const xml =
      '<?xml version="1.0" encoding="utf-8" ?><S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope" xmlns:wsse="x" xmlns:wsu="y" xmlns:wsa="http://www.w3.org/2005/08/addressing"><S:Body>' +
      '<wst:RequestSecurityTokenResponseCollection xmlns:wst="http://schemas.xmlsoap.org/ws/2005/02/trust" xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy">' +
      rstr('http://Passport.NET/tb', 'BinaryDAToken0', SECRETS.tb) +
      rstr('messengerclear.live.com', 'Compact2', SECRETS.messengerclear) +
      rstr('contacts.msn.com', 'Compact5') +
      '</wst:RequestSecurityTokenResponseCollection></S:Body></S:Envelope>'
    const t = parseSsoResponse(xml, 0)
    expect(t.messenger.secret).toBe(SECRETS.messengerclear)
    expect(t.messenger.ticket).toBe('t=a10f509d3849fd83553e&p=')
    expect(t.messenger.expiresAt).toBe(Date.parse('2026-12-03T05:38:33Z'))
    expect(t.contacts.ticket).toBe('t=a10f509d3849fd83553e&p=')
  })

  it('reads both fault shapes as a refused password (§2.6)', () => {
    const rst2 =
      '<S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body><S:Fault><S:Code><S:Value>S:Sender</S:Value><S:Subcode><S:Value>wst:FailedAuthentication</S:Value></S:Subcode></S:Code></S:Fault></S:Body></S:Envelope>'
    const rst =
      '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Header><psf:pp xmlns:psf="p"><psf:reqstatus>0x80048823</psf:reqstatus></psf:pp></S:Header><S:Fault><faultcode>wsse:FailedAuthentication</faultcode></S:Fault></S:Envelope>'
    for (const xml of [rst2, rst])
      expect(() => parseSsoResponse(xml, 0)).toThrow(expect.objectContaining({ code: 'auth-failed', reason: { code: 'credentials-refused' } }))
    expect(() => parseSsoResponse('<S:Envelope xmlns:S="s"><S:Body/></S:Envelope>', 0)).toThrow(expect.objectContaining({ code: 'unavailable' }))
  })
})

describe('CHL/QRY with the MSNP18 product id (§6.2)', () => {
  it('uses WLM 2009 pair and reproduces the vectors', () => {
    expect(MSNP18_PRODUCT).toEqual({ id: 'PROD0120PW!CCV9@', key: 'C1BX{V4W}Q3*10SM' })
    for (const v of QRY_VECTORS) expect(challengeResponse(v.challenge, MSNP18_PRODUCT)).toBe(v.answer)
  })
})
