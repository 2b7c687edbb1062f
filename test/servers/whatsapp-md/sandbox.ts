// The WhatsApp part of `npm run sandbox`: the multi-device reference server (the default
// login method, "Link with a QR code") beside the legacy one (the second method), and the
// real Connector pointed at both: the flat config keys are the legacy protocol's, `md` holds
// the multi-device endpoint and the reference server's root key (the trust anchor the
// client checks the server's certificate chain against, spec §2.4). The phone page's scan
// box takes either QR: a multi-device one links a device to Alice's simulated phone, which
// then sends it her chats (history sync).

import { join } from 'node:path'
import { PNG } from 'pngjs'
import { whatsappNetwork } from '../../../src/main/networks/whatsapp'
import type { PhoneReceived, SandboxNetwork } from '../sandbox-types'
import { startWhatsAppSandbox } from '../whatsapp/sandbox'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from './index'

/** Alice's number on the multi-device server; her contacts write from theirs. */
export const MD_OWNER = '15550100'
const CONTACTS: Array<[number: string, name: string]> = [
  ['15550101', 'Bob Builder'],
  ['15550102', 'Carol Singer']
]
const MD_QR_PREFIX = 'https://wa.me/settings/linked_devices#'

/** Where Alice's contacts write to: her phone number's user JID (every device of hers gets it). */
export const mdOwnerJid = `${MD_OWNER}@s.whatsapp.net`

/** The connector config for the multi-device server (the `md` namespace of the WhatsApp settings). */
export function mdClientConfig(
  server: { url: string; rootPublicKey: Uint8Array; mediaUrl?: string },
  extra: Record<string, unknown> = {}
): Record<string, unknown> {
  // spec §8.3–§8.4: media goes to the reference server's media routes, not the real hosts media_conn names.
  const media = server.mediaUrl ? { mediaHost: server.mediaUrl } : {}
  return { wsUrl: server.url, noiseRootPublicKey: Buffer.from(server.rootPublicKey).toString('hex'), ...media, ...extra }
}

/** How long a contact stays "online" after it last wrote or typed on the phone page. */
const ONLINE_MS = 30_000

/**
 * Alice's multi-device contacts on the phone page: what each received from her (with its
 * delivery receipt, or read once the contact read it, spec §7.4), typing (§7.6 chatstate),
 * reading and reacting (§7.9), and their presence: online while active, then offline with
 * `last` (§7.6), which Junction shows as "last seen".
 */
function mdContacts(server: WhatsAppMdServerControls) {
  const read = new Set<string>()
  const firstSeen = new Map<string, number>()
  const offline = new Map<string, NodeJS.Timeout>()
  const active = (number: string): void => {
    clearTimeout(offline.get(number))
    server.hub.setPresence(number, true)
    const timer = setTimeout(() => server.hub.setPresence(number, false), ONLINE_MS)
    timer.unref()
    offline.set(number, timer)
  }
  const fromAlice = (number: string) =>
    server
      .contact(number)
      .received()
      .filter((m) => m.from === mdOwnerJid && !('chat' in m && m.chat))
  return {
    active,
    received: (number: string): PhoneReceived[] =>
      fromAlice(number).map((m) => {
        if (!firstSeen.has(m.id)) firstSeen.set(m.id, Date.now())
        return { id: m.id, text: m.text, at: firstSeen.get(m.id)!, status: read.has(m.id) ? 'read' : 'delivered' }
      }),
    typing: (number: string, typing: boolean): void => {
      if (typing) active(number)
      server.typing(number, mdOwnerJid, typing)
    },
    read: (number: string): void => {
      const ids = fromAlice(number)
        .map((m) => m.id)
        .filter((id) => !read.has(id))
      if (ids.length === 0) return
      active(number)
      server.read(number, mdOwnerJid, ids)
      for (const id of ids) read.add(id)
    },
    react: async (number: string, messageId: string, emoji: string): Promise<void> => {
      active(number)
      // spec §7.9: the key names the target as the reactor sees it (Alice's message: not from them).
      const key = { remoteJid: mdOwnerJid, fromMe: false, id: messageId }
      await server.sendMessage(number, mdOwnerJid, { reactionMessage: { key, text: emoji, senderTimestampMs: Date.now() } }, { type: 'reaction' })
    },
    close: (): void => {
      for (const timer of offline.values()) clearTimeout(timer)
    }
  }
}

export interface WhatsAppMdSandbox extends SandboxNetwork {
  mdServer: WhatsAppMdServerControls
}

/** A small one-colour picture from a name (the sandbox's profile pictures, issue 12 §3). */
function sandboxPicture(name: string): Uint8Array {
  const size = 64
  const png = new PNG({ width: size, height: size })
  const n = [...name].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 7)
  const colour = [40 + (n & 0x9f), 40 + ((n >> 8) & 0x9f), 40 + ((n >> 16) & 0x9f), 255]
  for (let i = 0; i < size * size; i++) png.data.set(colour, i * 4)
  return new Uint8Array(PNG.sync.write(png))
}

