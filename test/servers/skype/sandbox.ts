// The Skype sandbox: the real Skype Connector against the reference server, and a phone
// page from which a person writes as Alice's contacts (Bob, Carol) and in a group thread.
// Beside it the MSNP18 reference server is the "Messenger (revival service)" sign-in's
// default server, whose contacts chat, type and nudge (issue 16 point 5). With a state dir
// both servers resume their accounts after a restart (issue 11 point 8).

import { join } from 'node:path'
import { PNG } from 'pngjs'
import { skypeNetwork } from '../../../src/main/networks/skype'
import type { PhoneReceived, SandboxNetwork } from '../sandbox-types'
import { answerAsContacts, messengerPhone } from './msnp18/sandbox'
import { startMsnp18Server, type Msnp18Server } from './msnp18/server'
import { ALICE18 } from './msnp18/world'
import { startSkypeServer, type SkypeServer } from './server'
import { ALICE } from './users'

export interface SkypeSandbox extends SandboxNetwork {
  server: SkypeServer
  messenger: Msnp18Server
}

const SANDBOX_THREAD = 'Sandbox team'

/**
 * What Alice sent in a chat (a contact's key or a thread id), oldest first, with later edits
 * applied and deleted ones (an edit to empty text, spec §6.4) left out. The reference server
 * hands a message to a simulated contact as it routes it: "delivered".
 */
function sentByAlice(server: SkypeServer, chatId: string): PhoneReceived[] {
  const out = new Map<string, PhoneReceived>()
  const media = new Map(server.ams.received(server.world.log).map((r) => [r.message, r]))
  for (const m of server.world.log) {
    const shared = media.get(m)
    if (m.from !== 'alice' || !(shared || /^(text|richtext)$/i.test(m.messageType))) continue
    if (m.to.kind === 'thread' ? m.to.id !== chatId : m.to.key !== chatId) continue
    const text = shared
      ? `[${shared.kind === 'image' ? 'Photo' : 'File'}: ${shared.name ?? '?'}${shared.bytes ? `, ${shared.bytes.length} bytes` : ''}]`
      : m.body
          .replace(/<[^>]*>/g, '')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&amp;/g, '&')
    const edited = m.editedId ? out.get(m.editedId) : undefined
    if (m.editedId && edited) {
      if (text === '') out.delete(m.editedId)
      else edited.text = `${text} (edited)`
      continue
    }
    out.set(m.clientMessageId ?? String(m.id), { id: String(m.id), text, at: m.arrival, status: 'delivered' })
  }
  return [...out.values()]
}

export async function startSkypeSandbox(options: { stateDir?: string } = {}): Promise<SkypeSandbox> {
  const server = await startSkypeServer({ seed: true, ...(options.stateDir ? { stateDir: options.stateDir } : {}) })
  // Bob has a picture on Skype (issue 12 §3), and so has Alice (the rail shows it); Carol shows her initials.
  server.avatars.set('bob')
  server.avatars.set('alice')
  const messenger = await startMsnp18Server(options.stateDir ? { stateDir: join(options.stateDir, 'messenger') } : {})
  // Bob has a display picture on Messenger too (msnp18.md §7.3), kept across restarts; Carol has none.
  if (!messenger.world.get('bob@example.com')?.picture) messenger.usertiles.set('bob@example.com')
  if (!messenger.world.get(ALICE18.email)?.picture) messenger.usertiles.set(ALICE18.email)
  const messengerSide = messengerPhone(messenger)
  const stopAnswering = answerAsContacts(messenger)
  // Issue 12 §2: a photo and a file from Bob, downloaded when Alice opens them (ams.ts). AMS keeps
  // its objects in memory only, so they are shared again on a fresh start, not after a restore.
  if (!server.restored) {
    server.ams.sharePhoto(server.peer('bob'), 'alice', 'harbour.png', sandboxPicture(), { width: 160, height: 120 })
    server.ams.shareFile(
      server.peer('bob'),
      'alice',
      'Sandbox notes.txt',
      Buffer.from('Things to try in the Skype sandbox:\n- send Bob a photo\n- attach a file\n')
    )
  }
  const thread =
    [...server.world.threads.values()].find((t) => t.topic === SANDBOX_THREAD) ?? server.peer('bob').createThread(SANDBOX_THREAD, ['alice', 'carol'])
  const people: Record<string, string> = { bob: 'Bob Smith', carol: 'Carol Jones' }
  return {
    id: 'skype',
    definition: skypeNetwork,
    config: { ...server.config('msnp24'), ...messenger.config() },
    phone: {
      label: `Skype contacts of Alice (${ALICE.email}) and her Messenger contacts`,
      help: () => [
        `Microsoft sign-in page: ${ALICE.email} / ${ALICE.password}`,
        'Write as Bob or Carol below; start a line with "/me " to send an emote.',
        'Mallory is on Alice\u2019s block list: nothing from her gets through.',
        ...messengerSide.help()
      ],
      chats: async () => [
        { id: 'bob', title: `${people.bob} \u2192 Alice` },
        { id: 'carol', title: `${people.carol} \u2192 Alice` },
        { id: thread.id, title: `Bob in \u201c${thread.topic}\u201d` }
      ],
      sendAs: async (chatId, text) => {
        // Messenger contacts are named by e-mail address (msnp18/sandbox.ts); they are not listed, so the Skype list stays as it was.
        if ((await messengerSide.chats()).some((c) => c.id === chatId)) return messengerSide.sendAs(chatId, text)
        const isThread = chatId.startsWith('19:')
        const from = server.peer(isThread ? 'bob' : chatId in people ? chatId : 'bob')
        const to = isThread ? chatId : 'alice'
        const emote = /^\/me\s+(.+)$/s.exec(text)
        if (emote) from.emote(to, emote[1]!)
        else from.say(to, text)
      },
      // The phone page's delivery view (issue 12 §8): Skype as the reference server routed it
      // (edits applied, deletions gone), Messenger as its contacts received it. Neither
      // dialect has read receipts or reactions here, so no `read` or `react`.
      received: async (chatId) => ((await messengerSide.chats()).some((c) => c.id === chatId) ? messengerSide.received!(chatId) : sentByAlice(server, chatId)),
      typing: async (chatId, typing) => {
        if ((await messengerSide.chats()).some((c) => c.id === chatId)) return messengerSide.typing!(chatId, typing)
        const isThread = chatId.startsWith('19:')
        server.peer(isThread ? 'bob' : chatId in people ? chatId : 'bob').typing(isThread ? chatId : 'alice', typing)
      }
    },
    server,
    messenger,
    close: async () => {
      stopAnswering()
      await server.close()
      await messenger.close()
    }
  }
}

/** A small landscape for the sandbox's photo: sky, sea and a sun. */
function sandboxPicture(): Buffer {
  const png = new PNG({ width: 160, height: 120 })
  for (let y = 0; y < 120; y++)
    for (let x = 0; x < 160; x++) {
      const sun = (x - 120) ** 2 + (y - 30) ** 2 < 225
      const colour = sun ? [250, 210, 60] : y < 70 ? [110, 170, 230 - y] : [20, 80 + (y % 8) * 4, 140]
      png.data.set([...colour, 255], (y * 160 + x) * 4)
    }
  return PNG.sync.write(png)
}
