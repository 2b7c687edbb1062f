// What each network's reference server offers the sandbox: the real Connector pointed at
// the server, and a simulated phone a person drives from the sandbox phone page.

import type { NetworkId } from '../../src/shared/model'
import type { NetworkDefinition } from '../../src/main/networks/connector'

export interface SandboxPhone {
  /** e.g. "WhatsApp phone of Alice (+1 555 0100)". */
  label: string
  /** Lines of help shown on the phone page (sign-in names and passwords of sandbox users). */
  help(): string[]
  /** Scans the QR payload the app shows; resolves with what happened, in words. */
  scan?(payload: string): Promise<string>
  /** Types the PIN the app shows (LINE). */
  enterPin?(pin: string): Promise<string>
  chats(): Promise<{ id: string; title: string }[]>
  /** The other party writes in a chat. */
  sendAs(chatId: string, text: string): Promise<void>
  /** What the account sent in a chat, as the contact's phone received it, oldest first (where the server keeps it). */
  received?(chatId: string): Promise<PhoneReceived[]>
  /** The contact starts or stops typing. */
  typing?(chatId: string, typing: boolean): Promise<void>
  /** The contact reads what the account sent (read receipts). */
  read?(chatId: string): Promise<void>
  /** The contact reacts to one of the account's messages (networks with reactions). */
  react?(chatId: string, messageId: string, emoji: string): Promise<void>
  /** The reactions `react` takes, where the network has a fixed set (LINE's six); absent: a few common ones. */
  reactionEmoji?: string[]
}

export interface PhoneReceived {
  id: string
  /** The text, or a word for what it was ("[photo]"). */
  text: string
  /** Epoch ms. */
  at: number
  /** In words: "sent", "delivered", "read". */
  status: string
}

export interface SandboxNetwork {
  id: NetworkId
  definition: NetworkDefinition
  /** The Connector's configuration: endpoints on 127.0.0.1. */
  config: Record<string, unknown>
  phone: SandboxPhone
  close(): Promise<void>
}