/** `stateDir` keeps both servers' state across restarts (legacy in it, multi-device in `md/`), so a restart needs no rescan. */
export async function startWhatsAppMdSandbox(options: { stateDir?: string } = {}): Promise<WhatsAppMdSandbox> {
  const legacy = await startWhatsAppSandbox(options.stateDir ? { stateDir: options.stateDir } : {})
  const mdServer = await startWhatsAppMdServer(options.stateDir ? { stateDir: join(options.stateDir, 'md') } : {})
  const world = mdServer.hub.world
  const owner = world.account(MD_OWNER, 'Alice')
  for (const [number, name] of CONTACTS) world.account(number, name)
  // The chats Alice's phone holds, sent to each device it links (history sync, spec §10); seeded once.
  if (!owner.history) {
    const day = Math.floor(Date.now() / 1000) - 86_400
    mdServer.seedHistory(MD_OWNER, [
      {
        jid: `${CONTACTS[0]![0]}@s.whatsapp.net`,
        unread: 1,
        messages: [
          { id: 'SANDBOX-MD-1', fromMe: false, text: 'Welcome to the Junction sandbox (WhatsApp multi-device)!', t: day },
          { id: 'SANDBOX-MD-2', fromMe: true, text: 'Thanks Bob', t: day + 60 },
          { id: 'SANDBOX-MD-3', fromMe: false, text: 'Write to me and I will see it on my phone.', t: day + 120 }
        ]
      },
      {
        jid: `${CONTACTS[1]![0]}@s.whatsapp.net`,
        // Sent as a downloaded chunk (spec §10.1 `directPath`), as phones send most of their history.
        byDirectPath: true,
        messages: [{ id: 'SANDBOX-MD-4', fromMe: false, text: 'Messages here are end-to-end encrypted.', t: day + 30 }]
      }
    ])
  }
  // A group to try groups in, made once (the world keeps it); LID-addressed, as WhatsApp's groups
  // are becoming (spec §6.9, §11.4), so a person trying it exercises sending as our LID.
  if (![...world.groups.values()].some((g) => g.subject === 'Weekend hike'))
    mdServer.createGroup(CONTACTS[0]![0], 'Weekend hike', [MD_OWNER, ...CONTACTS.slice(1).map(([number]) => number)], { lid: true })
  world.save()
  // Profile pictures (the picture host keeps none across restarts): Bob's, the group's and Alice's own; Carol has none.
  mdServer.setPicture(`${CONTACTS[0]![0]}@s.whatsapp.net`, sandboxPicture('Bob Builder'))
  mdServer.setPicture(`${MD_OWNER}@s.whatsapp.net`, sandboxPicture('Alice'))
  for (const g of world.groups.values())
    if (g.subject === 'Weekend hike') mdServer.setPicture(g.id.includes('@') ? g.id : `${g.id}@g.us`, sandboxPicture(g.subject))

  const contacts = mdContacts(mdServer)
  const scanMd = async (payload: string): Promise<string> => {
    const { jid } = await mdServer.scan(payload, MD_OWNER)
    return `Linked as device ${jid} of Alice's phone.`
  }

  return {
    id: 'whatsapp',
    definition: whatsappNetwork,
    config: { ...legacy.config, md: mdClientConfig(mdServer) },
    phone: {
      label: `WhatsApp phone of Alice (+${MD_OWNER}; multi-device, and legacy for "WhatsApp Web, legacy protocol")`,
      help: () => [
        'Add a WhatsApp account in Junction ("Link with a QR code"), then paste the QR code (or its text) here and press Scan.',
        `Or choose "Link with a phone number" in Junction, type +${MD_OWNER}, then type the code Junction shows here and press Enter PIN.`,
        `Multi-device contacts: ${CONTACTS.map(([n, name]) => `${name} (+${n})`).join(', ')}; group "Weekend hike" (Bob made it).`,
        ...legacy.phone.help().map((line) => `Legacy: ${line}`)
      ],
      scan: async (payload) => (payload.startsWith(MD_QR_PREFIX) ? scanMd(payload) : legacy.phone.scan!(payload)),
      // Linking with a phone number (spec §5.6): the person types on the phone the code Junction shows.
      enterPin: async (code) => {
        const { jid } = await mdServer.enterPairingCode(MD_OWNER, code.trim())
        return `Linked as device ${jid} of Alice's phone with the code.`
      },
      chats: async () => [
        ...CONTACTS.map(([number, name]) => ({ id: `md:${number}`, title: `${name} (multi-device)` })),
        ...(await legacy.phone.chats()).map((c) => ({ id: `legacy:${c.id}`, title: `${c.title} (legacy)` }))
      ],
      sendAs: async (chatId, text) => {
        if (chatId.startsWith('md:')) {
          contacts.active(chatId.slice(3))
          await mdServer.contact(chatId.slice(3)).sendText(mdOwnerJid, text)
          return
        }
        await legacy.phone.sendAs(chatId.replace(/^legacy:/, ''), text)
      },
      // The phone page's delivery view (issue 12 §8): multi-device contacts have all four;
      // legacy chats go to the legacy phone (which has no reactions).
      received: async (chatId) => (chatId.startsWith('md:') ? contacts.received(chatId.slice(3)) : legacy.phone.received!(chatId.replace(/^legacy:/, ''))),
      typing: async (chatId, typing) =>
        chatId.startsWith('md:') ? contacts.typing(chatId.slice(3), typing) : legacy.phone.typing!(chatId.replace(/^legacy:/, ''), typing),
      read: async (chatId) => (chatId.startsWith('md:') ? contacts.read(chatId.slice(3)) : legacy.phone.read!(chatId.replace(/^legacy:/, ''))),
      react: async (chatId, messageId, emoji) => {
        if (!chatId.startsWith('md:')) throw new Error('The legacy WhatsApp Web protocol has no reactions.')
        await contacts.react(chatId.slice(3), messageId, emoji)
      }
    },
    mdServer,
    close: async () => {
      contacts.close()
      await mdServer.close()
      await legacy.close()
    }
  }
}
