import { afterEach, describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../src/shared/errors'
import type { Message } from '../../../../src/shared/model'
import { FakeNetwork } from '../../../doubles/fake-network'
import { addAccountByQr, collect, createHarness, type Harness } from '../../../helpers/core-harness'
import { eventually } from '../../../helpers/events'

let h: Harness
afterEach(async () => h?.close())

async function setup(): Promise<{ chatId: string; statuses: Message[] }> {
  const net = new FakeNetwork()
  net.addUser('me', 'Me', { chats: [{ id: 'bob', title: 'Bob', messages: [['bob', 'hello']] }] })
  h = await createHarness({ net, core: { outbox: { sendTimeoutMs: 300, maxAttempts: 4, backoff: { baseMs: 20, maxMs: 100, jitter: 0 } } } })
  await addAccountByQr(h.core, h.net, 'me')
  const chatId = await eventually(async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 5 })).chats[0]?.id)
  return { chatId, statuses: collect(h.core, 'message') }
}

const storedStatus = async (chatId: string, id: string): Promise<Message | undefined> =>
  (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages.find((m) => m.id === id)

describe('the outbox', () => {
  it('writes the message as pending before the Connector sees it', async () => {
    const { chatId } = await setup()
    let seenByNetwork: Message | undefined
    h.net.hooks.beforeDeliver = async () => {
      seenByNetwork = (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages.find((m) => m.clientId === 'client-first1')
    }
    const m = await h.core.handlers.sendMessage({ chatId, clientId: 'client-first1', draft: { kind: 'text', text: 'first' } })
    await eventually(async () => (await storedStatus(chatId, m.id))?.status === 'sent')
    expect(seenByNetwork).toMatchObject({ status: 'pending', text: 'first' })
  })

  it('retries retryable failures with back-off and sends exactly once', async () => {
    const { chatId } = await setup()
    let failures = 2
    const attemptsAt: number[] = []
    h.net.hooks.beforeDeliver = async () => {
      attemptsAt.push(Date.now())
      if (failures-- > 0) throw new JunctionError('network', 'socket closed')
    }
    const m = await h.core.handlers.sendMessage({ chatId, clientId: 'client-retry1', draft: { kind: 'text', text: 'persistent' } })
    await eventually(async () => (await storedStatus(chatId, m.id))?.status === 'sent')
    expect(attemptsAt).toHaveLength(3)
    expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(15)
    expect(attemptsAt[2]! - attemptsAt[1]!).toBeGreaterThanOrEqual(35)
    expect(h.net.deliveries.map((d) => d.text)).toEqual(['persistent'])
  })

  it('retries a send that timed out with the same client id, and the network keeps one copy', async () => {
    const { chatId } = await setup()
    let stall = true
    h.net.hooks.afterDeliver = async () => {
      if (stall) {
        stall = false
        await new Promise((r) => setTimeout(r, 1_000))
      }
    }
    const m = await h.core.handlers.sendMessage({ chatId, clientId: 'client-stall1', draft: { kind: 'text', text: 'slow' } })
    await eventually(async () => (await storedStatus(chatId, m.id))?.status === 'sent', 5_000)
    expect(h.calls.send).toBeGreaterThanOrEqual(2)
    expect(h.net.deliveries.filter((d) => d.clientId === 'client-stall1')).toHaveLength(1)
  })

  it('marks a refused message failed with the reason, and retry sends it', async () => {
    const { chatId } = await setup()
    let refuse = true
    h.net.hooks.beforeDeliver = async () => {
      if (refuse) throw new JunctionError('rejected', 'Bob has blocked you.')
    }
    const m = await h.core.handlers.sendMessage({ chatId, clientId: 'client-refuse', draft: { kind: 'text', text: 'hey' } })
    const failed = await eventually(async () => {
      const s = await storedStatus(chatId, m.id)
      return s?.status === 'failed' ? s : null
    })
    // A code the renderer words (issue 10 §5); the English stays in the log.
    expect(failed.error).toEqual({ code: 'rejected' })
    expect(h.net.deliveries).toEqual([])
    refuse = false
    const retried = await h.core.handlers.retryMessage({ messageId: m.id })
    expect(retried.status).toBe('pending')
    await eventually(async () => (await storedStatus(chatId, m.id))?.status === 'sent')
    expect(h.net.deliveries.map((d) => d.clientId)).toEqual(['client-refuse'])
  })

  it('sends a photo again with its file name, after a refusal and a retry', async () => {
    const { chatId } = await setup()
    let refuse = true
    h.net.hooks.beforeDeliver = async () => {
      if (refuse) throw new JunctionError('rejected', 'Not now.')
    }
    const draft = { kind: 'image' as const, mime: 'image/png', dataBase64: 'iVBORw0KGgo=', caption: 'the view', name: 'beach.png' }
    const m = await h.core.handlers.sendMessage({ chatId, clientId: 'client-photo1', draft })
    expect(m.media).toMatchObject({ mime: 'image/png', name: 'beach.png' })
    await eventually(async () => (await storedStatus(chatId, m.id))?.status === 'failed')
    refuse = false
    await h.core.handlers.retryMessage({ messageId: m.id })
    await eventually(async () => (await storedStatus(chatId, m.id))?.status === 'sent')
    const sent = h.net.sentDrafts.filter((d) => d.clientId === 'client-photo1').map((d) => d.draft)
    // The first attempt and the retry (redrafted from the stored message and its cached bytes) both carry the name.
    expect(sent.length).toBeGreaterThanOrEqual(2)
    for (const d of sent) expect(d).toMatchObject({ kind: 'image', mime: 'image/png', dataBase64: 'iVBORw0KGgo=', caption: 'the view', name: 'beach.png' })
  })

  it('gives up after the attempt limit while online, so the person can retry', async () => {
    const { chatId } = await setup()
    h.net.hooks.beforeDeliver = async () => {
      throw new JunctionError('timeout', 'No answer from the network.')
    }
    const m = await h.core.handlers.sendMessage({ chatId, clientId: 'client-giveup', draft: { kind: 'text', text: 'x' } })
    const failed = await eventually(async () => {
      const s = await storedStatus(chatId, m.id)
      return s?.status === 'failed' ? s : null
    })
    expect(failed.error).toEqual({ code: 'timeout' })
    expect(h.calls.send).toBe(4)
  })

  it('closing while a send is in flight writes nothing after the store is closed, and the next start resends', async () => {
    const { chatId } = await setup()
    let release!: () => void
    const stalled = new Promise<void>((r) => (release = r))
    let reached!: () => void
    const inFlight = new Promise<void>((r) => (reached = r))
    h.net.hooks.beforeDeliver = async () => {
      reached()
      await stalled
    }
    // The network finishing the stalled delivery after Core closed: the named moment to wait for.
    const delivered = new Promise<void>((r) => (h.net.hooks.afterDeliver = async () => r()))
    await h.core.handlers.sendMessage({ chatId, clientId: 'client-closing', draft: { kind: 'text', text: 'mid-close' } })
    await inFlight
    const closing = h.core.close()
    release()
    await closing
    await delivered
    h.net.hooks.afterDeliver = undefined
    h.net.hooks.beforeDeliver = undefined
    await h.restart()
    const restarted = await eventually(async () =>
      (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages.find((m) => m.clientId === 'client-closing' && m.status === 'sent')
    )
    expect(restarted.text).toBe('mid-close')
    expect(h.net.deliveries.filter((d) => d.clientId === 'client-closing')).toHaveLength(1)
  })

  it('keeps messages in order per account', async () => {
    const { chatId } = await setup()
    for (let i = 0; i < 5; i++) await h.core.handlers.sendMessage({ chatId, clientId: `client-order${i}`, draft: { kind: 'text', text: `n${i}` } })
    await eventually(() => h.net.deliveries.length === 5)
    expect(h.net.deliveries.map((d) => d.text)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4'])
  })

  it('folds the network echo into the pending message when it arrives before the acknowledgement', async () => {
    const { chatId } = await setup()
    const removed = collect(h.core, 'messageRemoved')
    // The echo carries the network's id but not our client id, so it first lands as a message of its own.
    h.net.hooks.afterDeliver = async (clientId) => {
      h.net.echo(
        'me',
        h.net.deliveries.find((d) => d.clientId === clientId)!,
        { withClientId: false }
      )
      await eventually(async () => (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages.filter((x) => x.text === 'echoed').length === 2)
    }
    const m = await h.core.handlers.sendMessage({ chatId, clientId: 'client-echo01', draft: { kind: 'text', text: 'echoed' } })
    await eventually(async () => (await storedStatus(chatId, m.id))?.status === 'sent')
    const copies = (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages.filter((x) => x.text === 'echoed')
    expect(copies.map((x) => x.id)).toEqual([m.id])
    expect(removed).toHaveLength(1)
    expect(removed[0]!.chatId).toBe(chatId)
  })

  it('matches an echo that carries the client id without a second row', async () => {
    const { chatId } = await setup()
    h.net.hooks.afterDeliver = async (clientId) =>
      h.net.echo(
        'me',
        h.net.deliveries.find((d) => d.clientId === clientId)!,
        { withClientId: true }
      )
    const m = await h.core.handlers.sendMessage({ chatId, clientId: 'client-echo02', draft: { kind: 'text', text: 'tagged' } })
    await eventually(async () => (await storedStatus(chatId, m.id))?.status === 'sent')
    const copies = (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages.filter((x) => x.text === 'tagged')
    expect(copies.map((x) => x.id)).toEqual([m.id])
  })
})
