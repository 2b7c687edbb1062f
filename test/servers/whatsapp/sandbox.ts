// The WhatsApp part of `npm run sandbox`: the reference server on loopback with a phone
// (Alice) that has contacts, a one-to-one chat, a group, a picture and presence, and the real
// Connector pointed at it. Every message a person writes "as a contact" goes through the
// same wire protocol the tests use.

import { PNG } from 'pngjs'
import type { NetworkDefinition } from '../../../src/main/networks/connector'
import { whatsappNetwork } from '../../../src/main/networks/whatsapp'
import { LEGACY_QR_METHOD } from '../../../src/main/networks/whatsapp/connector'
import type { SandboxNetwork } from '../sandbox-types'
import { SimulatedPhone } from './phone'
import { WhatsAppServer } from './server'

export const SANDBOX_OWNER = '15550100@c.us'
const BOB = '15550101@c.us'
const CAROL = '15550102@c.us'
const DAVE = '15550103@c.us'
const TEAM = '15550100-1600000000@g.us'

/** A small colourful picture for the sandbox chat (drawn here, so no binary file is needed). */
function samplePicture(): Buffer {
  const png = new PNG({ width: 96, height: 64 })
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (png.width * y + x) << 2
      png.data[i] = (x * 255) / png.width
      png.data[i + 1] = (y * 255) / png.height
      png.data[i + 2] = 180
      png.data[i + 3] = 255
    }
  }
  return PNG.sync.write(png)
}

/** spec §7.1 status of own messages, in words. */
const LEGACY_STATUS: Record<number, string> = { 1: 'pending', 2: 'sent', 3: 'delivered', 4: 'read' }

function legacyText(content: Record<string, unknown> | undefined): string {
  if (!content) return ''
  if (typeof content.conversation === 'string') return content.conversation
  const ext = content.extendedTextMessage as { text?: unknown } | undefined
  if (typeof ext?.text === 'string') return ext.text
  if (content.imageMessage) return '[photo]'
  if (content.stickerMessage) return '[sticker]'
  const document = content.documentMessage as { fileName?: unknown } | undefined
  if (document) return `[${typeof document.fileName === 'string' && document.fileName ? document.fileName : 'document'}]`
  return '[message]'
}

function seedSandbox(phone: SimulatedPhone): void {
  phone.seed(
    [
      [BOB, 'Bob Builder'],
      [CAROL, 'Carol Singer'],
      [DAVE, 'Dave']
    ],
    [
      {
        jid: BOB,
        messages: [
          [BOB, 'Welcome to the Junction sandbox!'],
          [SANDBOX_OWNER, 'Thanks Bob'],
          [BOB, 'Write to me and I will see it on my phone.']
        ]
      },
      {
        jid: TEAM,
        name: 'Sandbox team',
        participants: [CAROL, DAVE],
        messages: [
          [CAROL, 'Try the search with Ctrl+K'],
          [DAVE, 'Typing and read receipts work here too']
        ]
      }
    ]
  )
  phone.sendImageAs(BOB, samplePicture(), { mime: 'image/png', width: 96, height: 64, caption: 'A picture, end-to-end encrypted as WhatsApp does' })
}

/** How long a contact stays online after they last wrote, typed or read on the phone page. */
const ONLINE_MS = 30_000

/**
 * The contacts' presence on the phone page (spec §6.5 Presence): online while active, then
 * offline with the time, which Junction shows as "last seen". Bob was last online two hours
 * before the sandbox started; Dave hides his last seen (the lastseen query says 404, §6.3).
 */
function sandboxPresence(phone: SimulatedPhone): { active(jid: string): void; close(): void } {
  const offline = new Map<string, NodeJS.Timeout>()
  phone.contactOnline(BOB, false, Math.floor(Date.now() / 1000) - 2 * 3_600)
  phone.hideLastSeen(DAVE)
  return {
    active: (jid) => {
      if (jid.endsWith('@g.us')) return
      clearTimeout(offline.get(jid))
      phone.contactOnline(jid, true)
      const timer = setTimeout(() => phone.contactOnline(jid, false), ONLINE_MS)
      timer.unref()
      offline.set(jid, timer)
    },
    close: () => {
      for (const timer of offline.values()) clearTimeout(timer)
    }
  }
}

/** This server speaks only the legacy protocol, so the app offers only that method for it (the full sandbox offers both: ../whatsapp-md/sandbox.ts). */
export const legacyOnlyNetwork: NetworkDefinition = { ...whatsappNetwork, loginMethods: whatsappNetwork.loginMethods.filter((m) => m.id === LEGACY_QR_METHOD) }

export interface WhatsAppSandbox extends SandboxNetwork {
  server: WhatsAppServer
  whatsappPhone: SimulatedPhone
}

/** `stateDir` keeps the server's state across restarts: the phone is seeded only the first time. */
export async function startWhatsAppSandbox(options: { stateDir?: string } = {}): Promise<WhatsAppSandbox> {
  const server = await WhatsAppServer.start({ ttlMs: 20_000, ...(options.stateDir ? { stateDir: options.stateDir } : {}) })
  const saved = server.accounts.get(SANDBOX_OWNER)
  const phone = new SimulatedPhone(server, saved ?? server.addAccount(SANDBOX_OWNER, 'Alice'))
  if (!saved) seedSandbox(phone)
  // Bob has a profile picture (issue 12 §3; kept in memory, a new one each start).
  server.pictures.set(BOB)
  const presence = sandboxPresence(phone)
  return {
    id: 'whatsapp',
    definition: legacyOnlyNetwork,
    config: server.clientConfig(),
    phone: {
      label: `WhatsApp phone of Alice (+${SANDBOX_OWNER.split('@')[0]})`,
      help: () => [
        'Add a WhatsApp account in Junction, then paste the QR code (or its text) here and press Scan.',
        `Contacts: Bob Builder (+${BOB.split('@')[0]}), Carol Singer, Dave; group "Sandbox team".`
      ],
      scan: async (payload) => phone.scan(payload),
      chats: async () => phone.chats(),
      sendAs: async (chatId, text) => {
        presence.active(chatId)
        phone.sendAs(chatId, text)
      },
      // The phone page's delivery view (issue 12 §8); legacy WhatsApp has no reactions, so no `react`.
      received: async (chatId) =>
        phone
          .messages(chatId)
          // A revoke relay is not a message of its own; the message it deleted shows as deleted.
          .filter((m) => m.fromMe && !m.content?.protocolMessage)
          .map((m) => ({
            id: m.id,
            text: m.stubType === 1 ? '[deleted]' : legacyText(m.content),
            at: m.timestamp * 1000,
            status: LEGACY_STATUS[m.status] ?? 'sent'
          })),
      typing: async (chatId, typing) => {
        if (typing) presence.active(chatId)
        phone.typing(chatId, typing)
      },
      read: async (chatId) => {
        presence.active(chatId)
        phone.readBy(chatId)
      }
    },
    server,
    whatsappPhone: phone,
    close: () => {
      presence.close()
      return server.close()
    }
  }
}
