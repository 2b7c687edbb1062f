// The LINE Connector through Core against the reference server: bootstrap, receiving and
// sending, Letter Sealing where it is possible and the plain fallback of capture 002
// where it is not (1:1 and groups), read receipts both ways, unsend, stickers, pictures.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PNG } from 'pngjs'
import type { Harness } from '../../../../helpers/core-harness'
import { eventually } from '../../../../helpers/events'
import { openMediaBlob } from '../../../../servers/line/server-crypto'
import { lineFixture, type LineFixture } from './helpers'
import { addLineAccount, chatByRemote, lineHarness, messageIn, messagesOf } from './core-helpers'

let f: LineFixture
let h: Harness

beforeEach(async () => {
  f = await lineFixture()
  await f.phone.sendAs(f.bob.mid, 'earlier, sealed')
  await f.phone.sendAs(f.carol.mid, 'earlier, plain')
  h = await lineHarness(f.server)
  await addLineAccount(h.core, f.phone)
})

afterEach(async () => {
  await h.close()
  await f.close()
})

const sent = (f: LineFixture, path: string): unknown[][] =>
  f.server.world.requests.filter((r) => r.path.endsWith(path)).map((r) => JSON.parse(r.body) as unknown[])
const lastStored = (f: LineFixture) => f.server.world.messages.at(-1)!

describe('LINE bootstrap', () => {
  it('brings the profile, contacts, chats and recent messages', async () => {
    const bob = await chatByRemote(h.core, f.bob.mid)
    expect(bob.title).toBe('Bob')
    expect(bob.kind).toBe('direct')
    expect((await chatByRemote(h.core, f.team.mid)).title).toBe('Team')
    expect((await chatByRemote(h.core, f.mixed.mid)).kind).toBe('group')
    const sealed = await messageIn(h.core, bob.id, (m) => m.text === 'earlier, sealed')
    expect(sealed.e2ee).toBe(true)
    const plain = await messageIn(h.core, (await chatByRemote(h.core, f.carol.mid)).id, (m) => m.text === 'earlier, plain')
    expect(plain.e2ee).toBe(false)
    const account = (await h.core.handlers.listAccounts())[0]!
    expect(account.displayName).toBe('Alice')
    expect(account.status.state).toBe('online')
    expect((await h.core.handlers.listContacts({ accountId: account.id })).map((c) => c.name).sort()).toEqual(['Bob', 'Carol'])
  })
})

describe('LINE bootstrap with a message no key opens', () => {
  it('brings the account online with the message marked unreadable (TalkException 5 for its key)', async () => {
    await h.close()
    await f.phone.sendAs(f.bob.mid, 'sealed under a replaced key', { staleKey: true })
    await f.phone.sendAs(f.bob.mid, 'the newest, readable')
    // A new profile: this login's bootstrap reads Bob's recent messages, the stale one among them.
    h = await lineHarness(f.server)
    await addLineAccount(h.core, f.phone)
    const bob = await chatByRemote(h.core, f.bob.mid)
    await messageIn(h.core, bob.id, (m) => m.text === 'the newest, readable')
    expect((await messageIn(h.core, bob.id, (m) => m.text.startsWith('🔒'))).e2ee).toBe(true)
    expect((await h.core.handlers.listAccounts())[0]!.status.state).toBe('online')
  })

  it('reads again, a little later, the messages whose key could not be fetched during the bootstrap', async () => {
    // The first profile's bootstrap is over (it fetched Bob's key) before the fault is set.
    await messageIn(h.core, (await chatByRemote(h.core, f.bob.mid)).id, (m) => m.text === 'earlier, sealed')
    await h.close()
    await f.phone.sendAs(f.bob.mid, 'sealed, while the key server hiccups')
    // The first key fetch of the new profile answers 503: the bootstrap cannot open that message just then.
    f.server.world.unavailableCalls.set('getE2EEPublicKey', 1)
    h = await lineHarness(f.server, { timing: { rereadDelaysMs: [300, 300] } })
    await addLineAccount(h.core, f.phone)
    const bob = await chatByRemote(h.core, f.bob.mid)
    await eventually(() => f.server.world.unavailableCalls.get('getE2EEPublicKey') === 0 || undefined)
    for (const text of ['earlier, sealed', 'sealed, while the key server hiccups']) await messageIn(h.core, bob.id, (m) => m.text === text && m.e2ee)
    const texts = (await messagesOf(h.core, bob.id)).map((m) => m.text)
    expect(texts.filter((t) => t === 'earlier, sealed')).toHaveLength(1)
    expect(texts.some((t) => t.startsWith('🔒'))).toBe(false)
  })
})

