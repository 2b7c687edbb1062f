// The MSNP18 client replayed against the spec's worked examples (msnp18.md §9): a
// scripted peer answers with the verified server bytes and checks that the client sends
// exactly the verified client bytes, where Junction's choices are the same as the run's.
// Where they differ on purpose the test says so: Junction skips WLM's self-CAL (§5.3
// allows it), sends `A` to get an ACK (§5.6), and advertises the recommended
// capabilities of §4.3 instead of WLM 2009's.

import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../../../src/main/base/log'
import { MSNP21_PRODUCT } from '../../../../../../src/main/networks/skype/crypto'
import { Session18, CAPABILITIES18 } from '../../../../../../src/main/networks/skype/msnp18/session'
import { Switchboard } from '../../../../../../src/main/networks/skype/msnp18/switchboard'
import { nudgePayload, textPayload, typingPayload } from '../../../../../../src/main/networks/skype/msnp18/sb-message'
import { challengeResponse } from '../../../../../../src/main/networks/skype/crypto'
import type { InboundMessaging } from '../../../../../../src/main/networks/skype/msnp/read'
import { ALICE_GUID, BOB_GUID, E1, E2, E3, E4, E5, E6, E7, E8 } from './examples'
import { scriptServer, type Scripted } from './script-server'

const TICKET = 't=ef1e893363ba6db62a4dY6+H31sT&p='
const SECRET = 'GpLAJLAZTzTlgZ6K9qY3OEhbV2dLLEJn'
const POLICIES = '<Policies>\n\t<Policy type="P2P"><ObjStr SndDly="1" /></Policy>\n</Policies>'
const PROFILE = 'MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile; charset=UTF-8\r\nLoginTime: 1796190395\r\nMPOPEnabled: 1\r\n\r\n'

const open: Scripted[] = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.close()
})

function nsLogin(extra: Parameters<typeof scriptServer>[0]) {
  return scriptServer([
    { expect: E1.ver, reply: E1.verReply },
    { expect: E1.cvr, reply: E1.cvrReply },
    { expect: E1.usrI, reply: `GCF 0 ${Buffer.byteLength(POLICIES)}\r\n${POLICIES}${E1.usrS}` },
    {
      expect: new RegExp(`^USR 4 SSO S ${TICKET.replace(/[+]/g, '\\+')} (${E1.blobPrefix}[A-Za-z0-9+/]{134}=) \\{${BOB_GUID}\\}\\r\\n`),
      reply: `${E1.ok}${E1.sbs}MSG Hotmail Hotmail ${PROFILE.length}\r\n${PROFILE}${E1.ubxEmpty}`
    },
    { expect: E2.blp, reply: E2.blp },
    { expect: E2.adl, reply: E2.adlOk },
    { expect: new RegExp(`^UUX 7 \\d+\\r\\n<EndpointData><Capabilities>${CAPABILITIES18}</Capabilities></EndpointData>`), reply: 'UUX 7 0\r\n' },
    { expect: /^UUX 8 (\d+)\r\n<PrivateEndpointData>.*?<\/PrivateEndpointData>/, reply: E2.uuxOk },
    { expect: `CHG 9 NLN ${CAPABILITIES18} 0\r\n`, reply: `CHG 9 NLN ${CAPABILITIES18} 0\r\n${E2.mailData}` },
    ...extra
  ])
}

function bobSession(ns: Scripted, messages: InboundMessaging[], nudges: string[], presence: unknown[]) {
  return Session18.open({
    target: { host: '127.0.0.1', port: ns.port, tls: false },
    log: silentLogger,
    timeoutMs: 3_000,
    epid: BOB_GUID,
    account: 'bob@example.com',
    tickets: async () => {
      const t = { ticket: TICKET, expiresAt: Date.now() + 1e6 }
      return { messenger: { ...t, secret: SECRET }, contacts: t, web: t, secure: t }
    },
    loadAddressBook: async () => ({
      contacts: [],
      lists: new Map([
        ['alice@example.com', 3],
        ['carol@example.com', 3]
      ])
    }),
    handlers: {
      onMessaging: (m) => messages.push(m),
      onPresence: (p) => presence.push(p),
      onThreads: () => {},
      onAddressBookChanged: () => {},
      onTicketExpired: () => {},
      onEnded: () => {},
      onContacts: () => {},
      onNudge: (f) => nudges.push(f)
    },
    joinTimeoutMs: 2_000
  })
}

describe('E1–E3: sign-in, lists, presence, keep-alive', () => {
  it('sends the verified bytes and reads the pushes that follow', async () => {
    const ns = await nsLogin([{ send: E3.nlnAlice + E3.nlnBob.replace('bob@', 'carol@') + E3.fln }])
    open.push(ns)
    const presence: { address: string; presence?: string }[] = []
    const session = await bobSession(ns, [], [], presence)
    await ns.done
    await expect.poll(() => presence.length).toBe(3)
    expect(presence.map((p) => [p.address, p.presence])).toEqual([
      ['1:alice@example.com', 'online'],
      ['1:carol@example.com', 'online'],
      ['1:alice@example.com', 'offline']
    ])
    session.close()
  })

  it('answers CHL with the MSNP18 product id and does not wait for the QRY reply (§6.2, §7.2)', async () => {
    const challenge = '22210219642164014968'
    const ns = await nsLogin([
      { send: `CHL 0 ${challenge}\r\n` },
      { expect: `QRY 10 ${MSNP21_PRODUCT.id} 32\r\n${challengeResponse(challenge, MSNP21_PRODUCT)}` },
      { expect: E2.png, reply: E2.qng }
    ])
    open.push(ns)
    const session = await bobSession(ns, [], [], [])
    // The keep-alive runs on its own timer; here it is driven by hand.
    await expect.poll(() => ns.received.length).toBe(10)
    await (session as unknown as { keepAlive(): Promise<void> }).keepAlive()
    await ns.done
    session.close()
  })
})

