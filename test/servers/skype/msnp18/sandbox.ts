// The Messenger (MSNP18) part of the Skype sandbox: the reference server's simulated
// contacts on the sandbox phone page — a line is said as Bob or Carol (with a typing notice
// first), "/nudge" sends a nudge and "/typing" only types.

import type { SandboxPhone } from '../../sandbox-types'
import type { Msnp18Server } from './server'
import { ALICE18 } from './world'

const PEOPLE: Record<string, string> = { 'bob@example.com': 'Bob B.', 'carol@example.com': 'Carol C.' }

export function messengerPhone(server: Msnp18Server): Pick<SandboxPhone, 'help' | 'chats' | 'sendAs'> {
  return {
    help: () => [
      `Messenger (revival service): ${ALICE18.email} / ${ALICE18.password}, server left empty`,
      'Write as Bob or Carol below; "/nudge" sends a nudge, "/typing" only shows typing.'
    ],
    chats: async () => Object.entries(PEOPLE).map(([id, name]) => ({ id, title: `${name} \u2192 Alice (Messenger)` })),
    sendAs: async (chatId, text) => {
      const peer = server.peer(chatId in PEOPLE ? chatId : 'bob@example.com')
      const line = text.trim()
      if (line === '/nudge') return peer.nudge(ALICE18.email)
      peer.typing(ALICE18.email)
      if (line !== '/typing') peer.say(ALICE18.email, text)
    }
  }
}