describe('LINE messages both ways', () => {
  it('shows a sealed message under a key LINE no longer has as unreadable, and goes on receiving', async () => {
    // getE2EEPublicKey answers TalkException 5: asking again changes nothing, so the stream must not stop at it.
    const bob = await chatByRemote(h.core, f.bob.mid)
    await f.phone.sendAs(f.bob.mid, 'sealed under a replaced key', { staleKey: true })
    await f.phone.sendAs(f.bob.mid, 'and one after it')
    await messageIn(h.core, bob.id, (m) => m.text === 'and one after it' && m.e2ee)
    const stale = await messageIn(h.core, bob.id, (m) => m.text.startsWith('🔒'))
    expect(stale.e2ee).toBe(true)
    expect(stale.fromMe).toBe(false)
    expect((await messagesOf(h.core, bob.id)).some((m) => m.text === 'sealed under a replaced key')).toBe(false)
  })

  it('receives a sealed message live, and sends a sealed reply Bob can open', async () => {
    const bob = await chatByRemote(h.core, f.bob.mid)
    await f.phone.sendAs(f.bob.mid, 'are you there?')
    const incoming = await messageIn(h.core, bob.id, (m) => m.text === 'are you there?')
    expect(incoming.e2ee).toBe(true)
    expect(incoming.fromMe).toBe(false)

    await h.core.handlers.sendMessage({ chatId: bob.id, clientId: 'c-sealed-1', draft: { kind: 'text', text: 'yes, sealed' } })
    const mine = await messageIn(h.core, bob.id, (m) => m.clientId === 'c-sealed-1' && m.status === 'sent' && m.e2ee)
    expect(mine.remoteId).toMatch(/^\d{18}$/)
    const stored = f.server.world.messages.find((m) => m.id === mine.remoteId)!
    expect(stored.text).toBeUndefined()
    expect(stored.chunks).toHaveLength(5)
    expect(stored.contentMetadata).toEqual({ e2eeVersion: '2', contentType: '0', e2eeMark: '2' })
    expect(f.phone.open(stored, f.bob.mid)).toEqual({ text: 'yes, sealed' })
    // The request: reqSeq first, then the Message of capture 002 with a local id.
    const [reqSeq, message] = sent(f, '/sendMessage').at(-1) as [number, Record<string, unknown>]
    expect(message.id).toBe(`local-${reqSeq}`)
    expect(Object.keys(message)).toEqual(['from', 'to', 'toType', 'id', 'createdTime', 'sessionId', 'contentType', 'contentMetadata', 'chunks', 'hasContent'])
    expect(sent(f, '/negotiateE2EEPublicKey').at(-1)).toEqual([f.bob.mid])
    // Exactly one message in the chat for that client id: the echo folded into it.
    expect((await messagesOf(h.core, bob.id)).filter((m) => m.text === 'yes, sealed')).toHaveLength(1)
  })

  it('sends plain to a Letter Sealing off peer after negotiateE2EEPublicKey says no (capture 002 steps 5–6)', async () => {
    const carol = await chatByRemote(h.core, f.carol.mid)
    await h.core.handlers.sendMessage({ chatId: carol.id, clientId: 'c-plain-1', draft: { kind: 'text', text: 'テスト' } })
    const mine = await messageIn(h.core, carol.id, (m) => m.clientId === 'c-plain-1' && m.status === 'sent')
    expect(mine.e2ee).toBe(false)
    const [reqSeq, message] = sent(f, '/sendMessage').at(-1) as [number, Record<string, unknown>]
    expect(message).toMatchObject({
      from: f.alice.mid,
      to: f.carol.mid,
      toType: 0,
      id: `local-${reqSeq}`,
      sessionId: 0,
      text: 'テスト',
      contentType: 0,
      contentMetadata: {},
      hasContent: false
    })
    expect(message.createdTime).toMatch(/^\d+000$/)
    expect(lastStored(f).text).toBe('テスト')
    const negotiation = f.server.world.requests.filter((r) => r.path.endsWith('/negotiateE2EEPublicKey')).at(-1)!
    expect(JSON.parse(negotiation.response)).toEqual({ code: 0, message: 'OK', data: { allowedTypes: [], specVersion: -1 } })
  })

  it('seals to a sealed group: no group key (5) → member keys → registerE2EEGroupKey → sealed send', async () => {
    const team = await chatByRemote(h.core, f.team.mid)
    await h.core.handlers.sendMessage({ chatId: team.id, clientId: 'c-team-1', draft: { kind: 'text', text: 'hello team' } })
    await messageIn(h.core, team.id, (m) => m.clientId === 'c-team-1' && m.status === 'sent' && m.e2ee)
    // (Core may page history in between: those calls are left out.)
    const paths = f.server.world.requests
      .map((r) => r.path.split('/').pop())
      .filter((p) => !p!.startsWith('getRecentMessages') && !p!.startsWith('getPreviousMessages'))
    const from = paths.lastIndexOf('getLastE2EEGroupSharedKey')
    expect(paths.slice(from, from + 4)).toEqual(['getLastE2EEGroupSharedKey', 'getLastE2EEPublicKeys', 'registerE2EEGroupKey', 'sendMessage'])
    expect(f.phone.open(lastStored(f), f.bob.mid)).toEqual({ text: 'hello team' })
    // Bob answers sealed with the same group key, and it opens here.
    await f.phone.sendAs(f.team.mid, 'welcome, sealed too')
    expect((await messageIn(h.core, team.id, (m) => m.text === 'welcome, sealed too')).e2ee).toBe(true)
  })

  it('sends plain to a mixed group: getLastE2EEGroupSharedKey 5, getLastE2EEPublicKeys 98 (capture 002 steps 7–8)', async () => {
    const mixed = await chatByRemote(h.core, f.mixed.mid)
    await h.core.handlers.sendMessage({ chatId: mixed.id, clientId: 'c-mixed-1', draft: { kind: 'text', text: 'テスト' } })
    const mine = await messageIn(h.core, mixed.id, (m) => m.clientId === 'c-mixed-1' && m.status === 'sent')
    expect(mine.e2ee).toBe(false)
    const reqs = f.server.world.requests
    const shared = reqs.filter((r) => r.path.endsWith('/getLastE2EEGroupSharedKey')).at(-1)!
    expect(JSON.parse(shared.body)).toEqual([1, f.mixed.mid])
    expect(JSON.parse(shared.response)).toEqual({
      code: 10051,
      message: 'RESPONSE_ERROR',
      data: { name: 'TalkException', message: 'TalkException', code: 5, reason: 'not found', parameterMap: null }
    })
    const keys = reqs.filter((r) => r.path.endsWith('/getLastE2EEPublicKeys')).at(-1)!
    expect(JSON.parse(keys.response).data).toEqual({
      name: 'TalkException',
      message: 'TalkException',
      code: 98,
      reason: 'member settings off',
      parameterMap: {}
    })
    expect(lastStored(f)).toMatchObject({ to: f.mixed.mid, toType: 2, text: 'テスト' })
  })

  it('seals after the server refuses plain text with 82 "can not send using plain mode"', async () => {
    const bob = await chatByRemote(h.core, f.bob.mid)
    // Bob had sealing off when we negotiated (the answer is cached), then turned it on.
    f.server.world.user(f.bob.mid).sealing = false
    await h.core.handlers.sendMessage({ chatId: bob.id, clientId: 'c-82-warmup', draft: { kind: 'text', text: 'warm up' } })
    await messageIn(h.core, bob.id, (m) => m.clientId === 'c-82-warmup' && m.status === 'sent')
    f.server.world.user(f.bob.mid).sealing = true
    f.server.world.sealedOnly.add(f.bob.mid)
    await h.core.handlers.sendMessage({ chatId: bob.id, clientId: 'c-82', draft: { kind: 'text', text: 'now sealed' } })
    const mine = await messageIn(h.core, bob.id, (m) => m.clientId === 'c-82' && m.status === 'sent')
    expect(mine.e2ee).toBe(true)
    const codes = f.server.world.requests
      .filter((r) => r.path.endsWith('/sendMessage'))
      .map((r) => (JSON.parse(r.response) as { data?: { code?: number } }).data?.code ?? 0)
    expect(codes.slice(-2)).toEqual([82, 0])
    expect(f.phone.open(lastStored(f), f.bob.mid)).toEqual({ text: 'now sealed' })
  })

  it('sends the same client id once, however often it is retried', async () => {
    await chatByRemote(h.core, f.carol.mid)
    const account = (await h.core.handlers.listAccounts())[0]!
    const connector = h.core.accounts.onlineConnector(account.id)!
    const a = await connector.send(f.carol.mid, 'retry-me', { kind: 'text', text: 'once' })
    const b = await connector.send(f.carol.mid, 'retry-me', { kind: 'text', text: 'once' })
    expect(b.remoteId).toBe(a.remoteId)
    expect(f.server.world.messages.filter((m) => m.text === 'once')).toHaveLength(1)
  })
})

