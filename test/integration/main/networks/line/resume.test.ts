// Receiving without loss or duplicates (spec §7): the SSE stream resumed from localRev
// after a dropped connection and after a restart, the long-poll fallback (spec §7.2) when
// the gateway has no stream, and the legacy Thrift transport (/S3 binary, /S4 + /P4 compact).

import { afterEach, describe, expect, it } from 'vitest'
import type { Store } from '../../../../../src/main/core/store'
import { tempDir, type Harness } from '../../../../helpers/core-harness'
import { eventually } from '../../../../helpers/events'
import { lineFixture, type LineFixture } from './helpers'
import { addLineAccount, chatByRemote, lineHarness, messageIn, messagesOf } from './core-helpers'

let f: LineFixture | undefined
let h: Harness | undefined

afterEach(async () => {
  await h?.close()
  await f?.close()
  h = undefined
  f = undefined
})

const streamOpens = (f: LineFixture): URL[] =>
  f.server.world.requests.filter((r) => r.path.startsWith('/api/operation/receive')).map((r) => new URL(r.path, 'http://x'))

describe('LINE operation stream resume', () => {
  it('resumes a dropped stream from localRev with nothing lost and nothing doubled', async () => {
    f = await lineFixture()
    h = await lineHarness(f.server)
    const accountId = await addLineAccount(h.core, f.phone)
    const store = (h.core as unknown as { o: { store: Store } }).o.store
    const alice = f.server.world.user(f.alice.mid)
    // The cursor moves only with operations applied from the stream: wait on it, not on the
    // chat (whose history Core may also page in from the network).
    const streamedUpTo = (rev: bigint): Promise<unknown> => eventually(() => store.cursors.all(accountId).localRev === rev.toString())
    await f.phone.sendAs(f.bob.mid, 'one')
    const revBeforeDrop = alice.revision
    await streamedUpTo(revBeforeDrop)

    f.server.dropStreams()
    await f.phone.sendAs(f.bob.mid, 'two')
    await f.phone.sendAs(f.bob.mid, 'three')
    await streamedUpTo(alice.revision)
    const bob = await chatByRemote(h.core, f.bob.mid)
    const texts = (await messagesOf(h.core, bob.id)).map((m) => m.text)
    for (const t of ['one', 'two', 'three']) expect(texts.filter((x) => x === t)).toHaveLength(1)
    // The reconnect asked for what came after the last applied revision, in the capture's query shape.
    const opens = streamOpens(f)
    expect(opens.length).toBeGreaterThanOrEqual(2)
    const reopened = opens.at(-1)!
    expect(reopened.searchParams.get('localRev')).toBe(revBeforeDrop.toString())
    expect([...reopened.searchParams.keys()]).toEqual(['localRev', 'version', 'lastPartialFullSyncs', 'language'])
    expect(reopened.searchParams.get('lastPartialFullSyncs')).toBe('{}')
    await eventually(async () => (await h!.core.handlers.listAccounts())[0]!.status.state === 'online')
  })

  it('resumes after a restart from the persisted cursor', async () => {
    f = await lineFixture()
    const dir = tempDir()
    try {
      const first = await lineHarness(f.server, {}, dir.path)
      const accountId = await addLineAccount(first.core, f.phone)
      await f.phone.sendAs(f.bob.mid, 'before restart')
      const bob = await chatByRemote(first.core, f.bob.mid)
      await messageIn(first.core, bob.id, (m) => m.text === 'before restart')
      const alice = f.server.world.user(f.alice.mid)
      // The cursor is written after the messages before it: wait until it covers them all.
      const store = (first.core as unknown as { o: { store: Store } }).o.store
      await eventually(() => store.cursors.all(accountId).localRev === alice.revision.toString())
      await first.close()

      await f.phone.sendAs(f.bob.mid, 'while away')
      await f.phone.sendAs(f.carol.mid, 'also while away')
      h = await lineHarness(f.server, {}, dir.path)
      await messageIn(h.core, bob.id, (m) => m.text === 'while away')
      const carol = await chatByRemote(h.core, f.carol.mid)
      await messageIn(h.core, carol.id, (m) => m.text === 'also while away')
      const texts = (await messagesOf(h.core, bob.id)).map((m) => m.text)
      expect(texts.filter((t) => t === 'before restart')).toHaveLength(1)
      expect(texts.filter((t) => t === 'while away')).toHaveLength(1)
      expect((await h.core.handlers.listAccounts()).map((a) => a.id)).toEqual([accountId])
      // The restored stream started from the persisted revision, not from scratch.
      const resumed = streamOpens(f).at(-1)!
      expect(resumed.searchParams.get('localRev')).not.toBe('100000')
    } finally {
      await h?.close()
      h = undefined
      dir.remove()
    }
  })
})

