// The sandbox phone page's delivery view for every network (issue 12 §8): what the account
// sent reaches each network's simulated contact, who then types, reads and reacts where the
// network has the feature — LINE (read, its six reactions; no typing), Skype MSNP24 and
// Messenger MSNP18 (typing; no read receipts or reactions), WhatsApp multi-device (all four).

import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../src/main/base/log'
import type { Connector, ConnectorEvent } from '../../../src/main/networks/connector'
import { testContext } from '../../helpers/connector-probe'
import { createHarness, type Harness } from '../../helpers/core-harness'
import { eventually, waitFor } from '../../helpers/events'
import { addLineAccount, chatByRemote, lineHarness, messageIn } from '../main/networks/line/core-helpers'
import { QUICK } from '../main/networks/skype/messenger/harness'
import { MemoryKeyStore, RecordingIO } from '../main/networks/whatsapp-md/harness'
import { startLineSandbox, type LineSandbox } from '../../servers/line/sandbox'
import { ALICE18 } from '../../servers/skype/msnp18/world'
import { startSkypeSandbox, type SkypeSandbox } from '../../servers/skype/sandbox'
import { startWhatsAppMdSandbox, type WhatsAppMdSandbox } from '../../servers/whatsapp-md/sandbox'

let h: Harness | null = null
let line: LineSandbox | null = null
let skype: SkypeSandbox | null = null
let wa: WhatsAppMdSandbox | null = null
let connector: Connector | null = null

afterEach(async () => {
  await connector?.close()
  await h?.close()
  await line?.close()
  await skype?.close()
  await wa?.close()
  h = line = skype = wa = connector = null
})

describe('the LINE sandbox phone', () => {
  it('shows a sealed message as Bob read it, marks it read, and reacts with one of LINE’s six', async () => {
    line = await startLineSandbox()
    h = await lineHarness(line.server)
    await addLineAccount(h.core, line.linePhone)
    const bob = (await line.phone.chats()).find((c) => c.title === 'Bob')!
    expect(line.phone.typing).toBeUndefined()
    const chat = await chatByRemote(h.core, bob.id)
    await h.core.handlers.sendMessage({ chatId: chat.id, clientId: 'phone-1', draft: { kind: 'text', text: 'sealed hello for Bob' } })
    const mine = await messageIn(h.core, chat.id, (m) => m.fromMe && m.status === 'sent' && m.remoteId !== null)
    // Letter Sealing: the server holds only chunks; the phone opens them with Bob's key.
    const got = await eventually(async () => (await line!.phone.received!(bob.id)).find((m) => m.id === mine.remoteId))
    expect(got).toMatchObject({ text: 'sealed hello for Bob', status: 'sent' })
    expect(got.at).toBeGreaterThan(0)

    await line.phone.read!(bob.id)
    expect((await line.phone.received!(bob.id)).find((m) => m.id === mine.remoteId)?.status).toBe('read')
    await messageIn(h.core, chat.id, (m) => m.id === mine.id && m.status === 'read')

    expect(line.phone.reactionEmoji).toEqual(['👍', '❤️', '😆', '😮', '😢', '😡'])
    await line.phone.react!(bob.id, mine.remoteId!, '❤️')
    await messageIn(h.core, chat.id, (m) => m.id === mine.id && m.reactions.some((r) => r.emoji === '❤️'))
    await expect(line.phone.react!(bob.id, mine.remoteId!, '😂')).rejects.toThrow(/no 😂 reaction/)
  })
})

