// WhatsApp legacy group members and subject through Core (issue 12 §5; spec §6.3
// `["query","GroupMetadata",GID]`, §7.1 group stubs, §6.5 `Chat` actions), against the reference
// server: after the login sync the group's participants arrive as its members, by contact name; a
// member added or a subject changed on the phone reaches the chat; admins made or unmade and a new
// description show as lines naming people, and the group is asked for again.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LoginStep } from '../../../../../src/shared/api'
import { whatsappNetwork } from '../../../../../src/main/networks/whatsapp'
import { createHarness, type Harness } from '../../../../helpers/core-harness'
import { eventually, waitFor } from '../../../../helpers/events'
import type { SimulatedPhone } from '../../../../servers/whatsapp/phone'
import type { WhatsAppServer } from '../../../../servers/whatsapp/server'
import { ALICE, BOB, CAROL, DAVE, FAST, startWorld, TEAM } from './fixture'
import type { Message } from '../../../../../src/shared/model'

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

describe('WhatsApp legacy group actions (spec §6.5 Chat)', () => {
  const lines = async (): Promise<Message[]> =>
    (await h.core.handlers.listMessages({ chatId: (await chat(TEAM)).id, limit: 50 })).messages.filter((m) => m.kind === 'system')
  const texts = async () => (await lines()).map((m) => m.text)
  const queriesOfTeam = () => server.stats.groupQueries.filter((g) => g === TEAM).length

  beforeEach(async () => {
    await eventually(async () => ((await members()).length === 3 ? true : undefined))
  })

  it('words a promotion and a demotion with names, never numbers, and asks for the group again', async () => {
    const asked = queriesOfTeam()
    expect(phone.setAdmins(TEAM, [CAROL], true, DAVE)).toBe(true)
    await eventually(async () => (await texts()).includes('Dave made Carol Singer an admin'))
    await eventually(() => queriesOfTeam() === asked + 1)
    phone.setAdmins(TEAM, [CAROL, DAVE], false)
    await eventually(async () => (await texts()).includes('Carol Singer, Dave are no longer admins'))
    phone.setAdmins(TEAM, [CAROL], true)
    await eventually(async () => (await texts()).includes('You made Carol Singer an admin'))
    await eventually(() => queriesOfTeam() === asked + 3)
    const made = (await lines()).find((m) => m.text === 'You made Carol Singer an admin')!
    expect(made.fromMe).toBe(true)
  })

  it('takes the members from the server after an action, not from the push', async () => {
    // A member the phone lists without a stub of its own: only the re-asked metadata can bring them.
    server.accounts.get(ALICE)!.chats.get(TEAM)!.participants.push(BOB)
    phone.setAdmins(TEAM, [BOB], true, CAROL)
    await eventually(async () => (await texts()).includes('Carol Singer made Bob Builder an admin'))
    const list = await eventually(async () => ((await members()).length === 4 ? await members() : undefined))
    expect(byId(list)[BOB]).toBe('Bob Builder')
  })

  it('words a new description by who set it; reading the group after a line sends a receipt for a phone message', async () => {
    phone.setDescription(TEAM, 'Standups at 10, retro on Fridays', CAROL)
    await eventually(async () => (await texts()).includes('Carol Singer changed the group description'))
    const newest = phone.messages(TEAM).at(-1)!
    await h.core.handlers.markChatRead({ chatId: (await chat(TEAM)).id })
    // The line is no phone's message: the receipt names the newest one the phone has.
    await eventually(() => server.stats.reads.some((r) => r.chat === TEAM))
    expect(server.stats.reads.filter((r) => r.chat === TEAM).map((r) => r.index)).toEqual([newest.id])
  })
})
