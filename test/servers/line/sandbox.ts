// `npm run sandbox` for LINE: the reference server on loopback with Alice's account, her
// phone, and her chats — Bob (Letter Sealing on: sealed), Carol (Letter Sealing off:
// plain), a sealed group and a mixed group (plain, capture 002's situation).

import { lineNetwork } from '../../../src/main/networks/line'
import type { SandboxNetwork } from '../sandbox-types'
import { LinePhone } from './phone'
import { PROFILE_PREFIX, setPicture } from './profile-pictures'
import { startLineServer, type LineServer } from './server'

/** line.md PredefinedReactionType: 2 NICE … 7 OMG, by the emoji each stands for. */
const LINE_REACTION_TYPES = new Map([
  ['👍', 2],
  ['❤️', 3],
  ['😆', 4],
  ['😮', 5],
  ['😢', 6],
  ['😡', 7]
])

export const SANDBOX_EMAIL = 'alice@line.sandbox'
export const SANDBOX_PASSWORD = 'sandbox'

export interface LineSandbox extends SandboxNetwork {
  server: LineServer
  linePhone: LinePhone
}

/** `stateDir`: where the server keeps its world, so that a restarted sandbox resumes every session (issue 11 point 8). */
export async function startLineSandbox(options: { stateDir?: string } = {}): Promise<LineSandbox> {
  const server = await startLineServer(options.stateDir ? { stateDir: options.stateDir } : {})
  const { world } = server
  const restored = [...world.users.values()].find((u) => u.email === SANDBOX_EMAIL)
  const alice = restored ?? (await seed(server))
  const phone = new LinePhone(server, alice.mid)

  return {
    id: 'line',
    definition: lineNetwork,
    // Real timings (not the quick ones of server.config()); the signer is the test signer the server verifies.
    config: {
      gatewayUrl: server.url,
      obsUrl: server.url,
      stickerUrl: server.url,
      legacyUrl: server.url,
      profileUrl: `${server.url}${PROFILE_PREFIX}`,
      signer: server.signer
    },
    server,
    linePhone: phone,
    phone: {
      label: `LINE phone of Alice (${SANDBOX_EMAIL})`,
      help: () => [
        `E-mail login: ${SANDBOX_EMAIL} / ${SANDBOX_PASSWORD}`,
        'QR login: scan the code Junction shows, then type the PIN it shows here.',
        'Bob and the "Sealed team" group use Letter Sealing; Carol and the "Mixed group" are plain.'
      ],
      scan: (payload) => phone.scan(payload),
      enterPin: (pin) => phone.enterPin(pin),
      chats: () => phone.chats(),
      sendAs: async (chatId, text) => {
        await phone.sendAs(chatId, text)
      },
      // The phone page's delivery view (issue 12 §8). LINE has read receipts and the six
      // predefined reactions, but no typing indicator (spec §5), so no `typing`.
      received: async (chatId) => phone.receivedFromOwner(chatId),
      read: (chatId) => phone.readAs(chatId),
      reactionEmoji: [...LINE_REACTION_TYPES.keys()],
      react: async (chatId, messageId, emoji) => {
        const type = LINE_REACTION_TYPES.get(emoji)
        if (type === undefined) throw new Error(`LINE has no ${emoji} reaction; it has ${[...LINE_REACTION_TYPES.keys()].join(' ')}.`)
        await phone.reactAs(chatId, messageId, type)
      }
    },
    close: () => server.close()
  }
}

/** Alice's world on first start: her contacts, two groups and a first message in each chat. */
async function seed(server: LineServer): Promise<{ mid: string }> {
  const { world } = server
  const alice = world.addUser({ displayName: 'Alice', email: SANDBOX_EMAIL, password: SANDBOX_PASSWORD, sealing: true, extraKeys: 1 })
  const bob = world.addUser({ displayName: 'Bob', sealing: true })
  const carol = world.addUser({ displayName: 'Carol', sealing: false })
  // Pictures for Alice, Bob and the sealed group (issue 12 §3); Carol and the mixed group show initials.
  setPicture(alice)
  setPicture(bob)
  world.befriend(alice.mid, bob.mid)
  world.befriend(alice.mid, carol.mid)
  const team = world.addGroup('Sealed team', bob.mid, [alice.mid])
  setPicture(team)
  const mixed = world.addGroup('Mixed group', carol.mid, [alice.mid, bob.mid])
  const phone = new LinePhone(server, alice.mid)
  await phone.sendAs(bob.mid, 'Welcome to the LINE sandbox! This chat is sealed.')
  await phone.sendAs(carol.mid, 'Hi Alice — my Letter Sealing is off, so this chat is plain.')
  await phone.sendAs(team.mid, 'Group messages here are sealed with a group key.')
  await phone.sendAs(mixed.mid, 'Carol is in here, so this group is plain.', { from: carol.mid })
  await phone.sendStickerAs(bob.mid, '13', '1')
  return alice
}
