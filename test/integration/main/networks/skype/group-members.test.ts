// Members and subject of Skype group threads through Core (issue 12 §5), against the reference
// server in both dialects: MSNP24 gets the member list from the NFY MSGR\THREAD push (shape after
// the web API's ThreadUpdate, spec §11.3); MSNP21 has no thread push, so the list is built from
// the ThreadActivity/AddMember and DeleteMember events (spec §6.5) and the senders seen. Names come
// from the address book; TopicUpdate renames the chat.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright'
import { launchChromium } from '../../../../helpers/browser'
import { eventually } from '../../../../helpers/events'
import { addAccountWithBrowser, addAccountWithPassword, chatIdOf, startSkypeHarness, type SkypeHarness } from './harness'

for (const dialect of ['msnp24', 'msnp21'] as const) {
  describe(`Skype group members over ${dialect.toUpperCase()}`, () => {
    let s: SkypeHarness
    let browser: Browser | undefined

    beforeAll(async () => {
      // MSNP24 signs in on the Microsoft page (Chromium); MSNP21 with a Passport password.
      s = await startSkypeHarness({ dialect, ...(dialect === 'msnp21' ? { server: { redirect: true } } : {}) })
      if (dialect === 'msnp24') await addAccountWithBrowser(s.core, (browser = await launchChromium()))
      else await addAccountWithPassword(s.core)
    })

    afterAll(async () => {
      await s?.close()
      await browser?.close()
    })

    const members = async (chatId: string) => s.core.handlers.getChatMembers({ chatId })
    const ids = async (chatId: string) => (await members(chatId)).map((m) => m.remoteId)
    const nameOf = async (chatId: string, remoteId: string) => (await members(chatId)).find((m) => m.remoteId === remoteId)?.name
    const has = (chatId: string, remoteId: string, present = true) =>
      eventually(async () => ((await ids(chatId)).includes(remoteId) === present ? true : undefined))

    it('lists the members by name, follows joins, leaves and the topic', async () => {
      const thread = s.server.peer('bob').createThread('Members test', ['alice', 'carol'])
      const chatId = await chatIdOf(s.core, thread.id)
      // The reference server names members by Skype name in either dialect (`<target>8:…`, `<mri>8:…`).
      await has(chatId, '8:bob.smith')
      await has(chatId, '8:carol.jones')
      // No member is shown under a raw id.
      for (const member of await members(chatId)) expect(member.name).not.toMatch(/^\d+:/)
      // MSNP24's address book holds the Skype names; MSNP21's holds `1:` e-mail addresses, so there the Skype name is the name.
      expect(await nameOf(chatId, '8:carol.jones')).toBe(dialect === 'msnp24' ? 'Carol Jones' : 'carol.jones')

      const dave = `8:${s.server.world.user('dave').skypeName}`
      s.server.peer('dave').joinThread(thread.id)
      await has(chatId, dave)

      // A member who writes is listed once. (MSNP21 only: its messages come from `1:` e-mail addresses
      // while the thread names members by Skype name, and nothing the dialect carries links the two,
      // so such a member is listed under both; docs/architecture.md, "Skype pictures and group members".)
      s.server.peer('carol').say(thread.id, 'Hello group')
      s.server.peer('bob').say(thread.id, 'Hi all')
      await eventually(async () => {
        const page = await s.core.handlers.listMessages({ chatId, before: null, limit: 20 })
        return page.messages.some((m) => m.text === 'Hi all') ? true : undefined
      })
      const self = (await s.core.handlers.listAccounts())[0]!.selfId
      if (dialect === 'msnp24') expect((await ids(chatId)).sort()).toEqual(['8:bob.smith', '8:carol.jones', dave, self].sort())
      else expect(await ids(chatId)).toEqual(expect.arrayContaining(['8:bob.smith', '8:carol.jones', dave]))

      s.server.peer('carol').leaveThread(thread.id)
      await has(chatId, '8:carol.jones', false)
      expect(await ids(chatId)).toEqual(expect.arrayContaining(['8:bob.smith', dave]))

      s.server.peer('bob').setTopic(thread.id, 'Renamed plans')
      await eventually(async () =>
        (await s.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.id === chatId)?.title === 'Renamed plans'
          ? true
          : undefined
      )
    })
  })
}
