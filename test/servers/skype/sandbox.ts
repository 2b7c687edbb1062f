// The Skype sandbox: the real Skype Connector against the reference server, and a phone
// page from which a person writes as Alice's contacts (Bob, Carol) and in a group thread.
// With a state dir the server resumes its accounts after a restart (issue 11 point 8).

import { skypeNetwork } from '../../../src/main/networks/skype'
import type { SandboxNetwork } from '../sandbox-types'
import { startSkypeServer, type SkypeServer } from './server'
import { ALICE } from './users'

export interface SkypeSandbox extends SandboxNetwork {
  server: SkypeServer
}

const SANDBOX_THREAD = 'Sandbox team'

export async function startSkypeSandbox(options: { stateDir?: string } = {}): Promise<SkypeSandbox> {
  const server = await startSkypeServer({ seed: true, ...(options.stateDir ? { stateDir: options.stateDir } : {}) })
  const thread =
    [...server.world.threads.values()].find((t) => t.topic === SANDBOX_THREAD) ?? server.peer('bob').createThread(SANDBOX_THREAD, ['alice', 'carol'])
  const people: Record<string, string> = { bob: 'Bob Smith', carol: 'Carol Jones' }
  return {
    id: 'skype',
    definition: skypeNetwork,
    config: server.config('msnp24'),
    phone: {
      label: `Skype contacts of Alice (${ALICE.email})`,
      help: () => [
        `Microsoft sign-in page: ${ALICE.email} / ${ALICE.password}`,
        'Write as Bob or Carol below; start a line with "/me " to send an emote.',
        'Mallory is on Alice\u2019s block list: nothing from her gets through.'
      ],
      chats: async () => [
        { id: 'bob', title: `${people.bob} \u2192 Alice` },
        { id: 'carol', title: `${people.carol} \u2192 Alice` },
        { id: thread.id, title: `Bob in \u201c${thread.topic}\u201d` }
      ],
      sendAs: async (chatId, text) => {
        const isThread = chatId.startsWith('19:')
        const from = server.peer(isThread ? 'bob' : chatId in people ? chatId : 'bob')
        const to = isThread ? chatId : 'alice'
        const emote = /^\/me\s+(.+)$/s.exec(text)
        if (emote) from.emote(to, emote[1]!)
        else from.say(to, text)
      }
    },
    server,
    close: () => server.close()
  }
}