describe('LINE long polling and the legacy Thrift transport', () => {
  it('falls back to fetchOperations long polling on /P4 when the gateway has no stream', async () => {
    f = await lineFixture()
    f.server.state.sseAvailable = false
    h = await lineHarness(f.server)
    await addLineAccount(h.core, f.phone)
    await f.phone.sendAs(f.bob.mid, 'over the long poll')
    const bob = await chatByRemote(h.core, f.bob.mid)
    expect((await messageIn(h.core, bob.id, (m) => m.text === 'over the long poll')).e2ee).toBe(true)
    const poll = f.server.world.requests.find((r) => r.path === '/P4')!
    expect(poll.headers['x-line-application']).toBe('CHROMEOS\t3.7.2\tChrome_OS')
    expect(poll.headers['x-line-access']).toMatch(/^ey/)
    expect(poll.headers['content-type']).toBe('application/x-thrift')
    expect(streamOpens(f).length).toBeGreaterThanOrEqual(1)
  })

  it('passes over a polled operation it cannot read, reads its message another way, and goes on receiving', async () => {
    f = await lineFixture()
    f.server.state.sseAvailable = false
    // The bootstrap brings this one: once it is stored, the bootstrap is over and what follows comes by poll only.
    await f.phone.sendAs(f.bob.mid, 'before')
    h = await lineHarness(f.server, { timing: { rereadDelaysMs: [200, 200] } })
    await addLineAccount(h.core, f.phone)
    const bob = await chatByRemote(h.core, f.bob.mid)
    await messageIn(h.core, bob.id, (m) => m.text === 'before')
    // The next operation goes out without its type; every poll from localRev would bring it back.
    f.server.world.malformedRevisions.add((f.server.world.user(f.alice.mid).revision + 1n).toString())
    await f.phone.sendAs(f.bob.mid, 'in an operation without a type')
    await f.phone.sendAs(f.bob.mid, 'after it')
    await messageIn(h.core, bob.id, (m) => m.text === 'after it')
    // Its id and parties could still be read: the message itself comes from the chat's recent messages.
    await messageIn(h.core, bob.id, (m) => m.text === 'in an operation without a type')
    expect(f.server.world.requests.some((r) => r.path.endsWith('/getRecentMessagesV2'))).toBe(true)
    // Not a loop: once passed over, the polls go on from beyond it.
    const polls = f.server.world.requests.filter((r) => r.path === '/P4').length
    await f.phone.sendAs(f.bob.mid, 'and one more')
    await messageIn(h.core, bob.id, (m) => m.text === 'and one more')
    expect(f.server.world.requests.filter((r) => r.path === '/P4').length - polls).toBeLessThanOrEqual(3)
    // Before, every poll failed on it: a reconnect and a whole bootstrap again, about five a second.
    expect(f.server.world.requests.filter((r) => r.path.endsWith('/getMessageBoxes'))).toHaveLength(1)
  })

  for (const protocol of ['binary', 'compact'] as const) {
    it(`runs on the legacy transport in ${protocol} (${protocol === 'binary' ? '/S3' : '/S4 + /P4'}), both ways`, async () => {
      f = await lineFixture()
      h = await lineHarness(f.server, { transport: 'legacy', legacyProtocol: protocol })
      await addLineAccount(h.core, f.phone)
      await f.phone.sendAs(f.carol.mid, 'hello over thrift')
      const carol = await chatByRemote(h.core, f.carol.mid)
      await messageIn(h.core, carol.id, (m) => m.text === 'hello over thrift')
      await h.core.handlers.sendMessage({ chatId: carol.id, clientId: `legacy-${protocol}`, draft: { kind: 'text', text: 'over thrift' } })
      const mine = await messageIn(h.core, carol.id, (m) => m.clientId === `legacy-${protocol}` && m.status === 'sent')
      expect(mine.remoteId).toMatch(/^\d{18}$/)
      const talkPath = protocol === 'binary' ? '/S3' : '/S4'
      const call = f.server.world.requests.find((r) => r.path === talkPath && r.status === 200 && r.headers['content-type'] === 'application/x-thrift')
      expect(call?.headers['x-line-application']).toBe('CHROMEOS\t3.7.2\tChrome_OS')
      expect(call?.headers['x-line-access']).toMatch(/^ey/)
      expect(f.server.world.messages.at(-1)).toMatchObject({ from: f.alice.mid, to: f.carol.mid, text: 'over thrift' })
      // No sendMessage went over the gateway; operations came over the poll path.
      expect(f.server.world.requests.some((r) => r.path.endsWith('/TalkService/sendMessage'))).toBe(false)
      expect(f.server.world.requests.some((r) => r.path === (protocol === 'binary' ? '/S3' : '/P4'))).toBe(true)
      await f.phone.sendAs(f.carol.mid, 'and back')
      await messageIn(h.core, carol.id, (m) => m.text === 'and back')
    })
  }
})
