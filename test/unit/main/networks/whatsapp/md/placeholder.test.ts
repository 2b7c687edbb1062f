// spec §7.4 placeholder resend, the client's side alone: the peer request goes to our own phone
// after the delay (not when the message arrived meanwhile), and only our own account's answer,
// naming our request and a key we asked for, becomes a message; garbage is a logged error.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { userJidOf, type BinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import type { Outbound } from '../../../../../../src/main/networks/whatsapp/md/outbound'
import { PlaceholderResend } from '../../../../../../src/main/networks/whatsapp/md/placeholder'
import { decodeProto, encodeProto, type WAMessage } from '../../../../../../src/main/networks/whatsapp/md/proto'
import type { MdSession } from '../../../../../../src/main/networks/whatsapp/md/session'
import { node } from '../../../../../../src/main/networks/whatsapp/md/stanza'

const ME = '15551234567:1@s.whatsapp.net'
const OWN = '15551234567@s.whatsapp.net'
const BOB = '15557654321@s.whatsapp.net'
const MALLORY = '15550000000@s.whatsapp.net'

let sent: BinaryNode[]
let plaintexts: Uint8Array[]
let warnings: string[]
let resend: PlaceholderResend

beforeEach(() => {
  vi.useFakeTimers()
  sent = []
  plaintexts = []
  warnings = []
  const outbound = {
    lids: { chatOf: (j: string) => userJidOf(j), toPn: (j: string) => j },
    creds: () => ({ me: { jid: ME } }),
    store: { run: <T>(f: () => Promise<T>) => f(), commit: () => {} },
    bundlesFor: async () => new Map(),
    encryptTo: async (_device: string, _bundles: unknown, plaintext: Uint8Array) => {
      plaintexts.push(plaintext)
      return { type: 'msg' as const, body: Uint8Array.of(1, 2, 3) }
    }
  } as unknown as Outbound
  const session = { send: (n: BinaryNode) => sent.push(n) } as unknown as MdSession
  const log = { warn: (_: unknown, msg: string) => warnings.push(msg), debug: () => {}, info: () => {}, error: () => {} }
  let n = 0
  resend = new PlaceholderResend({ outbound, session: () => session, delayMs: 5_000, log: log as never, nextId: () => `REQ${++n}` })
})

afterEach(() => {
  resend.close()
  vi.useRealTimers()
})

const failedMessage = (id: string): BinaryNode => node('message', { from: '15557654321:0@s.whatsapp.net', id, t: '1700000000', type: 'text', notify: 'Bob' })

function response(stanzaId: string, infos: Uint8Array[]): WAMessage['protocolMessage'] {
  return {
    type: 17,
    peerDataOperationRequestResponseMessage: {
      peerDataOperationRequestType: 4,
      stanzaId,
      peerDataOperationResult: infos.map((webMessageInfoBytes) => ({ placeholderMessageResendResponse: { webMessageInfoBytes } }))
    }
  } as WAMessage['protocolMessage']
}

const info = (id: string, text: string, remoteJid = BOB): Uint8Array =>
  encodeProto('WebMessageInfo', { key: { remoteJid, fromMe: false, id }, message: { conversation: text }, messageTimestamp: 1700000000, pushName: 'Bob' })

async function asked(id: string): Promise<void> {
  resend.failed(failedMessage(id))
  await vi.advanceTimersByTimeAsync(5_000)
}