describe('the Skype sandbox phone', () => {
  it('Messenger: shows what Bob received and lets him type', async () => {
    skype = await startSkypeSandbox()
    h = await createHarness({ networks: () => [skype!.definition], core: { networkConfig: { skype: { ...skype.config, ...QUICK } } } })
    const { loginId } = await h.core.handlers.startLogin({
      network: 'skype',
      methodId: 'messenger',
      fields: { email: ALICE18.email, password: ALICE18.password, server: '' }
    })
    await waitFor(h.core.events, 'login', (e) => e.loginId === loginId && e.step.kind === 'done', 15_000)
    const hello = waitFor(h.core.events, 'message', (m) => m.text === 'hi from the phone', 10_000)
    await skype.phone.sendAs('bob@example.com', 'hi from the phone')
    const chatId = (await hello).chatId
    await h.core.handlers.sendMessage({ chatId, clientId: 'm18-1', draft: { kind: 'text', text: 'did you get this?' } })
    const got = await eventually(async () => (await skype!.phone.received!('bob@example.com')).find((m) => m.text === 'did you get this?'), 10_000)
    expect(got.status).toBe('delivered')
    expect(skype.phone.read).toBeUndefined()
    expect(skype.phone.react).toBeUndefined()
    const typing = waitFor(h.core.events, 'typing', (t) => t.chatId === chatId && t.typing, 10_000)
    await skype.phone.typing!('bob@example.com', true)
    await typing
  })

  it('MSNP24: lists what Alice sent Bob with edits applied and deletions gone, and Bob types', async () => {
    skype = await startSkypeSandbox()
    const alice = skype.server.peer('alice')
    alice.say('bob', 'first', '1001')
    alice.say('bob', 'second', '1002')
    alice.say('carol', 'not for Bob', '1003')
    alice.edit('bob', '1001', 'first, fixed')
    alice.edit('bob', '1002', '')
    expect((await skype.phone.received!('bob')).map((m) => [m.text, m.status])).toEqual([['first, fixed (edited)', 'delivered']])
    const routed: string[] = []
    skype.server.world.events.on('routed', (m: { from: string; messageType: string }) => routed.push(`${m.from}:${m.messageType}`))
    await skype.phone.typing!('bob', true)
    await skype.phone.typing!('bob', false)
    expect(routed).toEqual(['bob:Control/Typing', 'bob:Control/ClearTyping'])
  })
})

describe('the WhatsApp multi-device sandbox phone', () => {
  it('shows delivery, then read; the contact types, comes online and reacts', async () => {
    wa = await startWhatsAppMdSandbox()
    const keyStore = new MemoryKeyStore()
    connector = wa.definition.create(
      testContext(
        { ...wa.config },
        createLogger(() => {}, 'error'),
        { keyStore }
      )
    )
    const events: ConnectorEvent[] = []
    connector.on((e) => events.push(e))
    const io = new RecordingIO()
    const login = connector.login({ methodId: wa.definition.loginMethods[0]!.id, fields: {}, previous: null }, io)
    await wa.phone.scan!(await io.qr())
    // The phone's history carries Alice's push name: the account is "Alice", not her number.
    expect((await login).displayName).toBe('Alice')
    const BOB = '15550101@s.whatsapp.net'
    const sent = await connector.send(BOB, 'wa-1', { kind: 'text', text: 'hello Bob' })
    const got = await eventually(async () => (await wa!.phone.received!('md:15550101')).find((m) => m.id === sent.remoteId))
    expect(got).toMatchObject({ text: 'hello Bob', status: 'delivered' })

    await wa.phone.read!('md:15550101')
    expect((await wa.phone.received!('md:15550101')).find((m) => m.id === sent.remoteId)?.status).toBe('read')
    await eventually(() => events.find((e) => e.type === 'receipt' && e.status === 'read' && e.messageRemoteIds.includes(sent.remoteId)))

    await wa.phone.typing!('md:15550101', true)
    await eventually(() => events.find((e) => e.type === 'typing' && e.chatRemoteId === BOB && e.typing))
    // Typing made Bob active: the subscription the send made hears him come online.
    await eventually(() => events.find((e) => e.type === 'contact' && e.contact.remoteId === BOB && e.contact.presence === 'online'))

    await wa.phone.react!('md:15550101', sent.remoteId, '👍')
    await eventually(() => keyStore.events.find((e) => e.type === 'reaction' && e.messageRemoteId === sent.remoteId && e.emoji === '👍'))
    await expect(wa.phone.react!('legacy:15550101@c.us', 'X', '👍')).rejects.toThrow(/no reactions/)
  })

  it('links with a phone number: the code Junction shows, typed on the phone page, links the device', async () => {
    wa = await startWhatsAppMdSandbox()
    connector = wa.definition.create(
      testContext(
        { ...wa.config },
        createLogger(() => {}, 'error'),
        { keyStore: new MemoryKeyStore() }
      )
    )
    const io = new RecordingIO()
    const method = wa.definition.loginMethods.find((m) => m.id === 'phone-code')!
    const login = connector.login({ methodId: method.id, fields: { phone: '+1 555 0100' }, previous: null }, io)
    const pin = await eventually(() => io.steps.find((s) => s.kind === 'pin'))
    expect(wa.phone.help().some((line) => line.includes('Link with a phone number'))).toBe(true)
    expect(await wa.phone.enterPin!(` ${pin.kind === 'pin' ? pin.pin : ''} `)).toMatch(/^Linked as device 15550100:\d+@s\.whatsapp\.net/)
    expect((await login).selfId).toBe('15550100@s.whatsapp.net')
  })
})
