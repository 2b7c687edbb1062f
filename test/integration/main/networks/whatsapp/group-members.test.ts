// WhatsApp legacy group members and subject through Core (issue 12 §5; spec §6.3
// `["query","GroupMetadata",GID]`, §7.1 group stubs), against the reference server: after the
// login sync the group's participants arrive as its members, by contact name; a member added
// or a subject changed on the phone reaches the chat.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LoginStep } from '../../../../../src/shared/api'
import { whatsappNetwork } from '../../../../../src/main/networks/whatsapp'
import { createHarness, type Harness } from '../../../../helpers/core-harness'
import { eventually, waitFor } from '../../../../helpers/events'
import type { SimulatedPhone } from '../../../../servers/whatsapp/phone'
import type { WhatsAppServer } from '../../../../servers/whatsapp/server'
import { ALICE, BOB, CAROL, DAVE, FAST, startWorld, TEAM } from './fixture'

let h: Harness
let server: WhatsAppServer
let phone: SimulatedPhone

beforeEach(async () => {
  const world = await startWorld()
  server = world.server
  phone = world.phone
  h = await createHarness({ networks: () => [whatsappNetwork], core: { networkConfig: { whatsapp: server.clientConfig(FAST) } } })
  const qr = waitFor(h.core.events, 'login', (e) => e.step.kind === 'qr')
  const { loginId } = await h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'legacy-qr' })
  const done = waitFor(h.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'))
  await phone.scan(((await qr).step as Extract<LoginStep, { kind: 'qr' }>).payload)
  const step = (await done).step
  if (step.kind !== 'done') throw new Error(`login failed: ${JSON.stringify(step)}`)
  await eventually(async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.length === 2)
})

afterEach(async () => {
  await h?.close()
  await server?.close()
})

const chat = async (remoteId: string) => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === remoteId)!
const members = async () => h.core.handlers.getChatMembers({ chatId: (await chat(TEAM)).id })
const byId = (list: { remoteId: string; name?: string }[]) => Object.fromEntries(list.map((m) => [m.remoteId, m.name]))

describe('WhatsApp legacy group members', () => {
  it('lists the group participants by contact name after the sync', async () => {
    const list = await eventually(async () => ((await members()).length ? await members() : undefined))
    expect(byId(list)).toMatchObject({ [CAROL]: 'Carol Singer', [DAVE]: 'Dave' })
    expect(list.map((m) => m.remoteId).sort()).toEqual([ALICE, CAROL, DAVE].sort())
    // Direct chats have no member list from this query.
    expect(await h.core.handlers.getChatMembers({ chatId: (await chat(BOB)).id })).toEqual([])
  })

  it('adds the member the phone added to the group', async () => {
    await eventually(async () => ((await members()).length === 3 ? true : undefined))
    phone.addMember(TEAM, BOB)
    const list = await eventually(async () => ((await members()).length === 4 ? await members() : undefined))
    expect(byId(list)[BOB]).toBe('Bob Builder')
  })

  it('takes the new subject as the chat title', async () => {
    await eventually(async () => ((await members()).length === 3 ? true : undefined))
    phone.setSubject(TEAM, 'Release crew')
    await eventually(async () => ((await chat(TEAM)).title === 'Release crew' ? true : undefined))
  })
})
