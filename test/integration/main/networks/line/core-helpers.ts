// A Core with the LINE network pointed at the reference server, and the account added the
// way a person adds it: QR on screen, the phone scans, the PIN is typed on the phone.

import type { LoginStep } from '../../../../../src/shared/api'
import type { Chat, Message } from '../../../../../src/shared/model'
import { lineNetwork } from '../../../../../src/main/networks/line'
import type { Core } from '../../../../../src/main/core/core'
import { createHarness, type Harness } from '../../../../helpers/core-harness'
import { eventually, waitFor } from '../../../../helpers/events'
import type { LinePhone } from '../../../../servers/line/phone'
import type { LineServer } from '../../../../servers/line/server'

export async function lineHarness(server: LineServer, config: Record<string, unknown> = {}, dataDir?: string): Promise<Harness> {
  return createHarness({
    networks: () => [lineNetwork],
    ...(dataDir ? { dataDir } : {}),
    core: { networkConfig: { line: server.config(config) }, outbox: { sendTimeoutMs: 10_000 } }
  })
}

export async function addLineAccount(core: Core, phone: LinePhone): Promise<string> {
  const qr = waitFor(core.events, 'login', (e) => e.step.kind === 'qr')
  const { loginId } = await core.handlers.startLogin({ network: 'line', methodId: 'qr' })
  const done = waitFor(core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 10_000)
  const pin = waitFor(core.events, 'login', (e) => e.loginId === loginId && e.step.kind === 'pin', 10_000)
  await phone.scan(((await qr).step as Extract<LoginStep, { kind: 'qr' }>).payload)
  await phone.enterPin(((await pin).step as Extract<LoginStep, { kind: 'pin' }>).pin)
  const result = (await done).step
  if (result.kind !== 'done') throw new Error(`login failed: ${JSON.stringify(result)}`)
  return result.accountId
}

export async function chatByRemote(core: Core, remoteId: string): Promise<Chat> {
  return eventually(async () => {
    const page = await core.handlers.listInbox({ filter: { kind: 'all' }, limit: 100 })
    return page.chats.find((c) => c.remoteId === remoteId)
  })
}

export async function messagesOf(core: Core, chatId: string): Promise<Message[]> {
  return (await core.handlers.listMessages({ chatId, limit: 200 })).messages
}

/** Waits until the chat holds a message matching `predicate`, and returns it. */
export async function messageIn(core: Core, chatId: string, predicate: (m: Message) => boolean, timeoutMs = 5_000): Promise<Message> {
  return eventually(async () => (await messagesOf(core, chatId)).find(predicate), timeoutMs)
}
