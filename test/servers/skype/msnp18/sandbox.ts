// The Messenger (MSNP18) part of the Skype sandbox: the reference server's simulated
// contacts on the sandbox phone page — a line is said as Bob or Carol (with a typing notice
// first), "/nudge" sends a nudge and "/typing" only types — and, on their own, Bob and Carol
// answer what Alice writes (typing first) and nudge her back when she nudges them.

import type { PhoneReceived, SandboxPhone } from '../../sandbox-types'
import type { Msnp18Server } from './server'
import { ALICE18 } from './world'

const PEOPLE: Record<string, string> = { 'bob@example.com': 'Bob B.', 'carol@example.com': 'Carol C.' }

/** How long a simulated contact "reads" and "types" before answering, as a person would. */
const READ_MS = 300
const TYPE_MS = 700

/** Bob and Carol answer Alice: typing, then a reply to a text; a nudge for a nudge or for "nudge me". Returns a stop function. */
export function answerAsContacts(server: Msnp18Server): () => void {
  const timers = new Set<NodeJS.Timeout>()
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    timers.add(t)
  }
  server.world.onReceived = (r) => {
    const name = PEOPLE[r.to]
    if (!name || r.from !== ALICE18.email) return
    const peer = server.peer(r.to)
    if (r.kind === 'nudge') return later(READ_MS, () => peer.nudge(ALICE18.email))
    if (r.kind !== 'text') return
    // Asking for one in words gets one too (Junction also sends its own from the chat header).
    if (/\bnudge\b/i.test(r.text)) return later(READ_MS, () => peer.nudge(ALICE18.email))
    later(READ_MS, () => {
      peer.typing(ALICE18.email)
      later(TYPE_MS, () => peer.say(ALICE18.email, `${name.split(' ')[0]} here \u2014 you wrote \u201c${r.text.slice(0, 200)}\u201d`))
    })
  }
  return () => {
    server.world.onReceived = () => {}
    for (const t of timers) clearTimeout(t)
    timers.clear()
  }
}

/**
 * What Alice wrote to a Messenger contact, as the contact received it, oldest first. MSNP18
 * has no delivery or read receipts and no reactions (msnp18.md §5): what the switchboard
 * handed the contact is "delivered", and there is no `read` or `react`.
 */
export function receivedBy(server: Msnp18Server, contact: string): PhoneReceived[] {
  return server.world.received
    .filter((r) => r.to === contact && r.from === ALICE18.email && r.kind === 'text')
    .map((r, i) => ({ id: `${r.at}-${i}`, text: r.text, at: r.at, status: 'delivered' }))
}

export function messengerPhone(server: Msnp18Server): Pick<SandboxPhone, 'help' | 'chats' | 'sendAs' | 'received' | 'typing'> {
  return {
    help: () => [
      `Messenger (revival service): ${ALICE18.email} / ${ALICE18.password}, server left empty`,
      'Messenger contacts Bob and Carol answer what Alice writes, typing first; "nudge me" gets a nudge.',
      'Messenger: "/request" sends Alice a contact request from Dave (msnp18.md §3.8), shown above her chat list.'
    ],
    chats: async () => Object.entries(PEOPLE).map(([id, name]) => ({ id, title: `${name} \u2192 Alice (Messenger)` })),
    sendAs: async (chatId, text) => {
      const peer = server.peer(chatId in PEOPLE ? chatId : 'bob@example.com')
      const line = text.trim()
      if (line === '/nudge') return peer.nudge(ALICE18.email)
      if (line === '/request') return server.peer('dave@example.com').addContact(ALICE18.email)
      peer.typing(ALICE18.email)
      if (line !== '/typing') peer.say(ALICE18.email, text)
    },
    received: async (chatId) => receivedBy(server, chatId),
    // §5.6: a typing notice is one message the receiver shows for a few seconds; there is no "stopped".
    typing: async (chatId, typing) => {
      if (typing) server.peer(chatId in PEOPLE ? chatId : 'bob@example.com').typing(ALICE18.email)
    }
  }
}
