// The Skype sandbox: the real Skype Connector against the reference server, and a phone
// page from which a person writes as Alice's contacts (Bob, Carol) and in a group thread.
// Beside it the MSNP18 reference server is the "Messenger (revival service)" sign-in's
// default server, whose contacts chat, type and nudge (issue 16 point 5). With a state dir
// both servers resume their accounts after a restart (issue 11 point 8).

import { join } from 'node:path'
import { skypeNetwork } from '../../../src/main/networks/skype'
import type { SandboxNetwork } from '../sandbox-types'
import { answerAsContacts, messengerPhone } from './msnp18/sandbox'
import { startMsnp18Server, type Msnp18Server } from './msnp18/server'
import { startSkypeServer, type SkypeServer } from './server'
import { ALICE } from './users'

export interface SkypeSandbox extends SandboxNetwork {
  server: SkypeServer
  messenger: Msnp18Server
}

const SANDBOX_THREAD = 'Sandbox team'

export async function startSkypeSandbox(options: { stateDir?: string } = {}): Promise<SkypeSandbox> {
  const server = await startSkypeServer({ seed: true, ...(options.stateDir ? { stateDir: options.stateDir } : {}) })
  const messenger = await startMsnp18Server(options.stateDir ? { stateDir: join(options.stateDir, 'messenger') } : {})
  const messengerSide = messengerPhone(messenger)
  const stopAnswering = answerAsContacts(messenger)
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