describe('placeholder resend (spec §7.4)', () => {
  it('asks our own phone with a peer message after the delay', async () => {
    resend.failed(failedMessage('M1'))
    await vi.advanceTimersByTimeAsync(4_999)
    expect(sent).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(sent).toHaveLength(1)
    const m = sent[0]!
    expect(m.attrs).toMatchObject({ id: 'REQ1', to: OWN, category: 'peer', push_priority: 'high_force' })
    const children = m.content as BinaryNode[]
    expect(children.map((c) => c.tag)).toEqual(['enc', 'meta'])
    expect(children[1]!.attrs).toEqual({ appdata: 'default' })
    const request = decodeProto<WAMessage>('Message', plaintexts[0]!).protocolMessage as Record<string, unknown>
    expect(request).toMatchObject({
      type: 16,
      peerDataOperationRequestMessage: {
        peerDataOperationRequestType: 4,
        placeholderMessageResendRequest: [{ messageKey: { remoteJid: BOB, fromMe: false, id: 'M1' } }]
      }
    })
  })

  it('names our own other device’s message by its chat, as ours, and fills a missing time and name from the stanza', async () => {
    resend.failed(node('message', { from: '15551234567:0@s.whatsapp.net', recipient: BOB, id: 'M2', t: '1700000123', type: 'text' }))
    await vi.advanceTimersByTimeAsync(5_000)
    const request = decodeProto<WAMessage>('Message', plaintexts[0]!).protocolMessage as Record<string, unknown>
    expect(request).toMatchObject({
      peerDataOperationRequestMessage: { placeholderMessageResendRequest: [{ messageKey: { remoteJid: BOB, fromMe: true, id: 'M2' } }] }
    })
    const bare = encodeProto('WebMessageInfo', { key: { remoteJid: BOB, fromMe: true, id: 'M2' }, message: { conversation: 'mine' } })
    expect(resend.answer(OWN, response('REQ1', [bare]), ME, undefined, 0)?.events).toMatchObject([
      { type: 'message', message: { chatRemoteId: BOB, remoteId: 'M2', senderId: OWN, fromMe: true, text: 'mine', timestamp: 1_700_000_123_000 } }
    ])
  })

  it('does not ask when the message arrived meanwhile', async () => {
    resend.failed(failedMessage('M1'))
    resend.arrived('M1')
    await vi.advanceTimersByTimeAsync(10_000)
    expect(sent).toHaveLength(0)
  })

  it('takes our phone’s answer as the original message, once', async () => {
    await asked('M1')
    const got = resend.answer(OWN, response('REQ1', [info('M1', 'hello')]), ME, undefined, 0)
    expect(got?.events).toMatchObject([
      { type: 'message', message: { chatRemoteId: BOB, remoteId: 'M1', senderId: BOB, fromMe: false, text: 'hello', timestamp: 1_700_000_000_000 } }
    ])
    expect(resend.answer(OWN, response('REQ1', [info('M1', 'hello')]), ME, undefined, 0)?.events).toEqual([])
  })

  it('ignores answers from strangers, for other requests, and for keys never asked', async () => {
    await asked('M1')
    expect(resend.answer(MALLORY, response('REQ1', [info('M1', 'forged')]), ME, undefined, 0)).toBeNull()
    expect(resend.answer('15557654321:0@s.whatsapp.net', response('REQ1', [info('M1', 'forged')]), ME, undefined, 0)).toBeNull()
    expect(resend.answer(OWN, response('REQ9', [info('M1', 'forged')]), ME, undefined, 0)?.events).toEqual([])
    expect(resend.answer(OWN, response('REQ1', [info('NEVER', 'forged')]), ME, undefined, 0)?.events).toEqual([])
    expect(resend.answer(OWN, response('REQ1', [info('M1', 'forged', MALLORY)]), ME, undefined, 0)?.events).toEqual([])
    // Still pending: the real answer is taken.
    expect(resend.answer(OWN, response('REQ1', [info('M1', 'real')]), ME, undefined, 0)?.events).toHaveLength(1)
  })

  it('logs garbage bytes as an error and keeps going', async () => {
    await asked('M1')
    const garbage = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 0x0a, 0x80)
    const got = resend.answer(OWN, response('REQ1', [garbage, info('M1', 'hello')]), ME, undefined, 0)
    expect(warnings).toContain('a WhatsApp placeholder resend answer could not be read')
    expect(got?.events).toHaveLength(1)
    expect(() => resend.answer(OWN, { type: 17, peerDataOperationRequestResponseMessage: 'junk' } as never, ME, undefined, 0)).not.toThrow()
  })
})
