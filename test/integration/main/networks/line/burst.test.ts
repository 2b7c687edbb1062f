// Issue 11 point 3: 50 messages sent as fast as Enter can be pressed, through Core's Api
// (sendMessage 50 times without waiting in between), reach the contact exactly once each,
// in order; and each is shown `sent` only once LINE acknowledged that very message (the
// reference server holds it when Core says so). A plain chat and a sealed one.

import { afterEach, describe, expect, it } from 'vitest'
import type { Message } from '../../../../../src/shared/model'
import type { Harness } from '../../../../helpers/core-harness'
import { eventually } from '../../../../helpers/events'
import type { StoredMessage } from '../../../../servers/line/world'
import { addLineAccount, chatByRemote, lineHarness, messagesOf } from './core-helpers'
import { lineFixture, type LineFixture } from './helpers'

let f: LineFixture | undefined
let h: Harness | undefined

afterEach(async () => {
  await h?.close()
  await f?.close()
  h = undefined
  f = undefined
})

const BURST = 50

describe('LINE 50-message burst through the Api (issue 11 point 3)', () => {
  for (const which of ['plain', 'sealed'] as const) {
    it(`delivers 50 of 50 to a ${which} chat, in order, exactly once, each sent only after LINE acknowledged it`, async () => {
      f = await lineFixture()
      h = await lineHarness(f.server)
      const peer = which === 'plain' ? f.carol.mid : f.bob.mid
      await f.phone.sendAs(peer, 'ready when you are')
      await addLineAccount(h.core, f.phone)
      const chat = await chatByRemote(h.core, peer)
      const textOf = (m: StoredMessage): string | undefined => (which === 'plain' ? m.text : (f!.phone.open(m, peer) as { text?: string }).text)
      const atServer = (): string[] => f!.server.world.messages.filter((m) => m.from === f!.alice.mid && m.to === peer).map((m) => textOf(m) ?? '')

      // Each `sent` Core reports is checked against the server at that very moment.
      const early: string[] = []
      const sentAt = new Map<string, number>()
      const off = h.core.events.on('message', (m: Message) => {
        if (m.chatId !== chat.id || !m.clientId?.startsWith('burst-') || m.status !== 'sent' || sentAt.has(m.clientId)) return
        sentAt.set(m.clientId, Date.now())
        if (!atServer().includes(m.text)) early.push(m.clientId)
      })
      const texts = Array.from({ length: BURST }, (_, i) => `burst ${which} ${i + 1}`)
      const accepted = texts.map((text, i) => h!.core.handlers.sendMessage({ chatId: chat.id, clientId: `burst-${i + 1}`, draft: { kind: 'text', text } }))
      await Promise.all(accepted)
      await eventually(() => sentAt.size === BURST, 20_000)
      off()

      expect(early).toEqual([])
      expect(atServer()).toEqual(texts)
      // One sendMessage per message, each with its own reqSeq: nothing was sent twice.
      const sends = f.server.world.requests.filter((r) => r.path.endsWith('/TalkService/sendMessage') && r.status === 200)
      const reqSeqs = sends.map((r) => (JSON.parse(r.body) as [number])[0])
      expect(new Set(reqSeqs).size).toBe(reqSeqs.length)
      // And Junction shows each once, sent, in the order typed.
      const mine = (await messagesOf(h.core, chat.id)).filter((m) => m.clientId?.startsWith('burst-'))
      expect(mine).toHaveLength(BURST)
      expect(mine.every((m) => m.status === 'sent' || m.status === 'read')).toBe(true)
      expect([...mine].sort((a, b) => a.timestamp - b.timestamp || a.remoteId!.localeCompare(b.remoteId!)).map((m) => m.text)).toEqual(texts)
    }, 60_000)
  }
})
