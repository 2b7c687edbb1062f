// The operation stream's steering events and failure modes (spec §7.1): `reconnect`,
// `fullSync`, `talkException`, a silent stream, garbage in the stream (once, and an operation
// the stream keeps sending malformed), and paging history.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually } from '../../../../helpers/events'
import { lineFixture, qrLoginAs, type LineFixture, type TestableConnector } from './helpers'

let f: LineFixture
let t: TestableConnector

const opens = (): URL[] => f.server.world.requests.filter((r) => r.path.startsWith('/api/operation/receive')).map((r) => new URL(r.path, 'http://x'))

async function online(extra: Record<string, unknown> = {}): Promise<void> {
  t = f.connector(extra)
  await qrLoginAs(t, f.phone)
  await eventually(() => f.server.state.streams.size === 1)
}

beforeEach(async () => {
  f = await lineFixture()
})

afterEach(async () => {
  await f.close()
})

describe('LINE operation stream steering', () => {
  it('reopens the stream from localRev on `event: reconnect`', async () => {
    await online()
    await f.phone.sendAs(f.bob.mid, 'before')
    await t.waitFor('message', (e) => e.message.text === 'before')
    const rev = f.server.world.user(f.alice.mid).revision.toString()
    await t.waitFor('cursor', (e) => e.value === rev)
    f.server.streamWrite('event: reconnect\ndata: {}\n\n')
    await eventually(() => opens().length === 2)
    expect(opens()[1]!.searchParams.get('localRev')).toBe(rev)
  })

  it('resyncs and jumps to nextRevision on `event: fullSync`', async () => {
    await online()
    await f.phone.sendAs(f.carol.mid, 'seen only by the resync')
    await t.waitFor('message', (e) => e.message.text === 'seen only by the resync')
    t.events.length = 0
    f.server.streamWrite('event: fullSync\ndata: {"reasons":[],"nextRevision":"900000"}\n\n')
    await t.waitFor('cursor', (e) => e.value === '900000')
    expect(t.events.some((e) => e.type === 'chat' || e.type === 'contact')).toBe(true)
    expect(t.events.some((e) => e.type === 'message' && e.message.text === 'seen only by the resync')).toBe(true)
  })

  it('goes to needs-login on a talkException that ends the session (code 8)', async () => {
    await online()
    f.server.streamWrite('event: talkException\ndata: {"code":8,"reason":"LOG_OUT","parameterMap":{}}\n\n')
    // The refresh token still works, so one re-authentication is tried; a second kick ends it.
    await eventually(() => opens().length >= 2)
    await eventually(() => f.server.state.streams.size === 1)
    f.server.streamWrite('event: talkException\ndata: {"code":8,"reason":"LOG_OUT","parameterMap":{}}\n\n')
    await t.waitFor('status', (e) => e.status.state === 'needs-login', 8_000)
  })

  it('reconnects when the stream goes silent past the idle timeout', async () => {
    await f.close()
    f = await lineFixture({ ssePingMs: 60_000 })
    await online({ timing: { streamIdleMs: 300 } })
    await eventually(() => opens().length >= 2, 5_000)
    await t.waitFor('status', (e) => e.status.state === 'reconnecting')
  })

  it('survives garbage in the stream: a typed error, a reconnect, nothing lost', async () => {
    await online()
    f.server.streamWrite('id: 1\ndata: {"revision":\n\n')
    await eventually(() => opens().length >= 2)
    await f.phone.sendAs(f.bob.mid, 'after the garbage')
    await t.waitFor('message', (e) => e.message.text === 'after the garbage')
    const errors = f.logs.filter((l) => l.message.includes('operation stream dropped'))
    expect(errors.length).toBeGreaterThanOrEqual(1)
    expect(JSON.stringify(errors[0]!.fields)).toContain('protocol')
  })
})

describe('LINE operation the stream keeps sending malformed', () => {
  it('is tried a few times, then passed over, and what follows it arrives', async () => {
    await online()
    const next = (f.server.world.user(f.alice.mid).revision + 1n).toString()
    f.server.world.malformedRevisions.add(next)
    await f.phone.sendAs(f.bob.mid, 'in a frame that always breaks')
    await f.phone.sendAs(f.bob.mid, 'the one after it')
    await t.waitFor('message', (e) => e.message.text === 'the one after it', 10_000)
    // spec §7.1: each reconnect resumes from localRev, so the broken frame came again each time until it was passed over.
    expect(opens().length).toBeGreaterThanOrEqual(3)
    expect(
      opens()
        .slice(-3)
        .map((u) => u.searchParams.get('localRev'))
    ).toEqual(Array(3).fill((BigInt(next) - 1n).toString()))
    // Passed over: the cursor moved past it, so a restart does not stop at it either.
    expect(t.events.some((e) => e.type === 'cursor' && e.value === next)).toBe(true)
    expect(f.logs.some((l) => l.message.includes('keeps sending malformed'))).toBe(true)
    expect(t.events.some((e) => e.type === 'message' && e.message.text === 'in a frame that always breaks')).toBe(false)
  })
})

describe('LINE contact and group changes', () => {
  it('refetches a renamed group (op 122) and a renamed contact (op 2)', async () => {
    await online()
    f.server.world.renameGroup(f.bob.mid, f.team.mid, 'Team, renamed')
    const chat = await t.waitFor('chat', (e) => e.chat.remoteId === f.team.mid)
    expect(chat.chat).toMatchObject({ kind: 'group', title: 'Team, renamed' })
    f.server.world.renameUser(f.carol.mid, 'Carol S.')
    const contact = await t.waitFor('contact', (e) => e.contact.remoteId === f.carol.mid)
    expect(contact.contact.name).toBe('Carol S.')
  })
})

describe('LINE history', () => {
  it('pages older messages before an anchor, newest first', async () => {
    await online()
    const sent = []
    for (let i = 0; i < 5; i++) sent.push(await f.phone.sendAs(f.carol.mid, `old ${i}`))
    const recent = await t.connector.history(f.carol.mid, null, 2)
    expect(recent.map((m) => m.text)).toEqual(['old 4', 'old 3'])
    const older = await t.connector.history(f.carol.mid, { remoteId: recent[1]!.remoteId, timestamp: recent[1]!.timestamp }, 10)
    expect(older.map((m) => m.text)).toEqual(['old 2', 'old 1', 'old 0'])
    const call = f.server.world.requests.filter((r) => r.path.endsWith('/getPreviousMessagesV2WithRequest')).at(-1)!
    expect(JSON.parse(call.body)).toEqual([
      { messageBoxId: f.carol.mid, endMessageId: { deliveredTime: String(recent[1]!.timestamp), messageId: sent[3]!.id }, messagesCount: 10 },
      1
    ])
  })
})