describe('LINE read receipts, unsend, stickers and pictures', () => {
  it('marks our message read when the peer reads it, and tells LINE when we read', async () => {
    const carol = await chatByRemote(h.core, f.carol.mid)
    await h.core.handlers.sendMessage({ chatId: carol.id, clientId: 'c-read', draft: { kind: 'text', text: 'read me' } })
    const mine = await messageIn(h.core, carol.id, (m) => m.clientId === 'c-read' && m.status === 'sent')
    // Carol (the other party of Alice's chat with her) reads it.
    await f.phone.readAs(f.carol.mid)
    await messageIn(h.core, carol.id, (m) => m.id === mine.id && m.status === 'read')

    await f.phone.sendAs(f.carol.mid, 'a new one')
    const theirs = await messageIn(h.core, carol.id, (m) => m.text === 'a new one')
    await h.core.handlers.markChatRead({ chatId: carol.id })
    await eventually(() => sent(f, '/sendChatChecked').some((b) => b[1] === f.carol.mid && b[2] === theirs.remoteId && b[3] === 0))
    // Carol's side hears it as op 55 (reader Alice).
    await eventually(() => f.server.world.user(f.carol.mid).ops.some((o) => o.type === 55 && o.param2 === f.alice.mid && o.param3 === theirs.remoteId))
  })

  it('shows a message the peer unsent as deleted', async () => {
    const bob = await chatByRemote(h.core, f.bob.mid)
    const m = await f.phone.sendAs(f.bob.mid, 'oops')
    await messageIn(h.core, bob.id, (x) => x.remoteId === m.id)
    await f.phone.unsendAs(f.bob.mid, m.id)
    const gone = await messageIn(h.core, bob.id, (x) => x.remoteId === m.id && x.deleted)
    expect(gone.text).toBe('')
  })

  it('shows stickers with their image', async () => {
    const bob = await chatByRemote(h.core, f.bob.mid)
    const m = await f.phone.sendStickerAs(f.bob.mid, '13', '1')
    const sticker = await messageIn(h.core, bob.id, (x) => x.remoteId === m.id)
    expect(sticker.kind).toBe('sticker')
    expect(sticker.media?.stickerId).toBe('1/13')
    const media = await h.core.media(sticker.id)
    expect(media.mime).toBe('image/png')
    expect(PNG.sync.read(Buffer.from(media.bytes)).width).toBe(64)
  })

  it('receives a picture through OBS', async () => {
    const carol = await chatByRemote(h.core, f.carol.mid)
    const bytes = PNG.sync.write(new PNG({ width: 3, height: 2 }))
    const m = await f.phone.sendImageAs(f.carol.mid, bytes)
    const picture = await messageIn(h.core, carol.id, (x) => x.remoteId === m.id)
    expect(picture.kind).toBe('image')
    const media = await h.core.media(picture.id)
    expect(media.mime).toBe('image/png')
    expect(Buffer.from(media.bytes).equals(bytes)).toBe(true)
  })

  it('sends a plain picture (send first, upload after) and a sealed one (upload first, send after)', async () => {
    const bytes = PNG.sync.write(new PNG({ width: 4, height: 4 }))
    const carol = await chatByRemote(h.core, f.carol.mid)
    await h.core.handlers.sendMessage({
      chatId: carol.id,
      clientId: 'img-plain',
      draft: { kind: 'image', mime: 'image/png', dataBase64: bytes.toString('base64') }
    })
    const plain = await messageIn(h.core, carol.id, (m) => m.clientId === 'img-plain' && m.status === 'sent')
    // "Send first, upload after": the echo can mark it sent before the upload is done.
    const uploaded = await eventually(() => f.server.world.objects.get(`m/${plain.remoteId}`))
    expect(uploaded.bytes.equals(bytes)).toBe(true)

    const bob = await chatByRemote(h.core, f.bob.mid)
    await h.core.handlers.sendMessage({
      chatId: bob.id,
      clientId: 'img-sealed',
      draft: { kind: 'image', mime: 'image/png', dataBase64: bytes.toString('base64') }
    })
    const sealed = await messageIn(h.core, bob.id, (m) => m.clientId === 'img-sealed' && m.status === 'sent')
    expect(sealed.e2ee).toBe(true)
    const stored = f.server.world.messages.find((m) => m.id === sealed.remoteId)!
    expect(stored.contentMetadata).toMatchObject({ e2eeVersion: '2', SID: 'emi' })
    const payload = f.phone.open(stored, f.bob.mid) as { keyMaterial: string }
    const blob = f.server.world.objects.get(`emi/${stored.contentMetadata.OID}`)!.bytes
    expect(openMediaBlob(Buffer.from(payload.keyMaterial, 'base64'), blob).equals(bytes)).toBe(true)
    // And it shows here too, opened with the same key material.
    const media = await h.core.media(sealed.id)
    expect(Buffer.from(media.bytes).equals(bytes)).toBe(true)
  })
})