describe('E5–E8: being invited, answering, typing, a nudge, leaving', () => {
  it('answers an RNG with the verified ANS and reads the message that follows', async () => {
    const sb = await scriptServer([
      { expect: E5.ans, reply: E5.iro1 + E5.iro2 + E5.ansOk + E5.ownJoi + E5.msgIn },
      { expect: `MSG 2 A 125\r\n${textPayload('Hi Alice').toString('utf8')}`, reply: 'ACK 2\r\n' },
      { expect: `MSG 3 U 88\r\n${typingPayload('bob@example.com').toString('utf8')}` },
      { expect: `MSG 4 N 69\r\n${nudgePayload().toString('utf8')}` },
      { expect: E8.out }
    ])
    open.push(sb)
    const ns = await nsLogin([{ send: E5.rng.replace('127.0.0.1:1864', `127.0.0.1:${sb.port}`) }])
    open.push(ns)
    const messages: InboundMessaging[] = []
    const session = await bobSession(ns, messages, [], [])
    await expect.poll(() => messages.length).toBe(1)
    expect(messages[0]).toMatchObject({ from: '1:alice@example.com', to: '1:bob@example.com', messageType: 'Text', body: 'Hello Bob', displayName: 'alice' })
    // E5's answer, E6's typing and E7's nudge on the same switchboard (E6/E7 there are bob's and alice's; the bytes are the same).
    await session.sendMessaging({ to: '1:alice@example.com', messageType: 'Text', contentType: 'text/plain', body: 'Hi Alice' })
    await session.sendSignal({ to: '1:alice@example.com', messageType: 'Control/Typing', contentType: 'text/plain', body: '' })
    await session.sendNudge('1:alice@example.com')
    session.close()
    await sb.done
  })

  it('reads a nudge relayed to it (E7)', async () => {
    const sb = await scriptServer([{ expect: E5.ans, reply: E5.iro1 + E5.iro2 + E5.ansOk + E5.ownJoi + E7.in }])
    open.push(sb)
    const ns = await nsLogin([{ send: E5.rng.replace('127.0.0.1:1864', `127.0.0.1:${sb.port}`) }])
    open.push(ns)
    const nudges: string[] = []
    const session = await bobSession(ns, [], nudges, [])
    await expect.poll(() => nudges).toEqual(['1:alice@example.com'])
    session.close()
  })
})

describe('E4: opening a switchboard and calling a contact', () => {
  it('sends the verified USR and MSG, counts the message sent on the ACK, leaves on BYE (E8)', async () => {
    const sb = await scriptServer([
      { expect: E4.usr, reply: E4.usrOk },
      { expect: 'CAL 2 bob@example.com\r\n', reply: E4.ringing.replace('CAL 3', 'CAL 2') + E4.joiGuid + E4.joi + E6.in },
      { expect: E4.msg.replace('MSG 4', 'MSG 3'), reply: 'ACK 3\r\n' + E8.byeGuid + E8.bye },
      { expect: E8.out }
    ])
    open.push(sb)
    const closed: (Error | null)[] = []
    const heard: string[] = []
    const board = await Switchboard.call({ host: '127.0.0.1', port: sb.port, tls: false }, 'c526877facd01ed07943', 'bob@example.com', {
      log: silentLogger,
      timeoutMs: 3_000,
      account: 'alice@example.com',
      guid: ALICE_GUID,
      idleMs: 60_000,
      onMessage: (_sb, from, friendly, m) => heard.push(`${from} ${friendly} ${m.kind}`),
      onClosed: (_sb, e) => closed.push(e)
    })
    await board.waitForJoin('bob@example.com', 2_000)
    expect(board.sessionId).toBe('0bb459df7215f2aa8538dd217b24ce2')
    await board.send(textPayload('Hello Bob'), 'A')
    await sb.done
    expect(heard).toEqual(['bob@example.com Bob B. typing'])
    await expect.poll(() => closed.length).toBe(1)
    expect(board.isClosed).toBe(true)
  })

  it('fails a message the switchboard NAKs, with a typed error (§5.6)', async () => {
    const sb = await scriptServer([
      { expect: E4.usr, reply: E4.usrOk },
      { expect: 'CAL 2 bob@example.com\r\n', reply: 'CAL 2 RINGING 0bb459df7215f2aa8538dd217b24ce2\r\n' + E4.joi },
      { expect: /^MSG 3 A 126\r\n/, reply: 'NAK 3\r\n' }
    ])
    open.push(sb)
    const board = await Switchboard.call({ host: '127.0.0.1', port: sb.port, tls: false }, 'c526877facd01ed07943', 'bob@example.com', {
      log: silentLogger,
      timeoutMs: 3_000,
      account: 'alice@example.com',
      guid: ALICE_GUID,
      idleMs: 60_000,
      onMessage: () => {},
      onClosed: () => {}
    })
    await board.waitForJoin('bob@example.com', 2_000)
    await expect(board.send(textPayload('Hello Bob'), 'A')).rejects.toMatchObject({ code: 'rejected', retryable: false, reason: { code: 'refused' } })
    board.close()
  })
})
